"""Resolving a screened row to catalog entities: identifiers first, names second, through the catalog.

The catalog (redline.catalog) is the one place that says which entity a query names; this module only decides which
of a row's fields to ask about. An identifier hit is decisive when it names one entity; a name match, or a listed
entity scoring at or above the catalog's review floor (fail closed), is a lead that screening turns into REVIEW.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from redline.catalog import REVIEW_FLOOR, Candidate, Catalog, candidates_many, current_catalog
from redline.model import Entity, Identifier, IdScheme
from redline.resolve import QueryError
from redline.resolve.identifiers import keys_of
from redline.resolve.index import load_vectorised_paths
from redline.screen.rows import ScreenRow
from redline.screen.share_classes import without_share_class

# Strongest first: an ISIN or LEI names one security or legal person; a ticker needs its exchange.
IDENTIFIER_ORDER = ("isin", "lei", "figi", "cusip", "sedol", "ticker")


@dataclass(frozen=True, slots=True)
class Match:
    entity: Entity
    decisive: bool  # identifier certainty: no human review needed for the match itself
    explanation: str
    lead: bool = False  # only a listed entity scoring above the review floor: not a name match


class RowResolver:
    """Resolves rows with a per-process cache, since books repeat the same securities on many rows.

    A caller holding many rows at once (a batch of a book) calls `prefetch` first: the names among them that need
    the name route are resolved together (`candidates_many`), which costs about half of resolving them one by one."""

    def __init__(self, catalog: Catalog | None = None, cache_size: int = 200_000) -> None:
        self.catalog = catalog or current_catalog()
        load_vectorised_paths()  # a book repeats the name route thousands of times
        self._identifier: Callable[[str, str, str | None], tuple[Match, ...]] = lru_cache(maxsize=cache_size)(
            self._by_identifier
        )
        self._names: dict[str, tuple[Match, ...]] = {}  # cleared when full: memory stays bounded on any book
        self._cache_size = cache_size

    def _matches(self, name: str, found: list[Candidate] | QueryError) -> tuple[Match, ...]:
        if isinstance(found, QueryError):
            return ()  # nothing in the text to match on (e.g. only punctuation)
        # Matches, and listed entities close enough that letting the row pass as OK would be failing open.
        return tuple(
            Match(c.entity, False, f"name {name!r} -> {c.entity.id} ({c.explanation})", not (c.decisive or c.match))
            for c in found
            if c.decisive or c.match or (c.lists and c.score >= REVIEW_FLOOR)
        )

    def _remember(self, name: str, matches: tuple[Match, ...]) -> tuple[Match, ...]:
        if len(self._names) >= self._cache_size:
            self._names.clear()
        self._names[name] = matches
        return matches

    def _by_name(self, name: str) -> tuple[Match, ...]:
        known = self._names.get(name)
        if known is None:
            known = self._remember(name, self._matches(name, candidates_many(self.catalog, [name], limit=5)[0]))
        return known

    def prefetch(self, rows: Iterable[ScreenRow]) -> None:
        """Resolve together the names of `rows` that `resolve` would look up by name and has not yet: the rows
        without problems whose identifiers name no entity. `resolve` then finds them in its cache."""
        wanted: dict[str, None] = {}
        for row in rows:
            if row.problems or not row.name or self._by_identifiers(row) is not None:
                continue
            name = without_share_class(row.name)
            if name not in self._names:
                wanted[name] = None
        for name, found in zip(wanted, candidates_many(self.catalog, list(wanted), limit=5), strict=True):
            self._remember(name, self._matches(name, found))

    def _by_identifier(self, scheme: str, value: str, exchange: str | None) -> tuple[Match, ...]:
        """The row's identifier (already validated) keyed exactly as the catalog keys listed identifiers."""
        identifier = Identifier(IdScheme(scheme), value, exchange if scheme == "ticker" else None)
        keys = keys_of(identifier)
        if scheme == "ticker":  # (market, code) when the exchange is given; any market's code otherwise
            keys = keys[:1] if exchange else keys[1:]
        return tuple(
            Match(self.catalog.entity(entity_id), True, f"{identifier.label()} is listed for {entity_id}")
            for entity_id in self.catalog.ids_for(keys)
        )

    def _by_identifiers(self, row: ScreenRow) -> list[Match] | None:
        """The entities the row's strongest identifier that names any names; None when none does."""
        for scheme in IDENTIFIER_ORDER:
            value = row.identifiers.get(scheme)
            if not value:
                continue
            matches = self._identifier(scheme, value, row.exchange)
            if matches:
                # A bare ticker without its exchange can name several companies: never decisive then.
                decisive = (scheme != "ticker" or bool(row.exchange)) and len(matches) == 1
                return [Match(m.entity, decisive, m.explanation) for m in matches]
        return None

    def resolve(self, row: ScreenRow) -> list[Match]:
        matches = self._by_identifiers(row)
        if matches is not None:
            return matches
        if row.name:
            # "CRRC CORP LTD A", "... Class H": the company is the name without its share class
            return list(self._by_name(without_share_class(row.name)))
        return []
