"""Reading a screened file back (the web UI's result table and alert page): filters, pages, and the line numbers
the run gave the rows, which the output file alone does not keep."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from redline.screen import results
from redline.screen.results import Filters, index_path, result_page, screened_row
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


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_a_page_is_read_from_the_index_without_reading_the_file_through(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index is written beside the file (atomically: no temporary file is left); once it exists a page, its
    counts and the alert page's row come from it and a seek (CSV) or the index's own cells (Parquet, XLSX): the
    streaming readers that read a file through are never opened."""
    rows = [["ACC-1" if n % 3 else "ACC-2", "KYG8020E1199" if n % 2 else "US0378331005", n] for n in range(40)]
    source = tmp_path / f"book.{fmt}"
    _write_book(source, ["account", "isin", "quantity"], rows)
    output = tmp_path / f"book.screened.{fmt}"
    run(source, ScreenStore(f"sqlite:///{tmp_path / 'redline.db'}"), output, on="2021-03-01")
    expected = result_page(output, source, {}, Filters(decision="DIVEST", account="ACC-1"), 5, 4)
    assert index_path(output).is_file() and not list(tmp_path.glob(".*.tmp"))
    monkeypatch.setattr(results, "open_table", _refused)
    monkeypatch.setattr(results, "CsvReader", _refused)
    again = result_page(output, source, {}, Filters(decision="DIVEST", account="ACC-1"), 5, 4)
    assert again == expected and (again.total, again.matching) == (40, 13)
    assert [row.line for row in again.rows] == [expected_line(fmt, n) for n in (17, 19, 23, 25)]
    assert all(row.redline["redline_decision"] == "DIVEST" and row.cells[0] == "ACC-1" for row in again.rows)
    assert again.rows[0].cells[2] == "17"
    found = screened_row(output, source, {}, expected_line(fmt, 17))
    assert found is not None and found[1] == again.rows[0]


def expected_line(fmt: str, row: int) -> int:
    """The line the run gives the row-th data row (from 0): CSV and XLSX count the header, Parquet does not."""
    return row + (1 if fmt == "parquet" else 2)


def _refused(*args: object, **kwargs: object) -> None:
    raise AssertionError("a page view read the file through")


def _write_book(path: Path, header: list[str], rows: list[list[object]]) -> None:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *rows])
    elif path.suffix == ".parquet":
        pq.write_table(pa.table({name: [row[i] for row in rows] for i, name in enumerate(header)}), path)
    else:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in [header, *rows]:
            sheet.append(row)
        workbook.save(path)


def test_an_index_that_no_longer_describes_its_file_is_rebuilt(screened: tuple[Path, Path]) -> None:
    output, source = screened
    before = result_page(output, source, {}, Filters(decision="DIVEST"), 0, 100)
    assert [row.line for row in before.rows] == [5, 8]
    # The same book screened again on a day before any listing: the file changes, the index is rebuilt.
    run(source, ScreenStore(f"sqlite:///{output.parent / 'redline.db'}"), output, on="2019-01-01")
    after = result_page(output, source, {}, Filters(decision="DIVEST"), 0, 100)
    assert after.matching == 0 and after.total == 9
    index_path(output).write_bytes(b"damaged")  # a damaged index is built again too
    assert result_page(output, source, {}, Filters(), 0, 100).total == 9
    mapped = result_page(output, source, {"account": "fund"}, Filters(), 0, 100)  # another mapping: another index
    assert mapped.account_column == "fund" and mapped.accounts == ["Growth", "Income", "Special"]
