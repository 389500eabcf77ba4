"""The one door from news/ to "which entity is this?" and "what does Redline already hold about it?".

It wraps the catalog (redline.catalog: bundled data plus imported snapshots), so articles resolve names exactly as
every other door does; everything else in news/ takes a `NewsCatalog`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from redline.catalog import Candidate, Catalog, candidates
from redline.model import CourtOrder, Entity, ListingEvent
from redline.resolve import QueryError

# A catalog candidate: entity, score, match, decisive, explanation, lists and the resolver's route.
EntityMatch = Candidate


@dataclass(frozen=True, slots=True)
class NewsCatalog:
    store: Catalog

    def resolve(self, query: str, limit: int = 5) -> list[EntityMatch]:
        """Best first; a query with nothing to match (only symbols) gives no match rather than an error."""
        try:
            return candidates(self.store, query, limit)
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


def news_catalog() -> NewsCatalog:
    """The catalog news reads against: the bundled data plus every imported snapshot (redline.catalog)."""
    from redline.catalog import current_catalog

    return NewsCatalog(current_catalog())
