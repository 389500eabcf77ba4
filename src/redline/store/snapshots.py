"""Immutable, content-hashed snapshots of official list files, in the one Redline database.

One import is one snapshot: a row in `snapshots`, its records in `snapshot_records` and its `source.import` audit
entry, written in a single transaction, so a failed, killed or interrupted import leaves nothing behind and the
previous snapshot stays in force. Rows are never updated or deleted (triggers refuse it, migration 0003), and the
audit entry carries a digest of the stored records, which `audit verify` recomputes. The database is SQLite under
`$REDLINE_HOME` by default and PostgreSQL when REDLINE_DATABASE_URL says so (redline.store.database).

A snapshot's facts are known from the publisher's issue date when the file has one, else from the moment it
was retrieved; `latest(..., known_at)` answers "which version of this list was out at that instant".
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from redline.model import iso
from redline.model.records import SourceRecord, from_json, to_json
from redline.sources.loaded import IssuedFrom, LoadedFile, LoadedSource, SourceFormat, SourceList
from redline.store import audit
from redline.store.database import engine_for, reading
from redline.store.schema import snapshot_records, snapshots

# Before migration 0003 snapshots lived in this file under $REDLINE_HOME; the migration copies it in.
LEGACY_DB_NAME = "sources.sqlite3"
_NUMBER = re.compile(r"[0-9]{1,18}")
_HASH_PREFIX = re.compile(r"[0-9a-fA-F]{6,64}")


class SnapshotNotFound(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class Snapshot:
    id: int
    source: SourceList
    label: str
    format: SourceFormat
    content_hash: str
    issued_at: datetime | None
    issued_from: IssuedFrom
    known_from: datetime  # issued_at, or retrieved_at when the file carries no date
    retrieved_at: datetime
    imported_at: datetime
    origin: str  # the path or URL it was read from
    files: tuple[LoadedFile, ...]
    record_count: int
    counts: dict[str, Any]
    records_sha256: str = ""  # digest of the stored records (`records_digest`), also in the import's audit entry

    @property
    def list_key(self) -> str:
        return f"{self.source.value}:{self.label}" if self.label else self.source.value

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (`redline sources list --json`, `GET /sources`)."""
        return {
            "id": self.id,
            "list": self.list_key,
            "format": self.format.value,
            "content_hash": self.content_hash,
            "issued_at": iso(self.issued_at) if self.issued_at else None,
            "issued_from": self.issued_from.value,
            "known_from": iso(self.known_from),
            "retrieved_at": iso(self.retrieved_at),
            "imported_at": iso(self.imported_at),
            "origin": self.origin,
            "files": [{"path": f.path, "role": f.role, "sha256": f.sha256, "size": f.size} for f in self.files],
            "records": self.record_count,
            "counts": self.counts,
        }


