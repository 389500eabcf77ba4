"""Putting every event on its own trading-day clock.

Each security counts its own trading days: day k is the k-th day after day 0 on which that security traded.
Day 0 follows `DayZeroRule`; the default is the event date if the security traded that day, otherwise its
next trading day. The result is a set of (events x relative days) matrices, NaN where a security has no
observation, so that every model and test below is one vectorised numpy expression over all events.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from redline.impact.errors import ImpactInputError
from redline.impact.panel import Panel
from redline.model.studies import DayZeroRule as DayZeroRule
from redline.model.studies import RegressorKind as RegressorKind

_WINDOW = re.compile(r"^\s*([+-]?\d+)\s*:\s*([+-]?\d+)\s*$")


@dataclass(frozen=True)
class Window:
    """Relative trading days `start..end`, both included."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> Window:
        match = _WINDOW.match(text)
        if not match:
            raise ImpactInputError(f"not a window: {text!r} (expected A:B in trading days, e.g. -250:-11 or 0:5)")
        start, end = int(match[1]), int(match[2])
        if start > end:
            raise ImpactInputError(f"window {text!r} starts after it ends")
        return cls(start, end)

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def label(self) -> str:
        return f"{self.start}:{self.end}"


@dataclass(frozen=True)
class EventSpec:
    security: str
    date: date
    where: str = ""  # e.g. "E.csv, line 4", for messages


@dataclass(frozen=True)
class Aligned:
    """Events on relative-day axes. Shapes: N events, W relative days (`offsets`), k regressors."""

    offsets: np.ndarray  # (W,) relative days
    securities: list[str]
    event_dates: list[date]
    day0: np.ndarray  # (N,) datetime64[D]
    dates: np.ndarray  # (N, W) datetime64[D], NaT where the security has no such trading day
    y: np.ndarray  # (N, W) the modelled return: R, or R - RF for ff3
    total: np.ndarray  # (N, W) the security's return R (for BHAR)
    riskfree: np.ndarray  # (N, W) RF for ff3; a (1, 1) zero otherwise
    x: np.ndarray  # (N, W, k) regressors
    est: np.ndarray  # (N, W) usable estimation observations
    n: np.ndarray  # (N,) estimation observations per event
    span: np.ndarray  # (W,) bool: the event span (from the first window's start to the last window's end)
    market_moments: np.ndarray | None  # (N, 2) mean and centred sum of squares of the market's own window


def _fail(spec: EventSpec, panel: Panel, message: str) -> ImpactInputError:
    """Name the event's own line when it came from a file, and the data file the problem is in."""
    text = f"{spec.security} on {spec.date}: {message} (data: {panel.source})"
    return ImpactInputError(f"{spec.where}: {text}" if spec.where else text)


def align(
    panel: Panel,
    events: Sequence[EventSpec],
    *,
    regressors: RegressorKind,
    estimation: Window,
    windows: Sequence[Window],
    rule: DayZeroRule = DayZeroRule.NEXT,
    min_estimation: int | None = None,
    market_moments: bool = False,
) -> Aligned:
    if not events:
        raise ImpactInputError("no events to study")
    if regressors is RegressorKind.MARKET and panel.market is None:
        raise ImpactInputError("this model needs a market: give --market", file=panel.source)
    if regressors is RegressorKind.FACTORS and panel.factors is None:
        raise ImpactInputError("the ff3 model needs --factors F.csv")
    event_lo, event_hi = min(w.start for w in windows), max(w.end for w in windows)
    if estimation.start <= event_hi and event_lo <= estimation.end:
        raise ImpactInputError(
            f"the estimation window {estimation.label()} overlaps the event windows ({event_lo}:{event_hi}); "
            "estimate the normal return outside the event"
        )
    lo, hi = min(estimation.start, event_lo, 0), max(estimation.end, event_hi, 0)
    offsets = np.arange(lo, hi + 1)
    first, last = panel.dates[0], panel.dates[-1]

    columns = np.array([panel.index(spec.security) for spec in events])
    days = np.array([np.datetime64(spec.date, "D") for spec in events])
    outside = np.flatnonzero((days < first) | (days > last))
    if outside.size:
        i = int(outside[0])
        raise _fail(events[i], panel, f"the event date is outside the data ({first} to {last})")
    # Each security's own trading days (the rows where it has a return), concatenated security by security.
    unique, slot = np.unique(columns, return_inverse=True)
    traded = np.isfinite(panel.returns[:, unique])  # (T, U)
    sec_of, flat = np.nonzero(traded.T)  # rows, sorted by security, then row
    per_security = traded.sum(axis=0)
    base = np.concatenate([[0], np.cumsum(per_security)[:-1]])
    count, start = per_security[slot], base[slot]
    # k0: how many of its trading days the security had before the event date, and whether it traded on it.
    # The (security, row) keys are sorted, so one searchsorted answers every event at once.
    at_row = np.searchsorted(panel.dates, days, side="left")
    t_len = len(panel.dates)
    k0 = np.searchsorted(sec_of * t_len + flat, slot * t_len + at_row, side="left") - start
    exact = (panel.dates[at_row] == days) & traded[at_row, slot]
    if rule is DayZeroRule.EXACT and not exact.all():
        i = int(np.flatnonzero(~exact)[0])
        raise _fail(events[i], panel, "the security did not trade on the event date (day-0 rule 'exact')")
    if rule is DayZeroRule.PREVIOUS:
        k0 = np.where(exact, k0, k0 - 1)
    missing = np.flatnonzero((k0 < 0) | (k0 >= count))
    if missing.size:
        raise _fail(events[int(missing[0])], panel, "the security has no trading day to serve as day 0")

    rel = k0[:, None] + offsets[None, :]
    valid = (rel >= 0) & (rel < count[:, None])
    rows = flat[np.clip(start[:, None] + np.clip(rel, 0, None), 0, max(flat.size - 1, 0))]
    cols = columns[:, None]
    total = np.where(valid, panel.returns[rows, cols], np.nan)
    dates = np.where(valid, panel.dates[rows], np.datetime64("NaT"))
    span = (offsets >= event_lo) & (offsets <= event_hi)

    riskfree = np.zeros((1, 1))  # broadcast: no risk-free rate outside ff3
    if regressors is RegressorKind.MARKET:
        assert panel.market is not None
        x = np.where(valid, panel.market[rows, cols], np.nan)[:, :, None]
    elif regressors is RegressorKind.FACTORS:
        assert panel.factors is not None and panel.riskfree is not None
        x = np.where(valid[:, :, None], panel.factors[rows], np.nan)
        riskfree = np.where(valid, panel.riskfree[rows], np.nan)
    else:
        x = np.zeros((*total.shape, 0))
    y = total - riskfree if regressors is RegressorKind.FACTORS else total

    usable = np.isfinite(y) & np.all(np.isfinite(x), axis=2)
    in_est = (offsets >= estimation.start) & (offsets <= estimation.end)
    est = usable & in_est[None, :]
    n = est.sum(axis=1)
    needed = estimation.length if min_estimation is None else min_estimation
    # Fewer observations than parameters + 3 leave no degrees of freedom for the Patell variance ratio.
    needed = max(needed, x.shape[2] + 4)
    _check_coverage(panel, events, valid, usable, span, offsets, n, needed, estimation, dates, regressors)
    _check_variance(panel, events, y, x, est)

    moments = None
    if market_moments and regressors is RegressorKind.MARKET and panel.market_own is not None:
        moments = _market_moments(panel, events, estimation)
    return Aligned(
        offsets, [spec.security for spec in events], [spec.date for spec in events],
        dates[:, int(np.flatnonzero(offsets == 0)[0])],
        dates, y, total, riskfree, x, est, n, span, moments,
    )  # fmt: skip


