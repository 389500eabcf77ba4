"""The catalog: every entity Redline knows and the one answer to "which entity is this?".

`current_catalog()` is the catalog over the bundled data and every imported snapshot of the configured database,
rebuilt only when an import has landed (any process), so a long-running service follows `sources update`.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from redline.catalog.catalog import Catalog, build_catalog, editions_version, load_catalog, save_catalog
from redline.catalog.identify import REVIEW_FLOOR, Candidate, Identification, Outcome, candidates, identify

__all__ = [
    "REVIEW_FLOOR",
    "Candidate",
    "Catalog",
    "Identification",
    "Outcome",
    "build_catalog",
    "candidates",
    "current_catalog",
    "identify",
]

_lock = threading.RLock()  # re-entered: current_catalog falls back to _bundled_catalog under it
_cached: dict[str, tuple[tuple[int, int], Catalog]] = {}


def current_catalog() -> Catalog:
    """The catalog for the configured database; the bundled data alone while nothing has been imported."""
    from redline.store.database import database_url
    from redline.store.reference import bundled_store
    from redline.store.snapshots import SnapshotStore

    url = database_url()
    # A fresh home has no database yet: answering a question must not create one (nor pay for its migration).
    if url.startswith("sqlite:///") and not _sqlite_file_exists(url):
        return _bundled_catalog(bundled_store().data)
    store = SnapshotStore()
    version = store.version()
    with _lock:
        cached = _cached.get(url)
        if cached is not None and cached[0] == version:
            return cached[1]
        if not version[0]:
            catalog = _bundled_catalog(bundled_store().data)
        else:
            path = _cache_file(editions_version(store.snapshots()))
            catalog = load_catalog(path) or build_catalog(bundled_store().data, store)
            if catalog.cache_path is None:
                catalog.cache_path = path
                save_catalog(catalog, path)
        _cached[url] = (version, catalog)
        return catalog


def _cache_file(version: str) -> Path:
    """The saved catalog for these editions, this release of Redline and these bundled data files."""
    from redline import __version__
    from redline.home import redline_home
    from redline.sources.bundled import data_version

    key = hashlib.sha256(f"{__version__}:{data_version()}:{version}".encode()).hexdigest()[:24]
    return redline_home() / "cache" / f"catalog-{key}.pickle"


def _sqlite_file_exists(url: str) -> bool:
    return Path(url.removeprefix("sqlite:///")).exists()


_bundled: list[tuple[object, Catalog]] = []  # (the bundled data it was made from, the catalog)


def _bundled_catalog(data: object) -> Catalog:
    from redline.sources.bundled import ReferenceData

    assert isinstance(data, ReferenceData)
    with _lock:
        if not _bundled or _bundled[0][0] is not data:
            path = _cache_file("bundled")
            saved = load_catalog(path)
            catalog = saved if saved is not None and saved.version == "bundled" else Catalog(data)
            catalog.cache_path = path  # the name index is saved here once built
            _bundled[:] = [(data, catalog)]
        return _bundled[0][1]


def clear_cache() -> None:
    """Forget built catalogs (tests that switch $REDLINE_HOME or the database)."""
    with _lock:
        _cached.clear()
        _bundled.clear()