def _utc(moment: datetime) -> str:
    """Stored instants are UTC ISO strings of fixed width, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _counts(records: list[SourceRecord]) -> dict[str, Any]:
    programs: Counter[str] = Counter(program for record in records for program in record.programs)
    return {
        "schemas": dict(Counter(record.schema.value for record in records)),
        "names": sum(len(record.names) for record in records),
        "identifiers": sum(len(record.identifiers) for record in records),
        "programs": dict(programs.most_common()),
    }


def records_digest(rows: Iterable[tuple[str, str]]) -> str:
    """sha256 over (record id, stored payload) in code-point order of the ids: the same on every backend."""
    digest = hashlib.sha256()
    for record_id, payload in sorted(rows):
        digest.update(record_id.encode("utf-8") + b"\0" + payload.encode("utf-8") + b"\n")
    return digest.hexdigest()


def import_details(snapshot: Snapshot) -> dict[str, Any]:
    """What the `source.import` audit entry records of a snapshot (and `audit verify` compares)."""
    return {
        "snapshot": snapshot.id,
        "list": snapshot.list_key,
        "format": str(snapshot.format),
        "content_sha256": snapshot.content_hash,
        "records_sha256": snapshot.records_sha256,
        "issued_at": iso(snapshot.issued_at) if snapshot.issued_at else None,
        "known_from": iso(snapshot.known_from),
        "origin": snapshot.origin,
        "records": snapshot.record_count,
    }


class SnapshotStore:
    """Snapshots in the Redline database (`engine_for()` unless an engine is given)."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine or engine_for()

    def close(self) -> None:
        """Nothing to close: connections come from the engine's pool per call (kept for `with` callers)."""

    def __enter__(self) -> SnapshotStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def add(
        self,
        loaded: LoadedSource,
        origin: str,
        retrieved_at: datetime | None = None,
        who: str | None = None,
    ) -> tuple[Snapshot, bool]:
        """Store `loaded` and its audit entry in one transaction; (snapshot, False) when these bytes are stored.

        A file already stored is not stored again; its re-import is audited as `source.import.unchanged`.
        """
        key = (loaded.source.value, loaded.label, loaded.content_hash)
        now = datetime.now(UTC)
        retrieved = retrieved_at or now
        known_from = loaded.issued_at or retrieved
        payloads = [
            (r.source_id, r.schema.value, r.name, json.dumps(to_json(r), ensure_ascii=False)) for r in loaded.records
        ]
        files = [{"path": f.path, "role": f.role, "sha256": f.sha256, "size": f.size} for f in loaded.files]
        try:
            with self.engine.begin() as connection:
                existing = self._find(connection, *key)
                if existing is not None:
                    audit.append(
                        connection,
                        "source.import.unchanged",
                        f"snapshot {existing.id} {existing.list_key}",
                        {**import_details(existing), "origin": origin},
                        who=who,
                    )
                    return existing, False
                values = {
                    "source": loaded.source.value,
                    "label": loaded.label,
                    "format": loaded.format.value,
                    "content_hash": loaded.content_hash,
                    "issued_at": _utc(loaded.issued_at) if loaded.issued_at else None,
                    "issued_from": loaded.issued_from.value,
                    "known_from": _utc(known_from),
                    "retrieved_at": _utc(retrieved),
                    "imported_at": _utc(now),
                    "origin": origin,
                    "files": json.dumps(files),
                    "record_count": len(payloads),
                    "counts": json.dumps(_counts(loaded.records)),
                    "records_sha256": records_digest((p[0], p[3]) for p in payloads),
                }
                inserted = connection.execute(insert(snapshots).values(**values)).inserted_primary_key
                assert inserted is not None
                snapshot_id = int(inserted[0])
                for start in range(0, len(payloads), 5000):
                    connection.execute(
                        insert(snapshot_records),
                        [
                            {"snapshot_id": snapshot_id, "record_id": r, "schema": s, "name": n, "payload": p}
                            for r, s, n, p in payloads[start : start + 5000]
                        ],
                    )
                # The audit entry names the snapshot and seals the digests of its row and its records (redline.store
                # .audit's protected rows): `audit verify` names a snapshot or record edited, deleted or forged.
                stored = self._snapshot({**values, "id": snapshot_id})
                subject = f"snapshot {snapshot_id} {stored.list_key}"
                with audit.entry(connection, "source.import", subject, import_details(stored), who) as pending:
                    pending.protect("snapshots", (snapshot_id,))
                    pending.protect("snapshot_records", (snapshot_id,))
                return stored, True
        except IntegrityError:
            # Another process stored the same bytes between our check and our write: that snapshot stands.
            with reading(self.engine) as connection:
                found = self._find(connection, *key)
            if found is None:
                raise
            return found, False

    def _find(self, connection: Connection, source: str, label: str, content_hash: str) -> Snapshot | None:
        row = connection.execute(
            select(snapshots).where(
                snapshots.c.source == source, snapshots.c.label == label, snapshots.c.content_hash == content_hash
            )
        ).one_or_none()
        return self._snapshot(row._mapping) if row else None

    @staticmethod
    def _snapshot(row: Any) -> Snapshot:
        return Snapshot(
            id=int(row["id"]),
            source=SourceList(row["source"]),
            label=row["label"],
            format=SourceFormat(row["format"]),
            content_hash=row["content_hash"],
            issued_at=_instant(row["issued_at"]),
            issued_from=IssuedFrom(row["issued_from"]),
            known_from=datetime.fromisoformat(row["known_from"]),
            retrieved_at=datetime.fromisoformat(row["retrieved_at"]),
            imported_at=datetime.fromisoformat(row["imported_at"]),
            origin=row["origin"],
            files=tuple(LoadedFile(f["path"], f["role"], f["sha256"], f["size"]) for f in json.loads(row["files"])),
            record_count=int(row["record_count"]),
            counts=json.loads(row["counts"]),
            records_sha256=row["records_sha256"],
        )

    def snapshots(self, source: SourceList | None = None) -> list[Snapshot]:
        """Every snapshot, by list then by the time its facts became known."""
        query = select(snapshots)
        if source is not None:
            query = query.where(snapshots.c.source == source.value)
        query = query.order_by(snapshots.c.source, snapshots.c.label, snapshots.c.known_from, snapshots.c.id)
        with reading(self.engine) as connection:
            return [self._snapshot(row._mapping) for row in connection.execute(query)]

    def get(self, ref: str) -> Snapshot:
        """A snapshot by number (`3` or `#3`) or by a prefix of its content hash (at least 6 characters)."""
        text = ref.strip().lstrip("#")
        with reading(self.engine) as connection:
            # ASCII digits only, and few enough for a 64-bit integer: str.isdigit() also takes '²', and a longer
            # number overflowed (both were 500s from the API, found by its contract tests).
            if _NUMBER.fullmatch(text) and int(text) < 2**31:
                row = connection.execute(select(snapshots).where(snapshots.c.id == int(text))).one_or_none()
                if row:
                    return self._snapshot(row._mapping)
            if _HASH_PREFIX.fullmatch(text):  # hex only: '%' or '_' would be LIKE wildcards
                rows = connection.execute(
                    select(snapshots).where(snapshots.c.content_hash.startswith(text.lower()))
                ).fetchall()
                if len(rows) == 1:
                    return self._snapshot(rows[0]._mapping)
                if len(rows) > 1:
                    raise SnapshotNotFound(f"{ref!r} matches {len(rows)} snapshots; give more of the hash")
        raise SnapshotNotFound(f"no snapshot {ref!r} (see `redline sources list`)")

    def records(self, snapshot: Snapshot | int) -> Iterator[SourceRecord]:
        snapshot_id = snapshot.id if isinstance(snapshot, Snapshot) else snapshot
        query = select(snapshot_records.c.record_id, snapshot_records.c.payload).where(
            snapshot_records.c.snapshot_id == snapshot_id
        )
        with reading(self.engine) as connection:
            rows = connection.execute(query).fetchall()
        # Sorted here, not by the database: PostgreSQL's collation would order the ids differently from SQLite.
        for _, payload in sorted(rows):
            yield from_json(json.loads(payload))

    def latest(self, source: SourceList, known_at: datetime, label: str = "") -> Snapshot | None:
        """The newest version of a list whose facts were known at `known_at`."""
        query = (
            select(snapshots)
            .where(snapshots.c.source == source.value, snapshots.c.label == label)
            .where(snapshots.c.known_from <= _utc(known_at))
            .order_by(snapshots.c.known_from.desc(), snapshots.c.id.desc())
            .limit(1)
        )
        with reading(self.engine) as connection:
            row = connection.execute(query).one_or_none()
        return self._snapshot(row._mapping) if row else None

    def latest_each(self, known_at: datetime, sources: set[SourceList] | None = None) -> list[Snapshot]:
        """The newest snapshot known at `known_at` of each list (and each FtM dataset)."""
        newest: dict[tuple[SourceList, str], Snapshot] = {}
        for snapshot in self.snapshots():
            if snapshot.known_from <= known_at and (sources is None or snapshot.source in sources):
                newest[(snapshot.source, snapshot.label)] = snapshot  # ordered by known_from, then id
        return list(newest.values())

    def records_known_at(
        self, known_at: datetime, sources: set[SourceList] | None = None
    ) -> Iterator[tuple[Snapshot, SourceRecord]]:
        """The records of the latest snapshot of each list whose issue date is at or before `known_at`."""
        for snapshot in self.latest_each(known_at, sources):
            for record in self.records(snapshot):
                yield snapshot, record

    def pinned(self, ids: Iterable[int]) -> SnapshotStore:
        """This store seen through only the snapshots `ids` (a certificate's recorded data, for its replay)."""
        return PinnedSnapshots(self.engine, frozenset(ids))

    def version(self) -> tuple[int, int]:
        """(count, highest id) of the stored snapshots: a cheap key that changes whenever an import lands."""
        with reading(self.engine) as connection:
            count, highest = connection.execute(select(func.count(), func.max(snapshots.c.id))).one()
        return int(count), int(highest or 0)

    def row_counts(self) -> tuple[int, int]:
        """(snapshots, records) stored: what a killed import must leave unchanged."""
        with reading(self.engine) as connection:
            count = connection.execute(select(func.count()).select_from(snapshots)).scalar_one()
            records = connection.execute(select(func.count()).select_from(snapshot_records)).scalar_one()
        return int(count), int(records)


class PinnedSnapshots(SnapshotStore):
    """Only some snapshots of the store: they are immutable, so these ids name exactly the data once used."""

    def __init__(self, engine: Engine, ids: frozenset[int]) -> None:
        super().__init__(engine)
        self.ids = ids

    def snapshots(self, source: SourceList | None = None) -> list[Snapshot]:
        return [snapshot for snapshot in super().snapshots(source) if snapshot.id in self.ids]
