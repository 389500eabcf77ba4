"""Redline's own China reference data (`redline/data/*.csv`) as source records, so it can be snapshotted,
listed and diffed like an official file.

Each entity becomes a record; its lists are the lists it has been on, and each listing event becomes a dated
fact (qualifier = the list id), as OFAC's CMIC rows do.
"""

from __future__ import annotations

import hashlib

from redline.model import ListingAction, NameKind
from redline.model.instants import new_york_date
from redline.model.records import (
    DateKind,
    FactKey,
    RecordDate,
    RecordFact,
    RecordIdentifier,
    RecordName,
    RecordSchema,
    SourceRecord,
)
from redline.sources.bundled import FILES, data_dir, load_reference
from redline.sources.loaded import LoadedFile, LoadedSource, SourceFormat, SourceList

_SCHEMAS = {schema.value: schema for schema in RecordSchema}


def load_bundled() -> LoadedSource:
    data = load_reference()
    directory = data_dir()
    files = []
    for name in (*FILES, "sources.yaml"):
        content = (directory / name).read_bytes()
        files.append(LoadedFile(str(directory / name), name, hashlib.sha256(content).hexdigest(), len(content)))
    events: dict[str, list[RecordFact]] = {}
    dates: dict[str, list[RecordDate]] = {}
    lists: dict[str, dict[str, None]] = {}
    for event in data.listings:
        day = new_york_date(event.valid_from)
        events.setdefault(event.entity_id, []).append(
            RecordFact(FactKey.LISTING_DATE if event.action is not ListingAction.REMOVED else FactKey.OTHER,
                       f"{event.action.value} ({event.list_id.value})", day.isoformat(),
                       event.list_id.value, day)
        )  # fmt: skip
        dates.setdefault(event.entity_id, []).append(RecordDate(DateKind.LISTED, day.isoformat(), day, day))
        lists.setdefault(event.entity_id, {})[event.list_id.value] = None
    records = []
    for entity in data.entities.values():
        names = [RecordName(entity.name, NameKind.PRIMARY)]
        names += [RecordName(n.text, n.kind, lang=n.lang) for n in entity.names if n.text != entity.name]
        records.append(
            SourceRecord(
                source_id=entity.id,
                schema=_SCHEMAS.get(entity.schema, RecordSchema.LEGAL_ENTITY),
                name=entity.name,
                names=tuple(names),
                identifiers=tuple(RecordIdentifier(i.scheme, i.value, exchange=i.exchange) for i in entity.identifiers),
                programs=tuple(lists.get(entity.id, {})),
                lists=tuple(lists.get(entity.id, {})),
                dates=tuple(dates.get(entity.id, ())),
                countries=(entity.country,) if entity.country else (),
                facts=tuple(events.get(entity.id, ())),
            )
        )
    return LoadedSource(SourceList.BUNDLED, SourceFormat.BUNDLED, tuple(files), records)
