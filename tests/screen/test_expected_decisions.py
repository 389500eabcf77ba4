"""The committed test set: every expectation in examples/expected.csv, derived from the regimes' rules."""

from __future__ import annotations

import csv
from itertools import groupby
from pathlib import Path

import pytest

from redline.store.screening import ScreenStore
from tests.screen.helpers import EXAMPLES, decisions_by_line, run

with (EXAMPLES / "expected.csv").open(encoding="utf-8") as handle:
    EXPECTED = list(csv.DictReader(handle))


def _group(row: dict[str, str]) -> tuple[str, str, str, str]:
    return row["file"], row["kind"], row["on"], row["known_at"]


GROUPS = [(key, list(rows)) for key, rows in groupby(EXPECTED, key=_group)]


@pytest.mark.parametrize(("key", "expectations"), GROUPS, ids=["/".join(filter(None, key)) for key, _ in GROUPS])
def test_decisions_match_the_rules(
    key: tuple[str, str, str, str], expectations: list[dict[str, str]], tmp_path: Path
) -> None:
    file, kind, on, known_at = key
    store = ScreenStore(f"sqlite:///{tmp_path / 'redline.db'}")
    output = tmp_path / "out.csv"
    outcome = run(
        EXAMPLES / file, store, output, kind=kind, on=on or None, known_at=known_at or None,
        constituents=EXAMPLES / "funds",
    )  # fmt: skip
    rows = decisions_by_line(output)
    wrong = [
        f"line {e['line']}: expected {e['expected']}, got {rows[int(e['line'])]['redline_decision']} ({e['rule']})"
        for e in expectations
        if rows[int(e["line"])]["redline_decision"] != e["expected"]
    ]
    assert not wrong, "\n".join(wrong)
    assert outcome.summary.error_rows == 0


def test_every_example_row_is_covered_by_an_expectation() -> None:
    covered = {(e["file"], int(e["line"])) for e in EXPECTED}
    for file in ("portfolio.csv", "blotter.csv"):
        with (EXAMPLES / file).open(encoding="utf-8") as handle:
            lines = range(2, 2 + sum(1 for _ in csv.DictReader(handle)))
        missing = [line for line in lines if (file, line) not in covered]
        assert not missing, f"{file}: no expectation for lines {missing}"
