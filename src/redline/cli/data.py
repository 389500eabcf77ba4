"""`redline data ...`: the bundled reference data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from redline.cli.console import console as make_console
from redline.services.data_check import check_data, regime_table

data_app = typer.Typer(help="Inspect and validate the bundled reference data.", no_args_is_help=True)


def _print(console: Console, label: str, problem: str) -> None:
    # escape(): "[value]" in a message is a field name, not Rich markup.
    console.print(f"{label} {escape(problem)}", highlight=False)


@data_app.command("check")
def check(
    directory: Annotated[
        Path | None, typer.Option("--dir", hidden=True, help="Check a copy of the data files instead.")
    ] = None,
) -> None:
    """Validate schema, dates, check digits, duplicates and sourcing. Exits 1 with row-level messages."""
    console = make_console(stderr=True)
    result = check_data(directory)
    if not result.loaded:
        for problem in result.errors:
            _print(console, "[red]error[/red]", problem)
        console.print(f"{len(result.errors)} problem(s): the bundled data does not load")
        raise typer.Exit(1)
    for problem in result.warnings:
        _print(console, "[yellow]warning[/yellow]", problem)
    for problem in result.errors:
        _print(console, "[red]error[/red]", problem)
    make_console().print(result.summary, highlight=False)
    if result.errors:
        raise typer.Exit(1)


@data_app.command("regimes")
def regimes() -> None:
    """Print the README's regime table, generated from regimes.yaml (paste it between the README markers)."""
    typer.echo(regime_table())


@data_app.command("settings")
def settings_table_command() -> None:
    """Print the README's settings table, generated from redline.settings.SETTINGS."""
    from redline.settings import settings_table

    typer.echo(settings_table())
