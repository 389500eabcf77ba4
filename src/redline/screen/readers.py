"""Streaming readers for CSV, Parquet and XLSX: a header, then batches of rows, with bounded memory.

Structural problems (a row with the wrong number of fields, merged header cells, an empty file) are reported with
the row or the file they belong to; no row is ever dropped.

Text files are read as UTF-8; bytes that are not UTF-8 are read as Windows-1252 (the encoding Excel saves "CSV"
in on Western systems, a superset of Latin-1), byte by byte, so a cp1252 file reads as cp1252 and a UTF-8 file with
a few cp1252 bytes keeps both right. Fields may be of any length (the file size limit bounds them).
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from xml.etree.ElementTree import ParseError, iterparse

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

from redline.sources.errors import shorten

FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}
FORMATS[".xlsm"] = "xlsx"
CP1252_FALLBACK = "redline-cp1252"
# The csv module's default (131,072 characters) is a guard for callers without a size limit; uploads and files
# on disk are bounded by their own size, and a long field must be reported on its row, not end the run.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _cp1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: undecodable bytes read as Windows-1252 (its five unassigned bytes as Latin-1, as
    the WHATWG Encoding Standard does)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    text = "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in chunk)
    return text, error.end


codecs.register_error(CP1252_FALLBACK, _cp1252)


class InputError(ValueError):
    """The file cannot be read at all (missing, unknown format, not a spreadsheet)."""


@dataclass
class Batch:
    lines: list[int]
    values: list[list[Any]]  # each aligned with the header (short rows padded with None)
    problems: list[str | None]  # a structural problem of the row, if any
    arrow: pa.RecordBatch | None = None  # Parquet: the batch itself, so the output keeps its column types


class TableReader(Protocol):
    format: str
    header: tuple[str, ...]
    problems: list[str]  # problems of the whole file

    def batches(self, size: int) -> Iterator[Batch]: ...

    def close(self) -> None: ...


def _batched(records: Iterator[tuple[int, list[Any], str | None]], size: int) -> Iterator[Batch]:
    batch = Batch([], [], [])
    for line, values, problem in records:
        batch.lines.append(line)
        batch.values.append(values)
        batch.problems.append(problem)
        if len(batch.lines) >= size:
            yield batch
            batch = Batch([], [], [])
    if batch.lines:
        yield batch


@dataclass
class _FileReader:
    path: Path
    header: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)


def format_of(path: Path) -> str:
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputError(f"{path}: unknown file type {path.suffix!r} (use .csv, .tsv, .parquet or .xlsx)")
    return found


def open_table(path: Path) -> TableReader:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    kind = format_of(path)
    if kind == "csv":
        return CsvReader(path)
    if kind == "parquet":
        return ParquetReader(path)
    return XlsxReader(path)


@dataclass
class CsvReader(_FileReader):
    format: str = "csv"
    delimiter: str = ","

    def __post_init__(self) -> None:
        self._file = self.path.open(encoding="utf-8-sig", errors=CP1252_FALLBACK, newline="")
        sample = self._file.read(65536)
        self._file.seek(0)
        if not sample.strip():
            self.problems.append("the file is empty: no header and no rows")
            return
        try:
            self.delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            self.delimiter = "\t" if self.path.suffix.lower() == ".tsv" else ","
        self._reader = csv.reader(self._file, delimiter=self.delimiter)
        try:
            self.header = tuple(next(self._reader, []))
        except csv.Error as exc:
            self._file.close()
            raise InputError(f"{self.path}: line 1: not readable as CSV ({exc})") from None
        if self.header and all(not cell.strip() for cell in self.header):
            self.problems.append("line 1: the header row is blank")

    def batches(self, size: int) -> Iterator[Batch]:
        return _batched(self._records(), size) if self.header else iter(())

    def _records(self) -> Iterator[tuple[int, list[Any], str | None]]:
        width = len(self.header)
        reader = self._reader
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # The parser cannot resynchronise after this (a quoted field may span lines): the file is refused
                # rather than rows after it silently dropped.
                raise InputError(f"{self.path}: line {reader.line_num}: not readable as CSV ({exc})") from None
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line is not a row
            problem = None
            if len(record) != width:
                problem = f"malformed row: {len(record)} fields, the header has {width}"
                if len(record) > width:
                    problem += f" (extra: {shorten(', '.join(record[width:]))})"
                record = (record + [""] * width)[:width]
            yield reader.line_num, record, problem

    def close(self) -> None:
        self._file.close()


@dataclass
class ParquetReader(_FileReader):
    format: str = "parquet"

    def __post_init__(self) -> None:
        try:
            self._file = pq.ParquetFile(self.path)
            self.header = tuple(self._file.schema_arrow.names)
            rows = self._file.metadata.num_rows
        except (pa.ArrowException, OSError, UnicodeDecodeError, ValueError) as exc:
            # Damaged footers and metadata that is not UTF-8 (pyarrow raises UnicodeDecodeError for those).
            raise InputError(f"{self.path}: not a readable Parquet file ({shorten(str(exc), 200)})") from None
        if rows == 0:
            self.problems.append("the file is empty: no rows")

    def batches(self, size: int) -> Iterator[Batch]:
        try:
            yield from self._batches(size)
        except (pa.ArrowException, OSError, UnicodeDecodeError, ValueError) as exc:
            raise InputError(f"{self.path}: a damaged part of the Parquet file ({shorten(str(exc), 200)})") from None

    def _batches(self, size: int) -> Iterator[Batch]:
        number = 0
        for record_batch in self._file.iter_batches(batch_size=size):
            columns = [column.to_pylist() for column in record_batch.columns]
            values = [list(row) for row in zip(*columns, strict=True)]
            lines = list(range(number + 1, number + 1 + record_batch.num_rows))
            number += record_batch.num_rows
            yield Batch(lines, values, [None] * len(values), arrow=record_batch)

    def close(self) -> None:
        self._file.close()


def _merged_ranges(workbook: Any, sheet: Any) -> list[str]:
    """The merged cell ranges of a read-only sheet, read from its XML (read-only mode does not load them)."""
    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if path is None or archive is None:
        return []
    ranges = []
    try:
        with archive.open(path) as xml:
            for _event, element in iterparse(xml):
                if element.tag.endswith("}mergeCell"):
                    ranges.append(element.get("ref", ""))
                element.clear()
    except (ParseError, KeyError, OSError, ValueError):
        return ranges  # damaged sheet XML: reading its rows reports it
    return ranges


def _first_row(ref: str) -> int:
    match = re.match(r"[A-Z]+(\d+)", ref)
    return int(match.group(1)) if match else 0


@dataclass
class XlsxReader(_FileReader):
    format: str = "xlsx"

    def __post_init__(self) -> None:
        try:
            self._workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
            message = shorten(str(exc), 200)
            raise InputError(f"{self.path}: not a readable XLSX workbook ({type(exc).__name__}: {message})") from None
        if not self._workbook.worksheets:
            self._workbook.close()
            raise InputError(f"{self.path}: the workbook has no worksheet")
        self._sheet = self._workbook.worksheets[0]
        self._rows = self._sheet.iter_rows(values_only=True)
        try:
            first = next(self._rows, None)
        except Exception as exc:  # openpyxl raises many types for damaged sheet XML
            self._workbook.close()
            raise InputError(f"{self.path}: the first sheet cannot be read ({type(exc).__name__})") from None
        if first is None:
            self.problems.append("the file is empty: the first sheet has no header and no rows")
            return
        self.header = tuple("" if cell is None else str(cell).strip() for cell in first)
        while self.header and not self.header[-1]:
            self.header = self.header[:-1]
        merged = [ref for ref in _merged_ranges(self._workbook, self._sheet) if _first_row(ref) == 1]
        if merged:
            self.problems.append(
                f"row 1: merged header cells {', '.join(merged)}; give each column its own header cell in one row"
            )
        blank = [openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(self.header) if not name]
        if blank and not merged:
            self.problems.append(f"row 1: header cells {', '.join(blank)} are empty")

    def batches(self, size: int) -> Iterator[Batch]:
        return _batched(self._records(), size) if self.header else iter(())

    def _records(self) -> Iterator[tuple[int, list[Any], str | None]]:
        try:
            yield from self._rows_after_header()
        except InputError:
            raise
        except Exception as exc:  # damaged sheet XML further down (openpyxl raises many types)
            raise InputError(f"{self.path}: the first sheet cannot be read ({type(exc).__name__})") from None

    def _rows_after_header(self) -> Iterator[tuple[int, list[Any], str | None]]:
        width = len(self.header)
        for number, record in enumerate(self._rows, start=2):
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in record):
                continue
            values = list(record[:width]) + [None] * (width - len(record))
            extra = [cell for cell in record[width:] if cell is not None]
            yield number, values, f"malformed row: values beyond the header ({shorten(extra)})" if extra else None

    def close(self) -> None:
        self._workbook.close()
