"""Several real processes record runs and decisions at once; nothing may be lost and the chain must hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from redline.store.schema import alerts, audit_log, decisions, run_alerts, runs
from redline.store.screening import ScreenStore

WORKER = Path(__file__).with_name("concurrent_worker.py")
WORKERS, ROUNDS = 4, 8


def test_concurrent_processes_lose_nothing(database_url: str) -> None:
    ScreenStore(database_url)  # migrate first, so the workers also race on "already migrated?" checks
    processes = [
        subprocess.Popen([sys.executable, str(WORKER), database_url, str(worker), str(ROUNDS)], stderr=subprocess.PIPE)
        for worker in range(WORKERS)
    ]
    for process in processes:
        _, err = process.communicate(timeout=240)
        assert process.returncode == 0, err.decode()
    store = ScreenStore(database_url)
    with store.engine.connect() as connection:

        def count(table: object) -> int:
            return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]

        assert count(runs) == WORKERS * ROUNDS
        assert count(run_alerts) == 3 * WORKERS * ROUNDS
        assert count(alerts) == 2 + WORKERS * ROUNDS
        assert count(decisions) == WORKERS * ROUNDS
        assert count(audit_log) == 2 * WORKERS * ROUNDS
        seqs = list(connection.execute(select(audit_log.c.seq).order_by(audit_log.c.seq)).scalars())
    assert seqs == list(range(1, 2 * WORKERS * ROUNDS + 1))
    result = store.verify()
    assert result.ok, result.problems


def test_first_use_by_many_processes_at_once_migrates_once(database_url: str) -> None:
    processes = [
        subprocess.Popen([sys.executable, str(WORKER), database_url, str(worker), "1"], stderr=subprocess.PIPE)
        for worker in range(WORKERS)
    ]
    for process in processes:
        _, err = process.communicate(timeout=240)
        assert process.returncode == 0, err.decode()
    assert ScreenStore(database_url).verify().ok
