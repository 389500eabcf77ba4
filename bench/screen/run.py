"""Screening benchmark: the identifier path, the name path, the Spark engine, and a plain DuckDB join as the floor.

    .venv/bin/pip install -e '.[bench,spark]'   # duckdb, pyspark
    .venv/bin/python bench/screen/run.py [--rows 1000000] [--name-rows 1000000] [--distinct-names 100000]
                                         [--spark-rows 10000000] [--with-rows-engine]

Inputs are generated here (never committed): a universe of valid synthetic ISINs plus every ISIN in the bundled
reference data, so about 2% of rows hit a listed company. Each measured step runs in its own process; wall time
and peak memory are taken per process: max RSS from wait4, and for Spark the peak summed RSS of the process and its
descendants (the JVM and its Python workers), sampled every 0.2 s. The DuckDB step joins the same rows to the same ISIN
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


def write_names(path: Path, rows: int, rng: random.Random, distinct: int) -> None:
    """`rows` counterparty rows naming `distinct` different names (5% of them names of listed entities)."""
    names = [name for entity in bundled_store().entities() for name in entity.all_names()]
    words = ["Alpha", "Global", "Pacific", "Holdings", "Technology", "Energy", "Capital", "Group", "Systems", "Bio"]
    pool = [
        rng.choice(names) if rng.random() < 0.05 else " ".join(rng.sample(words, 3)) + f" {number}"
        for number in range(distinct)
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "market value", "currency"])
        for _ in range(rows):
            writer.writerow([rng.choice(pool), rng.randint(100, 10**6), "USD"])


def repeat_book(source: Path, target: Path, times: int) -> None:
    """The book's rows `times` over under one header (a 10M-row book from a 1M-row one, in seconds)."""
    with source.open("rb") as handle:
        header = handle.readline()
        body = handle.read()
    with target.open("wb") as out:
        out.write(header)
        for _ in range(times):
            out.write(body)


def _tree_rss(root: int) -> int:
    """Summed RSS (bytes) of `root` and its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * page
    members, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in members:
                members.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in members)


def measure(command: list[str], env: dict[str, str], expected: int = 0, tree: bool = False) -> dict[str, float]:
    """Wall seconds and peak RSS (MB) of one process (with `tree`, of it and its descendants)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while tree:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.2)
    else:
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != expected:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{command[-6:]} failed with {code}: {stderr}")
    result = {
        "seconds": round(elapsed, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),  # the process and the children it waited for
    }
    if tree:
        result["peak_mb_with_descendants"] = round(max(peak, usage.ru_maxrss * 1024) / 2**20, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--name-rows", type=int, default=1_000_000)
    parser.add_argument("--distinct-names", type=int, default=100_000)
    parser.add_argument("--spark-rows", type=int, default=10_000_000, help="0: skip Spark")
    parser.add_argument("--spark-master", default="local[*]")
    parser.add_argument("--with-rows-engine", action="store_true", help="also time the row-at-a-time pipeline")
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
    write_names(names, args.name_rows, rng, args.distinct_names)
    with ids.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["isin", "entity_id"])
        writer.writerows(sorted(listed.items()))
    load = os.getloadavg()
    on = ["--on", "2021-08-03"]
    # Exit code 1 (findings) is expected: every generated book holds listed companies.
    redline_ids = measure([*REDLINE, "screen", str(holdings), *on, "-o", str(work / "out.csv")], env, 1)
    duckdb_join = measure([sys.executable, "-c", DUCKDB_JOIN, str(holdings), str(ids), str(work / "duck.csv")], env)
    result: dict[str, object] = {
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": [round(x, 2) for x in load]},
        "identifier_path": {"rows": args.rows, "engine": "local", **redline_ids,
                            "rows_per_second": round(args.rows / redline_ids["seconds"])},
        "duckdb_join_floor": {"rows": args.rows, **duckdb_join,
                              "rows_per_second": round(args.rows / duckdb_join["seconds"])},
        "ratio_redline_to_duckdb": round(redline_ids["seconds"] / duckdb_join["seconds"], 1),
        "ratio_redline_to_duckdb_cpu": round(redline_ids["cpu_seconds"] / duckdb_join["cpu_seconds"], 1),
    }  # fmt: skip
    if args.with_rows_engine:
        rows_engine = measure(
            [*REDLINE, "screen", str(holdings), *on, "-o", str(work / "rows.csv"), "--engine", "rows"], env, 1
        )
        result["identifier_path_rows_engine"] = {
            "rows": args.rows,
            **rows_engine,
            "rows_per_second": round(args.rows / rows_engine["seconds"]),
        }
    redline_names = measure([*REDLINE, "screen", str(names), *on, "-o", str(work / "names.out.csv")], env, 1)
    result["name_path"] = {"rows": args.name_rows, "distinct_names": args.distinct_names, **redline_names,
                           "rows_per_second": round(args.name_rows / redline_names["seconds"])}  # fmt: skip
    if args.spark_rows:
        big = work / "big.csv"
        repeat_book(holdings, big, max(1, args.spark_rows // args.rows))
        spark = [*REDLINE, "screen", str(big), *on, "-o", str(work / "big.out.csv"), "--engine", "spark"]
        measured = measure([*spark, "--spark-master", args.spark_master], env, 1, tree=True)
        spark_rows = max(1, args.spark_rows // args.rows) * args.rows
        result["spark_local"] = {"rows": spark_rows, "master": args.spark_master, **measured,
                                 "rows_per_second": round(spark_rows / measured["seconds"]),
                                 "input_mb": round(big.stat().st_size / 2**20, 1)}  # fmt: skip
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]  # type: ignore[index]
    result["targets"] = {"ratio_redline_to_duckdb": 10, "identifier_path_peak_mb": 1024}
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
