from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from stdnum import isin as stdnum_isin

from redline.model import IdScheme, NameKind
from redline.model.records import DateKind, FactKey, RecordSchema
from redline.sources.errors import SourceError
from redline.sources.loaded import SourceList
from redline.sources.ofac_csv import load_ofac_csv


def test_sdn_quartet_with_its_quirks(fixtures: Path) -> None:
    loaded = load_ofac_csv([fixtures / "sdn_2021-07-07.csv"])
    assert loaded.source is SourceList.OFAC_SDN
    assert sorted(f.role for f in loaded.files) == ["add", "alt", "comments", "main"]
    records = {r.source_id: r for r in loaded.records}
    assert len(records) == 5
    # `-0-` is empty; entity without a type is an organisation.
    cuba = records["36"]
    assert cuba.schema is RecordSchema.ORGANIZATION and cuba.programs == ("CUBA",) and cuba.remarks == ""
    assert [n.text for n in cuba.names] == ["AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN"]
    assert cuba.addresses[0].text == "Havana, Cuba"
    # cp1252 letters and `A] [B` programs.
    garcia = records["7001"]
    assert garcia.name == "GARCÍA, José" and garcia.programs == ("SDNT", "SDNTK")
    assert garcia.schema is RecordSchema.PERSON
    assert [(n.text, n.kind) for n in garcia.names][1] == ("GARCIA LOPEZ, Jose", NameKind.FORMER)
    (dob,) = garcia.birth_dates()
    assert dob.circa and dob.earliest == date(1960, 1, 1) and dob.latest == date(1960, 12, 31)
    assert garcia.identifiers_of(IdScheme.NATIONAL_ID)[0].country == "Colombia"
    abbas = records["2674"]
    assert [(d.earliest, d.latest) for d in abbas.birth_dates()] == [
        (date(1948, 12, 10), date(1948, 12, 10)),
        (date(1949, 1, 1), date(1949, 12, 31)),
    ]
    (passport,) = abbas.identifiers_of(IdScheme.PASSPORT)
    assert (passport.value, passport.country) == ("A123456", "Iran")
    assert ("ABU ABBAS", True) in [(n.text, n.weak) for n in abbas.names]
    assert abbas.countries == ("Palestinian",)
    vessel = records["9001"]
    assert vessel.schema is RecordSchema.VESSEL and vessel.identifiers_of(IdScheme.IMO)[0].value == "9123456"
    assert ("vessel_flag", "Panama") in vessel.extra
    assert vessel.facts_of(FactKey.LINKED_TO)[0].value == "NATIONAL IRANIAN TANKER COMPANY"
    # Remarks continue mid-word in the comments file.
    long = records["9500"]
    assert long.remarks.endswith("(Russia); Linked To: SOME PARENT GROUP.")
    assert long.identifiers_of(IdScheme.REGISTRATION)[0].country == "Russia"
    assert long.schema is RecordSchema.COMPANY


def test_consolidated_cmic_rows(fixtures: Path) -> None:
    loaded = load_ofac_csv([fixtures / "cons_prim_2025-12-19.csv"])
    assert loaded.source is SourceList.OFAC_CONS
    records = {r.source_id: r for r in loaded.records}
    telecom = records["30882"]
    assert telecom.lists == ("NS-CMIC",) and telecom.schema is RecordSchema.COMPANY
    assert [i.value for i in telecom.identifiers_of(IdScheme.ISIN)] == ["US1694261033", "CNE1000002V2"]
    assert [(i.value, i.exchange) for i in telecom.identifiers_of(IdScheme.TICKER)] == [("CHA", "US"), ("0728", "HK")]
    assert telecom.facts_of(FactKey.LISTING_DATE, "CMIC")[0].day == date(2021, 6, 3)
    assert telecom.facts_of(FactKey.EFFECTIVE_DATE, "CMIC")[0].day == date(2021, 8, 2)
    assert telecom.facts_of(FactKey.DIVESTMENT_DATE, "CMIC")[0].day == date(2022, 6, 3)
    assert telecom.identifiers_of(IdScheme.USCC)[0].value == "9111000071093019X7"
    assert "China Telecom Corporation Limited" in telecom.all_names()
    # The USCC is split between the remarks and the comments file.
    sensetime = records["32001"]
    assert sensetime.identifiers_of(IdScheme.USCC)[0].value == "91110000MA1TEST00001X"
    assert sensetime.identifiers_of(IdScheme.LEI)[0].value == "2549006VNNQCSXZM9G19"
    bank = records["17016"]
    assert bank.lists == ("SSI",) and bank.programs == ("UKRAINE-EO13662", "RUSSIA-EO14024")
    assert bank.facts_of(FactKey.LISTING_DATE, "EO 14024 Directive 3")[0].day == date(2022, 2, 24)
    assert records["9639"].birth_dates()[0].kind is DateKind.BIRTH


def test_explicit_quartet_in_any_order(fixtures: Path) -> None:
    names = ["alt_2021-07-07.csv", "sdn_comments_2021-07-07.csv", "sdn_2021-07-07.csv", "add_2021-07-07.csv"]
    loaded = load_ofac_csv([fixtures / name for name in names])
    assert len(loaded.records) == 5 and len(loaded.files) == 4


