"""How many entities each list holds, per tranche and per 1260H edition, against the published counts.

Sources for each count are cited inline; where the sources disagree, the test pins the reading chosen in
docs/data.md (fact sheet §8.3-8.6).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from redline.model import ListId, ListingAction, ListingBasis, parse_instant
from redline.sources.bundled import ReferenceData, load_reference


@pytest.fixture(scope="module")
def data() -> ReferenceData:
    return load_reference()


def on_list(data: ReferenceData, list_id: ListId, moment: datetime) -> set[str]:
    """Entities whose latest event on `list_id` at `moment` is a listing (events in valid-time, then file, order)."""
    state: dict[str, bool] = {}
    events = [e for e in data.listings if e.list_id is list_id and e.valid_from <= moment]
    for event in sorted(events, key=lambda e: (e.valid_from, e.known_from)):
        state[event.entity_id] = event.action is not ListingAction.REMOVED
    return {entity for entity, listed in state.items() if listed}


def first_listed_on(data: ReferenceData, list_id: ListId) -> Counter[str]:
    firsts: dict[str, str] = {}
    for event in sorted(data.listings, key=lambda e: e.valid_from):
        if event.list_id is list_id and event.action is ListingAction.LISTED:
            firsts.setdefault(event.entity_id, event.valid_from.date().isoformat())
    return Counter(firsts.values())


def test_ccmc_tranches(data: ReferenceData) -> None:
    # DoD s.1237 tranches: 20 (letters of 2020-06-24), 11 (2020-08-28), 4 (Release 2434513, 2020-12-03),
    # 9 (2021-01-14, "total 44"); the Annex of EO 13959 is the first 31 (fact sheet §1, §3).
    assert first_listed_on(data, ListId.CCMC_1237) == {
        "2020-06-24": 20,
        "2020-08-28": 11,
        "2020-12-03": 4,
        "2021-01-14": 9,
    }
    annex = {e.entity_id for e in data.listings if e.list_id is ListId.CCMC_1237 and e.basis is ListingBasis.ANNEX}
    assert len(annex) == 31
    assert len(on_list(data, ListId.CCMC_1237, parse_instant("2021-06-02"))) == 44
    # "As of June 3, 2021, the Secretary of Defense has removed the entities listed here" (DoD note).
    assert on_list(data, ListId.CCMC_1237, parse_instant("2021-06-03")) == set()


def test_luokung_is_one_entity_listed_twice(data: ReferenceData) -> None:
    events = [e for e in data.listings if e.entity_id == "luokung" and e.list_id is ListId.CCMC_1237]
    assert [e.action for e in events] == [ListingAction.LISTED, ListingAction.CORRECTED, ListingAction.REMOVED]
    assert events[0].listed_name.startswith("Luokong")


def test_ofac_subsidiaries(data: ReferenceData) -> None:
    # OFAC Recent Actions 2021-01-08: four subsidiaries on the NS-CCMC List; the list replaced on 2021-06-03.
    assert on_list(data, ListId.NSCCMC_OFAC, parse_instant("2021-03-09")) == {
        "cnooc-ltd",
        "china-mobile-ltd",
        "china-telecom-corp-ltd",
        "china-unicom-hk",
    }
    assert on_list(data, ListId.NSCCMC_OFAC, parse_instant("2021-06-03")) == set()


def test_nscmic(data: ReferenceData) -> None:
    # EO 14032 Annex: 59 (2021-06-03); SenseTime (2021-12-10); eight more (2021-12-16); 68 in OFAC's list of
    # 2025-12-19, no removals (fact sheet §4).
    assert first_listed_on(data, ListId.NS_CMIC) == {"2021-06-03": 59, "2021-12-10": 1, "2021-12-16": 8}
    assert len(on_list(data, ListId.NS_CMIC, parse_instant("2025-12-19"))) == 68


@pytest.mark.parametrize(
    ("moment", "count"),
    [
        # First list, 47 entries (DoD 2021-06-03; 86 FR 33994).
        ("2021-06-03", 47),
        # +13, no removals (DoD 2022-10-05).
        ("2022-10-05", 60),
        # +16 -3 = 73 entries (DoD 2024-01-31; Dechert counts 17 added, fact sheet §8.3). Two entries name one
        # legal person (China Telecommunications Corp. = China Telecom Group Co., Ltd.), so 72 entities.
        ("2024-01-31", 72),
        # Hesai removed and relisted in one notice (89 FR 86230): no change.
        ("2024-10-30", 72),
        # AMEC and IDG Capital removed (FR Doc 2024-30018, Dec 2024).
        ("2024-12-14", 70),
        # 134 entries per DoD and the law firms; OpenSanctions transcribes 133 rows because it keeps Hesai's 2024
        # row (fact sheet §8.4): we count Hesai as listed. One entry, "Xi'an Aircraft Industry Group Co., Ltd.", is
        # the former name of AVIC Xi'an Aircraft Industry Group, already listed (OFAC carries it as an alias; the
        # 2026 edition says "formerly"), so 133 legal persons.
        ("2025-01-07", 133),
        # The February 2026 posting was withdrawn and is not an edition (fact sheet §8.6): still 133.
        ("2026-03-01", 133),
        # 188 rows (OpenSanctions transcription of the DoD PDF of 2026-06-08; medium).
        ("2026-06-08", 188),
    ],
)
def test_1260h_editions(data: ReferenceData, moment: str, count: int) -> None:
    assert len(on_list(data, ListId.DOD_1260H, parse_instant(moment))) == count


def test_1260h_removals_of_2025(data: ReferenceData) -> None:
    # Six publicised removals (CRCC, China State Construction Group, China Telecommunications Corp., China
    # Marine Information Electronics, Beijing Megvii, Shenzhen Consys). China Telecommunications Corp. stays
    # listed under its current name, so five are entity removals; CNOOC Ltd and SMIC NICM are absent without
    # notice (fact sheet §8.5) and are low-confidence removals.
    removed = {
        e.entity_id: e.confidence.value
        for e in data.listings
        if e.list_id is ListId.DOD_1260H and e.action is ListingAction.REMOVED and e.valid_from.year == 2025
    }
    assert removed == {
        "crcc": "high",
        "china-state-construction-group": "high",
        "china-marine-info-electronics": "high",
        "beijing-megvii-technology": "high",
        "shenzhen-consys-science-technology": "high",
        "cnooc-ltd": "low",
        "smic-northern-integrated-circuit-manufacturing-beijing": "low",
    }


def test_entities_are_shared_across_lists(data: ReferenceData) -> None:
    lists = {
        entity: {e.list_id for e in data.listings if e.entity_id == entity} for entity in ("hikvision", "smic", "dji")
    }
    assert lists["hikvision"] == {ListId.CCMC_1237, ListId.NS_CMIC, ListId.DOD_1260H}
    assert lists["smic"] == {ListId.CCMC_1237, ListId.NS_CMIC, ListId.DOD_1260H}
    assert lists["dji"] == {ListId.NS_CMIC, ListId.DOD_1260H}


def test_every_low_confidence_event_says_why(data: ReferenceData) -> None:
    low = [e for e in data.listings if e.confidence.value == "low"] + [
        o for o in data.court_orders if o.confidence.value == "low"
    ]
    assert len(low) == 16  # 13 inferred 1260H removals, AMEC's complaint date, the Hesai and DJI appeal dates
    assert all(len(event.note) > 40 for event in low)
