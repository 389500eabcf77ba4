"""`redline sources ...`: import official list files as snapshots, list them, diff them, update them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from redline.cli.errors import UserError
from redline.home import redline_home
from redline.model import InstantError, parse_instant
from redline.model.records import SourceRecord
from redline.sources.diff import DiffReport, diff_records
from redline.sources.errors import SourceError
from redline.sources.formats import KINDS, load
from redline.sources.loaded import LoadedSource
from redline.store.errors import StoreError
from redline.store.snapshots import Snapshot, SnapshotNotFound, SnapshotStore

if TYPE_CHECKING:
    from redline.catalog import Catalog
    from redline.services.list_changes import AnswerChange

sources_app = typer.Typer(help="Official list files: import, list, diff and update snapshots.", no_args_is_help=True)

_MAX_PROBLEMS = 10


def source_error(exc: SourceError) -> UserError:
    """Every problem on its own line (file:line [field]: message), at most ten."""
    lines = [str(problem) for problem in exc.problems[:_MAX_PROBLEMS]]
    if len(exc.problems) > _MAX_PROBLEMS:
        lines.append(f"... and {len(exc.problems) - _MAX_PROBLEMS} more")
    return UserError("\n".join(lines) + "\nnothing was imported")


@contextmanager
def _store() -> Iterator[SnapshotStore]:
    """The snapshot store; a store that cannot be opened or written is one error line, not a traceback."""
    try:
        with SnapshotStore() as store:
            yield store
    except (StoreError, SQLAlchemyError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(f"the snapshot store cannot be used: {first}") from None


def _instant(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_instant(text)
    except InstantError as exc:
        raise UserError(f"{option}: {exc}") from None


def _load(files: list[Path], kind: str | None, issued: datetime | None, label: str | None) -> LoadedSource:
    if kind == "bundled":
        from redline.sources.bundled_records import load_bundled

        return load_bundled()
    if not files:
        raise UserError("give the file to import (or --as bundled for Redline's own reference data)")
    try:
        return load(files, kind, issued, label)
    except SourceError as exc:
        raise source_error(exc) from None


def _issued(snapshot: Snapshot) -> str:
    if snapshot.issued_at is None:
        return "-"
    return f"{snapshot.issued_at.date().isoformat()} ({snapshot.issued_from.value})"


def summary_line(snapshot: Snapshot, created: bool) -> str:
    schemas = ", ".join(f"{count} {name}" for name, count in sorted(snapshot.counts["schemas"].items()))
    head = f"imported snapshot #{snapshot.id}" if created else f"already stored as snapshot #{snapshot.id}"
    return (
        f"{head}: {snapshot.list_key} ({snapshot.format.value}), issued {_issued(snapshot)}, "
        f"{snapshot.record_count} records ({schemas}), {snapshot.counts['names']} names, "
        f"{snapshot.counts['identifiers']} identifiers, sha256 {snapshot.short_hash}"
    )


@sources_app.command("add")
def add(
    files: Annotated[
        list[Path] | None, typer.Argument(help="The list file; for OFAC CSV, the main file or all four")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--as", help=f"What the file is: {', '.join([*KINDS, 'bundled'])}")
    ] = None,
    issued: Annotated[str | None, typer.Option(help="The file's issue date, when the file does not print one")] = None,
    label: Annotated[str | None, typer.Option(help="Name of the dataset (FollowTheMoney files)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the snapshot as JSON")] = False,
    since_days: SinceDays = 30,
) -> None:
    """Detect the format, validate, and import FILE as an immutable snapshot (nothing is stored on error).

    Then report what the new edition changes: open alerts and rows screened in the last SINCE_DAYS days whose
    decision differs now."""
    loaded = _load(files or [], kind, _instant(issued, "--issued"), label)
    origin = ", ".join(str(path) for path in files) if files else "redline bundled data"
    before = _catalog()
    with _store() as store:
        snapshot, created = store.add(loaded, origin)
    changes = _changes(before, since_days) if created else []
    console = Console(stderr=True)
    for warning in loaded.warnings[:_MAX_PROBLEMS]:
        console.print(f"[yellow]warning[/yellow] {warning}", highlight=False)
    if as_json:
        print(
            json.dumps(
                {
                    "created": created,
                    "snapshot": snapshot.to_json(),
                    "warnings": loaded.warnings,
                    "changes": [change.to_json() for change in changes],
                }
            )
        )
    else:
        Console(soft_wrap=True).print(summary_line(snapshot, created), highlight=False)
        print_changes(changes)


SinceDays = Annotated[
    int, typer.Option("--since-days", min=0, max=3650, help="Re-check rows screened within this many days")
]


def _catalog() -> Catalog:
    from redline.catalog import current_catalog

    return current_catalog()


def _changes(before: Catalog, since_days: int) -> list[AnswerChange]:
    """What the import changed for open alerts and recent screenings (redline.services.list_changes)."""
    from redline.services.list_changes import changes_for_import
    from redline.store.screening import ScreenStore

    return changes_for_import(before, _catalog(), ScreenStore(), since_days)


def print_changes(changes: list[AnswerChange]) -> None:
    console = Console(soft_wrap=True)
    if not changes:
        console.print("no open alert or recently screened row changes answer with this edition", highlight=False)
        return
    table = Table("", "subject", "row", "before", "after", "entities", title="Answers this edition changes")
    for change in changes:
        table.add_row(change.what, change.subject, change.label, change.before, change.after, " ".join(change.entities))
    console.print(table)


@sources_app.command("list")
def list_snapshots(
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="Only the version of each list in force at this instant")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Every stored snapshot with its issue date, retrieval time and counts."""
    moment = _instant(known_at, "--known-at")
    with _store() as store:
        snapshots = store.snapshots() if moment is None else store.latest_each(moment)
    if as_json:
        print(json.dumps([snapshot.to_json() for snapshot in snapshots]))
        return
    if not snapshots:
        hint = "none issued by then" if moment else "none yet: `redline sources add FILE` or `redline sources update`"
        Console().print(f"no snapshots: {hint}")
        return
    table = Table("#", "list", "format", "issued", "retrieved (UTC)", "records", "sha256", "origin")
    for snapshot in snapshots:
        table.add_row(
            str(snapshot.id),
            snapshot.list_key,
            snapshot.format.value,
            _issued(snapshot),
            snapshot.retrieved_at.strftime("%Y-%m-%d %H:%M"),
            str(snapshot.record_count),
            snapshot.short_hash,
            Path(snapshot.origin.split(", ")[0]).name if "://" not in snapshot.origin else snapshot.origin,
        )
    Console().print(table)


