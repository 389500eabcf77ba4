"""The in-memory reference store: entities, listing events and court orders, queried bitemporally.

`known_at` keeps only facts whose known time is at or before it, so a question can be answered as it would
have been answered then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from redline.model import Citation, CourtOrder, Entity, ListId, ListingAction, ListingEvent
from redline.sources.bundled import ReferenceData, load_reference


class ReferenceStore:
    def __init__(self, data: ReferenceData) -> None:
        self.data = data
        self._listings: dict[str, list[ListingEvent]] = {}
        # At the same instant a removal comes before a (re)listing: DoD removed and relisted Hesai on 2024-10-29.
        for event in sorted(data.listings, key=lambda e: (e.valid_from, e.action is not ListingAction.REMOVED)):
            self._listings.setdefault(event.entity_id, []).append(event)
        self._orders: dict[str, list[CourtOrder]] = {}
        for order in sorted(data.court_orders, key=lambda o: o.issued_at):
            self._orders.setdefault(order.entity_id, []).append(order)

    def entity(self, entity_id: str) -> Entity:
        return self.data.entities[entity_id]

    def entities(self) -> Iterable[Entity]:
        return self.data.entities.values()

    def listings(self, entity_id: str, known_at: datetime | None = None) -> list[ListingEvent]:
        """The entity's listing events in valid-time order, limited to those public by `known_at`."""
        events = self._listings.get(entity_id, [])
        return [e for e in events if known_at is None or e.known_from <= known_at]

    def court_orders(self, entity_id: str, known_at: datetime | None = None) -> list[CourtOrder]:
        orders = self._orders.get(entity_id, [])
        return [o for o in orders if known_at is None or o.known_from <= known_at]

    def notes(self, entity_id: str, known_at: datetime) -> list[str]:
        """Disagreements between sources about the entity (the catalog's; the bundled data alone has none)."""
        return []

    def editions_of(self, lists: Iterable[ListId], known_at: datetime) -> list[Citation]:
        """Imported editions of `lists` known at `known_at` (the catalog's; the bundled data alone has none)."""
        return []

    def lists_of(self, entity_id: str) -> list[ListId]:
        """Every list the entity has ever been on, in first-listing order."""
        seen: dict[ListId, None] = {}
        for event in self._listings.get(entity_id, []):
            seen.setdefault(event.list_id, None)
        return list(seen)


@lru_cache(maxsize=1)
def bundled_store() -> ReferenceStore:
    """The store built from the data shipped with Redline (read once per process)."""
    return ReferenceStore(load_reference())
