"""Each answer cites the authority that decides it, and only once that authority was public."""

from __future__ import annotations

from dataclasses import replace

import pytest

from redline.model import CourtOrderKind, ListId, RegimeId, parse_instant
from redline.services.status import StatusService
from redline.sources.bundled import load_reference
from redline.status.answer import RegimeStatus, State
from redline.status.engine import StatusEngine
from redline.store.reference import ReferenceStore


@pytest.fixture(scope="module")
def service() -> StatusService:
    return StatusService.bundled()


def _regime(service: StatusService, query: str, regime: str, on: str, known_at: str = "2026-11-01") -> RegimeStatus:
    report = service.status(query, parse_instant(on), parse_instant(known_at))
    return next(r for r in report.regimes if r.regime.value == regime)


def _keys(result: RegimeStatus) -> set[str]:
    return {citation.key for citation in result.sources}


def test_a_dod_determination_cites_the_order_and_the_dod_release_not_faq_857(service: StatusService) -> None:
    comac = _regime(service, "COMAC", "EO13959", "2021-04-01", "2021-04-01")
    assert {"eo13959", "eo13974", "dod-1237-tranche-5"} <= _keys(comac)
    assert "ofac-faq-857" not in _keys(comac)
    assert any("EO 13959 s.1(a)(ii), s.4(a)(ii)" in reason for reason in comac.reasons)


def test_an_ofac_listed_subsidiary_cites_faq_857(service: StatusService) -> None:
    cnooc = _regime(service, "CNOOC Limited", "EO13959", "2021-04-01", "2021-04-01")
    assert {"eo13959", "ofac-faq-857", "ofac-faq-879", "ofac-nsccmc-subsidiaries"} <= _keys(cnooc)
    assert any("s.4(a)(iii)" in reason for reason in cnooc.reasons)


def test_faq_881_is_cited_only_from_its_publication_on_2021_03_14(service: StatusService) -> None:
    before = _regime(service, "Luokung Technology Corp.", "EO13959", "2021-04-01", "2021-03-13")
    after = _regime(service, "Luokung Technology Corp.", "EO13959", "2021-04-01", "2021-03-15")
    assert "ofac-faq-881" not in _keys(before)
    assert "ofac-faq-881" in _keys(after)


def test_a_later_ns_cmic_listing_cites_eo_14032_and_faq_899(service: StatusService) -> None:
    sensetime = _regime(service, "SenseTime", "EO14032", "2022-03-01")
    assert {"eo14032", "ofac-faq-899", "ofac-nscmic-2021-12-10"} <= _keys(sensetime)


def test_a_negative_answer_cites_the_list_editions_it_consulted(service: StatusService) -> None:
    xiaomi = _regime(service, "Xiaomi", "EO14032", "2021-06-10", "2021-06-10")
    assert xiaomi.state is State.NOT_LISTED
    assert _keys(xiaomi) == {"ofac-nscmic-2021-06-03"}  # the editions public on 2021-06-10, not the 2025 file
    later = _regime(service, "Xiaomi", "EO14032", "2026-01-01")
    assert {"ofac-nscmic-2021-12-16", "ofac-cons-2025-12-19"} <= _keys(later)


def test_the_gap_cites_steptoe_only_once_published(service: StatusService) -> None:
    early = _regime(service, "Hikvision", "EO13959", "2021-06-15", "2021-06-15")
    late = _regime(service, "Hikvision", "EO13959", "2021-06-15", "2021-07-15")
    assert early.uncertain and late.uncertain
    assert "steptoe-2021-06" not in _keys(early)
    assert "steptoe-2021-06" in _keys(late)
    assert any("Steptoe" in reason for reason in late.reasons)


def test_the_nyse_doubt_gives_both_readings(service: StatusService) -> None:
    chl = _regime(service, "China Mobile Limited", "EO13959", "2021-02-01")
    assert chl.uncertain and chl.state is State.NOT_YET_EFFECTIVE
    text = " ".join(chl.reasons)
    assert "2021-01-11" in text and "2021-03-09" in text
    assert "nyse-adr-suspension-2021-01" in _keys(chl)


def test_two_clock_readings_are_both_given(service: StatusService) -> None:
    comac = _regime(service, "COMAC", "EO13959", "2021-03-15T10:00", "2021-03-11")
    text = " ".join(comac.reasons)
    assert comac.uncertain
    assert "2021-03-15 09:30 EDT" in text and "2021-03-15 09:30 EST (10:30 EDT)" in text


def test_1260h_is_listed_without_a_ban_with_the_procurement_dates(service: StatusService) -> None:
    before = _regime(service, "Hikvision", "NDAA1260H", "2026-01-01")
    after = _regime(service, "Hikvision", "NDAA1260H", "2026-07-01")
    assert before.state is State.LISTED_NO_BAN and after.state is State.LISTED_NO_BAN
    assert not before.procurement and after.procurement
    assert any("2026-06-30" in r for r in before.reasons) and any("2027-06-30" in r for r in before.reasons)
    assert "ndaa-fy2024-805" in _keys(before)
    # Before FY2024 NDAA s.805 was enacted (2023-12-22) the answer does not know of it.
    early = _regime(service, "Hikvision", "NDAA1260H", "2023-06-01", "2023-06-01")
    assert not any("805" in r for r in early.reasons) and "ndaa-fy2024-805" not in _keys(early)
    report = service.status("Hikvision", parse_instant("2026-07-01"), parse_instant("2026-11-01"))
    assert report.to_json()["procurement"] is True
    # The procurement ban says nothing about investors: the 1260H answer allows buying, selling and holding.
    allowed = after.permissions
    assert (allowed.may_buy, allowed.may_sell, allowed.may_hold) == (True, True, True)


def test_a_court_order_acts_only_on_the_lists_it_concerns() -> None:
    data = load_reference()
    # A synthetic injunction in a 1260H case must not enjoin Hikvision's EO 14032 ban.
    pi = next(o for o in data.court_orders if o.kind is CourtOrderKind.PRELIMINARY_INJUNCTION)
    order = replace(
        pi,
        id="test-1260h-pi",
        entity_id="hikvision",
        lists=(ListId.DOD_1260H,),
        issued_at=parse_instant("2023-01-02"),
        known_from=parse_instant("2023-01-02"),
    )
    data.court_orders = [*data.court_orders, order]
    store = ReferenceStore(data)
    report = StatusEngine(store).status(
        store.entity("hikvision"), parse_instant("2023-06-01"), parse_instant("2024-01-01")
    )
    eo14032 = next(r for r in report.regimes if r.regime is RegimeId.EO14032)
    assert eo14032.state is State.HOLDING_ONLY and not eo14032.enjoined


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [("HUAWEI INVESTMENT & HOLDING CO LTD", "huawei-holding"), ("中国东方红卫星股份有限公司", "china-spacesat")],
)
def test_names_resolve_to_their_own_entity(service: StatusService, query: str, entity_id: str) -> None:
    entity, _ = service.resolve(query)
    assert entity is not None and entity.id == entity_id
