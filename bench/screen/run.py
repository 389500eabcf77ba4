"""Screening benchmark: Redline's identifier path, its name path, and a plain DuckDB join as the floor.

    .venv/bin/pip install -e '.[bench]'   # duckdb
    .venv/bin/python bench/screen/run.py [--rows 1000000] [--names 100000]

Inputs are generated here (never committed): a universe of valid synthetic ISINs plus every ISIN in the bundled
reference data, so about 2% of rows hit a listed company. Each measured step runs in its own process; wall time
and peak memory (max RSS from wait4) are taken per process. The DuckDB step joins the same rows to the same ISIN
table and writes the same rows back with the entity column: the least work any screen must do.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stdnum import isin as stdnum_isin

from redline.model import IdScheme
from redline.store.reference import bundled_store

ROOT = Path(__file__).resolve().parents[2]
REDLINE = [sys.executable, "-c", "from redline.cli.app import main; main()"]
DUCKDB_JOIN = """
import sys, duckdb
holdings, ids, out = sys.argv[1:4]
con = duckdb.connect()
con.execute(f"CREATE TABLE ids AS SELECT * FROM read_csv('{ids}', header=true, all_varchar=true)")
con.execute(
    f"COPY (SELECT h.*, i.entity_id FROM read_csv('{holdings}', header=true, all_varchar=true) h "
    f"LEFT JOIN ids i ON h.isin = i.isin) TO '{out}' (HEADER)"
)
"""


def synthetic_isin(rng: random.Random) -> str:
    body = "US" + "".join(rng.choice("0123456789") for _ in range(9))
    return body + stdnum_isin.calc_check_digit(body)


def listed_isins() -> dict[str, str]:
    return {
        ident.value: entity.id
        for entity in bundled_store().entities()
        for ident in entity.identifiers
        # OFAC printed some ISINs with bad check digits; the bundled data keeps them, a book would not.
        if ident.scheme is IdScheme.ISIN and stdnum_isin.is_valid(ident.value)
    }


def write_holdings(path: Path, rows: int, listed: list[str], rng: random.Random) -> None:
    universe = [synthetic_isin(rng) for _ in range(50_000)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account", "isin", "quantity", "market value", "currency"])
        for number in range(rows):
            isin = rng.choice(listed) if rng.random() < 0.02 else rng.choice(universe)
            writer.writerow([f"ACC-{number % 500}", isin, rng.randint(1, 10_000), rng.randint(100, 10**6), "USD"])


def write_names(path: Path, rows: int, rng: random.Random) -> None:
    names = [name for entity in bundled_store().entities() for name in entity.all_names()]
    words = ["Alpha", "Global", "Pacific", "Holdings", "Technology", "Energy", "Capital", "Group", "Systems", "Bio"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "market value", "currency"])
        for _ in range(rows):
            if rng.random() < 0.05:
                name = rng.choice(names)
            else:
                name = " ".join(rng.sample(words, 3)) + f" {rng.randint(1, 5000)}"
            writer.writerow([name, rng.randint(100, 10**6), "USD"])


def measure(command: list[str], env: dict[str, str], expected: int = 0) -> dict[str, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != expected:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{command[-6:]} failed with {code}: {stderr}")
    return {
        "seconds": round(elapsed, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    if shutil.which("duckdb") is None:
        try:
            import duckdb  # noqa: F401
        except ImportError:
            raise SystemExit("duckdb is missing: pip install -e '.[bench]'") from None
    rng = random.Random(1260)
    work = Path(tempfile.mkdtemp(prefix="redline-bench-screen-"))
    env = {**os.environ, "REDLINE_HOME": str(work / "home"), "REDLINE_USER": "bench"}
    env.pop("REDLINE_DATABASE_URL", None)
    listed = listed_isins()
    holdings, names, ids = work / "holdings.csv", work / "names.csv", work / "isins.csv"
    write_holdings(holdings, args.rows, sorted(listed), rng)
    write_names(names, args.names, rng)
    with ids.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["isin", "entity_id"])
        writer.writerows(sorted(listed.items()))
    load = os.getloadavg()
    on = ["--on", "2021-08-03"]
    # Exit code 1 (findings) is expected: every generated book holds listed companies.
    redline_ids = measure([*REDLINE, "screen", str(holdings), *on, "-o", str(work / "out.csv")], env, 1)
    duckdb_join = measure([sys.executable, "-c", DUCKDB_JOIN, str(holdings), str(ids), str(work / "duck.csv")], env)
    redline_names = measure([*REDLINE, "screen", str(names), *on, "-o", str(work / "names.out.csv")], env, 1)
    result = {
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": [round(x, 2) for x in load],
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "identifier_path": {"rows": args.rows, **redline_ids,
                            "rows_per_second": round(args.rows / redline_ids["seconds"])},
        "duckdb_join_floor": {"rows": args.rows, **duckdb_join},
        "ratio_redline_to_duckdb": round(redline_ids["seconds"] / duckdb_join["seconds"], 1),
        "name_path": {"rows": args.names, **redline_names,
                      "rows_per_second": round(args.names / redline_names["seconds"])},
        "targets": {"identifier_path_seconds": 60, "identifier_path_peak_mb": 2048},
    }  # fmt: skip
    print(json.dumps(result, indent=2))
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "screen.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work)
    else:
        print(f"inputs and outputs kept in {work}", file=sys.stderr)


if __name__ == "__main__":
    main()
