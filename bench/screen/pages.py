"""The screening results page: time to read one page of a screened file, with and without filters.

    .venv/bin/python bench/screen/pages.py [--rows 50000] [--format csv|parquet|xlsx] [--repeat 5]

A book of `--rows` lines (the example portfolio's rows repeated over 40 accounts, about a third of them restricted)
is screened once; then each view the page offers is timed `--repeat` times: the first page, a page in the middle, a
decision filter, an account filter and the alert page's one-row lookup. The figures are the median wall time and the
median CPU time (process_time) of one view, so a busy machine shows as wall > CPU. The first view after the run is
timed on its own: it builds the page index when the run left none (a run made by a server job leaves one).
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from redline.model import parse_instant
from redline.screen.pipeline import Screening, ScreenOptions
from redline.screen.results import Filters, result_page, screened_row
from redline.store.screening import ScreenStore

ROOT = Path(__file__).resolve().parents[2]


def make_book(path: Path, rows: int) -> None:
    with (ROOT / "examples" / "portfolio.csv").open(encoding="utf-8", newline="") as handle:
        header, *examples = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for number in range(rows):
            row = list(examples[number % len(examples)])
            row[0] = f"ACC-{number % 40:02d}"
            writer.writerow(row)


def convert(source: Path, fmt: str) -> Path:
    if fmt == "csv":
        return source
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    target = source.with_suffix(f".{fmt}")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, target)
    else:
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("book")
        sheet.append(table.column_names)
        for row in zip(*(column.to_pylist() for column in table.columns), strict=True):
            sheet.append(list(row))
        workbook.save(target)
    return target


def timed(action: Callable[[], Any], repeat: int) -> dict[str, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"wall_s": round(statistics.median(walls), 4), "cpu_s": round(statistics.median(cpus), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--format", choices=("csv", "parquet", "xlsx"), default="csv")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = convert(_book(work, args.rows), args.format)
        output = work / f"results.{args.format}"
        options = ScreenOptions(kind="holdings", on=parse_instant("2021-03-16"), output=output)
        started = time.perf_counter()
        Screening(source, options, ScreenStore(f"sqlite:///{work / 'redline.db'}")).run()
        screened = time.perf_counter() - started
        middle = (args.rows // 2 // 100) * 100

        def view(filters: Filters, offset: int) -> Callable[[], Any]:
            return lambda: result_page(output, source, {}, filters, offset, 100)

        first = timed(view(Filters(), 0), 1)
        figures = {
            "rows": args.rows,
            "format": args.format,
            "screening_s": round(screened, 2),
            "first_view_after_the_run": first,
            "first_page": timed(view(Filters(), 0), args.repeat),
            "middle_page": timed(view(Filters(), middle), args.repeat),
            "decision_DIVEST_page_5": timed(view(Filters(decision="DIVEST"), 400), args.repeat),
            "account_ACC-07": timed(view(Filters(account="ACC-07"), 0), args.repeat),
            "one_row_for_the_alert_page": timed(lambda: screened_row(output, source, {}, middle), args.repeat),
        }
    json.dump(figures, sys.stdout, indent=2)
    print()


def _book(work: Path, rows: int) -> Path:
    path = work / "book.csv"
    make_book(path, rows)
    return path


if __name__ == "__main__":
    main()
