"""Simulated markets for the impact tests: a market factor, securities with known alpha and beta, no event."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from redline.impact.align import EventSpec
from redline.impact.panel import Panel, from_returns
from redline.impact.tables import Table


def business_days(count: int, start: str = "2015-01-05") -> np.ndarray:
    return np.busday_offset(np.datetime64(start, "D"), np.arange(count), roll="forward")


def market_table(
    rng: np.random.Generator, *, days: int = 400, securities: int = 20, sigma: float = 0.02
) -> tuple[Table, np.ndarray, np.ndarray]:
    """Returns of `securities` columns plus MKT: R = alpha + beta * Rm + e, e ~ N(0, sigma)."""
    dates = business_days(days)
    market = rng.normal(0.0004, 0.01, days)
    alpha = rng.normal(0, 0.0005, securities)
    beta = rng.uniform(0.5, 1.5, securities)
    noise = rng.normal(0, sigma, (days, securities))
    values = alpha + market[:, None] * beta + noise
    names = [f"S{j}" for j in range(securities)] + ["MKT"]
    table = Table(Path("synthetic.csv"), dates, names, np.column_stack([values, market]), np.arange(days) + 2)
    return table, alpha, beta


def panel_and_events(
    rng: np.random.Generator, *, days: int = 400, securities: int = 20, events_per_security: int = 1
) -> tuple[Panel, list[EventSpec]]:
    table, _, _ = market_table(rng, days=days, securities=securities)
    panel = from_returns(table, "MKT")
    events = []
    for j in range(securities):
        for _ in range(events_per_security):
            day = table.dates[int(rng.integers(days - 140, days - 20))]
            events.append(EventSpec(f"S{j}", date.fromisoformat(str(day))))
    return panel, events
