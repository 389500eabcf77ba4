from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from redline.model import IdScheme, NameKind
from redline.model.records import DateKind, RecordSchema
from redline.sources.errors import SourceError
from redline.sources.loaded import IssuedFrom, SourceList
from redline.sources.un_xml import load_un_xml


def test_un_fixture(fixtures: Path) -> None:
    loaded = load_un_xml(fixtures / "un_consolidated.xml")
    assert loaded.source is SourceList.UN_SC and loaded.issued_from is IssuedFrom.FILE
    assert loaded.issued_at == datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=UTC)
    records = {r.source_id: r for r in loaded.records}
    baradar = records["6908555"]
    assert baradar.schema is RecordSchema.PERSON and baradar.name == "ABDUL GHANI BARADAR"
    assert baradar.programs == ("Taliban",) and baradar.lists == ("UN List",)
    scripts = {n.text: n.script for n in baradar.names}
    assert scripts["عبدالغنی برادر"] == "Arab" and scripts["ABDUL GHANI BARADAR"] == "Latn"
    assert [(n.text, n.weak) for n in baradar.names if n.kind is NameKind.ALIAS][-1] == ("Baradar", True)
    births = baradar.birth_dates()
    assert [(d.earliest, d.latest) for d in births] == [
        (date(1968, 1, 1), date(1968, 12, 31)),
        (date(1965, 1, 1), date(1967, 12, 31)),
    ]
    (passport,) = baradar.identifiers_of(IdScheme.PASSPORT)
    assert (passport.value, passport.country) == ("OR1234567", "Afghanistan")
    assert ("TAi.024", "UN Reference Number") in [(i.value, i.label) for i in baradar.identifiers]
    assert ("place_of_birth", "Yatimak village, Uruzgan Province, Afghanistan") in baradar.extra
    assert [d.text for d in baradar.dates if d.kind is DateKind.LISTED] == ["2001-02-23"]
    badege = records["6907993"]
    assert badege.birth_dates()[0].circa and len(badege.names) == 1  # the empty alias is skipped
    congomet = records["6908025"]
    assert congomet.schema is RecordSchema.ORGANIZATION and "CONGOMET" in congomet.all_names()
    assert congomet.addresses[0].city == "Butembo"


def test_truncated_xml_names_the_line(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "un_consolidated.xml").read_text(encoding="utf-8")
    path = tmp_path / "un.xml"
    path.write_text(text[: text.index("<ENTITIES>") + 30], encoding="utf-8")
    with pytest.raises(SourceError, match=r"un\.xml:\d+: not well-formed XML"):
        load_un_xml(path)


def test_other_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text('<?xml version="1.0"?><sdnList xmlns="http://tempuri.org/sdnList.xsd"></sdnList>')
    with pytest.raises(SourceError, match="root element is <sdnList>, expected <CONSOLIDATED_LIST>"):
        load_un_xml(path)


def test_duplicate_dataid(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "un_consolidated.xml").read_text(encoding="utf-8").replace("6907993", "6908555")
    path = tmp_path / "un.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=r"duplicate DATAID 6908555 \(first at line \d+\)"):
        load_un_xml(path)


def test_wrong_encoding(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "un_consolidated.xml").read_text(encoding="utf-8")
    path = tmp_path / "un.xml"
    path.write_bytes(text.replace("ABDUL", "ABDÜL").encode("latin-1", errors="replace"))
    with pytest.raises(SourceError, match=r"un\.xml:\d+: not well-formed XML"):
        load_un_xml(path)


@pytest.mark.shared
def test_real_un_list(shared_data: Path) -> None:
    loaded = load_un_xml(shared_data / "un" / "UN_consolidated_2026-02-27.xml")
    assert len(loaded.records) == 1003
    persons = [r for r in loaded.records if r.schema is RecordSchema.PERSON]
    assert len(persons) == 730
    assert sum(1 for r in persons if r.birth_dates()) > 600
    assert sum(1 for r in loaded.records for n in r.names if n.script == "Arab") > 300


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("Ghasim Soleymani; Ghasem Sulaymani", ["Ghasim Soleymani", "Ghasem Sulaymani"]),
        ("حسن غول (Hassan Ghul; Hasan Gul)", ["حسن غول", "Hassan Ghul", "Hasan Gul"]),
        ("Mohammed Sabet; Mohammad Sabet b) M. Javad Sabet", ["Mohammed Sabet", "Mohammad Sabet", "M. Javad Sabet"]),
        ("GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS (GLBC)", ["GRANDS LACS (CAGL)", "GREAT LAKES BUSINESS (GLBC)"]),
        ("Abu Bakr (the elder)", ["Abu Bakr (the elder)"]),  # one name with a parenthesis stays one
        ("", []),
    ],
)
def test_an_alias_field_listing_several_spellings_gives_each_name(field: str, names: list[str]) -> None:
    from redline.sources.un_xml import alias_names

    assert alias_names(field) == names
