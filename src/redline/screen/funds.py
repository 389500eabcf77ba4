"""Fund constituent files for look-through, as issuers publish them.

Under EO 13959 and EO 14032 a fund or derivative giving exposure to a listed company is itself covered, whatever
the weighting (OFAC FAQ 861). Issuers publish holdings files in a few common layouts, all read here:
- a preamble before the header ("Fund Holdings as of,"Mar 01, 2021"", the fund's name, shares outstanding) and
  footnotes after the rows; the header is the first line naming a ticker, ISIN or name column and one more field;
- weights in percent ("Weight (%)", "2.35", "2.35%") or as fractions (0.0235: a weight column summing to at most
  1 whose header does not say percent);
- tickers with or without exchange, a country or "location" column and a currency (the exchange is then inferred,
  redline.screen.exchanges);
- CSV, Parquet, or XLSX with several sheets (each sheet with a header row is read; a sheet that is not a table of
  holdings, such as a disclaimer, is skipped).
Each file describes one fund, named by its `fund` column, else by the sheet (a workbook with several holdings
sheets) or the file name (KWEB.csv -> KWEB). The fund's own as-of date is kept and shown in every reason.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from redline.screen.columns import IDENTIFIER_FIELDS, ColumnMap, detect_columns
from redline.screen.readers import CP1252_FALLBACK, FORMATS, InputError, open_table
from redline.screen.rows import RowReader, ScreenRow
from redline.sources.errors import shorten

HEADER_SEARCH = 40  # preamble lines looked through for the header
_AS_OF = re.compile(r"\bas\s+of\b[\s:,;\"']*(.*)", re.IGNORECASE)
_DATE_FORMATS = (
    "%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y",
    "%Y%m%d",
)  # fmt: skip
_PERCENT_HEADER = re.compile(r"%|percent|pct", re.IGNORECASE)


@dataclass
class Fund:
    key: str  # how portfolio rows name the fund: ticker, ISIN or name
    source: str  # the file (and sheet) it was read from
    constituents: list[ScreenRow] = field(default_factory=list)
    as_of: date | None = None  # the holdings date the issuer printed
    weights: str = ""  # "percent", "fraction (read as percent)" or "" when the file has no weights
    skipped: int = 0  # footnote and blank lines after the header that are not holdings

    def describe(self) -> str:
        """`RLCN (RLCN.csv, holdings as of 2021-02-26)` for reasons."""
        when = f", holdings as of {self.as_of.isoformat()}" if self.as_of else ", no as-of date in the file"
        return f"{self.key} ({self.source}{when})"

    def to_json(self) -> dict[str, Any]:
        return {
            "fund": self.key,
            "source": self.source,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "lines": len(self.constituents),
            "weights": self.weights,
            "skipped_lines": self.skipped,
        }


@dataclass
class FundBook:
    funds: dict[str, Fund] = field(default_factory=dict)  # casefolded key -> fund
    problems: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def fund_of(self, row: ScreenRow) -> Fund | None:
        """The fund the row holds, matched on its ticker, ISIN or name."""
        if not self.funds:
            return None
        for value in (row.identifiers.get("ticker"), row.identifiers.get("isin"), row.name):
            if value:
                found = self.funds.get(value.casefold())
                if found is not None:
                    return found
        return None

    def to_json(self) -> list[dict[str, Any]]:
        return [fund.to_json() for fund in self.funds.values()]


def parse_as_of(value: Any) -> date | None:
    """A holdings date as issuers print it ("Mar 01, 2021", "01/03/2021" US order, "2021-03-01", a date cell)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = " ".join(str(value or "").replace('"', " ").split()).strip(" ,;:")
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def _as_of(cells: Sequence[Any]) -> date | None:
    """The date of an "as of" preamble line: in the same cell ("Holdings as of 03/01/2021") or the next one."""
    for position, cell in enumerate(cells):
        if isinstance(cell, str) and (found := _AS_OF.search(cell)):
            rest = [found.group(1), *cells[position + 1 :]]
            for candidate in rest:
                parsed = parse_as_of(candidate) if candidate not in (None, "") else None
                if parsed is not None:
                    return parsed
    return None


def _is_header(cells: Sequence[Any]) -> ColumnMap | None:
    names = [str(cell).strip() if cell is not None else "" for cell in cells]
    if sum(1 for name in names if name) < 2:
        return None
    columns = detect_columns(names)
    if any(key in columns.index for key in ("ticker", "isin", "name")) and len(columns.index) >= 2:
        return columns
    return None


@dataclass
class _Table:
    source: str
    rows: list[tuple[int, list[Any]]]  # (line or row number, cells) from the top of the sheet