def _check_coverage(
    panel: Panel,
    events: Sequence[EventSpec],
    valid: np.ndarray,
    usable: np.ndarray,
    span: np.ndarray,
    offsets: np.ndarray,
    n: np.ndarray,
    needed: int,
    estimation: Window,
    dates: np.ndarray,
    regressors: RegressorKind,
) -> None:
    short = np.flatnonzero(n < needed)
    if short.size:
        i = int(short[0])
        raise _fail(
            events[i],
            panel,
            f"the estimation window {estimation.label()} has {int(n[i])} observations; {needed} are needed"
            " (the security's own trading days with a return"
            + (" and a market return" if regressors is RegressorKind.MARKET else "")
            + "; lower --min-estimation to accept fewer)",
        )
    gaps = ~valid[:, span]
    if gaps.any():
        i, d = (int(v) for v in np.argwhere(gaps)[0])
        day = int(offsets[span][d])
        side = "before the first" if day < 0 else "after the last"
        raise _fail(events[i], panel, f"the event window needs trading day {day:+d}, {side} day in the data")
    holes = valid[:, span] & ~usable[:, span]
    if holes.any():
        i, d = (int(v) for v in np.argwhere(holes)[0])
        what = "factors" if regressors is RegressorKind.FACTORS else "market return"
        raise _fail(events[i], panel, f"no {what} on {dates[i, span][d]} (event day {int(offsets[span][d]):+d})")


def _check_variance(panel: Panel, events: Sequence[EventSpec], y: np.ndarray, x: np.ndarray, est: np.ndarray) -> None:
    def spread(values: np.ndarray) -> np.ndarray:
        hi = np.where(est, values, -np.inf).max(axis=1)
        lo = np.where(est, values, np.inf).min(axis=1)
        return np.asarray(hi - lo)

    flat = np.flatnonzero(spread(y) <= 0)
    if flat.size:
        raise _fail(events[int(flat[0])], panel, "the security's returns have no variance in the estimation window")
    for k in range(x.shape[2]):
        flat = np.flatnonzero(spread(x[:, :, k]) <= 0)
        if flat.size:
            raise _fail(events[int(flat[0])], panel, "the market/factor returns have no variance in the window")


def _market_moments(panel: Panel, events: Sequence[EventSpec], estimation: Window) -> np.ndarray:
    """Mean and centred sum of squares of the market over its own estimation window (estudy2's Patell)."""
    assert panel.market_own is not None
    rows = np.flatnonzero(np.isfinite(panel.market_own))
    own = panel.dates[rows]
    k0 = np.searchsorted(own, np.array([np.datetime64(e.date, "D") for e in events]), side="left")
    rel = k0[:, None] + np.arange(estimation.start, estimation.end + 1)[None, :]
    ok = (rel >= 0) & (rel < rows.size)
    values = np.where(ok, panel.market_own[rows[np.clip(rel, 0, rows.size - 1)]], np.nan)
    mean = np.nanmean(values, axis=1)
    ss = np.nansum((values - mean[:, None]) ** 2, axis=1)
    return np.stack([mean, ss], axis=1)
