"""The columnar plan (engine `local`) writes byte for byte the output, and finds the same summary and alerts, as the
row pipeline (engine `rows`), on the example books and on hostile CSV and Parquet files."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from stdnum import isin as stdnum_isin

from redline.screen.columnar import ColumnarSource
from redline.screen.pipeline import ScreenOutcome
from redline.store.screening import ScreenStore
from tests.screen.helpers import EXAMPLES, run


def _both(tmp_path: Path, book: Path, **options: Any) -> tuple[ScreenOutcome, ScreenOutcome, bytes, bytes]:
    outcomes, outputs = [], []
    for engine in ("rows", "local"):
        store = ScreenStore(f"sqlite:///{tmp_path / f'{engine}.db'}")
        output = tmp_path / f"{engine}.{book.name}"
        outcomes.append(run(book, store, output, engine=engine, **options))
        outputs.append(output.read_bytes())
        alerts = sorted((a.id, a.entity_id, a.decision, a.label, repr(a.explanation)) for a in store.alerts())
        outcomes[-1].parameters["alerts"] = alerts  # compared below with the rest
    return outcomes[0], outcomes[1], outputs[0], outputs[1]


def _same(tmp_path: Path, book: Path, **options: Any) -> ScreenOutcome:
    rows, local, rows_output, local_output = _both(tmp_path, book, **options)
    assert local_output == rows_output
    summaries = [outcome.summary.to_json() for outcome in (rows, local)]
    for summary in summaries:  # trades without --on count deadlines from "now", a second apart
        summary["deadlines"].pop("from")
    assert summaries[1] == summaries[0]
    assert local.parameters["alerts"] == rows.parameters["alerts"]
    return local


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("portfolio.csv", {"on": "2021-01-10"}),
        ("portfolio.csv", {"on": "2021-08-03", "constituents": EXAMPLES / "funds"}),
        ("portfolio.csv", {"on": "2022-07-01", "known_at": "2021-06-01"}),
        ("blotter.csv", {"kind": "trades", "known_at": "2022-01-01", "on": "2021-12-31"}),
    ],
)
def test_the_example_books_screen_alike(tmp_path: Path, name: str, options: dict[str, Any]) -> None:
    book = tmp_path / name
    shutil.copy(EXAMPLES / name, book)
    outcome = _same(tmp_path, book, **options)
    assert outcome.summary.rows > 5


HOSTILE = {
    "formulas.csv": "isin,name,quantity,market value,currency,note\n"
    'KYG8020E1199,=HYPERLINK("x"),100,1000,HKD,+cmd\n'
    'US0378331005, @SUM(A1),-5,"1,000",USD,-1\n'
    "KYG8020E1198,bad check digit,1e400,inf,USD,\n"
    "US0378331005,Apple,(12),nan,USD,\t=1\n"
    ",,,,,\n"
    'KYG8020E1199,SMIC, 7 ,1.5,HKD,"quoted, comma"\n',
    "semicolons.csv": "ISIN;Name;Qty\nKYG8020E1199;SMIC;1\nUS0378331005;Apple;2\n",
    "multiline.csv": 'isin,name\nKYG8020E1199,"two\nlines"\nUS0378331005,Apple\n',
    "blank-lines.csv": "isin,name\nKYG8020E1199,SMIC\n\nUS0378331005,Apple\n\n\n",
    "one-column.csv": "isin\nKYG8020E1199\n   \nUS0378331005\n",
    "lone-cr.csv": "isin,name\rKYG8020E1199,SMIC\rUS0378331005,Apple\r",
    "crlf.csv": "\ufeffisin,name,qty\r\nKYG8020E1199,SMIC,1\r\nUS0378331005,Apple,2\r\n",
    "short-row.csv": "isin,name,qty\nKYG8020E1199,SMIC\nUS0378331005,Apple,2,extra\n",
    "no-identifier.csv": "colour,size\nred,1\nblue,2\n",
    "control.csv": "isin,name\nKYG8020E1199,SM\x1fIC\nUS0378331005,Apple\x00\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_csv_screens_alike(tmp_path: Path, name: str) -> None:
    book = tmp_path / name
    book.write_bytes(HOSTILE[name].encode("utf-8"))
    _same(tmp_path, book, on="2021-08-03")


def test_windows_1252_bytes_screen_alike(tmp_path: Path) -> None:
    book = tmp_path / "excel.csv"
    book.write_bytes("isin,name\nKYG8020E1199,Soci\u00e9t\u00e9\nUS0378331005,Apple\n".encode("cp1252"))
    _same(tmp_path, book, on="2021-08-03")


def test_trades_with_sides_and_times_screen_alike(tmp_path: Path) -> None:
    book = tmp_path / "trades.csv"
    rows = ["isin,side,trade date,quantity"]
    rng = random.Random(14032)
    for number in range(400):
        isin = rng.choice(["KYG8020E1199", "US0378331005", "CNE100000PM8", "KYG8020E1198"])
        side = rng.choice(["buy", "sell", "S", "", "hold"])
        day = rng.choice(["2020-12-01", "2021-01-11", "2021-06-04", "2021-08-03", "", "2021-02-30"])
        rows.append(f"{isin},{side},{day},{number}")
    book.write_text("\n".join(rows) + "\n", encoding="utf-8")
    outcome = _same(tmp_path, book, kind="trades")
    assert outcome.summary.error_rows and outcome.summary.findings_count


def _isin(rng: random.Random) -> str:
    body = "US" + "".join(rng.choice("0123456789") for _ in range(9))
    return body + stdnum_isin.calc_check_digit(body)


def test_a_book_larger_than_a_batch_screens_alike(tmp_path: Path) -> None:
    rng = random.Random(13959)
    universe = [_isin(rng) for _ in range(300)] + ["KYG8020E1199", "CNE100000PM8", "XX0000000000"]
    book = tmp_path / "book.csv"
    lines = ["account,isin,name,quantity,market value,currency"]
    for number in range(30_000):
        quantity = rng.choice([str(number), "", '"1,000"', "x", " 5"]) if number % 97 == 0 else str(number)
        lines.append(f"A{number % 7},{rng.choice(universe)},,{quantity},{number * 3},USD")
    book.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = _same(tmp_path, book, on="2021-08-03")
    assert outcome.summary.rows == 30_000 and outcome.summary.error_rows
    # ... and the local engine read it as Arrow batches, not through its fallback
    batches = list(ColumnarSource(book, "csv", 6).batches())
    assert sum(batch.num_rows for batch, _ in batches) == 30_000 and batches[-1][1][-1] == 30_001


def test_parquet_books_screen_alike(tmp_path: Path) -> None:
    book = tmp_path / "book.parquet"
    table = pa.table(
        {
            "isin": ["KYG8020E1199", "US0378331005", None, "KYG8020E1198", "KYG8020E1199"],
            "name": ["SMIC", "Apple", "Hikvision", None, "SMIC"],
            "quantity": [1.0, float("inf"), None, 3.0, float("nan")],
            "market value": pa.array([1, 2, 3, 4, 5], pa.int64()),
            "trade date": pa.array([None, None, None, None, None], pa.timestamp("s")),
            "held": [True, False, True, False, True],
        }
    )
    pq.write_table(table, book)
    for kind in ("holdings", "trades"):
        output = _same(tmp_path, book, kind=kind, on="2021-08-03")
        assert output.summary.rows == 5
