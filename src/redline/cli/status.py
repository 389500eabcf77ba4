"""`redline status`, `redline timeline`, `redline lists`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from redline.cli.certificate import CertificateOption, certified_answer
from redline.cli.console import console as make_console
from redline.cli.options import INSTANT, query_argument
from redline.model import NEW_YORK, iso, or_now, parse_instant
from redline.services.answers import identified, status_question, timeline_answer, timeline_question
from redline.services.status import StatusService

OnOption = Annotated[
    datetime | None,
    typer.Option(
        "--on", click_type=INSTANT, help="Instant to judge (ISO 8601; a bare date is noon New York). Default: now."
    ),
]
KnownAtOption = Annotated[
    datetime | None,
    typer.Option(
        "--known-at", click_type=INSTANT, help="Use only facts public by this instant (ISO 8601). Default: now."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the stable JSON form.")]


def _yes(value: bool) -> str:
    return "[green]yes[/green]" if value else "[red]no[/red]"


def _when(value: str | None) -> str:
    """ISO instant -> "2021-03-15 09:30 EDT" in New York time, for tables."""
    if value is None:
        return "—"
    return parse_instant(value).astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z")


def print_status(data: dict[str, Any], console: Console) -> None:
    """The answer's stable JSON (`StatusReport.to_json`, or a certificate's answer) as tables and lines."""
    entity = data["entity"]
    title = "no match" if entity is None else f"{entity['name']} ({entity['id']})"
    console.print(f"[bold]{title}[/bold]  on {data['on']}  known at {data['known_at']}")
    if entity is not None:
        console.print(f"lists ever: {', '.join(entity['lists']) or 'none'}")
    allowed = data["us_person"]
    console.print(
        f"US person may buy: {_yes(allowed['may_buy'])}   may sell: {_yes(allowed['may_sell'])}   "
        f"may hold: {_yes(allowed['may_hold'])}"
    )
    if data["regimes"]:
        table = Table(show_lines=True)
        for column in ("regime", "listed", "state", "effective from", "divest until", "enjoined"):
            table.add_column(column)
        for regime in data["regimes"]:
            table.add_row(
                regime["regime"],
                "yes" if regime["listed"] else "no",
                regime["state"],
                _when(regime["effective_from"]),
                _when(regime["divest_until"]),
                "yes" if regime["enjoined"] else "no",
            )
        console.print(table)
        for regime in data["regimes"]:
            if not regime["listed"] and regime["state"] == "not_listed":
                continue
            console.print(f"[bold]{regime['regime']}[/bold] — {regime['title']}")
            for reason in regime["reasons"]:
                console.print(f"  • {reason}", highlight=False)
            for source in regime["sources"]:
                console.print(f"  [dim]source: {source}[/dim]", highlight=False)
    for warning in data["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)


def status(
    query: Annotated[str, typer.Argument(help="ISIN, LEI, ticker (1810.HK, 1810 HK, 01810, XIACF) or name")],
    on: OnOption = None,
    known_at: KnownAtOption = None,
    as_json: JsonOption = False,
    certificate: CertificateOption = None,
) -> None:
    """May a US person buy, sell or hold QUERY at --on, judged on what was known at --known-at?"""
    text = query_argument(query)
    moment = or_now(on)
    known = or_now(known_at)
    if certificate is not None:
        data = certified_answer(certificate, "status", status_question(text, moment, known))
    else:
        data = StatusService.current().status(text, moment, known).to_json()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_status(data, make_console())


def timeline(
    query: Annotated[str, typer.Argument(help="ISIN, LEI, ticker or name")],
    known_at: KnownAtOption = None,
    as_json: JsonOption = False,
    certificate: CertificateOption = None,
) -> None:
    """The entity's whole history across regimes and courts, dated and sourced."""
    text = query_argument(query)
    known = or_now(known_at)
    service = StatusService.current()
    if as_json or certificate is not None:
        if certificate is not None:
            payload = certified_answer(certificate, "timeline", timeline_question(text, known))
        else:
            payload = timeline_answer(service, text, known)
        if as_json:
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
    entity, warnings = identified(service, text)
    entries = service.timeline(entity, known)
    out = make_console()
    out.print(f"[bold]{entity.name}[/bold] ({entity.id})")
    table = Table(show_lines=False)
    for column in ("when (ET)", "regime", "event", "detail", "source"):
        table.add_column(column)
    for entry in entries:
        table.add_row(
            _when(iso(entry.at)),
            entry.regime,
            entry.kind + (" (derived)" if entry.derived else ""),
            entry.text,
            "; ".join(c.key for c in entry.sources),
        )
    out.print(table)
    for warning in warnings:
        out.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)


def lists(on: OnOption = None, known_at: KnownAtOption = None, as_json: JsonOption = False) -> None:
    """The lists, their regimes, and how many entities each holds at --on (as known at --known-at)."""
    moment = or_now(on)
    known = or_now(known_at)
    service = StatusService.current()
    counts = service.list_counts(moment, known)
    regimes = service.store.data.regimes
    rows: list[dict[str, str | int | bool]] = [
        {
            "list": list_id.value,
            "regime": regime.id.value,
            "title": regime.title,
            "investment_ban": regime.investment_ban,
            "entities": counts[list_id],
        }
        for regime in regimes.values()
        for list_id in regime.lists
    ]
    if as_json:
        typer.echo(json.dumps({"on": iso(moment), "known_at": iso(known), "lists": rows}, indent=2))
        return
    table = Table(title=f"Lists on {iso(moment)} (known at {iso(known)})")
    for column in ("list", "regime", "investment ban", "entities"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["list"]), str(row["regime"]), "yes" if row["investment_ban"] else "no", str(row["entities"])
        )
    make_console().print(table)
