"""`redline data ...`: the bundled reference data."""

from __future__ import annotations

import typer

from redline.cli.console import console as make_console
from redline.sources.bundled import load_reference
from redline.sources.check import check_duplicate_entities, check_identifiers, check_listed_entities
from redline.sources.errors import SourceError
from redline.status.consistency import check_stated_dates

data_app = typer.Typer(help="Inspect and validate the bundled reference data.", no_args_is_help=True)


@data_app.command("check")
def check() -> None:
    """Validate schema, dates, check digits, duplicates and sourcing. Exits 1 with row-level messages."""
    console = make_console(stderr=True)
    try:
        data = load_reference()
    except SourceError as exc:
        for problem in exc.problems:
            console.print(f"[red]error[/red] {problem}", highlight=False)
        console.print(f"{len(exc.problems)} problem(s): the bundled data does not load")
        raise typer.Exit(1) from None
    errors, warnings = check_identifiers(data)
    errors += check_duplicate_entities(data) + check_listed_entities(data)
    stated_errors, stated_warnings = check_stated_dates(data)
    errors += stated_errors
    warnings += stated_warnings
    for problem in warnings:
        console.print(f"[yellow]warning[/yellow] {problem}", highlight=False)
    for problem in errors:
        console.print(f"[red]error[/red] {problem}", highlight=False)
    summary = (
        f"{len(data.entities)} entities, {len(data.listings)} listing events, {len(data.court_orders)} court "
        f"orders, {len(data.citations)} sources: {len(errors)} error(s), {len(warnings)} warning(s)"
    )
    make_console().print(summary, highlight=False)
    if errors:
        raise typer.Exit(1)
