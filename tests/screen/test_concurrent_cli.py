"""Several `redline screen` and `redline alerts decide` processes at once, on each backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from redline.store.screening import ScreenStore
from tests.screen.helpers import EXAMPLES

COMMAND = [sys.executable, "-c", "from redline.cli.app import main; main()"]


def test_concurrent_screens_and_decisions(tmp_path: Path, database_url: str) -> None:
    env = {**os.environ, "REDLINE_DATABASE_URL": database_url, "REDLINE_HOME": str(tmp_path / "home")}
    book = str(EXAMPLES / "portfolio.csv")
    first = subprocess.run(
        [*COMMAND, "screen", book, "--on", "2021-03-16", "-o", str(tmp_path / "first.csv"), "--json"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert first.returncode == 1, first.stderr
    run_id = json.loads(first.stdout)["run_id"]
    alerts = [alert.id for alert in ScreenStore(database_url).alerts(run_id=run_id)]
    assert len(alerts) == 4  # SMIC, China Mobile Ltd, CNOOC Ltd, Hikvision (no look-through here)
    processes = [
        subprocess.Popen(
            [*COMMAND, "screen", book, "--on", day, "-o", str(tmp_path / f"{day}.csv")],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for day in ("2021-03-01", "2021-08-03", "2022-06-10")
    ] + [
        subprocess.Popen(
            [*COMMAND, "alerts", "decide", alert_id, "--verdict", "true-match", "--comment", f"checked {n}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n, alert_id in enumerate(alerts[:3])
    ]
    codes = [process.wait(timeout=300) for process in processes]
    assert codes == [1, 1, 1, 0, 0, 0], [p.stderr.read() for p in processes if p.stderr]
    store = ScreenStore(database_url)
    assert len(store.runs()) == 4
    assert sorted(a.id for a in store.alerts(status="true-match")) == sorted(alerts[:3])
    result = store.verify()
    assert result.ok and result.entries == 7, result.problems
