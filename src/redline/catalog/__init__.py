"""The catalog: every entity Redline knows and the one answer to "which entity is this?".

`current_catalog()` is the catalog over the bundled data and every imported snapshot of the configured database,
rebuilt only when an import has landed (any process), so a long-running service follows `sources update`.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from redline.catalog.catalog import SAVE_FORMAT, Catalog, build_catalog, editions_version, load_catalog, save_catalog
from redline.catalog.identify import (
    REVIEW_FLOOR,
    Candidate,
    Identification,
    Outcome,
    candidates,
    candidates_many,
    identify,
)

if TYPE_CHECKING:
    from redline.model import CourtOrder, ListingEvent
    from redline.store.news import Proposal

__all__ = [
    "REVIEW_FLOOR",
    "Candidate",
    "Catalog",
    "Identification",
    "Outcome",
    "build_catalog",
    "candidates",
    "candidates_many",
    "current_catalog",
    "identify",
    "pinned_catalog",
]

_lock = threading.RLock()  # re-entered: current_catalog falls back to _bundled_catalog under it
# Per database URL: the versions of its snapshots and accepted news, the catalog built over them, and the database's
# data_version when they were read (SQLite; None on PostgreSQL), under which a call answers without a query.
_cached: dict[str, tuple[tuple[object, ...], Catalog, tuple[int, int] | None]] = {}


def current_catalog() -> Catalog:
    """The catalog for the configured database; the bundled data alone while nothing has been imported."""
    from redline.store.location import database_url

    url = database_url()
    # A fresh home has no database yet: answering a question must not create one (nor pay for its migration, nor
    # import SQLAlchemy and Alembic).
    if url.startswith("sqlite:///") and not _sqlite_file_exists(url):
        return _bundled_catalog()
    from redline.store.database import data_version, engine_for
    from redline.store.news import NewsStore
    from redline.store.snapshots import SnapshotStore

    engine = engine_for(url)
    # Read before the versions below: a commit in between makes the kept catalog look stale, never the reverse.
    seen = data_version(engine)
    with _lock:
        cached = _cached.get(url)
        if cached is not None and seen is not None and cached[2] == seen:
            return cached[1]  # nothing committed to the database since: no import landed (SQLite)
    store = SnapshotStore(engine)
    news = NewsStore(url)
    snapshots, accepted = store.version(), news.version()
    version = (*snapshots, *accepted)
    with _lock:
        cached = _cached.get(url)
        if cached is not None and cached[0] == version:
            _cached[url] = (version, cached[1], seen)
            return cached[1]
        if not snapshots[0] and not accepted[0]:
            catalog = _bundled_catalog()
        else:
            from redline.store.reference import bundled_store

            news_version = hashlib.sha256(repr(accepted).encode()).hexdigest()[:12] if accepted[0] else ""
            path = _cache_file(editions_version(store.snapshots()) + news_version)
            catalog = load_catalog(path) or build_catalog(
                bundled_store().data,
                store if snapshots[0] else None,
                _news_events(news.accepted()) if accepted[0] else ([], []),
                news_version,
            )
            if catalog.cache_path is None:
                catalog.cache_path = path
                save_catalog(catalog, path)
        _cached[url] = (version, catalog, seen)
        return catalog


def _cache_file(version: str) -> Path:
    """The saved catalog for these editions, this release of Redline (and shape of its saved catalog) and these
    bundled data files."""
    from redline import __version__
    from redline.home import redline_home
    from redline.sources.bundled import data_version

    key = hashlib.sha256(f"{__version__}:{SAVE_FORMAT}:{data_version()}:{version}".encode()).hexdigest()[:24]
    return redline_home() / "cache" / f"catalog-{key}.pickle"


def _sqlite_file_exists(url: str) -> bool:
    return Path(url.removeprefix("sqlite:///")).exists()


_bundled: list[Catalog] = []


def _bundled_catalog() -> Catalog:
    """The catalog of the bundled data alone, saved under $REDLINE_HOME: a later process loads it instead of reading
    the data files (the file is keyed by the release and a hash of those files, `_cache_file`)."""
    with _lock:
        if not _bundled:
            path = _cache_file("bundled")
            saved = load_catalog(path)
            if saved is not None and saved.version == "bundled":
                catalog = saved
            else:
                from redline.store.reference import bundled_store

                catalog = Catalog(bundled_store().data)
                save_catalog(catalog, path)
            catalog.cache_path = path  # the name index is saved beside it once built
            _bundled[:] = [catalog]
        return _bundled[0]


def clear_cache() -> None:
    """Forget built catalogs (tests that switch $REDLINE_HOME or the database)."""
    with _lock:
        _cached.clear()
        _bundled.clear()


def pinned_catalog(snapshot_ids: Collection[int], proposal_ids: Collection[str]) -> Catalog:
    """The catalog over today's bundled data, only the snapshots `snapshot_ids` and only the accepted news
    proposals `proposal_ids`: the data a certificate recorded (snapshots are immutable), for its replay."""
    from redline.store.news import NewsStore
    from redline.store.reference import bundled_store
    from redline.store.snapshots import SnapshotStore

    store = SnapshotStore().pinned(snapshot_ids) if snapshot_ids else None
    wanted = set(proposal_ids)
    proposals = [p for p in NewsStore().accepted() if p.id in wanted] if wanted else []
    news_version = hashlib.sha256(repr(sorted(wanted)).encode()).hexdigest()[:12] if wanted else ""
    return build_catalog(bundled_store().data, store, _news_events(proposals), news_version)


def _news_events(proposals: Iterable[Proposal]) -> tuple[list[ListingEvent], list[CourtOrder]]:
    """The accepted news proposals as events; one that cannot become an event (no date, no list) is left out,
    and `redline news review` says why when it is accepted."""
    from redline.catalog.news_facts import FactError, accepted_events

    listings: list[ListingEvent] = []
    orders: list[CourtOrder] = []
    for proposal in proposals:
        try:
            found = accepted_events([proposal])
        except FactError:
            continue
        listings += found[0]
        orders += found[1]
    return listings, orders
