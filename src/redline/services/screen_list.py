"""Screening a short list given inline (an agent's rows, not a file): the same pipeline, run and certificate as
`redline screen`, over a temporary CSV file that is removed afterwards."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from redline.screen.evaluate import DECISION_COLUMNS
from redline.screen.pipeline import Screening, ScreenOptions
from redline.services.certificates import CertificateService, Certified
from redline.store.screening import ScreenStore

LIST_COLUMNS = ("name", "isin", "lei", "ticker", "cusip", "sedol", "figi", "country", "quantity")
MAX_ROWS = 1000  # a small list: a file goes through `redline screen` or POST /screenings
INPUT_NAME = "list.csv"


@dataclass(frozen=True, slots=True)
class ScreenedList:
    certified: Certified
    rows: list[dict[str, str]]  # each row as given, with the decision columns the screened file carries

    def to_json(self) -> dict[str, Any]:
        return {"answer": self.certified.answer, "rows": self.rows, "certificate": self.certified.certificate}


@dataclass
class ScreenListService:
    runs: ScreenStore
    certificates: CertificateService

    def screen(
        self,
        rows: list[dict[str, str | None]],
        kind: str,
        on: datetime | None,
        known_at: datetime | None,
        who: str,
        door: str,
    ) -> ScreenedList:
        """Screen `rows` (LIST_COLUMNS) as a holdings, trades or counterparties file; the run is recorded and
        audited under `who`, and certified."""
        if not rows or len(rows) > MAX_ROWS:
            raise ValueError(f"give 1 to {MAX_ROWS} rows (a longer list is a file: `redline screen`)")
        with tempfile.TemporaryDirectory(prefix="redline-list-") as folder:
            source, output = Path(folder) / INPUT_NAME, Path(folder) / "list.screened.csv"
            with source.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, LIST_COLUMNS)
                writer.writeheader()
                for row in rows:
                    writer.writerow({column: row.get(column) or "" for column in LIST_COLUMNS})
            options = ScreenOptions(kind=kind, on=on, known_at=known_at, output=output, label=INPUT_NAME)
            outcome = Screening(source, options, self.runs, actor=who).run()
            certified = self.certificates.screening(outcome, who, door, input_name=INPUT_NAME)
            with output.open(encoding="utf-8", newline="") as handle:
                screened = [
                    {key: value for key, value in row.items() if key in LIST_COLUMNS or key in DECISION_COLUMNS}
                    for row in csv.DictReader(handle)
                ]
        return ScreenedList(certified, screened)
