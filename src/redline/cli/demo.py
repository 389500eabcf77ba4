"""`redline demo`: the 2021 story told from the bundled data (what `make run` shows until screening lands)."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.table import Table

from redline.cli.console import console
from redline.model import NEW_YORK
from redline.services.demo_story import story
from redline.services.status import StatusService


def demo() -> None:
    """Walk Xiaomi, Luokung, SMIC and SenseTime through their key dates, as known then and as known now."""
    out = console()
    out.print("[bold]Redline: may a US person buy, sell or hold it?[/bold] The answer at each dated event, "
              "judged on what was public at that moment and on everything known today.\n")  # fmt: skip
    for told in story(StatusService.bundled(), datetime.now(UTC)):
        table = Table(title=f"{told.name} ({told.entity_id})", title_justify="left", show_lines=False)
        for column in ("moment (New York)", "event", "as known then", "as known today"):
            table.add_column(column)
        for row in told.rows:
            table.add_row(row.moment.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z"), row.event, row.then, row.today)
        out.print(table)
        out.print()
    out.print("Explain any row: redline status xiaomi --on 2021-03-16 --known-at 2021-03-11")
