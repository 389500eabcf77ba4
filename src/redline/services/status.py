"""What the interfaces call: identify a query through the catalog, then answer status, timeline and list questions.

The catalog (bundled data plus imported snapshots) is fetched per call from `catalog_source`, so a long-running
service follows `sources update`; identifications are cached per catalog version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from redline.catalog import Candidate, Catalog, Identification, Outcome, candidates, current_catalog, identify
from redline.model import Entity, ListId
from redline.model.events import designation_at
from redline.status.answer import State, StatusReport
from redline.status.engine import StatusEngine
from redline.status.timeline import TimelineEntry, timeline

if TYPE_CHECKING:
    from redline.resolve.resolver import Candidate as ResolverCandidate

__all__ = ["Badge", "SearchHit", "StatusService", "TimelineEntry", "badge_of"]  # and the types it hands out

# Identifications (and /match answers) kept per service. A status service (the API, the pages) sees the same tickers
# and names again and again, and resolving a name is most of the work of a status request (bench/service). Bounded,
# so memory stays flat; keyed by the catalog's version, so an import makes every cached answer stale at once.
RESOLVED_CACHE = 4096
# Leads whose own answers an undetermined report spells out.
LEADS_SHOWN = 3


def _bundled() -> Catalog:
    from redline.store.reference import bundled_store

    return Catalog(bundled_store().data)


@dataclass(frozen=True, slots=True)
class Badge:
    """A one-glance answer now: the strictest state over the regimes, and what a US person may do.
    (One type for the service, the page and the OpenAPI schema of GET /entities.)"""

    state: str
    label: str
    may_buy: bool
    may_sell: bool
    may_hold: bool


# The order in which a badge names a state: the one that restricts most comes first.
_BADGE_ORDER = [
    State.BLOCKED, State.POSSESSION_PROHIBITED, State.HOLDING_ONLY, State.DIVESTMENT_WINDOW,
    State.NOT_YET_EFFECTIVE, State.ENJOINED, State.LISTED_NO_BAN, State.VACATED, State.REMOVED, State.NOT_LISTED,
]  # fmt: skip


def badge_of(report: StatusReport) -> Badge:
    states = {regime.state for regime in report.regimes}
    state = next((s for s in _BADGE_ORDER if s in states), State.NOT_LISTED)
    allowed = report.us_person
    return Badge(state.value, state.value.replace("_", " "), allowed.may_buy, allowed.may_sell, allowed.may_hold)


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    name: str
    lists: list[str]
    score: float
    decisive: bool
    explanation: str
    badge: Badge


@dataclass
class StatusService:
    catalog_source: Callable[[], Catalog] = current_catalog
    _identified: Callable[[str, str], Identification] = field(init=False, repr=False, compare=False)
    _matched: Callable[..., tuple[ResolverCandidate, ...]] = field(init=False, repr=False, compare=False)
    _catalogs: dict[str, Catalog] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._identified = lru_cache(maxsize=RESOLVED_CACHE)(self._identify_uncached)
        self._matched = lru_cache(maxsize=RESOLVED_CACHE)(self._match_uncached)

    @classmethod
    def current(cls) -> StatusService:
        """The bundled data plus every snapshot imported into the configured database."""
        return cls(current_catalog)

    @classmethod
    def bundled(cls) -> StatusService:
        """The bundled reference data alone (tests, and examples that must not depend on imports)."""
        catalog = _bundled()
        return cls(lambda: catalog)

    @property
    def catalog(self) -> Catalog:
        catalog = self.catalog_source()
        self._catalogs = {catalog.version: catalog}
        return catalog

    @property
    def store(self) -> Catalog:
        return self.catalog

    def _identify_uncached(self, version: str, query: str) -> Identification:
        return identify(self._catalogs.get(version) or self.catalog, query)

    def _match_uncached(
        self, version: str, query: str, options: tuple[tuple[str, Any], ...]
    ) -> tuple[ResolverCandidate, ...]:
        catalog = self._catalogs.get(version) or self.catalog
        return tuple(catalog.resolver.resolve(query, **dict(options)))

    def match(self, query: str, **options: Any) -> dict[str, Any]:
        """`Resolver.match` over the current catalog: {"query", "candidates"} (the `redline match --json` form).
        Answers are kept per catalog version (LRU, RESOLVED_CACHE), as identifications are: the same names come
        back, and a name costs milliseconds of scoring. QueryError for a query with nothing to match."""
        found = self._matched(self.catalog.version, query, tuple(sorted(options.items())))
        return {"query": query, "candidates": [c.to_dict() for c in found]}

    def identify(self, query: str) -> Identification:
        return self._identified(self.catalog.version, query)

    def candidates(self, query: str, limit: int = 10) -> list[Candidate]:
        """Scored candidates, best first (search pages, /entities); raises QueryError for an empty query."""
        return candidates(self.catalog, query, limit)

    def search(self, query: str, limit: int = 10, now: datetime | None = None) -> list[SearchHit]:
        """Entities for a search box, best first, each with its status now (the badge on the search page and
        in GET /entities). Raises QueryError for a query of nothing but symbols."""
        moment = now or datetime.now(UTC)
        catalog = self.catalog
        hits = []
        for candidate in candidates(catalog, query, limit):
            report = StatusEngine(catalog).status(candidate.entity, moment, moment, query=candidate.entity.id)
            hits.append(
                SearchHit(
                    id=candidate.entity.id,
                    name=candidate.entity.name,
                    lists=[x.value for x in catalog.lists_of(candidate.entity.id)],
                    score=candidate.score,
                    decisive=candidate.decisive,
                    explanation=candidate.explanation,
                    badge=badge_of(report),
                )
            )
        return hits

    def resolve(self, query: str) -> tuple[Entity | None, list[str]]:
        """The entity for `query` (None when not identified), with the identification's warnings."""
        found = self.identify(query)
        return found.entity, list(found.warnings)

    def status(self, query: str, on: datetime, known_at: datetime) -> StatusReport:
        catalog = self.catalog
        found = self._identified(catalog.version, query)
        engine = StatusEngine(catalog)
        candidates = tuple(c.to_json() for c in found.candidates)
        if found.outcome is Outcome.UNDETERMINED:
            leads = [c.entity for c in found.leads][:LEADS_SHOWN]
            return engine.undetermined(query, on, known_at, leads, candidates, found.warnings)
        report = engine.status(found.entity, on, known_at, query=query)
        return StatusReport(
            report.query,
            report.on,
            report.known_at,
            report.entity,
            report.entity_lists,
            report.regimes,
            (*found.warnings, *report.warnings),
            outcome=found.outcome.value,
            candidates=candidates,
        )

    def status_of(self, entity: Entity, on: datetime, known_at: datetime) -> StatusReport:
        """The answer for an entity already chosen (no query to resolve)."""
        return StatusEngine(self.catalog).status(entity, on, known_at, query=entity.id)

    def timeline(self, entity: Entity, known_at: datetime | None = None) -> list[TimelineEntry]:
        return timeline(self.catalog, entity, known_at)

    def list_counts(self, on: datetime, known_at: datetime) -> dict[ListId, int]:
        """How many entities each list holds at `on`, as known at `known_at`."""
        catalog = self.catalog
        counts: Counter[ListId] = Counter()
        for entity in catalog.entities():
            events = catalog.listings(entity.id, known_at)
            if not events:
                continue
            for list_id in {e.list_id for e in events}:
                found = designation_at([e for e in events if e.list_id is list_id], on)
                if found.current is not None:
                    counts[list_id] += 1
        return {list_id: counts.get(list_id, 0) for list_id in ListId}
