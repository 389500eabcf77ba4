"""The catalog: every entity Redline knows (bundled reference data plus every imported snapshot) and their
listing events, queried bitemporally, with the one answer to "which entity is this?" (`identify`).

It is a `ReferenceStore` over merged data, so the status engine and the timeline read it unchanged; events the
imported editions superseded are hidden from answers known after the superseding edition's issue date.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from redline.catalog.events import Edition, Entry, ImportedHistory, annex_days, imported_history, snapshot_citation
from redline.model import Citation, CourtOrder, Entity, ListId, ListingEvent, saved
from redline.model.vocabulary import SourceList
from redline.resolve.identifiers import IdKey, keys_of
from redline.sources.bundled import ReferenceData
from redline.store.reference import ReferenceStore

if TYPE_CHECKING:  # the snapshot store brings SQLAlchemy: a bundled-only answer never needs it
    from redline.model.records import SourceRecord
    from redline.resolve.resolver import Resolver
    from redline.store.snapshots import Snapshot, SnapshotStore


class Catalog(ReferenceStore):
    def __init__(
        self,
        data: ReferenceData,
        history: ImportedHistory | None = None,
        extra_entities: Iterable[Entity] = (),
        imported: Iterable[tuple[str, SourceRecord, str]] = (),
        editions: Iterable[tuple[Snapshot, frozenset[ListId]]] = (),
        version: str = "bundled",
        court_orders: Iterable[CourtOrder] = (),
    ) -> None:
        self.history = history or ImportedHistory()
        extra = {e.id: e for e in extra_entities}
        # The files' raw rows (where each fact was read, for `redline data check`, which reads the files itself) are
        # left out: no answer reads them, and they were two thirds of the saved catalog (612 -> 227 KB).
        data = replace(data, provenance={}, identifier_rows=[], stated_rows={}, order_rows={})
        merged = replace(
            data,
            entities={**data.entities, **extra},
            listings=[*data.listings, *self.history.events],
            court_orders=[*data.court_orders, *court_orders],
        )
        super().__init__(merged)
        self.bundled = data
        self.imported_records = list(imported)  # (entity id, newest record, list key) for matching
        self.editions = list(editions)  # (snapshot, the lists it feeds), in known-time order
        self.version = version
        self.cache_path: Path | None = None  # where `current_catalog` keeps this catalog between processes
        self._ids: dict[IdKey, list[str]] = {}
        owned = [(e.id, i) for e in self.entities() for i in e.identifiers]
        owned += [(entity_id, i.as_identifier()) for entity_id, r, _ in self.imported_records for i in r.identifiers]
        for entity_id, identifier in owned:
            for key in keys_of(identifier):
                bucket = self._ids.setdefault(key, [])
                if entity_id not in bucket:
                    bucket.append(entity_id)

    # -- bitemporal reads (the ReferenceStore interface, superseded events hidden) --------------------------------
    def listings(self, entity_id: str, known_at: datetime | None = None) -> list[ListingEvent]:
        events = super().listings(entity_id, known_at)
        superseded = self.history.superseded
        if not superseded:
            return events
        return [e for e in events if e.id not in superseded or (known_at is not None and known_at < superseded[e.id])]

    def notes(self, entity_id: str, known_at: datetime) -> list[str]:
        """Disagreements between sources about this entity, and the source chosen, as known at `known_at`."""
        return [text for who, since, text in self.history.notes if who == entity_id and since <= known_at]

    def editions_of(self, lists: Iterable[ListId], known_at: datetime) -> list[Citation]:
        """The newest imported edition of each list feeding `lists`, known at `known_at`: what an answer consulted."""
        wanted = set(lists)
        newest: dict[tuple[SourceList, str], Snapshot] = {}
        for snapshot, fed in self.editions:
            if fed & wanted and snapshot.known_from <= known_at:
                newest[(snapshot.source, snapshot.label)] = snapshot
        return [snapshot_citation(s) for s in newest.values()]

    def ids_for(self, keys: Iterable[IdKey]) -> list[str]:
        found: dict[str, None] = {}
        for key in keys:
            for entity_id in self._ids.get(key, ()):
                found.setdefault(entity_id, None)
        return list(found)

    def keyed_values(self, schemes: Iterable[str]) -> set[str]:
        """Every value the identifier index holds under these schemes: a book's identifiers outside it name no
        entity, which screening checks a column at a time (redline.screen.plan)."""
        wanted = set(schemes)
        return {value for scheme, _, value in self._ids if scheme in wanted}

    @cached_property
    def resolver(self) -> Resolver:
        """The name index over every entity, built on the first name query (identifier queries never need it).

        Kept beside the saved catalog (`<catalog file>.resolver`, `Resolver.save`): the next process loads it on its
        first name query instead of transliterating every entity again, and identifier queries never read it."""
        from redline.resolve.resolver import Record, Resolver  # the matcher's imports: name queries only

        path = self.cache_path.with_suffix(".resolver") if self.cache_path is not None else None
        if path is not None and path.exists():
            with contextlib.suppress(OSError, ValueError):  # a damaged or older file: rebuilt below
                return Resolver.load(path)
        records = [
            Record.from_entity(e, [x.value for x in self.lists_of(e.id)]) for e in self.bundled.entities.values()
        ]
        for entity_id, record, list_key in self.imported_records:
            records.append(replace(Record.from_source_record(record, list_key), entity_id=entity_id))
        resolver = Resolver.from_records(records)
        if path is not None:
            with contextlib.suppress(OSError):  # a read-only or full home only costs speed
                resolver.save(path)  # prepares every name first
        return resolver

    def __getstate__(self) -> dict[str, object]:
        """The saved catalog leaves its name index out: it has a file of its own, read only by name queries."""
        state = dict(self.__dict__)
        state.pop("resolver", None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)


# Names the shape of a saved catalog, in its file's name (`redline.catalog._cache_file`): bump it when `Catalog` or
# what it holds changes, so a file saved by other code is never read as this code's.
SAVE_FORMAT = "catalog-2"


def save_catalog(catalog: Catalog, path: Path) -> None:
    """Pickle the catalog (with its name index once built) atomically: a temp file renamed into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")
    except OSError:
        return  # a read-only or full home only costs speed: the catalog is rebuilt next time
    try:
        with os.fdopen(handle, "wb") as out:
            saved.dump(catalog, out)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)


