from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from redline.model import IdScheme, NameKind, parse_instant
from redline.model.records import FactKey, RecordSchema
from redline.sources.errors import SourceError
from redline.sources.loaded import IssuedFrom, SourceList
from redline.sources.ofac_advanced import load_ofac_advanced_xml
from redline.sources.ofac_xml import load_ofac_xml


def test_consolidated_xml_with_ccmc_and_cmic_fields(fixtures: Path) -> None:
    loaded = load_ofac_xml(fixtures / "consolidated.xml")
    assert loaded.source is SourceList.OFAC_CONS and loaded.issued_from is IssuedFrom.FILE
    assert loaded.issued_at == parse_instant("2021-06-15")
    records = {r.source_id: r for r in loaded.records}
    assert len(records) == 4
    haniya = records["9639"]  # consolidated entries may say nspType
    assert haniya.schema is RecordSchema.PERSON and haniya.name == "HANIYA, Ismail Abdul Salah"
    assert ("ABU AL-ABD", True) in [(n.text, n.weak) for n in haniya.names]
    assert haniya.birth_dates()[0].earliest == date(1962, 1, 1) and haniya.countries == ("Palestinian",)
    telecom = records["30882"]
    assert telecom.lists == ("NS-CCMC",) and telecom.schema is RecordSchema.COMPANY
    assert telecom.facts_of(FactKey.LISTING_DATE, "CCMC")[0].day == date(2021, 1, 8)
    assert telecom.facts_of(FactKey.DIVESTMENT_DATE, "CCMC")[0].day == date(2022, 1, 8)
    assert telecom.facts_of(FactKey.LINKED_TO)[0].value == "CHINA TELECOMMUNICATIONS CORP"
    panda = records["30950"]
    assert panda.lists == ("NS-CMIC",)
    assert [f.day for f in panda.facts_of(FactKey.EFFECTIVE_DATE, "CMIC")] == [date(2021, 8, 2)]
    assert panda.identifiers_of(IdScheme.USCC)[0].country == "China"
    assert panda.addresses[0].text == "No. 301, Zhongshan East Road, Nanjing, Jiangsu, 210002, China"
    # uid 15268 printed twice with two program tags is one entry.
    kunlun = records["15268"]
    assert kunlun.programs == ("561List", "561-Related") and len(kunlun.identifiers) == 1
    assert any("15268 repeats" in warning for warning in loaded.warnings)


def test_same_uid_with_another_name_is_refused(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "consolidated.xml").read_text(encoding="utf-8")
    path = tmp_path / "consolidated.xml"
    head, _, tail = text.rpartition("BANK OF KUNLUN CO LTD")
    path.write_text(head + "BANK OF KUNLUN (DUPLICATE)" + tail, encoding="utf-8")
    with pytest.raises(SourceError, match=r"consolidated\.xml:\d+: duplicate uid 15268 \(first at line \d+\)"):
        load_ofac_xml(path)


def test_sdn_given_as_consolidated_xml(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "consolidated.xml").read_text(encoding="utf-8")
    for tag in ("NS-PLC", "CCMC-EO13959", "CMIC-EO", "561List", "561-Related"):
        text = text.replace(f"<program>{tag}</program>", "<program>SDGT</program>")
    path = tmp_path / "sdn.xml"
    path.write_text(text, encoding="utf-8")
    assert load_ofac_xml(path).source is SourceList.OFAC_SDN
    with pytest.raises(SourceError, match="given as ofac-cons but the file is OFAC's SDN list"):
        load_ofac_xml(path, SourceList.OFAC_CONS)


