"""Event dates from the bundled timeline and the first-reacting-session rule."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from redline.impact.errors import ImpactInputError
from redline.impact.event_sessions import (
    EXCHANGES,
    TimelineEvent,
    entity_events,
    find_entity,
    match_column,
    security_label,
    traded_tickers,
)
from redline.impact.statistics import mean_pairwise_correlation
from redline.services.status import StatusService
from redline.store.reference import bundled_store

HK, US = EXCHANGES["HK"], EXCHANGES["US"]
NY = ZoneInfo("America/New_York")


def _at(text: str) -> TimelineEvent:
    return TimelineEvent("listed", "CCMC_1237", datetime.fromisoformat(text), "x")


@pytest.mark.parametrize(
    ("instant", "hk", "us"),
    [
        # Noon New York is 01:00 the next day in Hong Kong: after that day's HK close, before its next one.
        ("2021-01-14T12:00:00-05:00", "2021-01-15", "2021-01-14"),
        # 02:00 New York = 15:00 Hong Kong, before the 16:00 HK close: the same HK day reacts.
        ("2021-01-14T02:00:00-05:00", "2021-01-14", "2021-01-14"),
        # 16:09 New York is at/after the US close: the next US day; 05:09 next day in HK: that HK day.
        ("2021-05-25T16:09:00-04:00", "2021-05-26", "2021-05-26"),
        ("2021-05-25T16:00:00-04:00", "2021-05-26", "2021-05-26"),
        ("2021-05-25T15:59:00-04:00", "2021-05-26", "2021-05-25"),
    ],
)
def test_first_session_rule(instant: str, hk: str, us: str) -> None:
    event = _at(instant)
    assert event.session(HK).isoformat() == hk
    assert event.session(US).isoformat() == us


def test_find_entity() -> None:
    catalog = StatusService.bundled().catalog
    assert find_entity(catalog, "xiaomi").id == "xiaomi"
    assert find_entity(catalog, "XIAOMI CORP").id == "xiaomi"
    assert find_entity(catalog, "1810 HK").id == "xiaomi"
    assert find_entity(catalog, "1810.HK").id == "xiaomi"
    assert find_entity(catalog, "小米集团").id == "xiaomi"
    with pytest.raises(ImpactInputError, match="'Apple' does not name one entity"):
        find_entity(catalog, "Apple")


def test_entity_events_skip_an_effective_date_that_never_bit() -> None:
    store = bundled_store()
    kinds = [e.kind for e in entity_events(store, "xiaomi")]
    assert kinds == ["listed", "preliminary_injunction", "vacatur", "removed"]
    smic = entity_events(store, "smic")
    effective = [e for e in smic if e.kind == "effective"]
    assert effective and effective[0].instant == datetime(2021, 2, 1, 9, 30, tzinfo=NY)
    luokung = [e.kind for e in entity_events(store, "luokung")]
    assert "effective" not in luokung and "preliminary_injunction" in luokung


def test_columns_match_tickers_and_subsidiaries() -> None:
    store = bundled_store()
    cnooc = find_entity(store, "cnooc")
    tickers = traded_tickers(store, cnooc)
    assert ("00883", "HK") in tickers
    assert match_column(["0883.HK", "HSI"], "cnooc", tickers) == ("0883.HK", "HK")
    assert match_column(["0883.SS"], "cnooc", tickers) == ("", "")
    assert match_column(["CEO"], "cnooc", tickers) == ("CEO", "US")
    assert security_label(find_entity(StatusService.bundled().catalog, "xiaomi"), HK) == "1810.HK"
    assert security_label(find_entity(StatusService.bundled().catalog, "luokung"), US) == "LKCO"


def test_mean_pairwise_correlation_equals_the_explicit_matrix() -> None:
    rng = np.random.default_rng(4)
    common = rng.normal(size=200)
    series = 0.4 * common + rng.normal(size=(30, 200))
    present = np.ones(series.shape, dtype=bool)
    matrix = np.corrcoef(series)
    expected = (matrix.sum() - 30) / (30 * 29)
    assert mean_pairwise_correlation(series, present) == pytest.approx(expected, rel=1e-12)


def test_impact_and_status_read_court_orders_alike() -> None:
    """An injunction dissolved before the start date does not stop the ban: both the engine and impact agree."""
    from dataclasses import replace as _replace

    from redline.impact.event_sessions import entity_events as _events
    from redline.model import CourtOrderKind, ListId, parse_instant
    from redline.sources.bundled import load_reference
    from redline.status.answer import State
    from redline.status.engine import StatusEngine
    from redline.store.reference import ReferenceStore

    data = load_reference()
    base = next(o for o in data.court_orders if o.id == "xiaomi-pi")
    dissolved = _replace(
        base,
        id="test-judgment",
        kind=CourtOrderKind.JUDGMENT_FOR_GOVERNMENT,
        issued_at=parse_instant("2021-03-13"),
        known_from=parse_instant("2021-03-13"),
    )
    data.court_orders = [o for o in data.court_orders if o.id != "xiaomi-vacatur"] + [dissolved]
    store = ReferenceStore(data)
    kinds = [e.kind for e in _events(store, "xiaomi") if e.list_id == ListId.CCMC_1237.value]
    assert "effective" in kinds and "judgment_for_government" in kinds
    report = StatusEngine(store).status(
        store.entity("xiaomi"), parse_instant("2021-03-16"), parse_instant("2021-04-01")
    )
    assert report.regimes[0].state is State.DIVESTMENT_WINDOW
    # Without the judgment, the injunction of 2021-03-12 keeps the start date out of the events.
    data.court_orders = [o for o in data.court_orders if o.id != "test-judgment"]
    assert "effective" not in [e.kind for e in _events(ReferenceStore(data), "xiaomi") if e.list_id == "CCMC_1237"]
