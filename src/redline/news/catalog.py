"""The one door from news/ to "which entity is this?" and "what does Redline already hold about it?".

Until the catalog package lands this wraps the bundled lookup and the bundled reference store; swapping it for
the catalog is a change to `bundled_catalog()` alone (everything else in news/ takes a `NewsCatalog`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from redline.model import CourtOrder, Entity, ListingEvent
from redline.resolve import QueryError
from redline.resolve.lookup import EntityLookup, EntityMatch
from redline.store.reference import ReferenceStore


@dataclass(frozen=True, slots=True)
class NewsCatalog:
    lookup: EntityLookup
    store: ReferenceStore

    def resolve(self, query: str, limit: int = 5) -> list[EntityMatch]:
        """Best first; a query with nothing to match (only symbols) gives no match rather than an error."""
        try:
            return self.lookup.resolve(query, limit)
        except QueryError:
            return []

    def entity(self, entity_id: str) -> Entity | None:
        return self.store.data.entities.get(entity_id)

    def entities(self) -> Iterable[Entity]:
        return self.store.entities()

    def listings(self, entity_id: str) -> list[ListingEvent]:
        return self.store.listings(entity_id)

    def court_orders(self, entity_id: str) -> list[CourtOrder]:
        return self.store.court_orders(entity_id)

    def horizon(self) -> datetime:
        """The newest publication the catalog has read: a claim dated before it can be checked against it."""
        known = [e.known_from for e in self.store.data.listings] + [o.known_from for o in self.store.data.court_orders]
        return max(known)


@lru_cache(maxsize=1)
def bundled_catalog() -> NewsCatalog:
    """The catalog news reads against (today: the data shipped with Redline)."""
    from redline.resolve.lookup import bundled_lookup
    from redline.store.reference import bundled_store

    return NewsCatalog(bundled_lookup(), bundled_store())