def load_catalog(path: Path) -> Catalog | None:
    """A catalog saved by `save_catalog`, or None when absent or unreadable (then it is rebuilt)."""
    try:
        with path.open("rb") as handle:
            loaded = saved.load(handle)  # written by this deployment under $REDLINE_HOME, like its database
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return loaded if isinstance(loaded, Catalog) else None


def editions_version(snapshots: Iterable[Snapshot]) -> str:
    """Names the set of imported editions: equal versions mean equal catalogs (for the same code and data)."""
    digest = hashlib.sha256()
    count = 0
    for snapshot in sorted(snapshots, key=lambda s: (s.known_from, s.id)):
        if snapshot.source is not SourceList.BUNDLED:
            digest.update(f"{snapshot.id}:{snapshot.content_hash};".encode())
            count += 1
    return digest.hexdigest()[:16] if count else "bundled"


def build_catalog(
    data: ReferenceData,
    store: SnapshotStore | None,
    news: tuple[list[ListingEvent], list[CourtOrder]] = ([], []),
    news_version: str = "",
) -> Catalog:
    """The catalog over the bundled data, every snapshot in `store` (None: none) and the accepted news facts
    (low-confidence events known from their articles' publication, redline.catalog.news_facts)."""
    # What joins imported records to entities and maps files to lists: building only (a saved catalog loads without)
    from redline.catalog.entities import EntityJoiner, publisher_key
    from redline.sources.list_feeds import ListFeed, list_feeds

    news_listings, news_orders = news
    if store is None:
        history = ImportedHistory(events=list(news_listings))
        version = f"news-{news_version}" if news_version else "bundled"
        return Catalog(data, history, version=version, court_orders=news_orders)
    feeds = list_feeds()
    joiner = EntityJoiner(data.entities.values())
    editions: list[Edition] = []
    fed_lists: list[tuple[Snapshot, frozenset[ListId]]] = []
    list_keys: dict[str, str] = {}
    snapshots = sorted(store.snapshots(), key=lambda s: (s.known_from, s.id))
    for snapshot in snapshots:
        if snapshot.source is SourceList.BUNDLED:
            continue
        feed = feeds.get(snapshot.source) or ListFeed(snapshot.source, {}, frozenset(), ())
        entries: list[Entry] = []
        for record in store.records(snapshot):
            key = publisher_key(snapshot.source, snapshot.label, record)
            entity_id = joiner.assign(key, record)
            list_keys[key] = snapshot.list_key
            for code in record.lists or ("",):
                list_id = feed.list_of(code)
                if list_id is not None:
                    entries.append(Entry(entity_id, list_id, record))
        editions.append(Edition(snapshot, feed, entries))
        fed_lists.append((snapshot, frozenset(e.list_id for e in entries) | feed.authoritative))
    history = imported_history(editions, data.listings, annex_days(data.regimes.values()))
    history.events.extend(news_listings)
    imported = [(entity_id, record, list_keys[key]) for key, (entity_id, record) in joiner.latest.items()]
    version = editions_version(snapshots) + (f"-news-{news_version}" if news_version else "")
    return Catalog(data, history, joiner.imported_entities(), imported, fed_lists, version, news_orders)
