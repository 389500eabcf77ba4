"""The column-at-a-time ISIN check lets through exactly the cells python-stdnum accepts unchanged."""

from __future__ import annotations

import random

import pyarrow as pa
from stdnum import isin

from redline.screen.isin_column import valid_isins

CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_valid_isins_agrees_with_stdnum_on_random_cells() -> None:
    rng = random.Random(6166)
    cells: list[str | None] = [
        None,
        "",
        "US0378331005",
        "us0378331005",
        " US0378331005",
        "US 037833100 5",
        "US037833100",
    ]
    for _ in range(20_000):
        body = rng.choice(["US", "KY", "CN", "XS", "ZZ", "HK", "Us", "1A"]) + "".join(rng.choices(CHARS, k=9))
        check = isin.calc_check_digit(body) if body.isupper() and rng.random() < 0.6 else rng.choice("0123456789XÉ")
        cells.append(body + check)
    found = valid_isins(pa.array(cells, pa.string())).tolist()
    expected = [bool(c) and isin.is_valid(c) and isin.compact(c) == c for c in cells]
    assert found == expected
    assert 5_000 < sum(found) < 15_000
