from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sources.cli_runner import Result, redline_fixture  # noqa: F401  (provides `redline`)

FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures"
Run = Callable[..., Result]


def test_add_list_and_readd(redline: Run, redline_home: Path) -> None:
    first = redline("sources", "add", str(FIXTURES / "sdn_2021-07-07.csv"))
    assert first.code == 0, first.err
    assert "imported snapshot #1: ofac-sdn (ofac-csv), issued 2021-07-07 (filename), 5 records" in first.out
    again = redline("sources", "add", str(FIXTURES / "sdn_2021-07-07.csv"))
    assert "already stored as snapshot #1" in again.out
    un = redline("sources", "add", str(FIXTURES / "un_consolidated.xml"), "--json")
    data = json.loads(un.out)
    assert data["created"] and data["snapshot"]["list"] == "un-sc" and data["snapshot"]["records"] == 3
    assert data["snapshot"]["issued_at"] == "2026-02-27T00:00:09+00:00"
    listed = json.loads(redline("sources", "list", "--json").out)
    assert [(s["id"], s["list"], s["records"]) for s in listed] == [(1, "ofac-sdn", 5), (2, "un-sc", 3)]
    table = redline("sources", "list").out
    assert "ofac-sdn" in table and "un-sc" in table


def test_bundled_data_imports_through_the_same_interface(redline: Run, redline_home: Path) -> None:
    result = redline("sources", "add", "--as", "bundled", "--json")
    snapshot = json.loads(result.out)["snapshot"]
    assert snapshot["list"] == "bundled" and snapshot["records"] >= 9


@pytest.mark.parametrize(
    ("content", "kind", "message"),
    [
        (b"", None, "the file is empty"),
        (b"<html><head><title>404 Not Found</title></head></html>", None, "HTML page"),
        (b'<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z">\n<INDIVIDUALS>\n<INDI', None,
         ":4: not well-formed XML"),
        (b'_id,source,entity_number,type,programs,name,alt_names,ids\n1,X (EL),,,,"A",,\n1,X (EL),,,,"B",,\n', None,
         ":3 [id]: duplicate id EL:1 (first at line 2)"),
        (b'_id,source,entity_number,type,programs,name,alt_names,ids\n1,X (EL),,,,"M\xfcller GmbH",,\n', None,
         ":2: not UTF-8: byte 0xfc"),
        (b'_id,source,entity_number,type,programs,name,alt_names,ids\n1,X (EL),,,,"A",,\n', "ofac-cons-csv",
         "given as ofac-cons-csv but the file is csl-csv"),
    ],
)  # fmt: skip
def test_bad_input_is_one_clear_error(
    redline: Run, redline_home: Path, tmp_path: Path, content: bytes, kind: str | None, message: str
) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    result = redline("sources", "add", str(path), *(["--as", kind] if kind else []))
    assert result.code == 2
    assert result.err.startswith(f"redline: error: {path}")
    assert message in result.err and "nothing was imported" in result.err
    assert "Traceback" not in result.err
    assert json.loads(redline("sources", "list", "--json").out) == []


def test_a_file_given_as_another_list(redline: Run, redline_home: Path) -> None:
    result = redline("sources", "add", str(FIXTURES / "un_consolidated.xml"), "--as", "ofac-sdn-xml")
    assert result.code == 2 and "given as ofac-sdn-xml but the file is un-xml" in result.err
    result = redline("sources", "add", str(FIXTURES / "cons_prim_2025-12-19.csv"), "--as", "ofac-sdn-csv")
    assert result.code == 2 and "given as ofac-sdn but the file is OFAC's consolidated non-SDN list" in result.err


def _modified_sdn(directory: Path) -> Path:
    """The fixture quartet with one entry removed, one added, one renamed, an alias, an id and a program changed."""
    for name in ("sdn", "add", "alt", "sdn_comments"):
        shutil.copy(FIXTURES / f"{name}_2021-07-07.csv", directory / f"{name}_2021-08-01.csv")
    main = directory / "sdn_2021-08-01.csv"
    text = main.read_bytes().decode("cp1252")
    text = "\r\n".join(line for line in text.split("\r\n") if not line.startswith("36,"))
    text = text.replace('"SDNT] [SDNTK"', '"SDNTK"').replace("Cedula No. 123456", "Cedula No. 654321")
    text = text.replace('"OCEAN STAR"', '"OCEAN STAR II"')
    new_entry = '9999,"NEW FRONT COMPANY LTD",-0- ,"SDGT"' + ",-0- " * 8 + "\r\n\x1a"
    text = text.rstrip("\x1a") + new_entry
    main.write_bytes(text.encode("cp1252"))
    alt = directory / "alt_2021-08-01.csv"
    alt.write_bytes(alt.read_bytes().rstrip(b"\x1a") + b'2674,230,"aka","ABU AL-ABBAS",-0- \r\n\x1a')
    return main


