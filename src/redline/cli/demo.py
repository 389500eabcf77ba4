"""`redline demo`: the 2021 story told from the bundled data (what `make run` shows until screening lands)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.table import Table

from redline.cli.console import console
from redline.model import NEW_YORK
from redline.services.status import StatusService
from redline.status.report import StatusReport

STORY = ("xiaomi", "luokung", "smic", "sensetime")


def demo() -> None:
    """Walk Xiaomi, Luokung, SMIC and SenseTime through their key dates, as known then and as known now."""
    out = console()
    service = StatusService.bundled()
    now = datetime.now(UTC)
    out.print("[bold]Redline: may a US person buy, sell or hold it?[/bold] The answer at each dated event, "
              "judged on what was public at that moment and on everything known today.\n")  # fmt: skip
    for entity_id in STORY:
        entity = service.store.entity(entity_id)
        table = Table(title=f"{entity.name} ({entity_id})", title_justify="left", show_lines=False)
        for column in ("moment (New York)", "event", "as known then", "as known today"):
            table.add_column(column)
        for entry in service.timeline(entity):
            # One minute after each event, so the event itself is in force.
            moment = entry.at + timedelta(minutes=1)
            then = service.status(entity_id, moment, max(moment, entry.known_from))
            today = service.status(entity_id, moment, now)
            table.add_row(
                moment.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z"),
                f"{entry.regime} {entry.kind.replace('_', ' ')}",
                _summary(then),
                _summary(today),
            )
        out.print(table)
        out.print()
    out.print("Explain any row: redline status xiaomi --on 2021-03-16 --known-at 2021-03-11")


def _summary(report: StatusReport) -> str:
    allowed = report.us_person
    states = ", ".join(f"{r.regime.value}: {r.state.value}" for r in report.regimes if r.state.value != "not_listed")
    flags = "".join(
        f"{name}:{'yes' if value else 'NO'} "
        for name, value in (("buy", allowed.may_buy), ("sell", allowed.may_sell), ("hold", allowed.may_hold))
    )
    return f"{flags}| {states}"
