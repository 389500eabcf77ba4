"""Audit entries for actions recorded in other stores, such as list-file imports (`redline sources add/update`).

The snapshot store is its own SQLite file, so the import and its audit entry are two commits: the entry is
written right after the snapshot is, and an import that stored nothing new is recorded as such.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from redline.model import iso
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
    return ScreenStore().record_event(action, f"snapshot {snapshot.id} {snapshot.list_key}", details, who=who)
