"""Import time and peak memory of the full OFAC SDN quartet and the UN consolidated XML.

Each case runs in a fresh Python process (so one case's memory does not inflate the next) and is repeated;
the table reports the median time and the peak resident memory. The baseline ("peer") is the bare parse of
the same bytes with the same libraries (csv module for the quartet, lxml's tree parser for the UN file): what
any loader must pay before mapping anything. No screening tool with an importable OFAC/UN loader is installed
here, so the ratio is Redline over that floor.

    .venv/bin/python bench/sources/run.py [--data ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CASES = {
    "sdn-baseline-csv": "sdn",
    "sdn-redline-load": "sdn",
    "sdn-redline-import": "sdn",
    "un-baseline-lxml": "un",
    "un-redline-load": "un",
    "un-redline-import": "un",
}

_CHILD = r"""
import json, resource, sys, time
case, main, home = sys.argv[1], sys.argv[2], sys.argv[3]
import os
os.environ["REDLINE_HOME"] = home
from pathlib import Path
# Import everything first: the timer covers reading and mapping, not Python start-up.
import csv, io
from lxml import etree
from redline.sources.formats import load
import redline.sources.ofac_csv, redline.sources.un_xml
from redline.store.snapshots import SnapshotStore
start = time.perf_counter()
if case == "sdn-baseline-csv":
    rows = 0
    for name in ("sdn", "add", "alt", "sdn_comments"):
        path = Path(main).with_name(Path(main).name.replace("sdn", name, 1))
        text = path.read_bytes().rstrip(b"\x1a").decode("cp1252")
        rows += sum(1 for _ in csv.reader(io.StringIO(text)))
    count = rows
elif case == "un-baseline-lxml":
    tree = etree.parse(main)
    count = len(tree.getroot().findall("./INDIVIDUALS/INDIVIDUAL")) + len(tree.getroot().findall("./ENTITIES/ENTITY"))
else:
    loaded = load([Path(main)])
    count = len(loaded.records)
    if case.endswith("import"):
        with SnapshotStore() as store:
            store.add(loaded, main)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "count": count,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_case(case: str, main: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, case, str(main), home], capture_output=True, text=True, check=True
        )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    inputs = {
        "sdn": args.data / "ofac" / "sdn_2021-07-07.csv",
        "un": args.data / "un" / "UN_consolidated_2026-02-27.xml",
    }
    missing = [str(path) for path in inputs.values() if not path.is_file()]
    if missing:
        sys.exit(f"input missing: {', '.join(missing)}")
    load_before = os.getloadavg()
    results = {}
    for case, key in CASES.items():
        runs = [run_case(case, inputs[key]) for _ in range(args.repeat)]
        results[case] = {
            "median_seconds": statistics.median(r["seconds"] for r in runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "count": runs[0]["count"],
        }
    load_after = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"{'case':22} {'items':>7} {'median s':>9} {'peak RSS MB':>12} {'x baseline':>11}")
    for case, result in results.items():
        base = results[f"{case.split('-')[0]}-baseline-{'csv' if case.startswith('sdn') else 'lxml'}"]
        ratio = result["median_seconds"] / base["median_seconds"]
        print(
            f"{case:22} {result['count']:>7} {result['median_seconds']:>9.2f} {result['peak_rss_mb']:>12.0f} "
            f"{ratio:>10.1f}x"
        )
    out_dir = REPO / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    record = {"load_average": [load_before, load_after], "repeat": args.repeat, "results": results}
    (out_dir / "sources.json").write_text(json.dumps(record, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
