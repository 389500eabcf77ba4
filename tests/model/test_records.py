from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from redline.model import IdScheme, NameKind
from redline.model.records import (
    DateKind,
    FactKey,
    RecordAddress,
    RecordDate,
    RecordFact,
    RecordIdentifier,
    RecordName,
    RecordSchema,
    SourceRecord,
    from_json,
    to_json,
)
from redline.model.scripts import detect_script


@given(st.text(max_size=40))
def test_name_script_agrees_with_detect_script(text: str) -> None:
    assert RecordName(text).script == detect_script(text)


def test_json_round_trip_keeps_every_field() -> None:
    record = SourceRecord(
        source_id="30882",
        schema=RecordSchema.COMPANY,
        name="CHINA TELECOM CORPORATION LIMITED",
        names=(
            RecordName("CHINA TELECOM CORPORATION LIMITED", NameKind.PRIMARY),
            RecordName("中国电信", NameKind.ALIAS, lang="zh-Hans"),
            RecordName("CT", NameKind.ACRONYM, weak=True),
        ),
        identifiers=(
            RecordIdentifier(IdScheme.ISIN, "CNE1000002V2", "ISIN"),
            RecordIdentifier(IdScheme.TICKER, "0728", "Equity Ticker", exchange="HK"),
        ),
        programs=("CMIC-EO13959",),
        lists=("NS-CMIC",),
        addresses=(RecordAddress("31 Jinrong Street, Beijing, China", "China", "Beijing"),),
        dates=(RecordDate(DateKind.BIRTH, "circa 1960", date(1960, 1, 1), date(1960, 12, 31), True),),
        countries=("China",),
        remarks="Listing Date (CMIC) 03 Jun 2021.",
        facts=(RecordFact(FactKey.LISTING_DATE, "Listing Date (CMIC)", "03 Jun 2021", "CMIC", date(2021, 6, 3)),),
        extra=(("title", "x"),),
    )
    stored = to_json(record)
    assert list(stored) == [
        "id", "schema", "name", "names", "identifiers", "programs", "lists", "addresses", "dates", "countries",
        "remarks", "facts", "extra",
    ]  # fmt: skip
    assert from_json(stored) == record
    assert stored["names"][1]["script"] == "Hani" and stored["facts"][0]["day"] == "2021-06-03"
    assert record.facts_of(FactKey.LISTING_DATE, "CCMC") == ()
    assert record.identifiers_of(IdScheme.TICKER)[0].as_identifier().label() == "TICKER 0728 HK"
