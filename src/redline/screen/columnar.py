"""The local engine: the columnar plan (`redline.screen.plan`) over Arrow batches read from CSV or Parquet, written
back as CSV or Parquet through the same temporary file, neutralisation and atomic rename as the row pipeline.

Where it does not apply, the run takes the row pipeline (`Screening`'s batch loop), which reads everything:
- XLSX input (openpyxl reads it row by row anyway);
- a file with file problems (empty, blank header), or no header;
- CSV the Arrow reader would number differently from Python's csv module: a record spanning lines, a blank line, a
  lone carriage return, bytes that are not UTF-8 (read as Windows-1252 by the row pipeline); such a file is found
  out while it is read, and the run starts again on the row pipeline before anything is published or recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from redline.catalog import Catalog
from redline.model import IdScheme
from redline.resolve.identifiers import VERBATIM
from redline.screen.csv_columns import csv_bytes
from redline.screen.decisions import Decision
from redline.screen.evaluate import decision_columns
from redline.screen.funds import FundBook
from redline.screen.plan import ColumnarPlan, NotColumnar, UnlistedIsins, constant
from redline.screen.readers import TableReader
from redline.screen.summary import Summary
from redline.screen.writers import OutputWriter
from redline.store.screening import AlertHit

BLOCK_BYTES = 1 << 23  # Arrow CSV block: about 150,000 rows of a typical book per batch
PARQUET_BATCH = 131_072


@dataclass
class ColumnarSource:
    """The input as Arrow batches, each with the line (CSV) or record number (Parquet) of its rows."""

    path: Path
    format: str
    width: int
    delimiter: str = ","

    def batches(self) -> Iterator[tuple[pa.RecordBatch, np.ndarray]]:
        if self.format == "parquet":
            yield from self._parquet()
        else:
            yield from self._csv()

    def _parquet(self) -> Iterator[tuple[pa.RecordBatch, np.ndarray]]:
        number = 1
        try:
            with pq.ParquetFile(self.path) as handle:
                for batch in handle.iter_batches(batch_size=PARQUET_BATCH):
                    yield batch, np.arange(number, number + batch.num_rows, dtype=np.int64)
                    number += batch.num_rows
        except pa.ArrowCancelled:
            raise KeyboardInterrupt from None  # Ctrl-C inside Arrow: an interrupted run, never a fallback
        except (pa.ArrowException, OSError, UnicodeDecodeError, ValueError) as exc:
            # A damaged part of the file: the row pipeline's reader names the problem (one line, exit 2).
            raise NotColumnar(str(exc)) from None

    def _csv(self) -> Iterator[tuple[pa.RecordBatch, np.ndarray]]:
        records = _records_by_line_count(self.path)
        names = [f"c{i}" for i in range(self.width)]
        try:
            stream = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK_BYTES),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter,
                    quote_char='"',
                    double_quote=True,
                    escape_char=False,
                    newlines_in_values=True,
                    ignore_empty_lines=True,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            line = 2
            for batch in stream:
                if self.width == 1 and _has_blank(batch):
                    raise NotColumnar("a blank line in a one-column file")
                yield batch, np.arange(line, line + batch.num_rows, dtype=np.int64)
                line += batch.num_rows
        except pa.ArrowCancelled:
            # Arrow turns Ctrl-C (SIGINT) into ArrowCancelled: the run was interrupted, it must not start again on
            # the row pipeline and publish (tests/screen/test_interrupted_run.py).
            raise KeyboardInterrupt from None
        except pa.ArrowException as exc:  # a short or long row, bytes that are not UTF-8
            raise NotColumnar(str(exc)) from None
        if line - 2 != records:
            # A record spanning lines or a blank line: Arrow's row numbers are not the lines the row pipeline names.
            raise NotColumnar(f"{line - 2} records on {records} lines")


def _has_blank(batch: pa.RecordBatch) -> bool:
    return bool(pc.any(pc.equal(pc.utf8_trim_whitespace(batch.column(0)), "")).as_py())


def _records_by_line_count(path: Path) -> int:
    """Data records if every record is one line: the file's lines after the header, trailing blank lines aside.
    A lone carriage return (a line break to Python's csv module) makes the count meaningless: -1."""
    newlines = carriage_returns = crlf = 0
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            joined = tail[-1:] + chunk
            newlines += chunk.count(b"\n")
            carriage_returns += chunk.count(b"\r")
            crlf += joined.count(b"\r\n")
            tail = chunk
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65536))
        end = handle.read()
    if carriage_returns != crlf:
        return -1
    trailing = len(end) - len(end.rstrip(b"\r\n"))
    trailing_newlines = end[len(end) - trailing :].count(b"\n")
    lines = newlines - trailing_newlines + (1 if size else 0)
    return lines - 1


def unlisted_isins(catalog: Catalog, kind: str, funds: FundBook, file_errors: list[str]) -> UnlistedIsins | None:
    """The catalog's ISINs for the plan's unlisted-ISIN shortcut, where the shortcut holds (`UnlistedIsins`)."""
    if kind == "trades" or funds.funds or file_errors:
        return None
    listed = catalog.keyed_values((IdScheme.ISIN.value, VERBATIM))
    return UnlistedIsins(pa.array(sorted(listed), pa.string()))


def columnar_source(path: Path, reader: TableReader) -> ColumnarSource | None:
    """The input as Arrow batches, or None where only the row pipeline reads it as documented."""
    if reader.format not in ("csv", "parquet") or reader.problems or not reader.header:
        return None
    return ColumnarSource(path, reader.format, len(reader.header), getattr(reader, "delimiter", ","))


class ArrowOutputWriter(OutputWriter):
    """The row pipeline's writer, able to take whole Arrow batches (same temporary file, cells and rename)."""

    def __init__(
        self, target: Path, fmt: str, header: Sequence[str], added: Sequence[str], delimiter: str = ","
    ) -> None:
        super().__init__(target, fmt, header, added, delimiter)
        self._delimiter = delimiter

    def write_arrow(self, batch: pa.RecordBatch, added: list[pa.Array]) -> None:
        if self.format == "parquet":
            table = pa.Table.from_batches([batch])
            for name, array in zip(self.added, added, strict=True):
                table = table.append_column(name, array.cast(pa.string()))
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.temporary, table.schema)
            self._parquet.write_table(table)
            return
        self._file.flush()  # the header went through the text layer; the rows are bytes already
        self._file.buffer.write(bytes(csv_bytes([*batch.columns, *added], self._delimiter)))


def screen_columnar(
    source: ColumnarSource,
    plan: ColumnarPlan,
    writer: ArrowOutputWriter,
    summary: Summary,
    hits: list[AlertHit],
    version_cell: str,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Screen every batch of `source` into `writer` and `summary`; the number of rows screened."""
    done = 0
    for batch, lines in source.batches():
        outcome = plan.screen(batch, lines)
        for result in outcome.row_results:
            summary.add(result, result.columns or decision_columns(result))
            hits.extend(result.alerts)
        add_plain_rows(summary, outcome.plain_rows)
        writer.write_arrow(batch, [*outcome.added, constant(version_cell, batch.num_rows)])
        done += batch.num_rows
        if progress:
            progress(done)
    return done


def add_plain_rows(summary: Summary, count: int) -> None:
    """What `Summary.add` does for `count` rows decided OK without alerts: it counts them."""
    summary.rows += count
    summary.decisions[Decision.OK] += count