def _side(store: SnapshotStore, ref: str, kind: str | None) -> tuple[str, str, list[SourceRecord]]:
    """(list key, label, records) of a stored snapshot, or of a file read without storing it."""
    path = Path(ref)
    if path.is_file():
        loaded = _load([path], kind, None, None)
        key = f"{loaded.source.value}:{loaded.label}" if loaded.label else loaded.source.value
        return key, str(path), loaded.records
    try:
        snapshot = store.get(ref)
    except SnapshotNotFound as exc:
        raise UserError(f"{exc} and no file {ref!r}") from None
    label = f"#{snapshot.id} {snapshot.list_key} issued {_issued(snapshot)}"
    return snapshot.list_key, label, list(store.records(snapshot))


def print_diff(report: DiffReport) -> None:
    console = Console(soft_wrap=True)
    console.print(f"[bold]{report.before}[/bold]  ->  [bold]{report.after}[/bold]", highlight=False)
    console.print(
        f"{len(report.added)} added, {len(report.removed)} removed, {len(report.changed)} changed, "
        f"{report.unchanged} unchanged",
        highlight=False,
    )
    if report.added or report.removed:
        table = Table("", "id", "name", "type", "programs", title="Entries added and removed")
        for sign, entries in (("+", report.added), ("-", report.removed)):
            for entry in entries:
                table.add_row(sign, entry.id, entry.name, entry.schema, ", ".join(entry.programs))
        console.print(table)
    if report.changed:
        table = Table("id", "name", "what changed", "added", "removed", title="Entries changed")
        for change in report.changed:
            first = True
            for name, (added, removed) in change.fields.items():
                table.add_row(
                    change.id if first else "", change.name if first else "", name, "\n".join(added), "\n".join(removed)
                )
                first = False
            if change.other:
                table.add_row(change.id if first else "", change.name if first else "", ", ".join(change.other), "", "")
        console.print(table)