def test_advanced_xml(fixtures: Path) -> None:
    loaded = load_ofac_advanced_xml(fixtures / "cons_advanced.xml")
    assert loaded.source is SourceList.OFAC_CONS and loaded.issued_at == parse_instant("2020-03-17")
    records = {r.source_id: r for r in loaded.records}
    haniya = records["9639"]
    assert haniya.name == "HANIYA, Ismail Abdul Salah" and haniya.schema is RecordSchema.PERSON
    assert [(n.text, n.kind, n.weak) for n in haniya.names][1] == ("ABU AL-ABD", NameKind.ALIAS, True)
    (dob,) = haniya.birth_dates()
    assert (dob.earliest, dob.latest, dob.circa) == (date(1962, 1, 1), date(1962, 12, 31), True)
    assert ("gender", "Male") in haniya.extra and ("place_of_birth", "Shati") in haniya.extra
    assert haniya.identifiers_of(IdScheme.PASSPORT)[0].country == "Palestinian"
    assert haniya.lists == ("NS-PLC",) and haniya.programs == ("NS-PLC",)
    assert haniya.facts_of(FactKey.LINKED_TO)[0].value == "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION"
    smic = records["30951"]
    assert smic.schema is RecordSchema.COMPANY and smic.lists == ("NS-CMIC",)
    assert smic.identifiers_of(IdScheme.ISIN)[0].value == "KYG8020E1199"
    assert smic.facts_of(FactKey.LISTING_DATE, "CMIC")[0].day == date(2021, 6, 3)
    assert smic.addresses[0].text == "No. 18 Zhangjiang Road, Shanghai, China"
    assert ("SMIC OLD NAME", NameKind.FORMER) in [(n.text, n.kind) for n in smic.names]


@pytest.mark.shared
@pytest.mark.parametrize("day", ["2021-05-25", "2021-06-15"])
def test_real_ita_consolidated_xml_extracts(shared_data: Path, day: str) -> None:
    loaded = load_ofac_xml(shared_data / "ofac" / f"consolidated_xml_extract_ITA_fixture_{day}.xml")
    assert loaded.source is SourceList.OFAC_CONS
    # The extracts keep an old header: Publish_Date 12/17/2014 although the content is of 2021.
    assert loaded.issued_at == parse_instant("2014-12-17")
    ccmc = [r for r in loaded.records if "NS-CCMC" in r.lists]
    assert {r.name for r in ccmc} >= {"CHINA TELECOM CORPORATION LIMITED", "AERO ENGINE CORPORATION OF CHINA"}
    for record in ccmc:
        assert record.facts_of(FactKey.LISTING_DATE, "CCMC") and record.facts_of(FactKey.DIVESTMENT_DATE, "CCMC")
    cmic = [r for r in loaded.records if "NS-CMIC" in r.lists]
    assert bool(cmic) == (day == "2021-06-15")
    for record in cmic:
        assert record.facts_of(FactKey.LISTING_DATE, "CMIC")[0].day == date(2021, 6, 3)


@pytest.mark.parametrize("field", ["Year", "Month", "Day"])
def test_advanced_xml_with_a_date_number_too_large_for_a_date(fixtures: Path, tmp_path: Path, field: str) -> None:
    """Found by bench/fuzz: a 60-digit year, month or day overflowed Python's date(); the date is unreadable."""
    text = (fixtures / "cons_advanced.xml").read_text(encoding="utf-8")
    value = {"Year": "2020", "Month": "3", "Day": "17"}[field]
    huge = text.replace(f"<{field}>{value}</{field}>", f"<{field}>{'9' * 60}</{field}>", 1)
    path = tmp_path / "cons_advanced.xml"
    path.write_text(huge, encoding="utf-8")
    try:
        loaded = load_ofac_advanced_xml(path)
    except SourceError as exc:  # a one-line error naming the file is as good as a result
        assert str(path.name) in str(exc)
    else:
        assert loaded.issued_at is None and len(loaded.records) > 0


@pytest.mark.shared
def test_real_advanced_xml(shared_data: Path) -> None:
    loaded = load_ofac_advanced_xml(shared_data / "ofac" / "cons_advanced_2020-03-17.xml")
    assert loaded.source is SourceList.OFAC_CONS and loaded.issued_at == parse_instant("2020-03-17")
    assert len(loaded.records) == 375
    lists = {name for record in loaded.records for name in record.lists}
    assert {"SSI", "NS-PLC", "FSE", "CAPTA"} <= lists
    assert sum(1 for r in loaded.records if r.birth_dates()) > 70
    assert all(r.name for r in loaded.records)
