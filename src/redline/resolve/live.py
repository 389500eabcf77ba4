"""The resolver a long-running service uses: bundled data plus the latest imported snapshots, rebuilt only when
a newer snapshot has been imported (by any process), not on every request."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from redline.resolve.resolver import Resolver, snapshot_records


def _snapshot_key() -> tuple[int, ...]:
    """Ids of the latest snapshot of each imported list: a cheap query that changes when an import lands."""
    from redline.home import redline_home
    from redline.sources.loaded import SourceList
    from redline.store.snapshots import DB_NAME, SnapshotStore

    if not (redline_home() / DB_NAME).exists():
        return ()
    with SnapshotStore() as store:
        wanted = set(SourceList) - {SourceList.BUNDLED}
        return tuple(sorted(snapshot.id for snapshot in store.latest_each(datetime.now(UTC), wanted)))


class LiveResolver:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, ...] | None = None
        self._resolver: Resolver | None = None

    def current(self) -> Resolver:
        key = _snapshot_key()
        with self._lock:
            if self._resolver is None or key != self._key:
                self._resolver = Resolver.from_store(extra=snapshot_records() if key else [])
                self._key = key
            return self._resolver
