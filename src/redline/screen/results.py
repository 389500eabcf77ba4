"""Reading a screened file back: one page of its rows, filtered by decision, regime and account.

A page is read through the file's page index (`<results>.index`, a Parquet file beside it, written atomically when
a server job publishes its run, or by the first view of a file that has none): one small row per screened row with
the line number the run gave it, its decision, its regimes, its account, and where it starts in the file (the byte
offset of a CSV record). Filters, counts and filter choices come from the index; only the page's rows are read: a
seek per row in a CSV file. Parquet and XLSX files have no row-level random access (a Parquet row group of the
columnar engine holds 131,072 rows; a sheet is one XML stream), so their index also keeps each row's cells as the
page shows them (text), in row groups of 5,000 rows: a page reads the one or two groups that hold it.

An index that no longer describes its file (the file's size or modification time, or the column mapping, differ) is
rebuilt; building it is one pass over the file and its input, in the memory of one batch.
"""

from __future__ import annotations

import csv
import json
import threading
from collections import OrderedDict
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from redline.screen.columns import MappingError, detect_columns
from redline.screen.pipeline import ADDED_COLUMNS
from redline.screen.readers import CP1252_FALLBACK, CsvReader, InputError, format_of, open_table
from redline.screen.writers import publish, temporary_beside

REGIME_SEPARATOR = " | "  # how `redline_regimes` joins several regimes in one cell
MAX_CHOICES = 500  # distinct accounts offered as filter choices; a bigger book filters by typing one
INDEX_VERSION = "1"
_BATCH = 5000
_CACHED = 8  # indexes kept in memory (a worker serves a few runs' pages at a time)
_INDEX_SCHEMA = pa.schema(
    [
        ("line", pa.int64()),  # as the run numbered the row
        ("position", pa.int64()),  # CSV: byte offset of the record; Parquet: row number from 1; XLSX: sheet row
        ("decision", pa.string()),
        ("regimes", pa.string()),
        ("account", pa.string()),
    ]
)
_CELLS = pa.field("cells", pa.list_(pa.string()))  # Parquet and XLSX files only: the row's cells as text


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
    account: str | None  # the account column's name

    def row(self, line: int, values: Sequence[Any]) -> ScreenedRow:
        cells = tuple(_text(value) for value in values)
        own = len(self.columns)
        return ScreenedRow(line, cells[:own], dict(zip(ADDED_COLUMNS, cells[own:], strict=True)))


@dataclass(frozen=True, slots=True)
class _Index:
    format: str
    layout: _Layout
    delimiter: str  # CSV only
    rows: pa.Table  # _INDEX_SCHEMA
    file: str  # the indexed file's size and modification time, as `_stamp` writes them
    mapping: str  # the column mapping it was read with, as `_mapping` writes it


def index_path(results: Path) -> Path:
    """Where the page index of a screened file lives: beside it."""
    return results.with_name(f"{results.name}.index")


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


def _layout(results: Path, header: Sequence[Any], mapping: Mapping[str, str]) -> tuple[_Layout, int, int, int | None]:
    """The layout, and the positions of the decision, regimes and account cells."""
    names = tuple(_text(name) for name in header)
    if names[-len(ADDED_COLUMNS) :] != ADDED_COLUMNS:
        raise ValueError(f"{results.name} is not a screened file: its last columns are not Redline's")
    own = names[: -len(ADDED_COLUMNS)]
    try:
        account = detect_columns(own, mapping).index.get("account")
    except MappingError:  # the mapping held when the file was screened; a renamed header only loses the filter
        account = None
    layout = _Layout(own, None if account is None else own[account])
    return layout, names.index("redline_decision"), names.index("redline_regimes"), account


def _decoded(handle: IO[bytes], read: list[int] | None = None) -> Iterator[str]:
    """The lines of a file opened in binary, decoded as the readers decode them; `read` counts the bytes read."""
    for raw in handle:
        if read is not None:
            read[0] += len(raw)
        yield raw.decode("utf-8", CP1252_FALLBACK)


