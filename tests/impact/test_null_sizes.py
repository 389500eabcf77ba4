"""Under the null (no event), each test rejects at 5% about 5% of the time (simulation)."""

from __future__ import annotations

import numpy as np
import pytest

from redline.impact.align import Window
from redline.impact.models import ModelName
from redline.impact.study import StudyOptions, run_study
from tests.impact.synthetic import panel_and_events

REPLICATIONS = 250


@pytest.mark.slow
def test_rejection_rates_under_the_null() -> None:
    rng = np.random.default_rng(20210115)
    options = StudyOptions(ModelName.MARKET, Window(-150, -11), (Window(0, 0), Window(-1, 1)))
    day_rejections: dict[str, int] = {}
    window_rejections: dict[str, int] = {}
    for _ in range(REPLICATIONS):
        panel, events = panel_and_events(rng, days=320, securities=40)
        study = run_study(panel, events, options)
        day0 = int(np.flatnonzero(study.day_offsets == 0)[0])
        for name, outcome in study.daily.items():
            day_rejections[name] = day_rejections.get(name, 0) + int(outcome.p[day0] < 0.05)
        for name, outcome in study.window_tests[1].items():
            window_rejections[name] = window_rejections.get(name, 0) + int(outcome.p < 0.05)
    # Binomial(250, 0.05): sd 1.4 points; accept 1%..10% (about -2.9 to +3.6 sd).
    for label, counts in (("day 0", day_rejections), ("window -1:1", window_rejections)):
        for name, count in counts.items():
            rate = count / REPLICATIONS
            assert 0.01 <= rate <= 0.10, f"{label} {name}: rejection rate {rate:.3f} at the 5% level"
