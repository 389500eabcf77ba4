"""Bad input: every problem is reported on its row (or for the file) in the output and the summary."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from redline.screen.columns import MappingError, detect_columns, parse_mapping
from redline.screen.readers import InputError, open_table
from redline.store.screening import ScreenStore
from tests.screen.helpers import decisions_by_line, run


@pytest.fixture
def store(tmp_path: Path) -> ScreenStore:
    return ScreenStore(f"sqlite:///{tmp_path / 'redline.db'}")


def test_row_errors_are_in_the_output_and_the_summary(tmp_path: Path, store: ScreenStore) -> None:
    source = tmp_path / "book.csv"
    source.write_text(
        "ISIN,Security Name,Qty,Trade Date,Sector\n"
        "KYG8020E1199,SMIC,100,2021-03-01,Tech\n"  # fine
        "KYG8020E1198,SMIC,100,2021-03-01,Tech\n"  # wrong check digit
        "KYG8020E1199,SMIC,100,2021-03-01\n"  # malformed: a field short
        "KYG8020E1199,SMIC,lots,1850-01-01,Tech\n"  # not a number, date out of range
        "KYG8020E1199,SMIC,100,2021-02-30,Tech\n",  # no such date
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"
    outcome = run(source, store, output, on="2021-03-01")
    rows = decisions_by_line(output)
    assert rows[2]["redline_decision"] == "DIVEST"
    assert "not a valid ISIN" in rows[3]["redline_errors"] and rows[3]["redline_decision"] == "ERROR"
    assert "malformed row: 4 fields, the header has 5" in rows[4]["redline_errors"]
    assert "quantity 'lots' is not a number" in rows[5]["redline_errors"]
    assert "trade_time 1850-01-01 is out of range" in rows[5]["redline_errors"]
    assert "not a valid date" in rows[6]["redline_errors"]
    summary = outcome.summary.to_json()
    assert summary["decisions"]["ERROR"] == 4 and [e["line"] for e in summary["row_errors"]] == [3, 4, 5, 6]
    assert summary["unknown_columns"] == ["Sector"]
    assert outcome.summary.exit_code() == 2


def test_an_empty_file_gives_an_error_row_not_silence(tmp_path: Path, store: ScreenStore) -> None:
    source = tmp_path / "empty.csv"
    source.write_text("", encoding="utf-8")
    outcome = run(source, store, tmp_path / "out.csv", on="2021-03-01")
    assert outcome.summary.file_problems == ["the file is empty: no header and no rows"]
    assert outcome.summary.exit_code() == 2
    assert "the file is empty" in (tmp_path / "out.csv").read_text(encoding="utf-8")


def test_xlsx_with_merged_header_cells_is_an_error_naming_the_cells(tmp_path: Path, store: ScreenStore) -> None:
    source = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Security", None, "Qty"])
    sheet.append(["KYG8020E1199", "SMIC", 100])
    sheet.merge_cells("A1:B1")
    workbook.save(source)
    outcome = run(source, store, tmp_path / "out.xlsx", on="2021-03-01")
    assert outcome.summary.file_problems[0].startswith("row 1: merged header cells A1:B1")
    assert outcome.summary.decisions["ERROR"] == 1 and outcome.summary.exit_code() == 2


def test_bytes_that_are_not_utf8_are_read_as_cp1252(tmp_path: Path, store: ScreenStore) -> None:
    # Excel's "CSV" on Western Windows is cp1252: the header and the cells read as written, in UTF-8 out.
    source = tmp_path / "book.csv"
    source.write_bytes("isin,Société\nKYG8020E1199,SMIC\nUS0378331005,Café “Inc”\n".encode("cp1252"))
    output = tmp_path / "out.csv"
    outcome = run(source, store, output, on="2021-03-01")
    rows = decisions_by_line(output)
    assert rows[3]["Société"] == "Café “Inc”" and rows[3]["redline_errors"] == ""
    assert outcome.summary.exit_code() == 1  # SMIC is a finding; nothing is an error
    # A UTF-8 file with one stray cp1252 byte keeps both right.
    source.write_bytes("isin,name\nUS0378331005,Zürich ".encode() + b"\x80\n")
    run(source, store, output, on="2021-03-01")
    assert decisions_by_line(output)[2]["name"] == "Zürich €"


def test_xlsx_and_parquet_outputs_keep_their_format_and_rows(tmp_path: Path, store: ScreenStore) -> None:
    parquet = tmp_path / "book.parquet"
    pq.write_table(pa.table({"isin": ["KYG8020E1199", "US0378331005"], "qty": [100, 5]}), parquet)
    run(parquet, store, tmp_path / "out.parquet", on="2021-03-01")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column("redline_decision").to_pylist() == ["DIVEST", "OK"]
    assert table.schema.field("qty").type == pa.int64()  # input types survive
    xlsx = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["ISIN", "Name"])
    workbook.active.append(["KYG8020E1199", "SMIC"])
    workbook.save(xlsx)
    run(xlsx, store, tmp_path / "out.xlsx", on="2021-03-01")
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("redline_decision") + 1).value == "DIVEST"


def test_columns_are_found_by_synonym_or_mapped_by_hand() -> None:
    columns = detect_columns(["Security ID", "Issuer Name", "Market Value (USD)", "B/S", "Exec Time"])
    assert columns.column("name") == "Issuer Name" and columns.column("market_value") == "Market Value (USD)"
    assert columns.unknown == ("Security ID",)
    assert columns.column("side") == "B/S" and columns.column("trade_time") == "Exec Time"
    mapped = detect_columns(["Security ID", "MV"], parse_mapping(["isin=Security ID"]))
    assert mapped.column("isin") == "Security ID" and mapped.column("market_value") == "MV"
    with pytest.raises(MappingError, match="no column 'Nope'"):
        detect_columns(["a"], {"isin": "Nope"})
    with pytest.raises(MappingError, match="unknown field"):
        parse_mapping(["colour=x"])


def test_unreadable_files_raise_a_clear_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        open_table(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="unknown file type"):
        (tmp_path / "book.pdf").write_text("x")
        open_table(tmp_path / "book.pdf")
    (tmp_path / "fake.xlsx").write_text("not a zip")
    with pytest.raises(InputError, match="not a readable XLSX"):
        open_table(tmp_path / "fake.xlsx")
