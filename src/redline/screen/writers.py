"""Output files in the input's own format, written to a temporary file and renamed into place only when whole.

An interrupted run (Ctrl-C, kill) therefore leaves either the previous output or none, never half of one.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from redline.screen.cells import neutralise, neutralise_row
from redline.screen.readers import Batch


def temporary_beside(target: Path) -> Path:
    """A hidden file in the target's folder (same file system, so the final rename is atomic). Temporary files
    that a killed run left for the same target are removed first."""
    remove_orphans(target)
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_orphans(target: Path) -> list[Path]:
    """Delete `.NAME.PID.tmp` files beside `target` whose process is gone (a run killed with SIGKILL, or a power
    cut, cannot clean up after itself); the files of live runs are left alone."""
    removed: list[Path] = []
    prefix = f".{target.name}."
    try:
        candidates = list(target.parent.glob(f".{glob_escape(target.name)}.*.tmp"))
    except OSError:
        return removed
    for path in candidates:
        pid = path.name[len(prefix) : -len(".tmp")]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def publish(temporary: Path, target: Path) -> None:
    """fsync the finished file, then rename it over the target in one step."""
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


class OutputWriter:
    """Writes input rows plus Redline's columns; `finish` closes the temporary file, `publish` renames it."""

    def __init__(
        self, target: Path, fmt: str, header: Sequence[str], added: Sequence[str], delimiter: str = ","
    ) -> None:
        self.target = target
        self.format = fmt
        self.header = list(header)
        self.added = list(added)
        self.temporary = temporary_beside(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._parquet: pq.ParquetWriter | None = None
        try:
            if fmt == "csv":
                self._file = self.temporary.open("w", encoding="utf-8", newline="")
                self._csv = csv.writer(self._file, delimiter=delimiter)
                self._csv.writerow(neutralise_row(self.header + self.added))
            elif fmt == "xlsx":
                self._workbook = openpyxl.Workbook(write_only=True)
                self._sheet = self._workbook.create_sheet("screened")
                self._sheet.append(self._cells(self.header + self.added))
        except BaseException:
            self.abort()  # no temporary file is left behind, whatever failed
            raise

    def write(self, batch: Batch | None, added: Sequence[Sequence[str]]) -> None:
        """`added` holds Redline's cells for each row of the batch (or for one row of its own if no batch)."""
        rows: list[list[Any]] = batch.values if batch is not None else [[None] * len(self.header)]
        if self.format == "parquet":
            self._write_parquet(batch, [list(column) for column in zip(*added, strict=True)])
            return
        if self.format == "csv":
            self._csv.writerows([neutralise_row([*values, *extra]) for values, extra in zip(rows, added, strict=True)])
            return
        for values, extra in zip(rows, added, strict=True):
            self._sheet.append(self._cells([*values, *extra]))

    def _cells(self, values: list[Any]) -> list[Any]:
        """Cells for the XLSX sheet: text neutralised (`redline.screen.cells`) and always stored as text, since
        openpyxl would store any string starting with `=` as a live formula; numbers and dates keep their type."""
        cells: list[Any] = []
        for value in values:
            if isinstance(value, str):
                # Control characters XML cannot hold would make openpyxl refuse the whole file.
                cell = WriteOnlyCell(self._sheet, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)))
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        return cells

    def _write_parquet(self, batch: Batch | None, columns: Sequence[Sequence[str]]) -> None:
        arrays = [pa.array(list(column), type=pa.string()) for column in columns]
        if batch is not None and batch.arrow is not None:
            table = pa.Table.from_batches([batch.arrow])
            for name, array in zip(self.added, arrays, strict=True):
                table = table.append_column(name, array)
        else:
            table = pa.table(dict(zip(self.added, arrays, strict=True)))
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.temporary, table.schema)
        self._parquet.write_table(table)

    def finish(self) -> None:
        if self.format == "csv":
            self._file.close()
        elif self.format == "xlsx":
            self._workbook.save(self.temporary)
        elif self._parquet is not None:
            self._parquet.close()
        else:  # a Parquet file with no rows at all still gets its columns
            pq.write_table(pa.table({name: pa.array([], type=pa.string()) for name in self.added}), self.temporary)

    def publish(self) -> None:
        publish(self.temporary, self.target)

    def abort(self) -> None:
        """Drop the temporary file: the target is left as it was."""
        try:
            if self.format == "csv" and hasattr(self, "_file"):
                self._file.close()
            elif self._parquet is not None:
                self._parquet.close()
        finally:
            self.temporary.unlink(missing_ok=True)