def _csv_records(path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(byte offset, fields) of every record of a CSV file, the header first; blank lines are no record (as
    `CsvReader` reads them). The csv module reads a line at a time, so the offset after a record is where the
    next one starts, even when a quoted field spans lines."""
    with path.open("rb") as handle:
        read = [0]
        start = 0
        for record in csv.reader(_decoded(handle, read), delimiter=delimiter):
            if record and not (len(record) == 1 and not record[0].strip()):
                yield start, record
            start = read[0]


def _rows_to_index(results: Path) -> tuple[str, str, list[Any], Iterator[tuple[list[int], list[list[Any]]]]]:
    """(format, CSV delimiter, header, batches of (positions, values)) of a screened file."""
    fmt = format_of(results)
    if fmt == "csv":
        probe = CsvReader(results)  # the delimiter as the readers detect it
        probe.close()
        records = _csv_records(results, probe.delimiter)
        first = next(records, None)
        header = [cell.lstrip("\ufeff") for cell in first[1]] if first else []

        def csv_batches() -> Iterator[tuple[list[int], list[list[Any]]]]:
            batch: tuple[list[int], list[list[Any]]] = ([], [])
            for position, record in records:
                batch[0].append(position)
                batch[1].append(record)
                if len(batch[0]) >= _BATCH:
                    yield batch
                    batch = ([], [])
            if batch[0]:
                yield batch

        return fmt, probe.delimiter, header, csv_batches()
    reader = open_table(results)

    def batches() -> Iterator[tuple[list[int], list[list[Any]]]]:
        try:
            for batch in reader.batches(_BATCH):
                yield batch.lines, batch.values
        finally:
            reader.close()

    return fmt, "", list(reader.header), batches()


def build_index(results: Path, source: Path, mapping: Mapping[str, str]) -> Path:
    """Write the page index of a screened file beside it, atomically (a temporary file renamed into place)."""
    target = index_path(results)
    _write(results, source, mapping, target)
    return target


def _write(results: Path, source: Path, mapping: Mapping[str, str], target: Path) -> None:
    stamp = _stamp(results)
    fmt, delimiter, header, batches = _rows_to_index(results)
    layout, decision, regimes, account = _layout(results, header, mapping)
    metadata = {
        "redline.index": INDEX_VERSION,
        "redline.file": stamp,
        "redline.mapping": _mapping(mapping),
        "redline.format": fmt,
        "redline.delimiter": delimiter,
        "redline.columns": json.dumps(layout.columns),
        "redline.account": json.dumps(layout.account),
    }
    schema = _INDEX_SCHEMA if fmt == "csv" else _INDEX_SCHEMA.append(_CELLS)
    temporary = temporary_beside(target)
    lines = _lines(source)
    try:
        with pq.ParquetWriter(temporary, schema.with_metadata(metadata)) as writer:
            for positions, values in batches:
                numbers = []
                for _ in positions:
                    # One output row per input row, in order (no row is ever dropped): the n-th line is the n-th row's.
                    line = next(lines, None)
                    if line is None:
                        raise ValueError(f"{results.name} has more rows than its input {source.name}")
                    numbers.append(line)
                columns = {
                    "line": numbers,
                    "position": positions,
                    "decision": [_cell(row, decision) for row in values],
                    "regimes": [_cell(row, regimes) for row in values],
                    "account": [_cell(row, account).strip() if account is not None else "" for row in values],
                }
                if fmt != "csv":
                    columns["cells"] = [[_text(value) for value in row] for row in values]
                writer.write_table(pa.table(columns, schema=schema))
        publish(temporary, target)
    finally:
        lines.close()
        temporary.unlink(missing_ok=True)


def _cell(values: Sequence[Any], position: int) -> str:
    return _text(values[position]) if position < len(values) else ""


_cache: OrderedDict[Path, tuple[tuple[int, int], _Index]] = OrderedDict()
_lock = threading.Lock()


def _index(results: Path, source: Path, mapping: Mapping[str, str]) -> _Index:
    """The file's page index: from memory, from its file, or built (and saved) when missing or stale."""
    if not results.is_file():
        raise InputError(f"{results}: no such file")
    target = index_path(results)
    with _lock:
        loaded = _load(results, mapping, target)
        if loaded is None:
            _write(results, source, mapping, target)
            loaded = _load(results, mapping, target)
        if loaded is None:  # the file changed while it was indexed
            raise ValueError(f"{results.name} changed while it was read; try again")
        return loaded


def _load(results: Path, mapping: Mapping[str, str], target: Path) -> _Index | None:
    try:
        state = target.stat()
        key = (state.st_size, state.st_mtime_ns)
        cached = _cache.get(target)
        if cached is not None and cached[0] == key:
            index = cached[1]
        else:
            rows = pq.read_table(target, columns=_INDEX_SCHEMA.names)
            meta = {name.decode(): value.decode() for name, value in (rows.schema.metadata or {}).items()}
            if meta.get("redline.index") != INDEX_VERSION:
                return None
            layout = _Layout(tuple(json.loads(meta["redline.columns"])), json.loads(meta["redline.account"]))
            index = _Index(
                meta["redline.format"], layout, meta["redline.delimiter"], rows, meta["redline.file"],
                meta["redline.mapping"],
            )  # fmt: skip
            _cache[target] = (key, index)
            while len(_cache) > _CACHED:
                _cache.popitem(last=False)
        _cache.move_to_end(target)
    except (OSError, KeyError, ValueError, pa.ArrowException):  # none yet, or damaged: built again
        return None
    if index.file != _stamp(results) or index.mapping != _mapping(mapping):
        return None
    return index


def _stamp(results: Path) -> str:
    stat = results.stat()
    return json.dumps([stat.st_size, stat.st_mtime_ns])


def _mapping(mapping: Mapping[str, str]) -> str:
    return json.dumps(dict(mapping), sort_keys=True)


def _read_rows(results: Path, index: _Index, shown: list[int]) -> list[list[Any]]:
    """The raw values of the index's rows `shown` (in that order), each as wide as the file's header."""
    if not shown:
        return []
    if index.format != "csv":
        return [cells for (cells,) in _parquet_rows(index_path(results), shown, [_CELLS.name])]
    width = len(index.layout.columns) + len(ADDED_COLUMNS)
    rows = []
    with results.open("rb") as handle:
        for position in index.rows["position"].take(shown).to_pylist():
            handle.seek(position)
            record = next(csv.reader(_decoded(handle), delimiter=index.delimiter), [])
            rows.append((record + [""] * width)[:width])
    return rows


def _parquet_rows(path: Path, numbers: list[int], columns: list[str]) -> list[list[Any]]:
    """Rows `numbers` (from 0) of a Parquet file, reading only the row groups that hold them."""
    try:
        with pq.ParquetFile(path) as parquet:
            ends = np.cumsum([parquet.metadata.row_group(g).num_rows for g in range(parquet.num_row_groups)])
            groups = np.searchsorted(ends, numbers, side="right").tolist()
            found: dict[int, list[Any]] = {}
            for group in sorted(set(groups)):
                start = int(ends[group - 1]) if group else 0
                wanted = [number for number, g in zip(numbers, groups, strict=True) if g == group]
                table = parquet.read_row_group(group, columns=columns).take([number - start for number in wanted])
                values = [column.to_pylist() for column in table.columns]
                found.update(zip(wanted, (list(row) for row in zip(*values, strict=True)), strict=True))
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(f"{path}: a damaged part of the page index ({exc})") from None
    return [found[number] for number in numbers]


def result_page(
    results: Path, source: Path, mapping: Mapping[str, str], filters: Filters, offset: int, limit: int
) -> ResultPage:
    """Rows `offset` to `offset + limit` of those passing the filters, with the counts and the filter choices."""
    index = _index(results, source, mapping)
    rows = index.rows
    layout = index.layout
    cells = rows["regimes"].combine_chunks().dictionary_encode()
    names = [_text(cell) for cell in cells.dictionary.to_pylist()]
    accounts = [account for account in pc.unique(rows["account"]).to_pylist() if account]
    page = ResultPage(layout.columns, layout.account, [], rows.num_rows, 0, offset)
    page.regimes = sorted({regime for cell in names for regime in cell.split(REGIME_SEPARATOR) if regime})
    page.accounts = sorted(accounts[:MAX_CHOICES])
    page.more_accounts = len(accounts) > MAX_CHOICES
    chosen = np.ones(rows.num_rows, dtype=bool)
    if filters.decision:
        chosen &= pc.equal(rows["decision"], filters.decision).to_numpy(zero_copy_only=False)
    if filters.regime:
        codes = [code for code, cell in enumerate(names) if filters.regime in cell.split(REGIME_SEPARATOR)]
        chosen &= np.isin(cells.indices.to_numpy(zero_copy_only=False), codes)
    if filters.account:
        chosen &= pc.equal(rows["account"], filters.account).to_numpy(zero_copy_only=False)
    matching = np.flatnonzero(chosen)
    page.matching = len(matching)
    shown = matching[offset : offset + limit] if offset >= 0 else matching[:0]
    lines = rows["line"].take(shown).to_pylist()
    values = _read_rows(results, index, shown.tolist())
    page.rows = [layout.row(line, row) for line, row in zip(lines, values, strict=True)]
    return page


def screened_row(
    results: Path, source: Path, mapping: Mapping[str, str], line: int
) -> tuple[tuple[str, ...], ScreenedRow] | None:
    """The row the run numbered `line`, with the input's column names; None when the file has no such row."""
    index = _index(results, source, mapping)
    lines = index.rows["line"].to_numpy()
    at = int(np.searchsorted(lines, line))  # the run numbers rows in increasing order
    if at >= len(lines) or lines[at] != line:
        return None
    (values,) = _read_rows(results, index, [at])
    return index.layout.columns, index.layout.row(line, values)
