"""`redline screen`: stream a file through resolution, status and decision; write the output, the report and the
run record, all or nothing.

Order of the final steps: the output and report are finished in temporary files, the run and its alerts are
committed in one transaction, then the files are renamed into place. A kill before the commit leaves no run and
no output; the rename after it takes microseconds.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redline import __version__
from redline.catalog import Catalog
from redline.model import iso
from redline.model.vocabulary import ScreeningEngine, ScreeningKind
from redline.screen.columnar import ArrowOutputWriter, columnar_source, screen_columnar, unlisted_isins
from redline.screen.columns import IDENTIFIER_FIELDS, ColumnMap, detect_columns
from redline.screen.decisions import Decision
from redline.screen.evaluate import DECISION_COLUMNS, RowResult, RowScreener, decision_columns
from redline.screen.funds import FundBook, load_constituents
from redline.screen.interruption import raise_if_stopped
from redline.screen.plan import ColumnarPlan, NotColumnar, Prefetch
from redline.screen.readers import Batch, InputError, format_of, open_table
from redline.screen.resolution import RowResolver
from redline.screen.rows import RowReader, ScreenRow
from redline.screen.summary import Summary
from redline.screen.writers import OutputWriter
from redline.sources.bundled import data_version
from redline.store.reference import ReferenceStore
from redline.store.screening import AlertHit, RunRecord, ScreenStore
from redline.store.stamps import actor as current_actor
from redline.store.stamps import stamp

SCREENING_KINDS = tuple(kind.value for kind in ScreeningKind)
# local: the columnar plan where it applies, else the row pipeline; rows: the row pipeline alone; spark: the plan on
# Spark (docs/scale.md)
SCREENING_ENGINES = tuple(engine.value for engine in ScreeningEngine)
ADDED_COLUMNS = (*DECISION_COLUMNS, "redline_versions")


@dataclass
class ScreenOptions:
    kind: str = "holdings"
    on: datetime | None = None  # holdings and counterparties: the instant judged (default: now)
    known_at: datetime | None = None  # default: now
    output: Path | None = None
    report: Path | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    constituents: Path | None = None
    deadline_days: int = 90
    batch_size: int = 5000
    label: str | None = None  # the input's name as its owner knows it (an upload is stored under another name)
    engine: str = "local"
    spark_master: str | None = None  # spark: the cluster's master URL (default $REDLINE_SPARK_MASTER, else local)


@dataclass
class ScreenOutcome:
    run_id: str
    summary: Summary
    output: Path
    report: Path | None
    versions: dict[str, Any]
    parameters: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "output": str(self.output),
            "report": str(self.report) if self.report else None,
            "exit_code": self.summary.exit_code(),
            "parameters": self.parameters,
            "versions": self.versions,
            "summary": self.summary.to_json(),
        }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}.screened{path.suffix}")


class Screening:
    """One run over one file."""

    def __init__(
        self,
        path: Path,
        options: ScreenOptions,
        store: ScreenStore,
        reference: ReferenceStore | None = None,
        resolver: RowResolver | None = None,
        progress: Callable[[int], None] | None = None,
        actor: str | None = None,
    ) -> None:
        if options.kind not in SCREENING_KINDS:
            raise ValueError(f"--kind must be one of {', '.join(SCREENING_KINDS)}")
        if options.engine not in SCREENING_ENGINES:
            raise ValueError(f"--engine must be one of {', '.join(SCREENING_ENGINES)}")
        self.path, self.options, self.store = path, options, store
        # One catalog for the whole run: the entities rows resolve to are the ones their status is judged on.
        if resolver is None:
            resolver = RowResolver(reference if isinstance(reference, Catalog) else None)
        self.resolver = resolver
        self.reference = reference or resolver.catalog
        self.progress = progress
        self.actor = actor or current_actor()
        now = datetime.now(UTC)
        self.on = options.on or now
        self.known_at = options.known_at or now
        self.started = stamp()
        self.run_id = uuid.uuid4().hex

    def new_summary(self, funds: FundBook) -> Summary:
        """The run's summary before its first row: the funds read and their problems (every engine starts here)."""
        summary = Summary(self.on, self.options.deadline_days)
        summary.file_problems.extend(f"constituents {problem}" for problem in funds.problems)
        summary.funds = funds.to_json()
        return summary

    def parameters(self, funds: FundBook) -> dict[str, Any]:
        return {
            "kind": self.options.kind,
            "on": iso(self.on) if self.options.on or self.options.kind != "trades" else None,
            "known_at": iso(self.known_at),
            "mapping": self.options.mapping,
            "deadline_days": self.options.deadline_days,
            "constituents": [{"file": str(p), "sha256": sha256_of(p)} for p in funds.files],
        }

    def run(self) -> ScreenOutcome:
        options = self.options
        if options.engine == "spark":
            from redline.screen.spark import SparkScreening

            return SparkScreening(self).run()
        format_of(self.path)
        if not self.path.is_file():
            raise InputError(f"{self.path}: no such file")
        funds = load_constituents(options.constituents) if options.constituents else FundBook()
        checksum = sha256_of(self.path)
        # Which data the run judged on: the bundled files and the imported editions the catalog holds.
        versions = {"redline": __version__, "data": data_version(), "catalog": self.resolver.catalog.version}
        version_cell = f"redline {__version__}; data {versions['data']}"
        parameters = self.parameters(funds)
        summary = self.new_summary(funds)
        screener = RowScreener(self.reference, options.kind, self.known_at, self.resolver, funds, self.store.verdicts())
        reader = open_table(self.path)
        output = options.output or default_output(self.path)
        writer: ArrowOutputWriter | None = None
        report_writer = None
        hits: list[AlertHit] = []
        try:
            delimiter = getattr(reader, "delimiter", ",")
            writer = ArrowOutputWriter(output, reader.format, reader.header, ADDED_COLUMNS, delimiter)
            columns = detect_columns(reader.header, options.mapping) if reader.header else ColumnMap(())
            file_errors = list(reader.problems)
            if reader.header and not any(name in columns.index for name in (*IDENTIFIER_FIELDS, "name")):
                file_errors.append(
                    f"no identifier or name column among: {', '.join(reader.header)} (map one with --map isin=COLUMN)"
                )
            summary.file_problems.extend(file_errors)
            summary.unknown_columns = [name for name in columns.unknown if name]
            done = 0
            row_reader = RowReader(columns)
            source = columnar_source(self.path, reader) if options.engine == "local" else None
            if source is not None:
                before = copy.deepcopy(summary)

                def screen_row(line: int, values: list[Any], problem: str | None) -> RowResult:
                    return self._screen(screener, line, values, problem, row_reader, file_errors)

                try:
                    shortcut = unlisted_isins(self.resolver.catalog, options.kind, funds, file_errors)
                    prefetch = self._prefetcher(row_reader, file_errors)
                    plan = ColumnarPlan(row_reader, screen_row, shortcut, prefetch)
                    done = screen_columnar(source, plan, writer, summary, hits, version_cell, self.progress)
                except NotColumnar:  # found out while reading: start again on the row pipeline, nothing published
                    writer.abort()
                    writer = ArrowOutputWriter(output, reader.format, reader.header, ADDED_COLUMNS, delimiter)
                    summary, hits, source = before, [], None
            for batch in reader.batches(options.batch_size) if source is None else ():
                rows = [
                    self._read(line, values, problem, row_reader, file_errors)
                    for line, values, problem in zip(batch.lines, batch.values, batch.problems, strict=True)
                ]
                # the batch's names resolved together (`RowResolver.prefetch`): about half the cost of one by one
                self.resolver.prefetch(row for row, _ in rows)
                results = [screener.screen(row, instant) for row, instant in rows]
                self._write(writer, batch, results, summary, hits, version_cell)
                done += len(results)
                if self.progress:
                    self.progress(done)
            if not reader.header:
                empty = RowResult(ScreenRow(1), None, Decision.ERROR, errors=list(reader.problems))
                self._write(writer, None, [empty], summary, hits, version_cell)
                summary.error_rows -= 1  # the file problem is counted once, as a file problem
            writer.finish()
            outcome = ScreenOutcome(self.run_id, summary, output, options.report, versions, parameters)
            if options.report is not None:
                from redline.screen.html_report import ReportWriter

                report_writer = ReportWriter(options.report)
                report_writer.write(outcome, Path(options.label) if options.label else self.path)
            run = self.record(summary, reader.format, checksum, parameters, versions, output)
            raise_if_stopped()
            self.store.record_run(run, hits)
        except BaseException:
            if writer is not None:
                writer.abort()
            if report_writer is not None:
                report_writer.abort()
            raise
        finally:
            reader.close()
        writer.publish()
        if report_writer is not None:
            report_writer.publish()
        return outcome

    def record(
        self,
        summary: Summary,
        input_format: str,
        checksum: str,
        parameters: dict[str, Any],
        versions: dict[str, Any],
        output: Path,
    ) -> RunRecord:
        """The run as the store keeps it, once it has finished."""
        return RunRecord(
            id=self.run_id,
            started_at=self.started,
            finished_at=stamp(),
            kind=self.options.kind,
            status="completed",
            input_path=str(self.path.resolve()),
            input_format=input_format,
            input_sha256=checksum,
            parameters=parameters,
            versions=versions,
            counts={
                "rows": summary.rows,
                "decisions": dict(summary.decisions),
                "errors": summary.error_rows + len(summary.file_problems),
                "alerts": dict(summary.alerts),
            },
            output_path=str(output.resolve()),
            actor=self.actor,
        )

    def _prefetcher(self, row_reader: RowReader, file_errors: list[str]) -> Prefetch:
        """What the columnar plan calls with the rows it is about to screen one by one: the names among them
        resolved together (`RowResolver.prefetch`), which costs about half of resolving them one at a time."""

        def prefetch(rows: list[tuple[int, list[Any]]]) -> None:
            self.resolver.prefetch(self._read(line, values, None, row_reader, file_errors)[0] for line, values in rows)

        return prefetch

    def _screen(
        self,
        screener: RowScreener,
        line: int,
        values: list[Any],
        problem: str | None,
        row_reader: RowReader,
        file_errors: list[str],
    ) -> RowResult:
        return screener.screen(*self._read(line, values, problem, row_reader, file_errors))

    def _read(
        self, line: int, values: list[Any], problem: str | None, row_reader: RowReader, file_errors: list[str]
    ) -> tuple[ScreenRow, datetime | None]:
        """A row as screening judges it (its problems, and those of the file, attached) and its instant."""
        row = row_reader.read(line, values)
        if problem:
            row.problems.insert(0, problem)
        row.problems.extend(f"file: {message}" for message in file_errors)
        instant: datetime | None = self.on
        if self.options.kind == "trades":
            instant = row.trade_time or self.options.on
            if instant is None and not row.problems:
                row.problems.append("no trade date/time: add the column or give --on")
            if row.side is None and not row.problems:
                row.problems.append("no side: a trade must say buy or sell")
        return row, instant

    @staticmethod
    def _write(
        writer: OutputWriter,
        batch: Batch | None,
        results: list[RowResult],
        summary: Summary,
        hits: list[AlertHit],
        versions: str,
    ) -> None:
        cells = []
        for result in results:
            columns = result.columns or decision_columns(result)
            summary.add(result, columns)
            hits.extend(result.alerts)
            cells.append((*columns.values(), versions))
        writer.write(batch, cells)
