"""`redline screen FILE`: screen holdings, trades or counterparties; exit 0 no findings, 1 findings, 2 errors."""

from __future__ import annotations

import json
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from redline.cli.certificate import CertificateOption, certify_screening
from redline.cli.console import console as make_console
from redline.cli.errors import UserError
from redline.cli.options import INSTANT, VocabularyType
from redline.model.vocabulary import ScreeningEngine, ScreeningKind
from redline.services.screening_run import ScreeningRun, ScreenOutcome, request_stop, screen_options


def _terminate(_signum: int, _frame: object) -> None:
    # A kill (SIGTERM) or Ctrl-C unwinds, so temporary files are removed and nothing half-done is recorded. The flag
    # is for the case where Python swallows this exception (redline.screen.interruption says when).
    request_stop()
    raise KeyboardInterrupt


def screen(
    file: Annotated[Path, typer.Argument(help="CSV, TSV, Parquet or XLSX file.")],
    kind: Annotated[
        ScreeningKind, typer.Option("--kind", click_type=VocabularyType(ScreeningKind), help="What the file holds.")
    ] = ScreeningKind.HOLDINGS,
    on: Annotated[
        datetime | None,
        typer.Option(
            "--on", click_type=INSTANT, help="Instant judged for holdings (trades use their own time). Default: now."
        ),
    ] = None,
    known_at: Annotated[
        datetime | None,
        typer.Option("--known-at", click_type=INSTANT, help="Use only facts public by this instant. Default: now."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output file (default FILE.screened.EXT), same format.")
    ] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write a self-contained HTML report here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary in the stable JSON form.")] = False,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="FIELD=COLUMN, e.g. --map isin='Security ID' (repeatable).")
    ] = None,
    constituents: Annotated[
        Path | None, typer.Option("--constituents", help="Fund holdings file or folder, for look-through.")
    ] = None,
    deadline_days: Annotated[int, typer.Option("--deadline-days", help="Deadlines shown: the next N days.")] = 90,
    certificate: CertificateOption = None,
    engine: Annotated[
        ScreeningEngine,
        typer.Option(
            "--engine",
            click_type=VocabularyType(ScreeningEngine),
            help="local (columnar, default), rows (row by row) or spark (docs/scale.md).",
        ),
    ] = ScreeningEngine.LOCAL,
    spark_master: Annotated[
        str | None,
        typer.Option("--spark-master", help="Spark master URL (default $REDLINE_SPARK_MASTER, else local mode)."),
    ] = None,
) -> None:
    """Screen a file: each row resolved, judged at its own instant as known at --known-at, and decided."""
    if deadline_days < 0:
        raise UserError("--deadline-days must be 0 or more")
    if certificate is not None and not (certificate.parent if str(certificate.parent) else Path(".")).is_dir():
        raise UserError(f"--certificate: the folder {certificate.parent} does not exist")
    options = screen_options(
        kind=kind,
        on=on,
        known_at=known_at,
        output=output,
        report=report,
        mapping=mapping,
        constituents=constituents,
        deadline_days=deadline_days,
        engine=engine,
        spark_master=spark_master,
    )
    previous = signal.signal(signal.SIGTERM, _terminate)
    previous_int = signal.signal(signal.SIGINT, _terminate)
    err = make_console(stderr=True)
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("screening {task.fields[name]}: {task.completed:,} rows"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not sys.stderr.isatty(),
        ) as progress:
            task = progress.add_task("screen", total=None, name=file.name)
            runner = ScreeningRun.default()
            outcome = runner.run(file, options, progress=lambda done: progress.update(task, completed=done))
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
    if certificate is not None:
        certify_screening(certificate, outcome, file.name)
    if as_json:
        print(json.dumps(outcome.to_json(), indent=2, ensure_ascii=False))
    else:
        print_summary(outcome, make_console())
    raise typer.Exit(outcome.summary.exit_code())


def _money(amounts: dict[str, float]) -> str:
    return ", ".join(f"{currency} {value:,.0f}" for currency, value in sorted(amounts.items())) or "—"


def print_summary(outcome: ScreenOutcome, out: Console) -> None:
    data: dict[str, Any] = outcome.summary.to_json()
    params = outcome.parameters
    when = f"on {params['on']}" if params["on"] else "at each trade's time"
    run = f"run {outcome.run_id[:12]}, data {outcome.versions['data']}"
    out.print(
        f"[bold]{outcome.output.name}[/bold]: {data['rows']} {params['kind']} rows judged {when}, "
        f"as known at {params['known_at']}  ({run})"
    )
    counts = "  ".join(f"{name} {count}" for name, count in data["decisions"].items() if count)
    out.print(f"decisions: {counts or 'none'}   alerts: {data['alerts'] or 'none'}")
    out.print(
        f"market value at risk: {_money(data['market_value_at_risk'])}   "
        f"under review: {_money(data['market_value_under_review'])}"
    )
    if data["exposure_by_entity"]:
        table = Table(title="exposure by entity", title_justify="left")
        for column in ("entity", "rows", "decisions", "market value"):
            table.add_column(column)
        for entity_id, exposure in data["exposure_by_entity"].items():
            decisions = " ".join(f"{k} {v}" for k, v in exposure["decisions"].items())
            table.add_row(
                f"{exposure['name']} ({entity_id})", str(exposure["rows"]), decisions, _money(exposure["market_value"])
            )
        out.print(table)
    windows = data["deadlines"]["windows"]
    if windows:
        table = Table(
            title=f"divestment windows closing in the next {data['deadlines']['within_days']} days",
            title_justify="left",
        )
        for column in ("divest until", "days left", "entity", "regime", "rows", "market value"):
            table.add_column(column)
        for window in windows:
            table.add_row(
                window["divest_until"],
                str(window["days_left"]),
                window["entity"],
                window["regime"],
                str(window["rows"]),
                _money(window["market_value"]),
            )
        out.print(table)
    for problem in data["file_problems"]:
        out.print(f"[red]file error[/red] {problem}", highlight=False)
    for error in data["row_errors"][:20]:
        out.print(f"[red]line {error['line']}[/red] {'; '.join(error['errors'])}", highlight=False)
    if data["errors"] > 20:
        out.print(f"... {data['errors']} errors in all: see the redline_errors column of the output")
    if data["unknown_columns"]:
        out.print(f"columns passed through unread: {', '.join(data['unknown_columns'])}", highlight=False)
    out.print(f"output: {outcome.output}")
    if outcome.report:
        out.print(f"report: {outcome.report}")
