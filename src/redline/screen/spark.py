"""`redline screen FILE --engine spark`: the columnar plan (`redline.screen.plan`) on Spark.

- The driver checks the file as the local engine reads it (one Arrow pass: record count, widths, UTF-8); a file the
  plan cannot number exactly is screened by the local engine instead.
- Spark reads the file in partitions; each partition's first line number comes from a count per partition.
- The screening context (the catalog with its identifier index, the analysts' verdicts, the fund book, the column
  map) is broadcast; executors run the plan on Arrow batches with `mapInArrow`: distinct identities resolved and
  judged once per Python worker, joined back to their rows.
- Output: CSV as one file (lines made on the executors exactly as the local engine makes them, ordered by line);
  Parquet as a folder of part files. Both are written beside the target under a temporary name.
- The driver screens again, as rows, the few rows the plan marks (findings, errors, alerts: typically 2%), in line
  order, for the summary and the alerts; it records the run once, then renames the output into place. A run killed
  before that publishes and records nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from redline import __version__
from redline.catalog import Catalog
from redline.screen.columnar import ColumnarSource, add_plain_rows, columnar_source, unlisted_isins
from redline.screen.columns import IDENTIFIER_FIELDS, ColumnMap, detect_columns
from redline.screen.csv_columns import csv_bytes
from redline.screen.evaluate import RowResult, RowScreener, decision_columns
from redline.screen.funds import FundBook, load_constituents
from redline.screen.html_report import ReportWriter
from redline.screen.interruption import raise_if_stopped
from redline.screen.pipeline import ADDED_COLUMNS, Screening, ScreenOptions, ScreenOutcome, sha256_of
from redline.screen.plan import ColumnarPlan, NotColumnar, Prefetch, UnlistedIsins, constant
from redline.screen.readers import InputError, format_of, open_table
from redline.screen.rows import RowReader
from redline.screen.summary import Summary
from redline.screen.writers import publish, temporary_beside
from redline.settings import settings
from redline.sources.bundled import data_version
from redline.store.screening import AlertHit, ScreenStore, Verdicts

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


LINE, ROW_PATH, TEXT = "__redline_line", "__redline_row_path", "__redline_csv"


def spark_session(master: str | None = None) -> SparkSession:
    """The active session, or one on `master` ($REDLINE_SPARK_MASTER; local mode on every core when unset)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError("--engine spark needs PySpark: pip install 'redline[spark]' (and a Java runtime)") from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors run this interpreter (the same packages)
    url = master or settings().spark_master or "local[*]"
    session = (
        SparkSession.builder.master(url)
        .appName("redline-screen")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(max(2, os.cpu_count() or 2)))
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "65536")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


@dataclass
class ScreenContext:
    """Everything an executor needs to screen rows exactly as the driver would (pickled once, broadcast)."""

    catalog: Catalog
    kind: str
    on: datetime
    given_on: datetime | None
    known_at: datetime
    columns: ColumnMap
    file_errors: list[str]
    funds: FundBook
    verdicts: Verdicts
    unlisted: UnlistedIsins | None

    def row_screener(self) -> tuple[RowReader, Any, Prefetch]:
        """A row reader, the row pipeline's `screen_row` over this context, and its name prefetch."""
        from redline.screen.resolution import RowResolver

        resolver = RowResolver(self.catalog)
        screener = RowScreener(self.catalog, self.kind, self.known_at, resolver, self.funds, self.verdicts)
        options = ScreenOptions(kind=self.kind, on=self.given_on, known_at=self.known_at)
        screening = Screening(Path("."), options, _NoStore(), reference=self.catalog, resolver=resolver)
        screening.on = self.on
        reader = RowReader(self.columns)

        def screen_row(line: int, values: list[Any], problem: str | None) -> RowResult:
            return screening._screen(screener, line, values, problem, reader, self.file_errors)

        return reader, screen_row, screening._prefetcher(reader, self.file_errors)


class _NoStore(ScreenStore):
    """Executors open no database and record nothing: the driver records the run once."""

    def __init__(self) -> None:  # no connection: nothing on an executor reads or writes the store
        pass


_plans: dict[str, ColumnarPlan] = {}  # per Python worker: one plan per broadcast context


def _plan(context_id: str, context: ScreenContext) -> ColumnarPlan:
    plan = _plans.get(context_id)
    if plan is None:
        _plans.clear()
        reader, screen_row, prefetch = context.row_screener()
        plan = _plans[context_id] = ColumnarPlan(reader, screen_row, context.unlisted, prefetch)
    return plan