def test_diff_reports_the_changes(redline: Run, redline_home: Path, tmp_path: Path) -> None:
    changed = _modified_sdn(tmp_path)
    redline("sources", "add", str(FIXTURES / "sdn_2021-07-07.csv"))
    redline("sources", "add", str(changed))
    report = json.loads(redline("sources", "diff", "1", "2", "--json").out)
    assert report["summary"] == {"added": 1, "removed": 1, "changed": 3, "unchanged": 1}
    assert [(e["id"], e["name"]) for e in report["added"]] == [("9999", "NEW FRONT COMPANY LTD")]
    assert [(e["id"], e["name"]) for e in report["removed"]] == [("36", "AEROCARIBBEAN AIRLINES")]
    changes = {c["id"]: c for c in report["changed"]}
    assert changes["2674"]["names"] == {"added": ["ABU AL-ABBAS"], "removed": []}
    assert changes["7001"]["programs"] == {"added": [], "removed": ["SDNT"]}
    assert changes["7001"]["identifiers"] == {"added": ["NATIONAL_ID 654321"], "removed": ["NATIONAL_ID 123456"]}
    assert changes["9001"]["name"] == {"added": ["OCEAN STAR II"], "removed": ["OCEAN STAR"]}
    assert "names" not in changes["9001"]
    table = redline("sources", "diff", "1", "2").out
    assert "1 added, 1 removed, 3 changed, 1 unchanged" in table and "NEW FRONT COMPANY LTD" in table
    # Files can be compared without importing them.
    direct = json.loads(redline("sources", "diff", str(FIXTURES / "sdn_2021-07-07.csv"), str(changed), "--json").out)
    assert direct["summary"] == report["summary"]


def test_diff_refuses_two_different_lists(redline: Run, redline_home: Path) -> None:
    redline("sources", "add", str(FIXTURES / "sdn_2021-07-07.csv"))
    redline("sources", "add", str(FIXTURES / "un_consolidated.xml"))
    result = redline("sources", "diff", "1", "2")
    assert result.code == 2 and "diff compares two versions of one list" in result.err
    assert "no snapshot '7'" in redline("sources", "diff", "1", "7").err


@pytest.mark.shared
def test_diff_of_the_real_sdn_list_against_a_modified_copy(
    redline: Run, redline_home: Path, tmp_path: Path, shared_data: Path
) -> None:
    for name in ("sdn", "add", "alt", "sdn_comments"):
        shutil.copy(shared_data / "ofac" / f"{name}_2021-07-07.csv", tmp_path / f"{name}_2021-07-08.csv")
    main = tmp_path / "sdn_2021-07-08.csv"
    lines = main.read_bytes().split(b"\r\n")
    dropped = [line for line in lines if line.startswith(b"173,")]
    kept = [line for line in lines if not line.startswith(b"173,")]
    kept = [line.replace(b'"CUBA"', b'"CUBA] [SDGT"') if line.startswith(b"306,") else line for line in kept]
    main.write_bytes(b"\r\n".join(kept))
    assert len(dropped) == 1
    redline("sources", "add", str(shared_data / "ofac" / "sdn_2021-07-07.csv"))
    redline("sources", "add", str(main))
    report = json.loads(redline("sources", "diff", "1", "2", "--json").out)
    assert report["summary"] == {"added": 0, "removed": 1, "changed": 1, "unchanged": 8974}
    assert report["removed"][0]["name"] == "ANGLO-CARIBBEAN CO., LTD."
    assert report["changed"][0]["programs"] == {"added": ["SDGT"], "removed": []}


def test_list_known_at_and_show(redline: Run, redline_home: Path) -> None:
    redline("sources", "add", str(FIXTURES / "cons_prim_2025-12-19.csv"), "--issued", "2025-04-21")
    redline("sources", "add", str(FIXTURES / "un_consolidated.xml"))
    in_force = json.loads(redline("sources", "list", "--known-at", "2025-06-01", "--json").out)
    assert [(s["list"], s["issued_from"]) for s in in_force] == [("ofac-cons", "option")]
    assert json.loads(redline("sources", "list", "--known-at", "2020-01-01", "--json").out) == []
    assert redline("sources", "list", "--known-at", "June 2025").code == 2
    shown = [json.loads(line) for line in redline("sources", "show", "1", "--id", "30882").out.splitlines()]
    assert [r["name"] for r in shown] == ["CHINA TELECOM CORPORATION LIMITED"]
    assert {f["key"] for f in shown[0]["facts"]} >= {"listing_date", "effective_date", "divestment_date", "isin"}
    by_name = redline("sources", "show", "2", "--name", "baradar").out.splitlines()
    assert len(by_name) == 1 and json.loads(by_name[0])["id"] == "6908555"


def test_a_damaged_store_is_one_error_line(redline: Run, redline_home: Path) -> None:
    redline_home.mkdir(parents=True, exist_ok=True)
    (redline_home / "redline.db").write_bytes(b"this is not a database" * 100)
    result = redline("sources", "list")
    assert result.code == 2 and "cannot" in result.err and "Traceback" not in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1
