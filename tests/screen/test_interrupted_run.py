"""A run killed part-way leaves no output, no half-recorded run, and can simply be re-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from redline.store.screening import ScreenStore

ROWS = 400_000


def _big_book(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("isin,name,quantity,market value,currency\n")
        line = "KYG8020E1199,SMIC,100,1000,HKD\nUS0378331005,Apple Inc.,10,1500,USD\n"
        handle.write(line * (ROWS // 2))


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT], ids=["term", "kill", "int"])
def test_a_killed_run_leaves_nothing_half_done(tmp_path: Path, signum: signal.Signals) -> None:
    _kill_and_rerun(tmp_path, f"sqlite:///{tmp_path / 'redline.db'}", signum)


@pytest.mark.slow
def test_a_killed_run_leaves_nothing_half_done_on_postgresql(tmp_path: Path, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the SQLite cases are above")
    _kill_and_rerun(tmp_path, database_url, signal.SIGKILL)


def _kill_and_rerun(tmp_path: Path, url: str, signum: signal.Signals) -> None:
    book, output = tmp_path / "book.csv", tmp_path / "out.csv"
    _big_book(book)
    env = {**os.environ, "REDLINE_DATABASE_URL": url, "REDLINE_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-c", "from redline.cli.app import main; main()"]
    # The row engine, killed inside its row loop; the columnar engine (seconds for this book) is killed at
    # several moments below.
    args = ["screen", str(book), "--on", "2021-03-01", "-o", str(output), "--engine", "rows"]
    process = subprocess.Popen([*command, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.csv.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # well inside the row loop: the output is half written in its temporary file
    assert process.poll() is None, "the run finished before it could be interrupted: raise ROWS"
    process.send_signal(signum)
    process.communicate(timeout=60)
    assert process.returncode != 0
    assert not output.exists()
    if signum is not signal.SIGKILL:  # a kill -9 cannot clean up; its temporary file is hidden and harmless
        assert not list(tmp_path.glob(".out.csv.*.tmp"))
    store = ScreenStore(url)
    assert store.runs() == [] and store.alerts() == []
    assert store.verify().entries == 0
    rerun = subprocess.run([*command, *args], env=env, capture_output=True, timeout=300)
    assert rerun.returncode == 1, rerun.stderr.decode()
    assert sum(1 for _ in output.open(encoding="utf-8")) == ROWS + 1
    assert len(store.runs()) == 1 and store.verify().ok


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.5, 1.0, 2.0])
def test_the_columnar_engine_publishes_all_or_nothing(tmp_path: Path, delay: float) -> None:
    """Interrupted at any moment, the default engine has either published the file and recorded the run, or
    neither; it never falls back to the row pipeline on Ctrl-C (Arrow reports it as ArrowCancelled)."""
    book, output = tmp_path / "book.csv", tmp_path / "out.csv"
    _big_book(book)
    url = f"sqlite:///{tmp_path / 'redline.db'}"
    env = {**os.environ, "REDLINE_DATABASE_URL": url, "REDLINE_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-c", "from redline.cli.app import main; main()"]
    args = ["screen", str(book), "--on", "2021-03-01", "-o", str(output)]
    process = subprocess.Popen([*command, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    store = ScreenStore(url)
    published, recorded = output.exists(), len(store.runs()) == 1
    assert published == recorded, f"published {published} but recorded {recorded}"
    assert not list(tmp_path.glob(".out.csv.*.tmp"))
    if published:
        assert sum(1 for _ in output.open(encoding="utf-8")) == ROWS + 1 and store.verify().ok
    else:
        assert process.returncode not in (0, 1) and store.alerts() == []