@sources_app.command("diff")
def diff(
    before: Annotated[str, typer.Argument(help="Snapshot number or hash prefix, or a list file")],
    after: Annotated[str, typer.Argument(help="Snapshot number or hash prefix, or a list file")],
    kind: Annotated[str | None, typer.Option("--as", help="What the files are, when they are files")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the change report as JSON")] = False,
) -> None:
    """The change report between two versions of one list: entries added, removed and changed."""
    with _store() as store:
        key_a, label_a, records_a = _side(store, before, kind)
        key_b, label_b, records_b = _side(store, after, kind)
    if key_a != key_b:
        raise UserError(f"{before} is {key_a} and {after} is {key_b}: diff compares two versions of one list")
    report = diff_records(records_a, records_b, (label_a, label_b))
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print_diff(report)


@sources_app.command("update")
def update(
    names: Annotated[list[str] | None, typer.Argument(help="Only these configured sources (default: all)")] = None,
    config: Annotated[
        Path | None, typer.Option(help="Sources file (default: $REDLINE_HOME/sources.yaml or the built-in)")
    ] = None,
    retries: Annotated[int, typer.Option(min=0, max=10, help="Retries per file on network faults")] = 3,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds before a stalled download is retried")] = 60.0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    since_days: SinceDays = 30,
) -> None:
    """Download the official files from their published addresses and import new versions as snapshots, then
    report which open alerts and recently screened rows change answer."""
    # Imported here: the HTTP stack is only needed by this command, not by every `redline` start.
    from redline.sources.update import Downloader, UpdateError, read_config, update_all
    from redline.sources.update import config_path as find_config

    try:
        sources = read_config(find_config(config))
        downloader = Downloader(redline_home() / "downloads", retries=retries, timeout=timeout)
        before = _catalog()
        try:
            with _store() as store:
                results = update_all(sources, store, downloader, names)
        finally:
            downloader.close()
    except UpdateError as exc:
        raise UserError(str(exc)) from None
    changes = _changes(before, since_days) if any(r.created for r in results) else []
    if as_json:
        print(json.dumps({
            "sources": [
                {"name": r.name, "created": r.created, "error": r.error,
                 "snapshot": r.snapshot.to_json() if r.snapshot else None}
                for r in results
            ],
            "changes": [change.to_json() for change in changes],
        }))  # fmt: skip
    else:
        console = Console(soft_wrap=True)
        for result in results:
            if result.error:
                console.print(f"{result.name}: [red]failed[/red]: {result.error}", highlight=False)
            elif result.snapshot is not None:
                console.print(f"{result.name}: {summary_line(result.snapshot, result.created)}", highlight=False)
        print_changes(changes)
    if any(result.error for result in results):
        raise typer.Exit(1)


@sources_app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="Snapshot number or hash prefix")],
    record_id: Annotated[
        list[str] | None, typer.Option("--id", help="Only these entries (their id in the list)")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Only entries with a name containing this text")] = None,
) -> None:
    """Print a snapshot's records as JSON lines (the stored form documented in docs/sources.md)."""
    from redline.model.records import to_json

    wanted = set(record_id or ())
    needle = name.casefold() if name else None
    with _store() as store:
        try:
            snapshot = store.get(ref)
        except SnapshotNotFound as exc:
            raise UserError(str(exc)) from None
        for record in store.records(snapshot):
            if wanted and record.source_id not in wanted:
                continue
            if needle and not any(needle in text.casefold() for text in record.all_names()):
                continue
            print(json.dumps(to_json(record), ensure_ascii=False))
