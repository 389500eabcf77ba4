"""Reading a screened file back: one page of its rows, filtered by decision, regime and account.

The file is streamed (the same readers `redline screen` uses), so a page of a million-row result costs one pass
and the memory of one page, not the whole file. Rows are filtered on their raw cells; only the rows of the page
become `ScreenedRow`s.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.screen.columns import MappingError, detect_columns
from redline.screen.pipeline import ADDED_COLUMNS
from redline.screen.readers import open_table

REGIME_SEPARATOR = " | "  # how `redline_regimes` joins several regimes in one cell
MAX_CHOICES = 500  # distinct accounts offered as filter choices; a bigger book filters by typing one
_BATCH = 5000


@dataclass(frozen=True, slots=True)
class Filters:
    decision: str = ""
    regime: str = ""
    account: str = ""


@dataclass(frozen=True, slots=True)
class ScreenedRow:
    line: int  # as the run numbered it (the line of a CSV, the row of a sheet or Parquet file)
    cells: tuple[str, ...]  # the input's own columns
    redline: dict[str, str]  # Redline's columns by name

    @property
    def fund_holdings(self) -> list[str]:
        """What a fund row holds of restricted or listed issuers ("fund EMCN (...) holds CRRC ... through 2 line(s),
        0.47% of the fund: line 8 ... 0.35%, line 9 ... 0.12%"), from its reasons."""
        reasons = self.redline["redline_reasons"].split(REGIME_SEPARATOR)
        found = (reason.split("; ", 1)[0] for reason in reasons if reason.startswith("fund ") and " holds " in reason)
        return list(dict.fromkeys(found))

    @property
    def alerts(self) -> list[tuple[str, str]]:
        """(id prefix, state) of each alert the row raised, from `redline_alerts` ("2920b1b7e872:open ...")."""
        pairs = (item.partition(":") for item in self.redline["redline_alerts"].split())
        return [(prefix, state) for prefix, colon, state in pairs if colon]


@dataclass
class ResultPage:
    columns: tuple[str, ...]  # the input's own column names
    account_column: str | None
    rows: list[ScreenedRow]
    total: int  # rows in the file
    matching: int  # rows passing the filters
    offset: int
    regimes: list[str] = field(default_factory=list)  # every regime named in the file, for the filter choices
    accounts: list[str] = field(default_factory=list)  # up to MAX_CHOICES distinct accounts
    more_accounts: bool = False


@dataclass(frozen=True, slots=True)
class _Layout:
    columns: tuple[str, ...]  # the input's own
    account: int | None
    decision: int
    regimes: int

    def row(self, line: int, values: list[Any]) -> ScreenedRow:
        cells = tuple(_text(value) for value in values)
        own = len(self.columns)
        return ScreenedRow(line, cells[:own], dict(zip(ADDED_COLUMNS, cells[own:], strict=True)))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _lines(source: Path) -> Generator[int]:
    """The line numbers the run gave the rows: read from the input with the reader the run used, because the
    output renumbers (a blank line of the input is not a row, and a quoted cell may span lines)."""
    reader = open_table(source)
    try:
        for batch in reader.batches(_BATCH):
            yield from batch.lines
    finally:
        reader.close()


def _scan(results: Path, source: Path, mapping: Mapping[str, str]) -> Generator[tuple[_Layout, int, list[Any]]]:
    """(layout, line, raw values) for each row of a screened file, in order."""
    reader = open_table(results)
    lines = _lines(source)
    try:
        header = tuple(_text(name) for name in reader.header)
        if header[-len(ADDED_COLUMNS) :] != ADDED_COLUMNS:
            raise ValueError(f"{results.name} is not a screened file: its last columns are not Redline's")
        own = header[: -len(ADDED_COLUMNS)]
        try:
            account = detect_columns(own, mapping).index.get("account")
        except MappingError:  # the mapping held when the file was screened; a renamed header only loses the filter
            account = None
        layout = _Layout(own, account, header.index("redline_decision"), header.index("redline_regimes"))
        for batch in reader.batches(_BATCH):
            for values in batch.values:
                # One output row per input row, in order (no row is ever dropped): the n-th line is the n-th row's.
                line = next(lines, None)
                if line is None:
                    raise ValueError(f"{results.name} has more rows than its input {source.name}")
                yield layout, line, values
    finally:
        reader.close()
        lines.close()


def result_page(
    results: Path, source: Path, mapping: Mapping[str, str], filters: Filters, offset: int, limit: int
) -> ResultPage:
    """Rows `offset` to `offset + limit` of those passing the filters, with the counts and the filter choices."""
    page = ResultPage((), None, [], 0, 0, offset)
    regime_cells: set[str] = set()
    accounts: set[str] = set()
    for layout, line, values in _scan(results, source, mapping):
        if not page.total:
            page.columns = layout.columns
            page.account_column = None if layout.account is None else layout.columns[layout.account]
        page.total += 1
        regimes = _text(values[layout.regimes])
        regime_cells.add(regimes)
        account = _text(values[layout.account]).strip() if layout.account is not None else ""
        if account and account not in accounts:
            if len(accounts) < MAX_CHOICES:
                accounts.add(account)
            else:
                page.more_accounts = True
        if filters.decision and _text(values[layout.decision]) != filters.decision:
            continue
        if filters.regime and filters.regime not in regimes.split(REGIME_SEPARATOR):
            continue
        if filters.account and account != filters.account:
            continue
        if offset <= page.matching < offset + limit:
            page.rows.append(layout.row(line, values))
        page.matching += 1
    page.regimes = sorted({regime for cell in regime_cells for regime in cell.split(REGIME_SEPARATOR) if regime})
    page.accounts = sorted(accounts)
    return page


def screened_row(
    results: Path, source: Path, mapping: Mapping[str, str], line: int
) -> tuple[tuple[str, ...], ScreenedRow] | None:
    """The row the run numbered `line`, with the input's column names; None when the file has no such row."""
    with closing(_scan(results, source, mapping)) as rows:
        for layout, number, values in rows:
            if number == line:
                return layout.columns, layout.row(number, values)
            if number > line:
                break
    return None
