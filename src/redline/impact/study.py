"""One event study: align, fit, abnormal returns, CAR and BHAR per event, and the cross-sectional tests.

`run_study` returns a `Study`; `Study.to_json()` is the stable JSON form documented in docs/impact.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from redline.impact.align import Aligned, EventSpec, Window, align
from redline.impact.errors import ImpactInputError
from redline.impact.models import Fit, fit
from redline.impact.panel import Panel
from redline.impact.statistics import CATALOGUE, CrossSection, Outcome, TestInputs
from redline.model.studies import DayZeroRule, ModelName, ReturnKind


@dataclass(frozen=True)
class StudyOptions:
    model: ModelName
    estimation: Window
    windows: tuple[Window, ...]
    rule: DayZeroRule = DayZeroRule.NEXT
    # Var(AR) = sigma^2 (1 + x'(X'X)^-1 x): the parameters are estimated, so the prediction error is larger
    # than sigma^2 (MacKinlay 1997, eq. 7; Patell 1976). Off: Var(AR) = sigma^2.
    forecast_correction: bool = True
    min_estimation: int | None = None  # None: every day of the estimation window must have an observation
    estudy2_compat: bool = False  # reproduce estudy2's published numbers, quirks included (docs/impact.md)


@dataclass(frozen=True)
class Study:
    options: StudyOptions
    panel_kind: ReturnKind
    aligned: Aligned
    fit: Fit
    variance: np.ndarray  # (N, W) Var(AR)
    cars: np.ndarray  # (N, n_windows)
    car_se: np.ndarray
    bhar: np.ndarray
    bhar_se: np.ndarray
    daily: dict[str, Outcome]
    window_tests: list[dict[str, Outcome]]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def day_offsets(self) -> np.ndarray:
        return np.asarray(self.aligned.offsets[self.aligned.span])

    def window_days(self, window: Window) -> np.ndarray:
        days = self.day_offsets
        return np.asarray((days >= window.start) & (days <= window.end))

    def to_json(self) -> dict[str, Any]:
        return study_json(self)


def _align(panel: Panel, events: Sequence[EventSpec], options: StudyOptions) -> Aligned:
    return align(
        panel,
        events,
        regressors=options.model.regressors,
        estimation=options.estimation,
        windows=options.windows,
        rule=options.rule,
        min_estimation=options.min_estimation,
        market_moments=options.estudy2_compat,
    )


@dataclass(frozen=True)
class Screened:
    """The events a study keeps, in order, with what became of the others."""

    kept: list[EventSpec]
    merged: dict[int, list[int]]  # index in `kept` -> indices (into the input) of the events it stands for
    skipped: list[dict[str, str]]  # events the data cannot support, each with its reason


def screen_events(panel: Panel, events: Sequence[EventSpec], options: StudyOptions) -> Screened:
    """Collapse same-day events of one security and skip the events the data cannot support.

    Daily prices cannot tell apart two events of one security whose day 0 is the same session (SMIC's CCMC
    removal, NS-CMIC Annex listing and 1260H listing, all public on 2021-06-03, all reach Hong Kong on
    2021-06-04): counting them as independent events would enter one return several times into the
    cross-section. We keep one event per (security, day 0), the first, and record the others it stands for.
    An event short of history or outside the data is skipped with the reason `align` gives, instead of
    aborting the whole study; a study with no usable event still fails.
    """
    kept: list[EventSpec] = []
    merged: dict[int, list[int]] = {}
    skipped: list[dict[str, str]] = []
    by_day: dict[tuple[str, str], int] = {}
    for index, spec in enumerate(events):
        try:
            one = _align(panel, [spec], options)
        except ImpactInputError as exc:
            skipped.append(
                {"security": spec.security, "date": spec.date.isoformat(), "event": spec.where, "reason": str(exc)}
            )
            continue
        key = (spec.security, str(one.day0[0]))
        if key in by_day:
            merged[by_day[key]].append(index)
            continue
        by_day[key] = len(kept)
        merged[len(kept)] = [index]
        kept.append(spec)
    if not kept:
        reasons = "; ".join(item["reason"] for item in skipped[:3])
        raise ImpactInputError(f"no event can be studied: {reasons}")
    return Screened(kept, merged, skipped)


def run_study(panel: Panel, events: Sequence[EventSpec], options: StudyOptions) -> Study:
    aligned = _align(panel, events, options)
    fitted = fit(options.model, aligned, sigma_ddof_one=options.estudy2_compat)
    n = aligned.n.astype(float)
    compat_market = options.estudy2_compat and options.model is ModelName.MARKET and aligned.market_moments is not None
    if compat_market:
        # estudy2 takes the market's mean and spread over the market's own estimation window (SPEC, Patell row).
        assert aligned.market_moments is not None
        m, ss = aligned.market_moments[:, 0:1], aligned.market_moments[:, 1:2]
        excess = (aligned.x[:, :, 0] - m) ** 2 / ss
        leverage = 1 / n[:, None] + excess
    else:
        leverage = fitted.leverage
    factor = 1 + leverage if options.forecast_correction else np.ones_like(leverage)
    variance = fitted.sigma2[:, None] * factor
    sar = fitted.ar / np.sqrt(variance)

    span_days = aligned.offsets[aligned.span]
    cars, car_se, bhar, bhar_se = [], [], [], []
    for window in options.windows:
        cols = (aligned.offsets >= window.start) & (aligned.offsets <= window.end)
        t_len = int(cols.sum())
        car = np.nansum(fitted.ar[:, cols], axis=1)
        if not options.forecast_correction:
            kernel = np.full(n.shape, float(t_len))
        elif compat_market:
            assert aligned.market_moments is not None
            dev = (aligned.x[:, cols, 0] - aligned.market_moments[:, 0:1]).sum(axis=1)
            kernel = t_len + t_len**2 / n + dev**2 / aligned.market_moments[:, 1]
        elif fitted.design.shape[2]:
            s = fitted.design[:, cols, :].sum(axis=1)
            kernel = t_len + np.einsum("np,npq,nq->n", s, fitted.xtx_inv, s)
        else:
            kernel = np.full(n.shape, float(t_len))
        cars.append(car)
        car_se.append(np.sqrt(fitted.sigma2 * kernel))
        b, b_se = _bhar(aligned.total[:, cols], fitted.ar[:, cols], variance[:, cols], panel.kind)
        bhar.append(b)
        bhar_se.append(b_se)

    # Lamb's forecast-error term beyond 1 + 1/mean(L): the market's squared deviation term, averaged over events.
    lamb_c = _column_mean(excess) if compat_market else _column_mean(leverage) - 1 / float(n.mean())
    inputs = TestInputs(
        ar=fitted.ar,
        est=aligned.est,
        span=aligned.span,
        sigma2=fitted.sigma2,
        n=aligned.n,
        sar=sar,
        patell_df=n - options.model.dof_used,
        lamb_c=lamb_c,
        estudy2_compat=options.estudy2_compat,
    )
    cross = CrossSection(inputs)
    daily = cross.daily()
    window_tests = []
    for k, window in enumerate(options.windows):
        days = (span_days >= window.start) & (span_days <= window.end)
        window_tests.append(cross.window(days, cars[k], cars[k] / car_se[k], daily))
    return Study(
        options, panel.kind, aligned, fitted, variance,
        np.stack(cars, axis=1), np.stack(car_se, axis=1), np.stack(bhar, axis=1), np.stack(bhar_se, axis=1),
        daily, window_tests, {"r_bar": cross.r_bar, "p_hat": cross.p_hat, "sd_aar_est": cross.sd_aar_est},
    )  # fmt: skip


def _column_mean(values: np.ndarray) -> np.ndarray:
    present = np.isfinite(values)
    count = present.sum(axis=0)
    total = np.where(present, values, 0.0).sum(axis=0)
    return np.asarray(np.divide(total, count, out=np.full(total.shape, np.nan), where=count > 0))


def _bhar(total: np.ndarray, ar: np.ndarray, variance: np.ndarray, kind: ReturnKind) -> tuple[np.ndarray, ...]:
    """Buy-and-hold abnormal return: compounded return minus compounded normal return.

    Its standard error is the delta-method one: d BHAR / d AR_t = prod(1 + R) / (1 + R_t).
    """
    simple = np.expm1(total) if kind is ReturnKind.LOG else total
    normal = np.expm1(total - ar) if kind is ReturnKind.LOG else total - ar
    grown = np.prod(1 + simple, axis=1)
    bhar = grown - np.prod(1 + normal, axis=1)
    gradient = grown[:, None] / (1 + simple)
    if kind is ReturnKind.LOG:
        gradient = gradient * (1 + simple)
    return bhar, np.sqrt((gradient**2 * variance).sum(axis=1))


def _num(value: Any) -> float | None:
    number = float(value)
    return number if np.isfinite(number) else None


def _tests(results: dict[str, Outcome], index: int | None = None) -> dict[str, dict[str, float | None]]:
    out = {}
    for name, outcome in results.items():
        stat = outcome.stat if index is None else outcome.stat[index]
        p = outcome.p if index is None else outcome.p[index]
        out[name] = {"stat": _num(stat), "p": _num(p)}
    return out


def _plain(values: np.ndarray) -> list[Any]:
    """Array -> nested lists of floats, with NaN and inf as None (JSON null), in one vectorised pass."""
    as_float = np.asarray(values, dtype=float)
    boxed = as_float.astype(object)
    boxed[~np.isfinite(as_float)] = None
    return boxed.tolist()  # type: ignore[no-any-return]


def _date_strings(values: np.ndarray) -> list[Any]:
    boxed = np.datetime_as_string(values.astype("datetime64[D]")).astype(object)
    boxed[np.isnat(values)] = None
    return boxed.tolist()  # type: ignore[no-any-return]


def study_json(study: Study) -> dict[str, Any]:
    """The documented JSON form (docs/impact.md). Built from whole arrays: 10,000 events serialise quickly."""
    opts, al, ft = study.options, study.aligned, study.fit
    df = ft.df
    span_cols = np.flatnonzero(al.span)
    est_cols = np.flatnonzero((al.offsets >= opts.estimation.start) & (al.offsets <= opts.estimation.end))
    se = np.sqrt(study.variance[:, span_cols])
    ar = ft.ar[:, span_cols]
    with np.errstate(invalid="ignore", divide="ignore"):
        ar_t = ar / se
        car_t = study.cars / study.car_se
        bhar_t = study.bhar / study.bhar_se
        car_p = 2 * stats.t.sf(np.abs(car_t), df[:, None])
        bhar_p = 2 * stats.t.sf(np.abs(bhar_t), df[:, None])
    day_numbers = al.offsets[span_cols].tolist()
    columns = {
        "date": _date_strings(al.dates[:, span_cols]),
        "ar": _plain(ar),
        "se": _plain(se),
        "t": _plain(ar_t),
    }
    car_columns = {
        "car": _plain(study.cars),
        "se": _plain(study.car_se),
        "t": _plain(car_t),
        "p": _plain(car_p),
        "bhar": _plain(study.bhar),
        "bhar_se": _plain(study.bhar_se),
        "bhar_t": _plain(bhar_t),
        "bhar_p": _plain(bhar_p),
    }
    params = _plain(ft.params)
    sigma = _plain(np.sqrt(ft.sigma2))
    est_mask = al.est[:, est_cols]
    first_col = np.argmax(est_mask, axis=1)
    last_col = est_mask.shape[1] - 1 - np.argmax(est_mask[:, ::-1], axis=1)
    rows = np.arange(len(al.securities))
    first_dates = _date_strings(al.dates[rows, est_cols[first_col]])
    last_dates = _date_strings(al.dates[rows, est_cols[last_col]])
    day0 = _date_strings(al.day0)
    names = opts.model.param_names
    windows = [[w.start, w.end] for w in opts.windows]
    events = []
    for i in range(len(al.securities)):
        ars = [
            {"day": day, "date": columns["date"][i][d], "ar": columns["ar"][i][d], "se": columns["se"][i][d],
             "t": columns["t"][i][d]}
            for d, day in enumerate(day_numbers)
        ]  # fmt: skip
        cars = [
            {"window": window, **{key: car_columns[key][i][k] for key in car_columns}}
            for k, window in enumerate(windows)
        ]
        events.append(
            {
                "security": al.securities[i],
                "event_date": al.event_dates[i].isoformat(),
                "day0": day0[i],
                "estimation": {
                    "n": int(al.n[i]),
                    "params": dict(zip(names, params[i], strict=True)),
                    "sigma": sigma[i],
                    "df": int(df[i]),
                    "window": [opts.estimation.start, opts.estimation.end],
                    "first_date": first_dates[i],
                    "last_date": last_dates[i],
                },
                "abnormal_returns": ars,
                "cars": cars,
            }
        )
    days_out = []
    caar = 0.0
    aar_all = np.nanmean(ft.ar[:, span_cols], axis=0) if span_cols.size else np.zeros(0)
    counts = np.isfinite(ft.ar[:, span_cols]).sum(axis=0)
    for d, c in enumerate(span_cols):
        caar += float(aar_all[d])
        days_out.append(
            {
                "day": int(al.offsets[c]),
                "n": int(counts[d]),
                "aar": _num(aar_all[d]),
                "caar": _num(caar),
                "tests": _tests(study.daily, d),
            }
        )
    windows_out = []
    for k, window in enumerate(opts.windows):
        days = study.window_days(window)
        windows_out.append(
            {
                "window": [window.start, window.end],
                "n": int(np.isfinite(study.cars[:, k]).sum()),
                "caar": _num(np.nanmean(study.cars[:, k])),
                "mean_aar": _num(np.mean(aar_all[days])),
                "mean_bhar": _num(np.nanmean(study.bhar[:, k])),
                "tests": _tests(study.window_tests[k]),
            }
        )
    used = set(study.daily)
    return {
        "model": opts.model.value,
        "options": {
            "estimation": [opts.estimation.start, opts.estimation.end],
            "windows": [[w.start, w.end] for w in opts.windows],
            "day0_rule": opts.rule.value,
            "forecast_correction": opts.forecast_correction,
            "min_estimation": opts.min_estimation if opts.min_estimation is not None else opts.estimation.length,
            "estudy2_compat": opts.estudy2_compat,
            "returns": study.panel_kind.value,
        },
        "events": events,
        "aggregate": {
            "days": days_out,
            "windows": windows_out,
            "tests": {
                name: {"description": desc, "reference": ref, "null": null}
                for name, (desc, ref, null) in CATALOGUE.items()
                if name in used
            },
            "mean_pairwise_correlation": _num(study.extra["r_bar"]),
            "p_hat": _num(study.extra["p_hat"]),
        },
    }
