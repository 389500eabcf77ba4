"""The official lists as a user handles them: import a file, list and show snapshots, diff two versions, update
from the published addresses. The CLI, the API and the sources page all call these; none opens a store itself.

What a new edition changes (open alerts, recently screened rows) is computed here too, so every door that
imports reports it the same way (`redline.services.list_changes`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from redline.catalog import Catalog, current_catalog
from redline.home import redline_home
from redline.model.list_diff import DiffReport
from redline.model.records import SourceRecord
from redline.services.errors import Conflict, InvalidInput, NotFound, Unavailable
from redline.services.list_changes import AnswerChange, changes_for_import
from redline.sources.diff import diff_records
from redline.sources.errors import SourceError
from redline.sources.formats import LIST_FILE_KINDS, load
from redline.sources.loaded import LoadedSource, SourceList
from redline.sources.update import (
    Downloader,
    OfficialSource,
    UpdateError,
    chosen_sources,
    config_path,
    download,
    read_config,
)
from redline.store.errors import StoreError
from redline.store.snapshots import Snapshot as Snapshot  # what this service hands out: a stored snapshot
from redline.store.snapshots import SnapshotNotFound, SnapshotStore

# What `sources add --as` accepts: the list file kinds, and "bundled" for Redline's own reference data.
FILE_KINDS = (*LIST_FILE_KINDS, "bundled")

# The types this service hands out (its callers format them): a stored snapshot and a diff's change report.
__all__ = ["DiffReport", "ImportResult", "Snapshot", "UpdateOutcome", "UpdateResult"]


@contextmanager
def snapshot_store() -> Iterator[SnapshotStore]:
    """The snapshot store; one that cannot be opened or written raises Unavailable with its first line."""
    try:
        with SnapshotStore() as store:
            yield store
    except (StoreError, SQLAlchemyError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Unavailable(f"the snapshot store cannot be used: {first}") from None


def public_origin(origin: str) -> str:
    """Where a snapshot came from, without the server's folders: each file path reduced to its name (URLs and
    upload labels are kept as they are)."""

    def shown(part: str) -> str:
        if "://" in part or part.startswith("upload ") or not re.search(r"[\\/]", part):
            return part
        return re.split(r"[\\/]", part.rstrip("\\/"))[-1]

    return ", ".join(shown(part.strip()) for part in origin.split(", "))


def public_json(snapshot: Snapshot) -> dict[str, Any]:
    """A snapshot as the server's clients see it: file names, never where the server keeps (or kept) the files."""
    shown = snapshot.to_json()
    shown["files"] = [file | {"path": public_origin(file["path"])} for file in shown["files"]]
    shown["origin"] = public_origin(shown["origin"])
    return shown


def load_files(
    files: list[Path], kind: str | None = None, issued: datetime | None = None, label: str | None = None
) -> LoadedSource:
    """Read list files (or, with kind "bundled", Redline's own data) without storing them."""
    if kind == "bundled":
        from redline.sources.bundled_records import load_bundled

        return load_bundled()
    if not files:
        raise InvalidInput("give the file to import (or --as bundled for Redline's own reference data)")
    try:
        return load(files, kind, issued, label)
    except SourceError as exc:
        problems = [str(problem) for problem in exc.problems]
        raise InvalidInput(problems[0] if problems else str(exc), problems, "nothing was imported") from None


@dataclass
class ImportResult:
    snapshot: Snapshot
    created: bool
    warnings: list[str]
    changes: list[AnswerChange]


def _changes(before: Catalog, since_days: int | None) -> list[AnswerChange]:
    if since_days is None:
        return []
    from redline.store.screening import ScreenStore

    return changes_for_import(before, current_catalog(), ScreenStore(), since_days)


def import_loaded(
    loaded: LoadedSource, origin: str, who: str | None = None, since_days: int | None = 30
) -> ImportResult:
    """Store `loaded` as an immutable snapshot (audited under `who`); an identical file is recognised, not stored
    twice. With `since_days`, also report which open alerts and recently screened rows change answer."""
    before = current_catalog() if since_days is not None else None
    with snapshot_store() as store:
        snapshot, created = store.add(loaded, origin, who=who)
    changes = _changes(before, since_days) if created and before is not None else []
    return ImportResult(snapshot, created, list(loaded.warnings), changes)


def list_snapshots(list_key: SourceList | None = None, known_at: datetime | None = None) -> list[Snapshot]:
    """Every stored snapshot, newest first; with `known_at`, the version of each list in force then."""
    with snapshot_store() as store:
        if known_at is not None:
            return [s for s in store.latest_each(known_at) if list_key is None or s.list_key == list_key]
        return store.snapshots(list_key)


