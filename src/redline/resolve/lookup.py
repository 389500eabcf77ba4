"""Resolution to bundled entities: the `Resolver`'s candidates joined to the `Entity` records they name.

Status, screening and the interfaces ask "which listed entity is this?"; they get `EntityMatch`es, best first,
each with the resolver's explanation. An exact entity id (e.g. `xiaomi`) is decisive, so links and scripts
can name entities unambiguously.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from redline.model import Entity
from redline.resolve.resolver import Candidate, Record, Resolver


@dataclass(frozen=True, slots=True)
class EntityMatch:
    entity: Entity
    score: float
    match: bool  # score at or above the resolver's threshold
    decisive: bool  # an identifier (or entity id) hit
    explanation: str
    candidate: Candidate | None = None


class EntityLookup:
    def __init__(self, entities: Mapping[str, Entity], resolver: Resolver) -> None:
        self.entities = entities
        self.resolver = resolver

    @classmethod
    def over(cls, entities: Iterable[Entity], lists_of: Mapping[str, Iterable[str]]) -> EntityLookup:
        by_id = {entity.id: entity for entity in entities}
        records = [Record.from_entity(entity, lists_of.get(entity.id, ())) for entity in by_id.values()]
        return cls(by_id, Resolver.from_records(records))

    def resolve(self, query: str, limit: int = 10) -> list[EntityMatch]:
        """Best first. Raises `redline.resolve.QueryError` for a query with nothing to match."""
        exact = self.entities.get(query.strip())
        if exact is not None:
            return [EntityMatch(exact, 1.0, True, True, f"entity id {exact.id}")]
        matches = []
        for candidate in self.resolver.resolve(query, limit=limit):
            entity = self.entities.get(candidate.entity_id)
            if entity is not None:
                matches.append(
                    EntityMatch(
                        entity,
                        candidate.score,
                        candidate.match,
                        candidate.decisive,
                        candidate.explanation.text(),
                        candidate,
                    )
                )
        return matches


@lru_cache(maxsize=1)
def bundled_lookup() -> EntityLookup:
    """The lookup over the data shipped with Redline (built once per process: the index takes a second)."""
    from redline.store.reference import bundled_store

    store = bundled_store()
    lists = {entity.id: [x.value for x in store.lists_of(entity.id)] for entity in store.entities()}
    return EntityLookup.over(store.entities(), lists)
