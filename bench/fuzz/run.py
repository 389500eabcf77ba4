"""Fuzzing every reader and loader for many inputs: how many were tried, how many crashed, how long it took.

    nice -n 19 .venv/bin/python bench/fuzz/run.py [--inputs 100000] [--budget SECONDS] [--targets csl-csv,...]

The inputs and the meaning of a crash are `tests/fuzz/targets.py`'s (the test suite runs the same for seconds):
byte-level mutations of a valid file, and (for the screening readers) generated hostile files. A crash is any
exception but the reader's own one-line error (`InputError`, `SourceError`). Screening inputs go through the
reader layer (read, type every row, write back neutralised) by default, or through the whole `redline screen`
pipeline with `--pipeline` (about 20 times slower). `--budget` ends each target's run early (the result says so).
Scratch files live in /dev/shm when it exists. Results are appended to bench/fuzz/results.json as each target
finishes, so a long run that is stopped still reports what it did.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fuzz.targets import Target, feed, inputs, targets  # noqa: E402

RESULTS = Path(__file__).with_name("results.json")


class _OutOfTime(BaseException):
    """Ends a target's run at its time budget (a BaseException, so Hypothesis stops at once instead of reporting
    a failing example)."""


def fuzz(target: Target, count: int, seed: int, folder: Path, budget: float | None = None) -> dict[str, Any]:
    tried, crashes = 0, []
    started = time.perf_counter()

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: crashes are recorded with their input and the run goes on
        suppress_health_check=list(HealthCheck),
    )
    @given(inputs(target))
    def run(data: bytes) -> None:
        nonlocal tried
        if budget is not None and time.perf_counter() - started > budget:
            raise _OutOfTime
        tried += 1
        crash = feed(target, data, folder)
        if crash is not None and len(crashes) < 20:
            crashes.append(
                {
                    "error": f"{type(crash).__name__}: {str(crash)[:300]}",
                    "where": traceback.format_exception(crash)[-2].strip()[:300],
                    "input_head": data[:200].hex(),
                }
            )

    run._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
    with contextlib.suppress(_OutOfTime):
        run()
    seconds = time.perf_counter() - started
    return {"target": target.name, "inputs": tried, "crashes": len(crashes), "seconds": round(seconds, 1),
            "inputs_per_second": round(tried / seconds, 1) if seconds else None, "seed": seed,
            "stopped_by_budget": tried < count, "crash_samples": crashes}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs per reader/loader")
    parser.add_argument("--targets", default="", help="comma-separated names (default: all)")
    parser.add_argument("--pipeline", action="store_true", help="screening inputs through the whole pipeline")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--budget", type=float, default=None, help="seconds per target at most")
    args = parser.parse_args()
    scratch_root = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(prefix="redline-fuzz-", dir=scratch_root) as scratch:
        folder = Path(scratch)
        os.environ["REDLINE_HOME"] = str(folder / "home")
        found = targets(folder, whole_pipeline=args.pipeline)
        names = [name for name in args.targets.split(",") if name] or list(found)
        for name in names:
            seed = args.seed if args.seed is not None else random.randrange(2**32)
            result = fuzz(found[name], args.inputs, seed, folder, args.budget)
            result["mode"] = "pipeline" if args.pipeline and name.startswith("screen-") else "reader"
            history = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
            RESULTS.write_text(json.dumps([*history, result], indent=1) + "\n")
            print(f"{name:20} {result['mode']:8} inputs {result['inputs']:>8,}  crashes {result['crashes']:>3}  "
                  f"{result['seconds']:>8.1f} s  ({result['inputs_per_second']}/s)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
