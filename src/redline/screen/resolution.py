"""Resolving a screened row to listed entities: identifiers first, names second.

The row's fields become queries for the resolver (`redline.resolve.lookup.EntityLookup`, built in
`default_lookup`). An identifier hit is decisive; a name match at or above the resolver's threshold is a possible
match, which screening turns into REVIEW.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from redline.model import Entity, Identifier, IdScheme
from redline.resolve import QueryError
from redline.resolve.identifiers import IdKey, keys_of
from redline.resolve.lookup import EntityLookup, EntityMatch, bundled_lookup
from redline.screen.rows import ScreenRow
from redline.store.reference import bundled_store

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
        self._lookup = lookup  # built on the first name query: identifier-only files never pay for it
        # Identifier queries go straight to an index keyed like the resolver's own (`keys_of`/`parse_query`):
        # a book's ISINs are mostly unlisted, and scoring them as names would be wasted work.
        self._ids: dict[IdKey, list[Entity]] = {}
        for entity in bundled_store().entities() if lookup is None else lookup.entities.values():
            for identifier in entity.identifiers:
                for key in keys_of(identifier):
                    self._ids.setdefault(key, []).append(entity)
        self._identifier: Callable[[str, str, str | None], tuple[Match, ...]] = lru_cache(maxsize=cache_size)(
            self._by_identifier
        )
        self._query: Callable[[str], tuple[EntityMatch, ...]] = lru_cache(maxsize=cache_size)(self._resolve_query)

    @property
    def lookup(self) -> EntityLookup:
        if self._lookup is None:
            self._lookup = default_lookup()
        return self._lookup

    def _resolve_query(self, query: str) -> tuple[EntityMatch, ...]:
        try:
            found = self.lookup.resolve(query, limit=5)
        except QueryError:
            return ()  # nothing in the text to match on (e.g. only punctuation)
        # Candidates below the resolver's threshold are too weak to raise an alert on their own.
        return tuple(candidate for candidate in found if candidate.decisive or candidate.match)

    def _by_identifier(self, scheme: str, value: str, exchange: str | None) -> tuple[Match, ...]:
        """The row's identifier (already validated) keyed exactly as the resolver keys listed identifiers."""
        identifier = Identifier(IdScheme(scheme), value, exchange if scheme == "ticker" else None)
        keys = keys_of(identifier)
        if scheme == "ticker":  # (market, code) when the exchange is given; any market's code otherwise
            keys = keys[:1] if exchange else keys[1:]
        found: dict[str, Match] = {}
        for key in keys:
            for entity in self._ids.get(key, []):
                found.setdefault(entity.id, Match(entity, True, f"{identifier.label()} is listed for {entity.id}"))
        return tuple(found.values())

    def resolve(self, row: ScreenRow) -> list[Match]:
        for scheme in IDENTIFIER_ORDER:
            value = row.identifiers.get(scheme)
            if not value:
                continue
            matches = self._identifier(scheme, value, row.exchange)
            if matches:
                # A bare ticker without its exchange can name several companies: never decisive then.
                decisive = (scheme != "ticker" or bool(row.exchange)) and len(matches) == 1
                return [Match(m.entity, decisive, m.explanation) for m in matches]
        if row.name:
            return [
                Match(c.entity, False, f"name {row.name!r} -> {c.entity.id} ({c.explanation})")
                for c in self._query(row.name)
            ]
        return []
