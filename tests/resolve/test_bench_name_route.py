"""A small profile of `bench/resolve/name_route.py`, the script `pairs.py speed --baseline-tree` runs in each
checkout: on this tree, 12 names through screening's name route in a new process. The rate itself is a bench
figure (docs/resolve.md), not asserted here; what is asserted is that the script runs as the bench runs it,
in a new process with its own REDLINE_HOME, and prints a rate."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "bench" / "resolve" / "name_route.py"
NAMES = ["Xiaomi Global Corporation 17", "Hikvision Digital Apex 3", "Blue River Trading 88", "China Mobile Star 5",
         "Northern Pacific 12", "SMIC Holdings 7", "Huawei Digital 41", "Apex 900", "Star Pacific Holdings 2",
         "CNOOC Blue 6", "Dawning Information River 9", "Global Trading 0"]  # fmt: skip


def test_name_route_script_runs_in_a_new_process(tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    with names.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name"])
        writer.writerows([name] for name in NAMES)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "REDLINE_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, str(SCRIPT), str(names)], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    rate = float(done.stdout.split()[-1])
    assert rate > 0
