"""Reading the user's CSVs: wide price or return tables, event lists and factor files.

A wide table has a `date` column and one column per security; a blank cell means the security did not trade
that day. Single-security downloads from Yahoo or yfinance (`Date,Open,High,Low,Close,[Adj Close],Volume`) are
read too: their `Adj Close` (else `Close`) becomes the one column. Every problem is reported with the file, the
line and the column, because these files are edited by hand.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from redline.impact.errors import ImpactInputError

# Leading ISO date; a time and offset may follow (yfinance writes `2021-01-15 00:00:00+08:00`, already the
# exchange's local session date, so the date part is the session).
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
_MISSING = {"", "null", "na", "nan", "n/a", "#n/a", "none"}
_QUOTE_COLUMNS = ("adj close", "close")


@dataclass(frozen=True)
class Table:
    """A wide numeric table: `values[t, j]` is column `names[j]` on `dates[t]`, NaN when blank."""

    path: Path
    dates: np.ndarray  # datetime64[D], strictly increasing
    names: list[str]
    values: np.ndarray  # float64, shape (len(dates), len(names))
    lines: np.ndarray  # the CSV line of each row, for messages

    def column(self, name: str) -> np.ndarray:
        return self.values[:, self.index(name)]

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise ImpactInputError(
                f"no column {name!r}; columns are {', '.join(self.names)}", file=self.path, line=1
            ) from None

    def line_of(self, row: int) -> int:
        return int(self.lines[row])


def parse_date(text: str, *, file: Path, line: int, column: str) -> date:
    match = _ISO_DATE.match(text)
    if not match:
        raise ImpactInputError(
            f"not a date: {text!r} (expected YYYY-MM-DD)" if text.strip() else "missing date",
            file=file,
            line=line,
            column=column,
        )
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise ImpactInputError(f"not a valid date: {text!r} ({exc})", file=file, line=line, column=column) from None


def parse_number(text: str, *, file: Path, line: int, column: str) -> float:
    cleaned = text.strip()
    if cleaned.lower() in _MISSING:
        return math.nan
    try:
        value = float(cleaned)
    except ValueError:
        raise ImpactInputError(f"not a number: {text!r}", file=file, line=line, column=column) from None
    if math.isinf(value):
        raise ImpactInputError(f"not a finite number: {text!r}", file=file, line=line, column=column)
    return value


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ImpactInputError(f"cannot read: {exc.strerror}", file=path) from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = [cell.strip() for cell in next(reader)]
        except StopIteration:
            raise ImpactInputError("empty file", file=path) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImpactInputError(f"not a UTF-8 CSV file ({exc})", file=path, line=1) from None
        rows: list[tuple[int, list[str]]] = []
        try:
            for cells in reader:
                if cells and any(cell.strip() for cell in cells):
                    rows.append((reader.line_num, cells))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImpactInputError(f"not a CSV file ({exc})", file=path, line=reader.line_num + 1) from None
    return header, rows


def read_table(path: str | Path, *, single_name: str | None = None) -> Table:
    """Read a wide table, or a Yahoo/yfinance single-security file as one column named `single_name`."""
    path = Path(path)
    header, rows = _read_rows(path)
    lowered = [name.lower() for name in header]
    if "date" not in lowered:
        raise ImpactInputError(f"no 'date' column; the header is {','.join(header)}", file=path, line=1)
    date_at = lowered.index("date")
    quote = next((lowered.index(q) for q in _QUOTE_COLUMNS if q in lowered), None)
    if quote is not None and "open" in lowered:
        # A single-security download: its adjusted close is the security's price.
        columns = [quote]
        names = [single_name or path.stem]
    else:
        columns = [j for j in range(len(header)) if j != date_at]
        names = [header[j] for j in columns]
        if not names:
            raise ImpactInputError("no security columns beside 'date'", file=path, line=1)
        blank = [j for j in columns if not header[j]]
        if blank:
            raise ImpactInputError(f"column {blank[0] + 1} has no name in the header", file=path, line=1)
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise ImpactInputError(f"column {dup!r} appears twice in the header", file=path, line=1)
    dates: list[date] = []
    lines: list[int] = []
    values = np.full((len(rows), len(columns)), np.nan)
    date_name = header[date_at]
    for t, (line, cells) in enumerate(rows):
        if len(cells) != len(header):
            raise ImpactInputError(f"{len(cells)} cells, the header has {len(header)}", file=path, line=line)
        day = parse_date(cells[date_at], file=path, line=line, column=date_name)
        if dates and day <= dates[-1]:
            problem = "repeats the date" if day == dates[-1] else "is earlier than"
            raise ImpactInputError(
                f"date {day} {problem} line {lines[-1]} ({dates[-1]}): dates must be sorted ascending, one row each",
                file=path,
                line=line,
                column=date_name,
            )
        dates.append(day)
        lines.append(line)
        for k, j in enumerate(columns):
            values[t, k] = parse_number(cells[j], file=path, line=line, column=header[j])
    if not dates:
        raise ImpactInputError("no data rows", file=path)
    return Table(path, np.array(dates, dtype="datetime64[D]"), names, values, np.array(lines))


@dataclass(frozen=True)
class EventRow:
    security: str
    date: date
    line: int


def read_events(path: str | Path) -> list[EventRow]:
    """`security,date` rows (more columns are allowed and ignored)."""
    path = Path(path)
    header, rows = _read_rows(path)
    lowered = [name.lower() for name in header]
    for needed in ("security", "date"):
        if needed not in lowered:
            raise ImpactInputError(f"no {needed!r} column; the header is {','.join(header)}", file=path, line=1)
    sec_at, date_at = lowered.index("security"), lowered.index("date")
    events: list[EventRow] = []
    for line, cells in rows:
        if len(cells) <= max(sec_at, date_at):
            raise ImpactInputError(f"{len(cells)} cells, the header has {len(header)}", file=path, line=line)
        security = cells[sec_at].strip()
        if not security:
            raise ImpactInputError("missing security", file=path, line=line, column=header[sec_at])
        events.append(EventRow(security, parse_date(cells[date_at], file=path, line=line, column="date"), line))
    if not events:
        raise ImpactInputError("no events", file=path)
    return events