def _csv_tables(path: Path) -> Iterator[_Table]:
    text = path.read_bytes().decode("utf-8-sig", errors=CP1252_FALLBACK)
    # The delimiter of the header line, not of the preamble (which is often two-field "key,value" lines).
    best = next(
        (
            delimiter
            for line in text.splitlines()[:HEADER_SEARCH]
            for delimiter in (",", ";", "\t", "|")
            if _is_header(next(csv.reader([line], delimiter=delimiter), [])) is not None
        ),
        ",",
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for record in reader:
            rows.append((reader.line_num, list(record)))
    except csv.Error as exc:
        raise InputError(f"{path}: line {reader.line_num}: not readable as CSV ({exc})") from None
    yield _Table(path.name, rows)


def _xlsx_cell(cell: Any) -> Any:
    """A cell's value, with codes stored as numbers under a zero-padded format ("000000") kept as written: 000728."""
    value = cell.value
    style = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and re.fullmatch(r"0{2,}", style) and float(value).is_integer():
        return str(int(value)).zfill(len(style))
    return value


def _xlsx_tables(path: Path) -> Iterator[_Table]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise InputError(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: {shorten(str(exc))})") from None
    try:
        several = len(workbook.worksheets) > 1
        for sheet in workbook.worksheets:
            rows = [
                (number, [_xlsx_cell(cell) for cell in record])
                for number, record in enumerate(sheet.iter_rows(), start=1)
            ]
            yield _Table(f"{path.name} sheet {sheet.title}" if several else path.name, rows)
    except InputError:
        raise
    except Exception as exc:  # damaged sheet XML
        raise InputError(f"{path}: a sheet cannot be read ({type(exc).__name__})") from None
    finally:
        workbook.close()


def _parquet_tables(path: Path) -> Iterator[_Table]:
    reader = open_table(path)
    try:
        rows: list[tuple[int, list[Any]]] = [(0, list(reader.header))]
        for batch in reader.batches(5000):
            rows.extend(zip(batch.lines, batch.values, strict=True))
    finally:
        reader.close()
    yield _Table(path.name, rows)


def _tables(path: Path) -> Iterator[_Table]:
    kind = FORMATS.get(path.suffix.lower())
    if kind == "csv":
        return _csv_tables(path)
    if kind == "xlsx":
        return _xlsx_tables(path)
    if kind == "parquet":
        return _parquet_tables(path)
    raise InputError(f"{path}: unknown file type {path.suffix!r} (use .csv, .tsv, .parquet or .xlsx)")


def _blank(cells: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _read_table(table: _Table, stem: str, several: bool, book: FundBook) -> bool:
    """Read one table's funds into `book`; False when it has no header row (not a holdings table)."""
    as_of = None
    start, columns = 0, None
    for start, (_, cells) in enumerate(table.rows[:HEADER_SEARCH]):  # noqa: B007 (start is used after the loop)
        columns = _is_header(cells)
        if columns is not None:
            break
        as_of = as_of or _as_of(cells)
    if columns is None:
        return False
    width = len(columns.header)
    fund_column = columns.index.get("fund")
    weight_column = columns.column("weight")
    row_reader = RowReader(columns)
    funds: list[Fund] = []
    skipped = 0
    for line, cells in table.rows[start + 1 :]:
        values = (list(cells) + [None] * width)[:width]
        if _blank(values) or _footnote(values, columns):
            skipped += 1  # a blank line or a footnote ("The content contained herein is...")
            continue
        row = row_reader.read(line, values)
        if not (row.identifiers or row.name):
            skipped += 1  # cash and derivative lines with neither identifier nor name: nothing to look through
            continue
        for message in row.problems:
            book.problems.append(f"{table.source} line {line}: {message}")
        if fund_column is not None and not _blank([values[fund_column]]):
            key = str(values[fund_column]).strip()
        else:
            key = table.source.rsplit(" sheet ", 1)[-1] if several else stem
        fund = book.funds.get(key.casefold())
        if fund is None:
            fund = book.funds[key.casefold()] = Fund(key, table.source, as_of=as_of)
            funds.append(fund)
        fund.constituents.append(row)
    for fund in funds:
        fund.skipped = skipped
        _scale_weights(fund, weight_column)
    return True


def _footnote(values: list[Any], columns: ColumnMap) -> bool:
    """A line of text after the holdings ("The content contained herein is owned or licensed by..."): one cell,
    outside the name and identifier columns, or longer than any security name."""
    filled = [position for position, cell in enumerate(values) if not _blank([cell])]
    if len(filled) != 1:
        return False
    security = {columns.index.get(key) for key in ("name", *IDENTIFIER_FIELDS)}
    return filled[0] not in security or len(str(values[filled[0]])) > 120


def _scale_weights(fund: Fund, header: str | None) -> None:
    """Weights are kept in percent: a fraction column (sums to at most 1, header not saying %) is scaled."""
    weights = [row.weight for row in fund.constituents if row.weight is not None]
    if header is None or not weights:
        return
    if _PERCENT_HEADER.search(header) or sum(abs(w) for w in weights) > 1.000001:
        fund.weights = "percent"
        return
    fund.weights = "fraction (read as percent)"
    for row in fund.constituents:
        if row.weight is not None:
            row.weight *= 100


def load_constituents(location: Path) -> FundBook:
    """Read one constituents file or every supported file in a folder."""
    book = FundBook()
    if location.is_dir():
        paths = sorted(p for p in location.iterdir() if p.suffix.lower() in FORMATS and not p.name.startswith("."))
        if not paths:
            raise InputError(f"{location}: no constituents files (.csv, .parquet, .xlsx) in this folder")
    elif location.is_file():
        paths = [location]
    else:
        raise InputError(f"{location}: no such file or folder")
    for path in paths:
        book.files.append(path)
        tables = list(_tables(path))
        holdings = [table for table in tables if any(_is_header(c) for _, c in table.rows[:HEADER_SEARCH])]
        if not holdings:
            found = next((cells for table in tables for _, cells in table.rows if not _blank(cells)), [])
            shown = ", ".join(str(cell) for cell in found if cell not in (None, ""))
            book.problems.append(f"{path.name}: no ticker, ISIN or name column; found {shorten(shown)}")
            continue
        for table in holdings:
            _read_table(table, path.stem, len(holdings) > 1, book)
    return book
