from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from redline.model import IdScheme, NameKind
from redline.model.records import DateKind, FactKey, RecordSchema
from redline.sources.csl import load_csl_csv, load_csl_json
from redline.sources.errors import SourceError
from redline.sources.formats import detect_format, load
from redline.sources.ftm import load_ftm
from redline.sources.loaded import SourceFormat, SourceList


def test_csl_csv(fixtures: Path) -> None:
    loaded = load_csl_csv(fixtures / "csl.csv")
    assert loaded.source is SourceList.TRADE_CSL and any("repeated header" in w for w in loaded.warnings)
    records = {r.source_id: r for r in loaded.records}
    assert set(records) == {"NS-CMIC:30882", "EL:e0b1", "SSI:17014", "NS-MBS:17014", "NS-PLC:9639"}
    telecom = records["NS-CMIC:30882"]
    assert telecom.schema is RecordSchema.COMPANY and telecom.programs == ("CMIC-EO13959",)
    assert [n.text for n in telecom.names] == [
        "China Telecom Corporation Limited", "CHINA TELECOM", "CHINA TELECOM CORP LTD", "China Telecom Co., Ltd",
    ]  # fmt: skip
    assert telecom.identifiers_of(IdScheme.USCC)[0].country == "CN"
    assert telecom.facts_of(FactKey.LISTING_DATE, "CMIC")[0].day == date(2021, 6, 3)
    assert telecom.facts_of(FactKey.DIVESTMENT_DATE, "CMIC")[0].day == date(2022, 6, 3)
    entity_list = records["EL:e0b1"]
    assert entity_list.schema is RecordSchema.LEGAL_ENTITY and entity_list.lists == ("EL",)
    assert ("license_policy", "Presumption of denial.") in entity_list.extra
    assert records["NS-PLC:9639"].birth_dates()[0].earliest == date(1962, 1, 1)


def test_csl_json_gives_the_same_records(fixtures: Path) -> None:
    loaded = load_csl_json(fixtures / "csl.json")
    records = {r.source_id: r for r in loaded.records}
    telecom = records["NS-CMIC:30882"]
    assert telecom.addresses[0].text == "31 Jinrong Street, Xicheng District, Beijing, 100033, CN"
    assert [(i.value, i.exchange) for i in telecom.identifiers_of(IdScheme.TICKER)] == [("0728", "HK")]
    assert telecom.facts_of(FactKey.EFFECTIVE_DATE, "CMIC")[0].day == date(2021, 8, 2)
    haniya = records["NS-PLC:9639"]
    assert haniya.schema is RecordSchema.PERSON and haniya.countries == ("Palestinian",)


def test_csl_json_errors(tmp_path: Path) -> None:
    path = tmp_path / "csl.json"
    path.write_text('{"results": [{"id": "1", "name": "A", "source": "X (EL)"},', encoding="utf-8")
    with pytest.raises(SourceError, match=r"csl\.json:1: not valid JSON"):
        load_csl_json(path)
    path.write_text('{"results": [{"id": "1", "source": "X (EL)"}]}', encoding="utf-8")
    with pytest.raises(SourceError, match=r"results\[0\]: row EL:1 has no name|results\[0\]: row 1 has no name"):
        load_csl_json(path)


def test_ftm_entities(fixtures: Path) -> None:
    loaded = load_ftm(fixtures / "entities.ftm.json")
    assert loaded.source is SourceList.FTM and loaded.label == "entities"
    records = {r.source_id: r for r in loaded.records}
    assert set(records) == {"NK-person1", "co-1"}  # Address, Sanction, Ownership, Passport are folded in
    person = records["NK-person1"]
    assert person.schema is RecordSchema.PERSON
    assert [n.kind for n in person.names].count(NameKind.PRIMARY) == 1
    assert {"OSETROVA, Maria", "Mariya Zakharova"} <= set(person.all_names())
    assert person.birth_dates()[0].earliest == date(1988, 1, 7)
    assert person.programs == ("US-RUSHAR",) and person.lists == ("us_ofac_sdn",)
    assert [d.earliest for d in person.dates if d.kind is DateKind.LISTED] == [date(2024, 5, 1)]
    assert person.identifiers_of(IdScheme.PASSPORT)[0].value == "7500123456"
    assert person.addresses[0].city == "Izhevsk"
    company = records["co-1"]
    assert company.schema is RecordSchema.COMPANY and company.identifiers_of(IdScheme.LEI)
    assert ("SMIC", True) in [(n.text, n.weak) for n in company.names]


def test_ftm_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.ftm.json"
    path.write_text('{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n{"id": "b", "schema": "Nope"}\n')
    with pytest.raises(SourceError, match=r"bad\.ftm\.json:2: not a FollowTheMoney entity"):
        load_ftm(path)
    path.write_text('{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n' * 2)
    with pytest.raises(SourceError, match=r":2 \[id\]: duplicate id a \(first at line 1\)"):
        load_ftm(path)


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("sdn_2021-07-07.csv", SourceFormat.OFAC_CSV),
        ("consolidated.xml", SourceFormat.OFAC_XML),
        ("cons_advanced.xml", SourceFormat.OFAC_ADVANCED_XML),
        ("un_consolidated.xml", SourceFormat.UN_XML),
        ("csl.csv", SourceFormat.CSL_CSV),
        ("csl.json", SourceFormat.CSL_JSON),
        ("entities.ftm.json", SourceFormat.FTM_JSON),
    ],
)
def test_format_detection(fixtures: Path, name: str, found: SourceFormat) -> None:
    path = fixtures / name
    assert detect_format(path, path.read_bytes()) is found
    assert load([path]).format is found


@pytest.mark.shared
def test_real_csl_subset(shared_data: Path) -> None:
    loaded = load([shared_data / "csl" / "csl_subset_2023-11-30.csv"])
    assert loaded.issued_at is not None and loaded.issued_at.date() == date(2023, 11, 30)
    assert len(loaded.records) == 4227  # 4,228 rows less one repeated header row
    cmic = [r for r in loaded.records if "NS-CMIC" in r.lists]
    assert len(cmic) == 68
    assert all(r.facts_of(FactKey.LISTING_DATE, "CMIC") for r in cmic)
    assert sum(1 for r in loaded.records if "EL" in r.lists) == 919


@pytest.mark.shared
@pytest.mark.parametrize(("name", "parties"), [("zala_entities.ftm.json", 17), ("parteispenden_entities.ftm.json", 96)])
def test_real_ftm_exports(shared_data: Path, name: str, parties: int) -> None:
    loaded = load_ftm(shared_data / "matching" / name)
    assert len(loaded.records) == parties
    assert all(r.name for r in loaded.records)
