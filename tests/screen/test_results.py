"""Reading a screened file back (the web UI's result table and alert page): filters, pages, and the line numbers
the run gave the rows, which the output file alone does not keep."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from redline.screen.results import Filters, result_page, screened_row
from redline.store.screening import ScreenStore
from tests.screen.helpers import EXAMPLES, run


@pytest.fixture
def screened(tmp_path: Path) -> tuple[Path, Path]:
    """The example portfolio with a blank line and a quoted two-line cell before SMIC's row, screened on
    2021-03-01: the run numbers SMIC's row 5, the output file has it on its line 4."""
    lines = (EXAMPLES / "portfolio.csv").read_text(encoding="utf-8").splitlines()
    first = lines[1].replace("Xiaomi Corporation", '"Xiaomi\nCorporation"')
    source = tmp_path / "book.csv"
    source.write_text("\n".join([lines[0], first, "", *lines[2:]]) + "\n", encoding="utf-8")
    output = tmp_path / "book.screened.csv"
    run(source, ScreenStore(f"sqlite:///{tmp_path / 'redline.db'}"), output, on="2021-03-01")
    return output, source


def test_rows_keep_the_line_numbers_the_run_gave_them(screened: tuple[Path, Path]) -> None:
    output, source = screened
    page = result_page(output, source, {}, Filters(decision="DIVEST"), 0, 100)
    assert [row.line for row in page.rows] == [5, 8]
    smic = page.rows[0]
    assert smic.cells[2] == "KYG8020E1199" and smic.redline["redline_entity"] == "smic"
    assert [state for _, state in smic.alerts] == ["open"] and len(smic.alerts[0][0]) == 12
    # The alert page looks a row up by the number its alert recorded.
    store = ScreenStore(f"sqlite:///{output.parent / 'redline.db'}")
    (sighting,) = store.sightings(next(a.id for a in store.alerts() if a.entity_id == "smic"))
    found = screened_row(output, source, {}, sighting["row"])
    assert found is not None and found[1] == smic and found[0][:3] == ("account", "fund", "isin")
    assert screened_row(output, source, {}, 4) is None  # the blank line is no row


def test_filters_counts_choices_and_pages(screened: tuple[Path, Path]) -> None:
    output, source = screened
    everything = result_page(output, source, {}, Filters(), 0, 4)
    assert (everything.total, everything.matching, len(everything.rows)) == (9, 9, 4)
    assert everything.account_column == "account" and everything.accounts == ["ACC-1", "ACC-2", "ACC-3"]
    assert everything.regimes == ["EO13959"]
    second = result_page(output, source, {}, Filters(), 4, 4)
    assert [row.line for row in second.rows] == [8, 9, 10, 11]
    by_account = result_page(output, source, {}, Filters(account="ACC-2", regime="EO13959"), 0, 100)
    assert [row.cells[2] for row in by_account.rows] == ["CNE100000PM8"]
    none = result_page(output, source, {}, Filters(decision="BLOCK"), 0, 100)
    assert (none.matching, none.rows, none.account_column) == (0, [], "account")


def test_a_parquet_result_with_a_mapped_account_column(tmp_path: Path) -> None:
    source = tmp_path / "book.parquet"
    table = {"Book": ["B-1", "B-2"], "Security ID": ["KYG8020E1199", "US0378331005"], "Units": [10, 20]}
    pq.write_table(pa.table(table), source)
    output = tmp_path / "book.screened.parquet"
    store = ScreenStore(f"sqlite:///{tmp_path / 'redline.db'}")
    mapping = {"account": "Book", "isin": "Security ID"}
    run(source, store, output, on="2021-03-01", mapping=mapping)
    page = result_page(output, source, mapping, Filters(account="B-1"), 0, 10)
    assert page.account_column == "Book" and page.accounts == ["B-1", "B-2"]
    assert [(row.line, row.cells, row.redline["redline_decision"]) for row in page.rows] == [
        (1, ("B-1", "KYG8020E1199", "10"), "DIVEST")
    ]


def test_a_file_that_is_not_a_screened_one_is_refused(tmp_path: Path) -> None:
    plain = EXAMPLES / "portfolio.csv"
    with pytest.raises(ValueError, match="is not a screened file"):
        result_page(plain, plain, {}, Filters(), 0, 10)