def _screen_partitions(
    broadcast: Any, run_id: str, offsets: dict[int, int], fmt: str, delimiter: str, version_cell: str
) -> Any:
    def screen(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from pyspark import TaskContext

        task = TaskContext.get()
        partition = task.partitionId() if task is not None else 0
        line = offsets.get(partition, 0)
        plan = _plan(run_id, broadcast.value)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            lines = np.arange(line, line + batch.num_rows, dtype=np.int64)
            line += batch.num_rows
            outcome = plan.screen(batch, lines)
            added = [*outcome.added, constant(version_cell, batch.num_rows)]
            row_path = pa.array(np.isin(lines, [r.row.line for r in outcome.row_results]))
            if fmt == "csv":
                text = _csv_lines(csv_bytes([*batch.columns, *added], delimiter))
                yield pa.RecordBatch.from_arrays([pa.array(lines), row_path, text], [LINE, ROW_PATH, TEXT])
            else:
                arrays = [*batch.columns, *(a.cast(pa.string()) for a in added), pa.array(lines), row_path]
                names = [*batch.schema.names, *ADDED_COLUMNS, LINE, ROW_PATH]
                yield pa.RecordBatch.from_arrays(arrays, names)

    return screen


def _csv_lines(data: memoryview) -> pa.Array:
    """CRLF-terminated CSV lines as one text per line, without their CRLF (Spark's text writer adds it back)."""
    text = pa.array([bytes(data).decode("utf-8")])
    lines = pc.split_pattern(text, "\r\n").flatten()
    return lines[: len(lines) - 1]


class SparkScreening:
    """One run of `Screening` on Spark (same options, store, summary, alerts and run record)."""

    def __init__(self, screening: Screening) -> None:
        self.screening = screening

    def run(self) -> ScreenOutcome:
        outer = self.screening
        options = outer.options
        path = outer.path
        format_of(path)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        reader = open_table(path)
        try:
            source = columnar_source(path, reader)
            header, delimiter = reader.header, getattr(reader, "delimiter", ",")
            problems = list(reader.problems)
        finally:
            reader.close()
        if source is None or not _numbered_alike(source):
            # XLSX, a file with file problems, or CSV the plan cannot number exactly: the local engine reads it.
            local = Screening(path, replace(options, engine="local"), outer.store, outer.reference, outer.resolver)
            local.run_id, local.on, local.known_at, local.progress = outer.run_id, outer.on, outer.known_at, None
            return local.run()
        funds = load_constituents(options.constituents) if options.constituents else FundBook()
        checksum = sha256_of(path)
        catalog = outer.resolver.catalog
        versions = {"redline": __version__, "data": data_version(), "catalog": catalog.version}
        version_cell = f"redline {__version__}; data {versions['data']}"
        parameters = outer.parameters(funds)
        parameters["engine"] = "spark"
        summary = outer.new_summary(funds)
        columns = detect_columns(header, options.mapping)
        file_errors = problems
        if not any(name in columns.index for name in (*IDENTIFIER_FIELDS, "name")):
            file_errors.append(
                f"no identifier or name column among: {', '.join(header)} (map one with --map isin=COLUMN)"
            )
        summary.file_problems.extend(file_errors)
        summary.unknown_columns = [name for name in columns.unknown if name]
        context = ScreenContext(
            catalog,
            options.kind,
            outer.on,
            options.on,
            outer.known_at,
            columns,
            file_errors,
            funds,
            outer.store.verdicts(),
            unlisted_isins(catalog, options.kind, funds, file_errors),
        )
        output = options.output or path.with_name(f"{path.stem}.screened{path.suffix}")
        temporary = temporary_beside(output)
        staging = temporary.with_name(temporary.name + ".spark")
        hits: list[AlertHit] = []
        report_writer: ReportWriter | None = None
        try:
            rows = self._screen(source, header, delimiter, context, version_cell, staging, temporary, summary, hits)
            outcome = ScreenOutcome(outer.run_id, summary, output, options.report, versions, parameters)
            if options.report is not None:
                report_writer = ReportWriter(options.report)
                report_writer.write(outcome, Path(options.label) if options.label else path)
            run = outer.record(summary, source.format, checksum, parameters, versions, output)
            if rows != summary.rows:
                raise RuntimeError(f"Spark screened {rows} rows but the summary counts {summary.rows}")
            raise_if_stopped()
            outer.store.record_run(run, hits)
        except BaseException:
            _remove(temporary)
            if report_writer is not None:
                report_writer.abort()
            raise
        finally:
            _remove(staging)
        if temporary.is_dir():
            _remove(output)  # a folder of part files is replaced whole: the old one goes first
            os.replace(temporary, output)
        else:
            publish(temporary, output)
        if report_writer is not None:
            report_writer.publish()
        return outcome

    def _screen(
        self,
        source: ColumnarSource,
        header: tuple[str, ...],
        delimiter: str,
        context: ScreenContext,
        version_cell: str,
        staging: Path,
        temporary: Path,
        summary: Summary,
        hits: list[AlertHit],
    ) -> int:
        from pyspark import StorageLevel
        from pyspark.sql import functions as F
        from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType

        spark = spark_session(self.screening.options.spark_master)
        frame = _read(spark, source, header)
        first = 2 if source.format == "csv" else 1
        counts: dict[int, int] = dict(frame.groupBy(F.spark_partition_id().alias("p")).count().collect())
        offsets, line = {}, first
        for partition in sorted(counts):
            offsets[partition], line = line, line + counts[partition]
        broadcast = spark.sparkContext.broadcast(context)
        fields = [StructField(LINE, LongType(), False), StructField(ROW_PATH, BooleanType(), False)]
        if source.format == "csv":
            schema = StructType([*fields, StructField(TEXT, StringType(), False)])
        else:
            added = [StructField(name, StringType(), True) for name in ADDED_COLUMNS]
            schema = StructType([*frame.schema.fields, *added, *fields])
        screened = frame.mapInArrow(
            _screen_partitions(broadcast, self.screening.run_id, offsets, source.format, delimiter, version_cell),
            schema,
        ).persist(StorageLevel.DISK_ONLY)
        try:
            marked = screened.filter(F.col(ROW_PATH)).select(LINE).orderBy(LINE).collect()
            self._summarise([row[0] for row in marked], source, context, summary, hits)
            add_plain_rows(summary, line - first - len(marked))
            if source.format == "csv":
                names = [pa.array([name]) for name in (*header, *ADDED_COLUMNS)]
                heading = spark.createDataFrame(
                    [(first - 1, False, _csv_lines(csv_bytes(names, delimiter))[0].as_py())], schema
                )
                lines = heading.unionByName(screened).orderBy(LINE).select(TEXT).coalesce(1)
                lines.write.option("lineSep", "\r\n").text(str(staging))
                (part,) = staging.glob("part-*")
                os.replace(part, temporary)
            else:
                screened.orderBy(LINE).drop(LINE, ROW_PATH).write.parquet(str(temporary))
        finally:
            screened.unpersist()
            broadcast.unpersist()
        return line - first

    @staticmethod
    def _summarise(
        lines: list[int], source: ColumnarSource, context: ScreenContext, summary: Summary, hits: list[AlertHit]
    ) -> None:
        """Screen again, as rows, the rows the plan marked, in line order: their summary entries and alerts."""
        if not lines:
            return
        _, screen_row, _ = context.row_screener()
        wanted = np.array(lines, dtype=np.int64)
        for batch, numbers in source.batches():
            for index in np.flatnonzero(np.isin(numbers, wanted)):
                values = [column[int(index)].as_py() for column in batch.columns]
                result: RowResult = screen_row(int(numbers[index]), values, None)
                summary.add(result, result.columns or decision_columns(result))
                hits.extend(result.alerts)


def _read(spark: SparkSession, source: ColumnarSource, header: tuple[str, ...]) -> DataFrame:
    if source.format == "parquet":
        return spark.read.parquet(str(source.path))
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(f"c{i}", StringType(), True) for i in range(len(header))])
    return (
        spark.read.option("header", True)
        .option("enforceSchema", True)
        .option("sep", source.delimiter)
        .option("quote", '"')
        .option("escape", '"')
        .option("emptyValue", "")
        .option("nullValue", "\u0000\u0000")  # no cell is null: an empty cell is empty text, as the readers give it
        .option("mode", "FAILFAST")
        .schema(schema)
        .csv(str(source.path))
    )


def _numbered_alike(source: ColumnarSource) -> bool:
    """One Arrow pass on the driver: the file reads as the local engine reads it (else it screens there)."""
    try:
        for _ in source.batches():
            pass
    except NotColumnar:
        return False
    return True


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
