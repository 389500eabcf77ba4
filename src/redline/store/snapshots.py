"""Immutable, content-hashed snapshots of official list files, in SQLite under `$REDLINE_HOME`.

One import is one snapshot: a row in `snapshots` and its records in `records`, written in a single transaction,
so a failed, killed or interrupted import leaves no partial rows and the previous snapshot stays in force.
Rows are never updated or deleted (triggers refuse it). Why SQLite: docs/sources.md.

A snapshot's facts are known from the publisher's issue date when the file has one, else from the moment it
was retrieved; `latest(..., known_at)` answers "which version of this list was out at that instant".
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redline.home import redline_home
from redline.model import iso
from redline.model.records import SourceRecord, from_json, to_json
from redline.sources.loaded import IssuedFrom, LoadedFile, LoadedSource, SourceFormat, SourceList

DB_NAME = "sources.sqlite3"
_NUMBER = re.compile(r"[0-9]{1,18}")
_HASH_PREFIX = re.compile(r"[0-9a-fA-F]{6,64}")
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    issued_at TEXT,
    issued_from TEXT NOT NULL,
    known_from TEXT NOT NULL,
    retrieved_at TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    origin TEXT NOT NULL,
    files TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    counts TEXT NOT NULL,
    UNIQUE (source, label, content_hash)
);
CREATE INDEX IF NOT EXISTS snapshots_known ON snapshots (source, label, known_from);
CREATE TABLE IF NOT EXISTS records (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
    record_id TEXT NOT NULL,
    schema TEXT NOT NULL,
    name TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, record_id)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS snapshots_no_update BEFORE UPDATE ON snapshots
    BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
CREATE TRIGGER IF NOT EXISTS snapshots_no_delete BEFORE DELETE ON snapshots
    BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
    BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
    BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
"""


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
    """Stored instants are UTC ISO strings, so text order is time order."""
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


class SnapshotStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or redline_home() / DB_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are opened explicitly, so each import is exactly one.
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA foreign_keys=ON")
        # Only a new store is written to here, so opening one to read never waits for an import in progress.
        exists = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'")
        if exists.fetchone() is None:
            self._db.execute("PRAGMA journal_mode=WAL")  # persistent: readers go on while an import writes
            self._db.executescript(_SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SnapshotStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def add(self, loaded: LoadedSource, origin: str, retrieved_at: datetime | None = None) -> tuple[Snapshot, bool]:
        """Store `loaded` as a new snapshot in one transaction; (snapshot, False) when these bytes are stored."""
        existing = self._db.execute(
            "SELECT id FROM snapshots WHERE source = ? AND label = ? AND content_hash = ?",
            (loaded.source.value, loaded.label, loaded.content_hash),
        ).fetchone()
        if existing:
            return self.get(str(existing[0])), False
        now = datetime.now(UTC)
        retrieved = retrieved_at or now
        known_from = loaded.issued_at or retrieved
        files = [{"path": f.path, "role": f.role, "sha256": f.sha256, "size": f.size} for f in loaded.files]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            cursor = self._db.execute(
                "INSERT INTO snapshots (source, label, format, content_hash, issued_at, issued_from, known_from,"
                " retrieved_at, imported_at, origin, files, record_count, counts)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    loaded.source.value,
                    loaded.label,
                    loaded.format.value,
                    loaded.content_hash,
                    _utc(loaded.issued_at) if loaded.issued_at else None,
                    loaded.issued_from.value,
                    _utc(known_from),
                    _utc(retrieved),
                    _utc(now),
                    origin,
                    json.dumps(files),
                    len(loaded.records),
                    json.dumps(_counts(loaded.records)),
                ),
            )
            snapshot_id = cursor.lastrowid
            self._db.executemany(
                "INSERT INTO records (snapshot_id, record_id, schema, name, payload) VALUES (?, ?, ?, ?, ?)",
                (
                    (snapshot_id, r.source_id, r.schema.value, r.name, json.dumps(to_json(r), ensure_ascii=False))
                    for r in loaded.records
                ),
            )
            self._db.execute("COMMIT")
        except sqlite3.IntegrityError:
            # Another process stored the same bytes between our check and our write: that snapshot stands.
            self._db.execute("ROLLBACK")
            return self.add(loaded, origin, retrieved_at)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return self.get(str(snapshot_id)), True

    def _snapshot(self, row: sqlite3.Row | tuple[Any, ...]) -> Snapshot:
        (id_, source, label, fmt, content_hash, issued_at, issued_from, known_from, retrieved_at, imported_at,
         origin, files, record_count, counts) = row  # fmt: skip
        return Snapshot(
            id=int(id_),
            source=SourceList(source),
            label=label,
            format=SourceFormat(fmt),
            content_hash=content_hash,
            issued_at=_instant(issued_at),
            issued_from=IssuedFrom(issued_from),
            known_from=datetime.fromisoformat(known_from),
            retrieved_at=datetime.fromisoformat(retrieved_at),
            imported_at=datetime.fromisoformat(imported_at),
            origin=origin,
            files=tuple(LoadedFile(f["path"], f["role"], f["sha256"], f["size"]) for f in json.loads(files)),
            record_count=int(record_count),
            counts=json.loads(counts),
        )

    _COLUMNS = (
        "id, source, label, format, content_hash, issued_at, issued_from, known_from, retrieved_at, imported_at,"
        " origin, files, record_count, counts"
    )

    def snapshots(self, source: SourceList | None = None) -> list[Snapshot]:
        """Every snapshot, by list then by the time its facts became known."""
        query = f"SELECT {self._COLUMNS} FROM snapshots"
        args: tuple[str, ...] = ()
        if source is not None:
            query += " WHERE source = ?"
            args = (source.value,)
        rows = self._db.execute(query + " ORDER BY source, label, known_from, id", args).fetchall()
        return [self._snapshot(row) for row in rows]

    def get(self, ref: str) -> Snapshot:
        """A snapshot by number (`3` or `#3`) or by a prefix of its content hash (at least 6 characters)."""
        text = ref.strip().lstrip("#")
        # ASCII digits only, and few enough for SQLite's 64-bit integers: str.isdigit() also takes '²', and a
        # longer number overflowed (both were 500s from the API, found by its contract tests).
        if _NUMBER.fullmatch(text):
            row = self._db.execute(f"SELECT {self._COLUMNS} FROM snapshots WHERE id = ?", (int(text),)).fetchone()
            if row:
                return self._snapshot(row)
        if _HASH_PREFIX.fullmatch(text):  # hex only: '%' or '_' would be LIKE wildcards
            rows = self._db.execute(
                f"SELECT {self._COLUMNS} FROM snapshots WHERE content_hash LIKE ?", (text.lower() + "%",)
            ).fetchall()
            if len(rows) == 1:
                return self._snapshot(rows[0])
            if len(rows) > 1:
                raise SnapshotNotFound(f"{ref!r} matches {len(rows)} snapshots; give more of the hash")
        raise SnapshotNotFound(f"no snapshot {ref!r} (see `redline sources list`)")

    def records(self, snapshot: Snapshot | int) -> Iterator[SourceRecord]:
        snapshot_id = snapshot.id if isinstance(snapshot, Snapshot) else snapshot
        cursor = self._db.execute(
            "SELECT payload FROM records WHERE snapshot_id = ? ORDER BY record_id", (snapshot_id,)
        )
        for (payload,) in cursor:
            yield from_json(json.loads(payload))

    def latest(self, source: SourceList, known_at: datetime, label: str = "") -> Snapshot | None:
        """The newest version of a list whose facts were known at `known_at`."""
        row = self._db.execute(
            f"SELECT {self._COLUMNS} FROM snapshots WHERE source = ? AND label = ? AND known_from <= ?"
            " ORDER BY known_from DESC, id DESC LIMIT 1",
            (source.value, label, _utc(known_at)),
        ).fetchone()
        return self._snapshot(row) if row else None

    def latest_each(self, known_at: datetime, sources: set[SourceList] | None = None) -> list[Snapshot]:
        """The newest snapshot known at `known_at` of each list (and each FtM dataset)."""
        keys = self._db.execute("SELECT DISTINCT source, label FROM snapshots ORDER BY source, label").fetchall()
        found = []
        for source, label in keys:
            kind = SourceList(source)
            if sources is not None and kind not in sources:
                continue
            snapshot = self.latest(kind, known_at, label)
            if snapshot is not None:
                found.append(snapshot)
        return found

    def records_known_at(
        self, known_at: datetime, sources: set[SourceList] | None = None
    ) -> Iterator[tuple[Snapshot, SourceRecord]]:
        """The records of the latest snapshot of each list whose issue date is at or before `known_at`."""
        for snapshot in self.latest_each(known_at, sources):
            for record in self.records(snapshot):
                yield snapshot, record

    def row_counts(self) -> tuple[int, int]:
        """(snapshots, records) stored: what a killed import must leave unchanged."""
        snapshots = self._db.execute("SELECT count(*) FROM snapshots").fetchone()[0]
        records = self._db.execute("SELECT count(*) FROM records").fetchone()[0]
        return int(snapshots), int(records)
