"""`redline data ...`: the bundled reference data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from redline.cli.console import console as make_console
from redline.screen.decisions import unknown_decisions
from redline.sources.bundled import load_reference
from redline.sources.check import (
    check_duplicate_entities,
    check_event_times,
    check_fund_rule,
    check_identifiers,
    check_list_feeds,
    check_listed_entities,
    check_listed_names,
    check_note_dates,
    check_relations,
)
from redline.sources.errors import RowProblem, SourceError
from redline.status.consistency import check_stated_dates
from redline.status.regime_table import readme_section
from redline.status.report import missing_states

data_app = typer.Typer(help="Inspect and validate the bundled reference data.", no_args_is_help=True)


def _print(console: Console, label: str, problem: RowProblem) -> None:
    # escape(): "[value]" in a message is a field name, not Rich markup.
    console.print(f"{label} {escape(str(problem))}", highlight=False)


@data_app.command("check")
def check(
    directory: Annotated[
        Path | None, typer.Option("--dir", hidden=True, help="Check a copy of the data files instead.")
    ] = None,
) -> None:
    """Validate schema, dates, check digits, duplicates and sourcing. Exits 1 with row-level messages."""
    console = make_console(stderr=True)
    try:
        data = load_reference(directory)
    except SourceError as exc:
        for problem in exc.problems:
            _print(console, "[red]error[/red]", problem)
        console.print(f"{len(exc.problems)} problem(s): the bundled data does not load")
        raise typer.Exit(1) from None
    errors, warnings = check_identifiers(data)
    errors += check_duplicate_entities(data) + check_listed_entities(data) + check_listed_names(data)
    errors += check_relations(data) + check_event_times(data) + check_note_dates(data)
    errors += check_list_feeds(data, directory) + check_fund_rule(data)
    errors += [RowProblem("states.yaml", None, None, message) for message in missing_states(data.states)]
    errors += [RowProblem("decisions.yaml", None, None, message) for message in unknown_decisions(data.decisions)]
    stated_errors, stated_warnings = check_stated_dates(data)
    errors += stated_errors
    warnings += stated_warnings
    for problem in warnings:
        _print(console, "[yellow]warning[/yellow]", problem)
    for problem in errors:
        _print(console, "[red]error[/red]", problem)
    summary = (
        f"{len(data.entities)} entities, {len(data.listings)} listing events, {len(data.court_orders)} court "
        f"orders, {len(data.citations)} sources: {len(errors)} error(s), {len(warnings)} warning(s)"
    )
    make_console().print(summary, highlight=False)
    if errors:
        raise typer.Exit(1)


@data_app.command("regimes")
def regimes() -> None:
    """Print the README's regime table, generated from regimes.yaml (paste it between the README markers)."""
    typer.echo(readme_section(load_reference().regimes))


@data_app.command("settings")
def settings_table_command() -> None:
    """Print the README's settings table, generated from redline.settings.SETTINGS."""
    from redline.settings import settings_table

    typer.echo(settings_table())