def test_a_list_given_as_the_other_is_refused(fixtures: Path) -> None:
    with pytest.raises(SourceError, match="given as ofac-cons but the file is OFAC's SDN list"):
        load_ofac_csv([fixtures / "sdn_2021-07-07.csv"], expected=SourceList.OFAC_CONS)
    with pytest.raises(SourceError, match="consolidated non-SDN list"):
        load_ofac_csv([fixtures / "cons_prim_2025-12-19.csv"], expected=SourceList.OFAC_SDN)


_ROW = b'36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"<!DOCTYPE html><html><body>503 Service Unavailable</body></html>", "HTML page"),
        (b"\xff\xfe3\x006\x00", "UTF-16"),
        (b'36,"A",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"x\x81y"\r\n', ":1: byte 0x81 is not cp1252"),
        (b"ent_num,SDN_Name,a,b,c,d,e,f,g,h,i,j\r\n", "not an OFAC entity number"),
        (_ROW + _ROW.replace(b'"A"', b'"B"'), ":2 [ent_num]: duplicate entity number 36 (first at line 1)"),
        (_ROW + b'37,"B",-0- \r\n', ":2: expected 12 fields, found 3"),
        (b"1,2,3,4\r\n", "4 fields: not an OFAC legacy CSV"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        load_ofac_csv([path])
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_utf8_copy_is_read_with_a_warning(tmp_path: Path, fixtures: Path) -> None:
    source = (fixtures / "sdn_2021-07-07.csv").read_bytes().decode("cp1252")
    path = tmp_path / "sdn.csv"
    path.write_bytes(source.encode("utf-8"))
    loaded = load_ofac_csv([path])
    assert any("UTF-8" in warning for warning in loaded.warnings)
    assert {r.source_id: r for r in loaded.records}["7001"].name == "GARCÍA, José"


def test_missing_siblings_are_warned_about(tmp_path: Path, fixtures: Path) -> None:
    shutil.copy(fixtures / "sdn_2021-07-07.csv", tmp_path / "sdn.csv")
    loaded = load_ofac_csv([tmp_path / "sdn.csv"])
    assert len(loaded.warnings) == 3


@pytest.mark.shared
def test_real_sdn_quartet(shared_data: Path) -> None:
    loaded = load_ofac_csv([shared_data / "ofac" / "sdn_2021-07-07.csv"])
    assert loaded.source is SourceList.OFAC_SDN and len(loaded.files) == 4
    assert len(loaded.records) == 8976
    persons = [r for r in loaded.records if r.schema is RecordSchema.PERSON]
    assert len(persons) == 4620
    assert sum(1 for r in persons if r.birth_dates()) > 4000
    assert not loaded.warnings


@pytest.mark.shared
def test_real_consolidated_cmic_rows(shared_data: Path) -> None:
    loaded = load_ofac_csv([shared_data / "ofac" / "cons_prim_2025-12-19.csv"])
    assert loaded.source is SourceList.OFAC_CONS and not loaded.warnings
    cmic = [r for r in loaded.records if "NS-CMIC" in r.lists]
    assert len(cmic) == 68
    for record in cmic:
        listed = record.facts_of(FactKey.LISTING_DATE, "CMIC")
        effective = record.facts_of(FactKey.EFFECTIVE_DATE, "CMIC")
        divest = record.facts_of(FactKey.DIVESTMENT_DATE, "CMIC")
        assert len(listed) == len(effective) == len(divest) == 1, record.source_id
        assert listed[0].day and effective[0].day and divest[0].day, record.source_id
        assert listed[0].day < effective[0].day < divest[0].day, record.source_id
    with_isin = [r for r in cmic if r.identifiers_of(IdScheme.ISIN)]
    # State-owned parents have no listed securities; 53 of the 68 carry ISINs, 165 in all in this file.
    assert len(with_isin) == 53
    isins = [(r.source_id, i.value) for r in loaded.records for i in r.identifiers_of(IdScheme.ISIN)]
    assert len(isins) == 165
    # Loaders keep what the list printed; these three, as OFAC printed them, fail the ISIN check digit.
    invalid = [pair for pair in isins if not stdnum_isin.is_valid(pair[1])]
    assert invalid == [("30926", "BRC1EODR004"), ("30930", "CND10002K094"), ("30930", "CND10002G601")]


def test_quartet_without_its_main_file(fixtures: Path) -> None:
    with pytest.raises(
        SourceError, match=r"no main file \(sdn\.csv or cons_prim\.csv\) among .*alt_2021-07-07\.csv \(alt\)"
    ):
        load_ofac_csv([fixtures / "alt_2021-07-07.csv", fixtures / "add_2021-07-07.csv"])
    with pytest.raises(SourceError, match="two main files given"):
        load_ofac_csv([fixtures / "sdn_2021-07-07.csv", fixtures / "cons_prim_2025-12-19.csv"])
