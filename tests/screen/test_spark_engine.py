"""`redline screen --engine spark` (local mode, two cores, one session for the test run) gives byte for byte the
local engine's decisions and entities, summary and alerts, on the test books; a killed Spark run leaves nothing."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from redline.store.screening import ScreenStore
from tests.screen.helpers import EXAMPLES, run

pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for PySpark", allow_module_level=True)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from redline.screen.spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


def _columns(path: Path, names: tuple[str, ...]) -> list[tuple[str, ...]]:
    if path.is_dir() or path.suffix == ".parquet":
        table = pq.read_table(path)
        return list(zip(*(table.column(name).to_pylist() for name in names), strict=True))
    with path.open(encoding="utf-8", newline="") as handle:
        return [tuple(row[name] for name in names) for row in csv.DictReader(handle)]


def _engines(tmp_path: Path, book: Path, **options: Any) -> dict[str, Any]:
    found = {}
    for engine in ("local", "spark"):
        store = ScreenStore(f"sqlite:///{tmp_path / f'{engine}.db'}")
        output = tmp_path / f"{engine}.{book.name}"
        outcome = run(book, store, output, engine=engine, **options)
        summary = outcome.summary.to_json()
        summary["deadlines"].pop("from")
        alerts = sorted((a.id, a.entity_id, a.decision, a.label) for a in store.alerts())
        found[engine] = (output, summary, alerts, store.runs())
    return found


BOOKS = [
    ("portfolio.csv", {"on": "2021-08-03", "known_at": "2022-01-01"}),
    ("portfolio.csv", {"on": "2021-08-03", "constituents": EXAMPLES / "funds"}),
    ("blotter.csv", {"kind": "trades", "on": "2021-12-31", "known_at": "2022-01-01"}),
]


@pytest.mark.parametrize(("name", "options"), BOOKS)
def test_spark_screens_the_test_books_as_the_local_engine(
    spark: Any, tmp_path: Path, name: str, options: dict[str, Any]
) -> None:
    book = tmp_path / name
    shutil.copy(EXAMPLES / name, book)
    found = _engines(tmp_path, book, **options)
    (local_output, local_summary, local_alerts, _), (spark_output, spark_summary, spark_alerts, runs) = (
        found["local"],
        found["spark"],
    )
    wanted = ("redline_decision", "redline_entity")
    assert _columns(spark_output, wanted) == _columns(local_output, wanted)
    assert spark_output.read_bytes() == local_output.read_bytes()
    assert spark_summary == local_summary and spark_alerts == local_alerts
    assert len(runs) == 1 and runs[0]["parameters"]["engine"] == "spark"
    assert not list(tmp_path.glob(".*.tmp*"))


def test_spark_writes_parquet_books_as_part_files(spark: Any, tmp_path: Path) -> None:
    book = tmp_path / "book.parquet"
    pq.write_table(
        pa.table(
            {
                "isin": ["KYG8020E1199", "US0378331005", None, "KYG8020E1198"] * 3,
                "name": ["SMIC", "Apple", "Hikvision", None] * 3,
                "quantity": [1.0, 2.0, None, float("inf")] * 3,
            }
        ),
        book,
    )
    found = _engines(tmp_path, book, on="2021-08-03", report=tmp_path / "report.html")
    (local_output, local_summary, _, _), (spark_output, spark_summary, _, _) = found["local"], found["spark"]
    assert spark_output.is_dir() and list(spark_output.glob("part-*.parquet"))
    assert "SMIC" in (tmp_path / "report.html").read_text(encoding="utf-8")
    wanted = ("isin", "redline_decision", "redline_entity", "redline_errors")
    assert _columns(spark_output, wanted) == _columns(local_output, wanted)
    assert spark_summary == local_summary


@pytest.mark.slow
def test_a_killed_spark_run_publishes_and_records_nothing(tmp_path: Path) -> None:
    book, output = tmp_path / "book.csv", tmp_path / "out.csv"
    with book.open("w", encoding="utf-8") as handle:
        handle.write("isin,name,quantity\n")
        handle.write("KYG8020E1199,SMIC,100\nUS0378331005,Apple Inc.,10\n" * 100_000)
    url = f"sqlite:///{tmp_path / 'redline.db'}"
    env = {**os.environ, "REDLINE_DATABASE_URL": url, "REDLINE_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-c", "from redline.cli.app import main; main()"]
    args = ["screen", str(book), "--on", "2021-08-03", "-o", str(output), "--engine", "spark"]
    args += ["--spark-master", "local[2]"]
    process = subprocess.Popen([*command, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    # Killed once Spark is screening: its temporary output exists, nothing is recorded yet.
    while not list(tmp_path.glob(".out.csv.*.tmp*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert not output.exists()
    store = ScreenStore(url)
    assert store.runs() == [] and store.alerts() == []
