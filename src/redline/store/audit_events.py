"""Audit entries for actions recorded in other stores, such as list-file imports (`redline sources add/update`).

The snapshot store is its own SQLite file, so the import and its audit entry are two commits: the entry is
written right after the snapshot is, and an import that stored nothing new is recorded as such. The entry carries
the digest of the snapshot's row and all its records (`snapshot_digest`), so `audit verify` names a snapshot edited,
deleted or added behind Redline's back (`snapshot_digests` gives the current ones). When snapshots move into the
main database (the catalog), they become a `Protected` table of `redline.store.audit` instead.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from redline.home import redline_home
from redline.model import iso
from redline.store.audit import Verification, canonical
from redline.store.screening import ScreenStore

if TYPE_CHECKING:
    from redline.store.snapshots import Snapshot


def record_import(snapshot: Snapshot, created: bool, who: str | None = None) -> int:
    """One `source.import` entry (or `source.import.unchanged` for a file already stored); its sequence number."""
    details = {
        "snapshot": snapshot.id,
        "list": snapshot.list_key,
        "format": str(snapshot.format),
        "content_sha256": snapshot.content_hash,
        "issued_at": iso(snapshot.issued_at) if snapshot.issued_at else None,
        "known_from": iso(snapshot.known_from),
        "origin": snapshot.origin,
        "records": snapshot.record_count,
    }
    action = "source.import" if created else "source.import.unchanged"
    rows = [("snapshots", str(snapshot.id), snapshot_digest(snapshot_store_path(), snapshot.id))]
    subject = f"snapshot {snapshot.id} {snapshot.list_key}"
    return ScreenStore().record_event(action, subject, details, who=who, rows=rows)


def snapshot_store_path() -> Path:
    from redline.store.snapshots import DB_NAME

    return redline_home() / DB_NAME


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _digest_of(connection: sqlite3.Connection, snapshot_id: int) -> str:
    digest = hashlib.sha256()
    row = connection.execute("SELECT * FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
    digest.update(canonical(list(row)).encode("utf-8"))
    records = connection.execute(
        "SELECT record_id, schema, name, payload FROM records WHERE snapshot_id = ? ORDER BY record_id", (snapshot_id,)
    )
    for record in records:
        digest.update(canonical(list(record)).encode("utf-8"))
    return digest.hexdigest()


def snapshot_digest(path: Path, snapshot_id: int) -> str:
    """sha256 over one snapshot's row and every one of its records, as stored."""
    connection = _read_only(path)
    try:
        return _digest_of(connection, snapshot_id)
    finally:
        connection.close()


def snapshot_digests(path: Path | None = None) -> dict[str, str]:
    """Snapshot id -> digest, for every snapshot in the store (none when there is no store yet)."""
    path = path or snapshot_store_path()
    if not path.exists():
        return {}
    connection = _read_only(path)
    try:
        ids = [row[0] for row in connection.execute("SELECT id FROM snapshots ORDER BY id")]
        return {str(snapshot_id): _digest_of(connection, snapshot_id) for snapshot_id in ids}
    finally:
        connection.close()


def verify_everything(head: tuple[int | None, str] | None = None) -> Verification:
    """`redline audit verify` and `GET /audit/verify`: the chain, the main database's rows, the snapshot store."""
    return ScreenStore().verify(external={"snapshots": snapshot_digests()}, head=head)
