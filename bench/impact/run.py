"""Benchmark: Redline's vectorised event study against event-study-toolkit on the same simulated input.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/impact/run.py [--events 10000] [--peer-events 500]

Input: one event per security (the peer groups by security), NYSE trading days from the peer's own calendar,
market-model returns with no event; estimation window -260:-11 (250 trading days), event window -1:1.
Redline runs on all events; both run on the same first `--peer-events` events for the ratio, and their mean
CAR, CAR t, sign and generalized sign statistics are compared. Timings are wall-clock; memory is
tracemalloc's peak (numpy allocations are traced) in a second, traced run.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from datetime import date
from pathlib import Path

import numpy as np

from redline.impact.align import EventSpec, Window
from redline.impact.models import ModelName
from redline.impact.panel import Panel
from redline.impact.study import Study, StudyOptions, run_study

ESTIMATION = Window(-260, -11)
WINDOW = Window(-1, 1)


def nyse_days(start: str, end: str) -> np.ndarray:
    import pandas_market_calendars as mcal

    schedule = mcal.get_calendar("NYSE").schedule(start_date=start, end_date=end)
    return np.array(schedule.index.values, dtype="datetime64[D]")


def simulate(events: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Dates, market returns, security returns (T x events, NaN outside each event's span), event rows."""
    rng = np.random.default_rng(seed)
    dates = nyse_days("2018-01-01", "2021-12-31")
    t = dates.size
    market = rng.normal(0.0004, 0.01, t)
    event_rows = rng.integers(270, t - 20, events)
    beta = rng.uniform(0.5, 1.5, events)
    returns = np.full((t, events), np.nan)
    span = np.arange(-265, 5)
    rows = event_rows[None, :] + span[:, None]
    noise = rng.normal(0, 0.02, rows.shape)
    returns[rows, np.arange(events)[None, :]] = market[rows] * beta + noise
    return dates, market, returns, event_rows


def redline_run(dates: np.ndarray, market: np.ndarray, returns: np.ndarray, rows: np.ndarray) -> tuple[Study, float]:
    names = [f"S{j}" for j in range(returns.shape[1])]
    panel = Panel(Path("simulated"), dates, names, returns, np.broadcast_to(market[:, None], returns.shape), market)
    specs = [EventSpec(names[j], date.fromisoformat(str(dates[rows[j]]))) for j in range(len(names))]
    options = StudyOptions(ModelName.MARKET, ESTIMATION, (WINDOW,), forecast_correction=False)
    start = time.perf_counter()
    study = run_study(panel, specs, options)
    return study, time.perf_counter() - start


def peer_run(dates: np.ndarray, market: np.ndarray, returns: np.ndarray, rows: np.ndarray) -> tuple[object, float]:
    import pandas as pd
    from event_study_toolkit.eventstudy import eventstudy

    events = returns.shape[1]
    present = np.argwhere(np.isfinite(returns))
    data = pd.DataFrame(
        {
            "date": pd.to_datetime(dates[present[:, 0]]),
            "subject_id": present[:, 1] + 1,
            "ret_dlst_adj": returns[present[:, 0], present[:, 1]],
            "vwretd": market[present[:, 0]],
        }
    )
    event_table = pd.DataFrame({"subject_id": np.arange(events) + 1, "EVT_DATE": pd.to_datetime(dates[rows]), "G": 1})
    data = data.merge(event_table[["subject_id"]], on="subject_id")
    start = time.perf_counter()
    # gap 9 with start -1: the estimation window ends on day -11 and holds 250 days, as Redline's -260:-11.
    study = eventstudy(250, 9, -1, 1, data, event_table, unique_id="subject_id", calType="NYSE", groups=["G"])
    result = study.getFullSampleTestStatistic("market")
    return result, time.perf_counter() - start


def measured(fn, *args):  # type: ignore[no-untyped-def]
    """Time a plain run, then run again under tracemalloc for the peak (tracing slows the run down)."""
    out, seconds = fn(*args)
    tracemalloc.start()
    fn(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--peer-events", type=int, default=500)
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    dates, market, returns, rows = simulate(args.events)
    print(f"input: {args.events} events, {dates.size} NYSE days, estimation {ESTIMATION.label()}, window -1:1")

    study, seconds, peak = measured(redline_run, dates, market, returns, rows)
    print(f"redline  {args.events:>6} events: {seconds:7.3f} s, peak traced memory {peak:7.1f} MiB")
    t0 = time.perf_counter()
    study.to_json()
    print(f"redline  {args.events:>6} events: JSON of every event and test in {time.perf_counter() - t0:.3f} s")

    n = args.peer_events
    sub = (dates, market, returns[:, :n], rows[:n])
    small, r_seconds, r_peak = measured(redline_run, *sub)
    peer, p_seconds, p_peak = measured(peer_run, *sub)
    print(f"redline  {n:>6} events: {r_seconds:7.3f} s, peak traced memory {r_peak:7.1f} MiB")
    print(f"peer     {n:>6} events: {p_seconds:7.3f} s, peak traced memory {p_peak:7.1f} MiB  (event-study-toolkit)")
    ratio = f"time {p_seconds / r_seconds:.0f}x, memory {p_peak / r_peak:.1f}x"
    print(f"ratio peer/redline on the same {n} events: {ratio}")

    cars = small.cars[:, 0]
    stats = peer.iloc[0]  # type: ignore[attr-defined]
    window = small.window_tests[0]
    checks = {
        "car_mean": (float(cars.mean()), float(stats["car_mean"])),
        "car_t": (float(window["t"].stat), float(stats["car_t"])),
        "sign": (float(window["sign"].stat), float(stats["tsign"])),
        "gen_sign": (float(window["gsign"].stat), float(stats["gen_z"])),
    }
    for name, (ours, theirs) in checks.items():
        print(f"agreement {name:>8}: redline {ours:+.10f}  peer {theirs:+.10f}  diff {abs(ours - theirs):.1e}")


if __name__ == "__main__":
    main()
