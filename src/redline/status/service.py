"""What the interfaces call: resolve a query, then answer status, timeline and list questions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from redline.model import Entity, ListId
from redline.resolve.lookup import EntityLookup, bundled_lookup
from redline.resolve.resolver import QueryError
from redline.status.engine import StatusEngine, designation_at
from redline.status.report import StatusReport
from redline.status.timeline import TimelineEntry, timeline
from redline.store.reference import ReferenceStore, bundled_store

# Resolutions kept per service. The lookup's data never changes under a service, so an answer stays right; a
# status service (the API, the pages) sees the same tickers and names again and again, and resolving a name is
# most of the work of a status request (bench/service). Bounded, so memory stays flat.
RESOLVED_CACHE = 4096


@dataclass
class StatusService:
    store: ReferenceStore
    lookup: EntityLookup
    _resolved: Callable[[str], tuple[Entity | None, tuple[str, ...]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._resolved = lru_cache(maxsize=RESOLVED_CACHE)(self._resolve_uncached)

    @classmethod
    def bundled(cls) -> StatusService:
        return cls(bundled_store(), bundled_lookup())

    def resolve(self, query: str) -> tuple[Entity | None, list[str]]:
        """The best entity for `query`, with warnings when the match is not decisive or is ambiguous."""
        entity, warnings = self._resolved(query)
        return entity, list(warnings)

    def _resolve_uncached(self, query: str) -> tuple[Entity | None, tuple[str, ...]]:
        try:
            candidates = self.lookup.resolve(query, limit=5)
        except QueryError as exc:
            return None, (str(exc),)
        matched = [c for c in candidates if c.match]
        if not matched:
            leads = ", ".join(f"{c.entity.name} ({c.score:.2f}: {c.explanation})" for c in candidates[:3])
            return None, (f"possible matches below the threshold, for review: {leads}",) if leads else ()
        best = matched[0]
        warnings = []
        if not best.decisive:
            warnings.append(f"matched {best.entity.name!r} by name ({best.score:.2f}: {best.explanation})")
            close = [c for c in matched[1:] if not c.decisive and best.score - c.score < 0.05]
            if close:
                others = ", ".join(f"{c.entity.id} ({c.score:.2f})" for c in close)
                warnings.append(f"{query!r} is ambiguous; answering for {best.entity.id}; also close: {others}")
        return best.entity, tuple(warnings)

    def status(self, query: str, on: datetime, known_at: datetime) -> StatusReport:
        entity, warnings = self.resolve(query)
        report = StatusEngine(self.store).status(entity, on, known_at, query=query)
        if warnings:
            report = StatusReport(
                report.query,
                report.on,
                report.known_at,
                report.entity,
                report.entity_lists,
                report.regimes,
                (*warnings, *report.warnings),
            )
        return report

    def status_of(self, entity: Entity, on: datetime, known_at: datetime) -> StatusReport:
        """The answer for an entity already chosen (no query to resolve)."""
        return StatusEngine(self.store).status(entity, on, known_at, query=entity.id)

    def timeline(self, entity: Entity, known_at: datetime | None = None) -> list[TimelineEntry]:
        return timeline(self.store, entity, known_at)

    def list_counts(self, on: datetime, known_at: datetime) -> dict[ListId, int]:
        """How many entities each list holds at `on`, as known at `known_at`."""
        counts: Counter[ListId] = Counter()
        for entity in self.store.entities():
            events = self.store.listings(entity.id, known_at)
            for list_id in ListId:
                found = designation_at([e for e in events if e.list_id is list_id], on)
                if found.current is not None:
                    counts[list_id] += 1
        return {list_id: counts.get(list_id, 0) for list_id in ListId}