def snapshot_records(
    ref: str, ids: set[str] | None = None, name: str | None = None
) -> tuple[Snapshot, list[SourceRecord]]:
    """A snapshot's records, optionally only those ids or names containing `name` (case-insensitive)."""
    needle = name.casefold() if name else None
    with snapshot_store() as store:
        snapshot = _get(store, ref)
        records = [
            record
            for record in store.records(snapshot)
            if (not ids or record.source_id in ids)
            and (needle is None or any(needle in text.casefold() for text in record.all_names()))
        ]
    return snapshot, records


def _get(store: SnapshotStore, ref: str) -> Snapshot:
    try:
        return store.get(ref)
    except SnapshotNotFound as exc:
        raise NotFound(str(exc)) from None


def issued_label(snapshot: Snapshot) -> str:
    if snapshot.issued_at is None:
        return "-"
    return f"{snapshot.issued_at.date().isoformat()} ({snapshot.issued_from.value})"


def _side(store: SnapshotStore, ref: str, kind: str | None, files_allowed: bool) -> tuple[str, str, list[SourceRecord]]:
    """(list key, label, records) of a stored snapshot, or of a file read without storing it."""
    path = Path(ref)
    if files_allowed and path.is_file():
        loaded = load_files([path], kind)
        key = f"{loaded.source.value}:{loaded.label}" if loaded.label else loaded.source.value
        return key, str(path), loaded.records
    try:
        snapshot = store.get(ref)
    except SnapshotNotFound as exc:
        raise NotFound(f"{exc} and no file {ref!r}" if files_allowed else str(exc)) from None
    label = f"#{snapshot.id} {snapshot.list_key} issued {issued_label(snapshot)}"
    return snapshot.list_key, label, list(store.records(snapshot))


def diff(before: str, after: str, kind: str | None = None, files_allowed: bool = False) -> DiffReport:
    """Entries added, removed and changed between two versions of one list (snapshots, or files on this machine
    when `files_allowed`: the CLI allows them, the server never reads paths it is given)."""
    with snapshot_store() as store:
        key_a, label_a, records_a = _side(store, before, kind, files_allowed)
        key_b, label_b, records_b = _side(store, after, kind, files_allowed)
    if key_a != key_b:
        raise Conflict(f"{before} is {key_a} and {after} is {key_b}: diff compares two versions of one list")
    return diff_records(records_a, records_b, (label_a, label_b))


@dataclass
class UpdateResult:
    name: str
    snapshot: Snapshot | None = None
    created: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class UpdateOutcome:
    results: list[UpdateResult]
    changes: list[AnswerChange]

    @property
    def failed(self) -> bool:
        return any(result.error for result in self.results)


def update_source(source: OfficialSource, downloader: Downloader, store: SnapshotStore) -> UpdateResult:
    """Download one source and import it; a failure is the result's error, and the previous snapshot stays."""
    result = UpdateResult(source.name)
    try:
        fetched = download(source, downloader)
    except UpdateError as exc:
        result.error = str(exc)
        return result
    except SourceError as exc:
        result.error = "; ".join(str(problem) for problem in exc.problems[:5])
        return result
    snapshot, created = store.add(fetched.loaded, fetched.origin, fetched.retrieved)
    result.snapshot, result.created, result.warnings = snapshot, created, fetched.loaded.warnings
    # The downloaded files of a new snapshot stay as its evidence; an unchanged download goes.
    if not created:
        shutil.rmtree(fetched.folder, ignore_errors=True)
    return result


def update(
    sources: list[OfficialSource],
    downloader: Downloader,
    only: list[str] | None = None,
    since_days: int | None = 30,
    progress: Callable[[UpdateResult], None] | None = None,
) -> UpdateOutcome:
    """Update the chosen sources (all by default), then report what the new editions change."""
    try:
        chosen = chosen_sources(sources, only)
    except UpdateError as exc:
        raise InvalidInput(str(exc)) from None
    before = current_catalog() if since_days is not None else None
    results: list[UpdateResult] = []
    with snapshot_store() as store:
        for source in chosen:
            results.append(update_source(source, downloader, store))
            if progress is not None:
                progress(results[-1])
    created = any(result.created for result in results)
    changes = _changes(before, since_days) if created and before is not None else []
    return UpdateOutcome(results, changes)


def update_configured(
    only: list[str] | None = None,
    config: Path | None = None,
    retries: int = 3,
    timeout: float = 60.0,
    since_days: int | None = 30,
    progress: Callable[[UpdateResult], None] | None = None,
) -> UpdateOutcome:
    """`update` over the configured sources (`config`, else $REDLINE_HOME/sources.yaml, else the built-in list),
    downloading into $REDLINE_HOME/downloads."""
    try:
        sources = read_config(config_path(config))
    except UpdateError as exc:
        raise InvalidInput(str(exc)) from None
    downloader = Downloader(redline_home() / "downloads", retries=retries, timeout=timeout)
    try:
        return update(sources, downloader, only, since_days, progress)
    finally:
        downloader.close()
