"""Resolving a screened row to listed entities: identifiers first, names second.

The row's fields become queries for the resolver (`redline.resolve.lookup.EntityLookup`, built in
`default_lookup`). An identifier hit is decisive; a name match at or above the resolver's threshold is a possible
match, which screening turns into REVIEW.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from redline.model import Entity
from redline.resolve import QueryError
from redline.resolve.lookup import EntityLookup, EntityMatch, bundled_lookup
from redline.screen.rows import ScreenRow

# Strongest first: an ISIN or LEI names one security or legal person; a ticker needs its exchange.
IDENTIFIER_ORDER = ("isin", "lei", "figi", "cusip", "sedol", "ticker")


def default_lookup() -> EntityLookup:
    return bundled_lookup()


@dataclass(frozen=True, slots=True)
class Match:
    entity: Entity
    decisive: bool  # identifier certainty: no human review needed for the match itself
    explanation: str


class RowResolver:
    """Resolves rows with a per-process cache, since books repeat the same securities on many rows."""

    def __init__(self, lookup: EntityLookup | None = None, cache_size: int = 200_000) -> None:
        self.lookup = lookup or default_lookup()
        self._query: Callable[[str], tuple[EntityMatch, ...]] = lru_cache(maxsize=cache_size)(self._resolve_query)

    def _resolve_query(self, query: str) -> tuple[EntityMatch, ...]:
        try:
            found = self.lookup.resolve(query, limit=5)
        except QueryError:
            return ()  # nothing in the text to match on (e.g. only punctuation)
        # Candidates below the resolver's threshold are too weak to raise an alert on their own.
        return tuple(candidate for candidate in found if candidate.decisive or candidate.match)

    def resolve(self, row: ScreenRow) -> list[Match]:
        for scheme in IDENTIFIER_ORDER:
            value = row.identifiers.get(scheme)
            if not value:
                continue
            query = f"{value} {row.exchange}" if scheme == "ticker" and row.exchange else value
            candidates = [c for c in self._query(query) if c.decisive]
            if candidates:
                # A bare ticker without its exchange can name several companies: never decisive then.
                decisive = scheme != "ticker" or bool(row.exchange)
                return [
                    Match(c.entity, c.decisive and decisive, f"{scheme} {query} -> {c.entity.id} ({c.explanation})")
                    for c in candidates
                ]
        if row.name:
            return [
                Match(c.entity, False, f"name {row.name!r} -> {c.entity.id} ({c.explanation})")
                for c in self._query(row.name)
            ]
        return []
