"""The analyst's queue as a file: the alerts a filter selects, one row each, as CSV or XLSX.

Every text cell is neutralised (redline.screen.cells): a row label such as `=HYPERLINK(...)` from a screened file
is written `'=HYPERLINK(...)` and never runs in the spreadsheet it is opened in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from redline.screen.cells import neutralise_row
from redline.services.errors import NotFound
from redline.store.errors import StoreError
from redline.store.screening import AlertView, ScreenStore

COLUMNS = (
    "alert", "status", "decision", "entity", "regimes", "row", "accounts", "market_value", "match", "fund",
    "first_seen_at", "last_seen_at", "last_run", "verdict", "verdict_by", "verdict_comment",
)  # fmt: skip
FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def queue_rows(views: Sequence[AlertView]) -> list[list[Any]]:
    rows = []
    for view in views:
        money = "; ".join(f"{currency} {value:.2f}" for currency, value in sorted(view.market_value.items()))
        verdict = view.verdict
        rows.append(
            [
                view.id,
                view.status,
                view.decision,
                view.entity_id,
                " | ".join(view.regimes),
                view.label,
                " | ".join(view.accounts),
                money,
                str(view.explanation.get("match") or ""),
                str(view.explanation.get("fund") or ""),
                view.first_seen_at,
                view.last_seen_at,
                view.last_run_id,
                verdict.verdict if verdict else "",
                verdict.actor if verdict else "",
                verdict.comment if verdict else "",
            ]
        )
    return rows


def export_queue(views: Sequence[AlertView], fmt: str) -> bytes:
    """The queue as CSV (UTF-8 with BOM, so spreadsheets read it as UTF-8) or XLSX, formulas neutralised."""
    rows = [list(COLUMNS), *(neutralise_row(row) for row in queue_rows(views))]
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("alerts")
    for row in rows:
        # Text stays text (stored as a string cell, never a formula); characters XLSX cannot hold become U+FFFD.
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value)))
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def alert_detail(store: ScreenStore, given: str) -> dict[str, Any]:
    """One alert (id or unique prefix) with its decision history and the runs that raised it; NotFound if none."""
    try:
        alert = store.alert(given)
    except StoreError as exc:
        raise NotFound(str(exc)) from None
    return alert.to_json() | {
        "history": [verdict.to_json() for verdict in store.history(alert.id)],
        "sightings": store.sightings(alert.id),
    }
