"""Rules the real record never reached (all CCMC listings were removed on 2021-06-03), on synthetic facts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from redline.model import CourtOrder, CourtOrderKind, ListId, ListingAction, ListingBasis, ListingEvent, parse_instant
from redline.sources.bundled import load_reference
from redline.status.answer import State
from redline.status.engine import StatusEngine
from redline.store.reference import ReferenceStore


def _store_with(*events: ListingEvent, orders: tuple[CourtOrder, ...] = ()) -> ReferenceStore:
    data = load_reference()
    data.listings = [e for e in data.listings if e.entity_id != "hikvision"] + list(events)
    data.court_orders = [*data.court_orders, *orders]
    return ReferenceStore(data)


def _listing(**changes: object) -> ListingEvent:
    data = load_reference()
    base = next(e for e in data.listings if e.id == "ccmc-hikvision")
    return replace(base, **changes)  # type: ignore[arg-type]


def _state(store: ReferenceStore, on: str, known_at: str = "2026-01-01") -> State:
    report = StatusEngine(store).status(store.entity("hikvision"), parse_instant(on), parse_instant(known_at))
    return next(r for r in report.regimes if r.regime.value == "EO13959").state


def test_eo13974_possession_ban_after_the_annex_deadline_when_never_removed() -> None:
    store = _store_with(_listing())
    assert _state(store, "2021-11-11T23:58-05:00") is State.DIVESTMENT_WINDOW
    # EO 13974 s.1(b): effective 11:59 p.m. EST 2021-11-11, possession is prohibited.
    assert _state(store, "2021-11-11T23:59-05:00") is State.POSSESSION_PROHIBITED
    report = StatusEngine(store).status(
        store.entity("hikvision"), parse_instant("2021-12-01"), parse_instant("2026-01-01")
    )
    assert (report.us_person.may_buy, report.us_person.may_sell, report.us_person.may_hold) == (False, False, False)


def test_before_eo13974_was_known_the_original_order_left_holding_allowed() -> None:
    store = _store_with(_listing())
    # As known on 2021-01-12 (EO 13974 signed 2021-01-13), EO 13959 s.1(b) only allowed divestment trades until
    # the deadline and said nothing about possession.
    assert _state(store, "2021-12-01", known_at="2021-01-12") is State.HOLDING_ONLY


def test_an_injunction_after_the_start_lifts_the_ban_from_its_issue() -> None:
    order = CourtOrder(
        id="synthetic-pi",
        entity_id="hikvision",
        case="Synthetic v. DoD",
        docket="0:00-cv-00000",
        court="D.D.C.",
        kind=CourtOrderKind.PRELIMINARY_INJUNCTION,
        issued_at=parse_instant("2021-02-15"),
        known_from=parse_instant("2021-02-15"),
        lists=(ListId.CCMC_1237,),
        citations=(),
        confidence=_listing().confidence,
    )
    store = _store_with(_listing(), orders=(order,))
    assert _state(store, "2021-02-14") is State.DIVESTMENT_WINDOW
    assert _state(store, "2021-02-16") is State.ENJOINED
    assert _state(store, "2021-02-16", known_at="2021-02-14") is State.DIVESTMENT_WINDOW


@pytest.mark.parametrize("basis", [ListingBasis.DETERMINATION, ListingBasis.SUBSIDIARY])
def test_later_listings_start_60_days_after_at_930_eastern(basis: ListingBasis) -> None:
    day = parse_instant("2021-04-01")
    store = _store_with(_listing(basis=basis, valid_from=day, known_from=day, action=ListingAction.LISTED))
    # 2021-04-01 + 60 days = 2021-05-31 (EDT).
    assert _state(store, "2021-05-31T09:29-04:00") is State.NOT_YET_EFFECTIVE
    assert _state(store, "2021-05-31T09:30-04:00") is State.DIVESTMENT_WINDOW
