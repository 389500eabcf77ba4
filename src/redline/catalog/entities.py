"""Records of imported lists joined into catalog entities: one entity per legal person.

A record joins a bundled entity when they share an ISIN, LEI or USCC, or (organisations only) an exact normalised
name; records of imported files join each other by the same strong identifiers, or by the publisher's own id
(OFAC's uid is shared by its SDN and consolidated files and repeated by the CSL). Persons are never joined by name
alone: two people share names far too often for that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from redline.model import Entity, Identifier, IdScheme, Name, NameKind
from redline.model.records import RecordSchema, SourceRecord
from redline.sources.loaded import SourceList

# Identifiers that name one legal person (or one security of one issuer) the world over.
STRONG = (IdScheme.ISIN, IdScheme.LEI, IdScheme.USCC, IdScheme.IMO)
_ORGANISATIONS = {RecordSchema.COMPANY, RecordSchema.ORGANIZATION, RecordSchema.LEGAL_ENTITY}
_OFAC_SOURCES = {SourceList.OFAC_SDN, SourceList.OFAC_CONS}


def normal_name(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def publisher_key(source: SourceList, label: str, record: SourceRecord) -> str:
    """A key that stays the same for one entry across editions (and, for OFAC, across its files and the CSL)."""
    if source in _OFAC_SOURCES:
        return f"ofac-{record.source_id}"
    if source is SourceList.TRADE_CSL:
        number = dict(record.extra).get("entity_number", "").strip()
        if number and record.lists and record.lists[0] in {"SDN", "NS-CMIC", "SSI", "NS-PLC", "NS-MBS", "FSE", "CAPTA"}:
            return f"ofac-{number}"
        return f"csl-{record.source_id}"
    if source is SourceList.UN_SC:
        return f"un-{record.source_id}"
    return f"{source.value}-{label or 'file'}-{record.source_id}"


class EntityJoiner:
    """Assigns every imported record to a catalog entity id: a bundled one, or one made for the record."""

    def __init__(self, bundled: Iterable[Entity]) -> None:
        self.by_identifier: dict[tuple[IdScheme, str], str] = {}
        self.by_name: dict[str, str] = {}
        self.bundled: dict[str, Entity] = {}
        for entity in bundled:
            self.bundled[entity.id] = entity
            for ident in entity.identifiers:
                if ident.scheme in STRONG:
                    self.by_identifier.setdefault((ident.scheme, ident.value.upper()), entity.id)
            if entity.schema != "Person":
                for name in entity.all_names():
                    self.by_name.setdefault(normal_name(name), entity.id)
        self.by_key: dict[str, str] = {}
        # publisher key -> (entity id, the newest record of that entry): older editions' copies are not kept
        self.latest: dict[str, tuple[str, SourceRecord]] = {}

    def assign(self, key: str, record: SourceRecord) -> str:
        entity_id = self.by_key.get(key) or self._match(record) or key
        self.by_key.setdefault(key, entity_id)
        for ident in record.identifiers:
            if ident.scheme in STRONG:
                self.by_identifier.setdefault((ident.scheme, ident.value.upper()), entity_id)
        if record.schema in _ORGANISATIONS and entity_id not in self.bundled:
            self.by_name.setdefault(normal_name(record.name), entity_id)
        self.latest.pop(key, None)  # re-inserted last, so iteration order is the order entries were last seen
        self.latest[key] = (entity_id, record)
        return entity_id

    def _match(self, record: SourceRecord) -> str | None:
        for ident in record.identifiers:
            if ident.scheme in STRONG:
                found = self.by_identifier.get((ident.scheme, ident.value.upper()))
                if found:
                    return found
        if record.schema in _ORGANISATIONS:
            for name in record.all_names():
                found = self.by_name.get(normal_name(name))
                if found:
                    return found
        return None

    def imported_entities(self) -> list[Entity]:
        """One entity per group of records not joined to a bundled entity; the newest record names it."""
        groups: dict[str, list[SourceRecord]] = {}
        for entity_id, record in self.latest.values():
            if entity_id not in self.bundled:
                groups.setdefault(entity_id, []).append(record)
        entities = []
        for entity_id, records in groups.items():
            newest = records[-1]
            names: dict[str, Name] = {}
            identifiers: dict[tuple[IdScheme, str, str | None], Identifier] = {}
            countries: list[str] = []
            for record in reversed(records):
                for name in record.names or ():
                    if not name.weak:
                        names.setdefault(name.text, Name(name.text, name.kind, name.lang))
                names.setdefault(record.name, Name(record.name, NameKind.LISTED))
                for ident in record.identifiers:
                    identifiers.setdefault((ident.scheme, ident.value, ident.exchange), ident.as_identifier())
                countries.extend(record.countries)
            names.pop(newest.name, None)
            entities.append(
                Entity(
                    id=entity_id,
                    name=newest.name,
                    schema=newest.schema.value,
                    country=countries[0] if countries else None,
                    names=tuple(names.values()),
                    identifiers=tuple(identifiers.values()),
                )
            )
        return entities
