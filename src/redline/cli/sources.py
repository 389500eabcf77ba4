"""`redline sources ...`: import official list files as snapshots, list them, diff them, update them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from redline.cli.errors import MAX_PROBLEMS
from redline.cli.options import INSTANT
from redline.model.list_diff import DiffReport
from redline.services import sources as service
from redline.services.list_changes import AnswerChange
from redline.services.sources import FILE_KINDS, Snapshot

sources_app = typer.Typer(help="Official list files: import, list, diff and update snapshots.", no_args_is_help=True)


def summary_line(snapshot: Snapshot, created: bool) -> str:
    schemas = ", ".join(f"{count} {name}" for name, count in sorted(snapshot.counts["schemas"].items()))
    head = f"imported snapshot #{snapshot.id}" if created else f"already stored as snapshot #{snapshot.id}"
    return (
        f"{head}: {snapshot.list_key} ({snapshot.format.value}), issued {service.issued_label(snapshot)}, "
        f"{snapshot.record_count} records ({schemas}), {snapshot.counts['names']} names, "
        f"{snapshot.counts['identifiers']} identifiers, sha256 {snapshot.short_hash}"
    )


@sources_app.command("add")
def add(
    files: Annotated[
        list[Path] | None, typer.Argument(help="The list file; for OFAC CSV, the main file or all four")
    ] = None,
    kind: Annotated[str | None, typer.Option("--as", help=f"What the file is: {', '.join(FILE_KINDS)}")] = None,
    issued: Annotated[
        datetime | None,
        typer.Option(click_type=INSTANT, help="The file's issue date, when the file does not print one"),
    ] = None,
    label: Annotated[str | None, typer.Option(help="Name of the dataset (FollowTheMoney files)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the snapshot as JSON")] = False,
    since_days: SinceDays = 30,
) -> None:
    """Detect the format, validate, and import FILE as an immutable snapshot (nothing is stored on error).

    Then report what the new edition changes: open alerts and rows screened in the last SINCE_DAYS days whose
    decision differs now."""
    origin = ", ".join(str(path) for path in files) if files else "redline bundled data"
    loaded = service.load_files(files or [], kind, issued, label)
    result = service.import_loaded(loaded, origin, since_days=since_days)
    console = Console(stderr=True)
    for warning in result.warnings[:MAX_PROBLEMS]:
        console.print(f"[yellow]warning[/yellow] {warning}", highlight=False)
    if as_json:
        print(
            json.dumps(
                {
                    "created": result.created,
                    "snapshot": result.snapshot.to_json(),
                    "warnings": result.warnings,
                    "changes": [change.to_json() for change in result.changes],
                }
            )
        )
    else:
        Console(soft_wrap=True).print(summary_line(result.snapshot, result.created), highlight=False)
        print_changes(result.changes)


SinceDays = Annotated[
    int, typer.Option("--since-days", min=0, max=3650, help="Re-check rows screened within this many days")
]


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
        datetime | None,
        typer.Option("--known-at", click_type=INSTANT, help="Only the version of each list in force at this instant"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Every stored snapshot with its issue date, retrieval time and counts."""
    moment = known_at
    snapshots = service.list_snapshots(known_at=moment)
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
            service.issued_label(snapshot),
            snapshot.retrieved_at.strftime("%Y-%m-%d %H:%M"),
            str(snapshot.record_count),
            snapshot.short_hash,
            Path(snapshot.origin.split(", ")[0]).name if "://" not in snapshot.origin else snapshot.origin,
        )
    Console().print(table)


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
    report = service.diff(before, after, kind, files_allowed=True)
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
    outcome = service.update_configured(names, config, retries, timeout, since_days)
    results, changes = outcome.results, outcome.changes
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
    if outcome.failed:
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

    _, records = service.snapshot_records(ref, set(record_id or ()), name)
    for record in records:
        print(json.dumps(to_json(record), ensure_ascii=False))
