"""Same-day events of one security count once; an event short of history is skipped with its reason."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from redline.impact.align import EventSpec, Window
from redline.impact.errors import ImpactInputError
from redline.impact.event_sessions import find_entity
from redline.impact.models import ModelName
from redline.impact.study import StudyOptions, run_study, screen_events
from redline.services.status import StatusService
from tests.impact.synthetic import panel_and_events

OPTIONS = StudyOptions(ModelName.MARKET, Window(-250, -11), (Window(0, 0), Window(-1, 1)))


def test_same_day_events_of_one_security_are_one_event() -> None:
    panel, events = panel_and_events(np.random.default_rng(7), securities=3)
    # SMIC-like: three events of S0 that reach the same session, plus one of S1.
    same = [EventSpec("S0", events[0].date, f"event {k}") for k in range(3)]
    screened = screen_events(panel, [*same, events[1]], OPTIONS)
    assert [spec.security for spec in screened.kept] == ["S0", "S1"]
    assert screened.merged == {0: [0, 1, 2], 1: [3]}
    study = run_study(panel, screened.kept, OPTIONS)
    assert study.cars.shape[0] == 2  # the cross-section has one S0 observation, not three


def test_an_event_short_of_history_is_skipped_not_fatal() -> None:
    panel, events = panel_and_events(np.random.default_rng(8), securities=2)
    early = EventSpec("S0", date.fromisoformat(str(panel.dates[30])), "too early")
    screened = screen_events(panel, [early, events[1]], OPTIONS)
    assert [spec.where for spec in screened.kept] == [events[1].where]
    assert len(screened.skipped) == 1 and screened.skipped[0]["event"] == "too early"
    assert screened.skipped[0]["reason"]
    with pytest.raises(ImpactInputError, match="no event can be studied"):
        screen_events(panel, [early], OPTIONS)


@pytest.mark.parametrize("query", ["0981.HK", "981 HK", "00981", "smic"])
def test_any_ticker_form_names_the_entity(query: str) -> None:
    assert find_entity(StatusService.bundled().catalog, query).id == "smic"
