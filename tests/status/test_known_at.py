"""An answer as known at K contains nothing published after K: no source, no note, no reason, no date.

The property: for every bundled entity and any (on, known_at), every source of the status answer and of the
timeline was published by K, and every calendar date printed in a reason, note or warning is either on or before
K's date, or a date the rules derived from facts public by K (a clock, a fixed date of an order already signed,
the bounds of a recorded doubt, a valid time announced ahead, or the question's own `on`).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.model import NEW_YORK, Entity, parse_instant
from redline.services.status import StatusService
from redline.status.clocks import clocks_for, literal_clocks
from redline.status.timeline import timeline
from redline.store.reference import ReferenceStore

DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
SERVICE = StatusService.bundled()
STORE = SERVICE.store
ENTITIES = sorted(entity.id for entity in STORE.entities())


def _dates(moment: datetime | None) -> set[date]:
    if moment is None:
        return set()
    # A reason prints the date in New York, or in the fixed zone of a literal reading: allow both.
    return {moment.astimezone(NEW_YORK).date(), moment.date()}


def _forward_dates(store: ReferenceStore, entity: Entity, on: datetime, known_at: datetime) -> set[date]:
    """Dates after K that an answer as known at K may print, because the rules derive them from facts known at K."""
    allowed = _dates(on) | _dates(known_at)
    regimes = store.data.regimes
    for regime in regimes.values():
        if regime.known_from > known_at:
            continue
        for clock in (regime.annex, regime.later):
            if clock is not None:
                allowed |= _dates(clock.effective) | _dates(clock.window_ends)
        for doubt in regime.doubts:
            if doubt.known_from <= known_at:
                allowed |= _dates(doubt.start) | _dates(doubt.end)
        for ban in regime.procurement:
            if all(c.published <= known_at for c in ban.citations):
                allowed |= _dates(ban.starts)
        if regime.after_window_known_from is not None and regime.after_window_known_from <= known_at:
            allowed |= _dates(regime.after_window_known_from)
    for event in store.listings(entity.id, known_at):
        allowed |= _dates(event.valid_from)
        regime = next(r for r in regimes.values() if event.list_id in r.lists)
        for clocks in (clocks_for(regime, event), literal_clocks(regime, event)):
            if clocks is not None:
                allowed |= _dates(clocks.effective_from) | _dates(clocks.window_ends)
    return allowed


def _late_dates(texts: list[str], known_at: datetime, allowed: set[date]) -> list[str]:
    limit = known_at.astimezone(NEW_YORK).date()
    late = []
    for text in texts:
        for found in DATE.findall(text):
            day = date.fromisoformat(found)
            if day > limit and day not in allowed:
                late.append(f"{found} in {text!r}")
    return late


def assert_nothing_after(entity_id: str, on: datetime, known_at: datetime) -> None:
    entity = STORE.entity(entity_id)
    report = SERVICE.status_of(entity, on, known_at)
    allowed = _forward_dates(STORE, entity, on, known_at)
    texts: list[str] = list(report.warnings)
    for regime in report.regimes:
        late_sources = [c.key for c in regime.sources if c.published > known_at]
        assert not late_sources, f"{entity_id} {regime.regime} cites {late_sources} as known at {known_at}"
        texts.extend(regime.reasons)
    late = _late_dates(texts, known_at, allowed)
    assert not late, f"{entity_id} on {on} as known at {known_at}: {late}"
    for entry in timeline(STORE, entity, known_at):
        assert entry.known_from <= known_at, entry
        assert all(c.published <= known_at for c in entry.sources), entry
        assert not _late_dates([entry.text], known_at, allowed), entry


# Knowledge instants that discriminate: one minute before and after each source was published, plus a few.
_PUBLISHED = sorted({c.published for c in STORE.data.citations.values()})
KNOWN_GRID = sorted(
    {p + delta for p in _PUBLISHED for delta in (timedelta(minutes=-1), timedelta(minutes=1))}
    | {parse_instant(d) for d in ("2020-11-01", "2021-03-11", "2021-06-10", "2022-06-02", "2026-11-01")}
)
ON_GRID = [
    parse_instant(d)
    for d in (
        "2020-12-01",
        "2021-01-11T09:30",
        "2021-03-15T10:00",
        "2021-05-26",
        "2021-07-01",
        "2022-02-08T00:00-05:00",
        "2022-12-10T00:00-05:00",
        "2023-06-01",
        "2026-07-01",
        "2027-07-01",
    )
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entity_id=st.sampled_from(ENTITIES),
    on=st.one_of(
        st.sampled_from(ON_GRID),
        st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)),
    ),
    known_at=st.one_of(
        st.sampled_from(KNOWN_GRID),
        st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)),
    ),
)
def test_no_fact_before_its_time(entity_id: str, on: datetime, known_at: datetime) -> None:
    assert_nothing_after(entity_id, on, known_at)


@pytest.mark.parametrize(
    "known_at", [parse_instant(d) for d in ("2021-01-20", "2021-03-11", "2021-06-10", "2022-01-01")]
)
def test_every_entity_on_a_grid(known_at: datetime) -> None:
    for entity_id in ENTITIES:
        for on in ON_GRID[::3]:
            assert_nothing_after(entity_id, on, known_at)


def test_xiaomi_as_known_before_the_vacatur_does_not_mention_it() -> None:
    report = SERVICE.status("Xiaomi", parse_instant("2021-03-16"), parse_instant("2021-03-11"))
    text = json.dumps(report.to_json())
    assert "2021-05-25" not in text
    assert "vacat" not in text.lower()
    entries = SERVICE.timeline(report.entity, parse_instant("2021-03-11"))  # type: ignore[arg-type]
    assert not any("vacat" in entry.text.lower() for entry in entries)


def test_an_answer_of_2021_does_not_cite_the_2025_ofac_file() -> None:
    report = SERVICE.status("SMIC", parse_instant("2021-06-10"), parse_instant("2021-06-10"))
    text = json.dumps(report.to_json())
    assert "2025-12-19" not in text
    nscmic = next(r for r in report.regimes if r.regime.value == "EO14032")
    assert [c.key for c in nscmic.sources if c.key == "ofac-nscmic-2021-06-03"], "the 2021 edition is cited"


def test_standing_notes_wait_for_their_sources() -> None:
    # FAQ 861 (funds) was published 2020-12-28: an answer as known earlier does not state it.
    early = SERVICE.status("SMIC", parse_instant("2020-12-10"), parse_instant("2020-12-10"))
    late = SERVICE.status("SMIC", parse_instant("2020-12-10"), parse_instant("2021-01-05"))
    assert not any("FAQ 861" in r for regime in early.regimes for r in regime.reasons)
    assert any("FAQ 861" in r for regime in late.regimes for r in regime.reasons)
