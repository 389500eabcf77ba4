"""The batched OLS agrees with statsmodels, and the per-event numbers follow their definitions."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.impact.align import Window
from redline.impact.models import ModelName
from redline.impact.panel import Panel
from redline.impact.study import StudyOptions, run_study
from tests.impact.synthetic import panel_and_events

EST = Window(-120, -11)
WINDOWS = (Window(-1, 1), Window(0, 5))


def _study(panel: Panel, events: list, model: ModelName = ModelName.MARKET, **kw: object):  # type: ignore[no-untyped-def]
    return run_study(panel, events, StudyOptions(model, EST, WINDOWS, **kw))  # type: ignore[arg-type]


def test_market_model_matches_statsmodels() -> None:
    rng = np.random.default_rng(7)
    panel, events = panel_and_events(rng, securities=8)
    study = _study(panel, events)
    al = study.aligned
    for i in range(len(events)):
        mask = al.est[i]
        x = sm.add_constant(al.x[i, mask, 0])
        ols = sm.OLS(al.y[i, mask], x).fit()
        np.testing.assert_allclose(study.fit.params[i], ols.params, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(study.fit.sigma2[i], ols.scale, rtol=1e-10)
        # Out-of-sample prediction variance: statsmodels' se_obs^2 = scale * (1 + x (X'X)^-1 x').
        span = np.flatnonzero(al.span)
        pred = ols.get_prediction(sm.add_constant(al.x[i, span, 0], has_constant="add"))
        np.testing.assert_allclose(np.sqrt(study.variance[i, span]), pred.se_obs, rtol=1e-9)
        np.testing.assert_allclose(study.fit.ar[i, span], al.y[i, span] - pred.predicted_mean, atol=1e-14)


def test_ff3_matches_statsmodels() -> None:
    rng = np.random.default_rng(11)
    panel, events = panel_and_events(rng, securities=5)
    t = len(panel.dates)
    factors = rng.normal(0, 0.01, (t, 3))
    rf = np.full(t, 0.0001)
    with_factors = Panel(
        panel.source, panel.dates, panel.names, panel.returns, panel.market, panel.market_own, factors, rf
    )
    study = _study(with_factors, events, ModelName.FF3)
    al = study.aligned
    for i in range(len(events)):
        mask = al.est[i]
        ols = sm.OLS(al.y[i, mask], sm.add_constant(al.x[i, mask, :])).fit()
        np.testing.assert_allclose(study.fit.params[i], ols.params, rtol=1e-9, atol=1e-13)
        np.testing.assert_allclose(study.fit.sigma2[i], ols.scale, rtol=1e-9)


def test_constant_mean_and_market_adjusted_definitions() -> None:
    rng = np.random.default_rng(3)
    panel, events = panel_and_events(rng, securities=4)
    mean_study = _study(panel, events, ModelName.CONSTANT_MEAN)
    adj_study = _study(panel, events, ModelName.MARKET_ADJUSTED)
    al = mean_study.aligned
    for i in range(len(events)):
        est_y = al.y[i, al.est[i]]
        assert mean_study.fit.params[i, 0] == pytest.approx(est_y.mean())
        assert mean_study.fit.sigma2[i] == pytest.approx(est_y.var(ddof=1))
        adj = adj_study.aligned
        np.testing.assert_allclose(adj_study.fit.ar[i], adj.y[i] - adj.x[i, :, 0])


def test_car_is_the_sum_of_abnormal_returns_and_its_variance_has_the_forecast_term() -> None:
    rng = np.random.default_rng(5)
    panel, events = panel_and_events(rng, securities=6)
    on = _study(panel, events)
    off = _study(panel, events, forecast_correction=False)
    al = on.aligned
    for k, window in enumerate(WINDOWS):
        cols = (al.offsets >= window.start) & (al.offsets <= window.end)
        np.testing.assert_allclose(on.cars[:, k], on.fit.ar[:, cols].sum(axis=1))
        np.testing.assert_allclose(off.car_se[:, k], np.sqrt(off.fit.sigma2 * window.length))
        # The forecast correction adds sigma^2 * s'(X'X)^-1 s > 0.
        assert np.all(on.car_se[:, k] > off.car_se[:, k])


@settings(max_examples=25, deadline=None)
@given(
    scale=st.floats(min_value=0.1, max_value=10.0),
    shift=st.floats(min_value=-0.01, max_value=0.01),
    seed=st.integers(0, 2**16),
)
def test_affine_invariance(scale: float, shift: float, seed: int) -> None:
    """Scaling returns scales ARs and leaves every t statistic alone; a constant shift only moves alpha."""
    rng = np.random.default_rng(seed)
    panel, events = panel_and_events(rng, securities=6)
    base = _study(panel, events)
    moved = Panel(panel.source, panel.dates, panel.names, panel.returns * scale + shift, panel.market, panel.market_own)
    other = _study(moved, events)
    np.testing.assert_allclose(other.fit.ar, base.fit.ar * scale, rtol=1e-7, atol=1e-12)
    for name, outcome in base.daily.items():
        np.testing.assert_allclose(other.daily[name].stat, outcome.stat, rtol=1e-6, atol=1e-9, err_msg=name)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_abnormal_returns_are_zero_in_expectation_without_an_event(seed: int) -> None:
    rng = np.random.default_rng(seed)
    panel, events = panel_and_events(rng, securities=60, events_per_security=2)
    study = _study(panel, events)
    day0 = int(np.flatnonzero(study.aligned.offsets == 0)[0])
    # 120 independent standardized day-0 ARs with unit variance: their mean is within 5 standard errors of 0.
    standardized = study.fit.ar[:, day0] / np.sqrt(study.variance[:, day0])
    assert abs(standardized.mean()) < 5 / np.sqrt(standardized.size)
