"""Returns on each security's own trading days, paired with the market return over the same span.

A blank price means the security did not trade. Its next return then spans every day since its previous
trade, so the market return paired with it spans the same days (computed from the market's prices, carried
forward over days the index did not publish). With a returns file, rows are taken as they are: a blank is a
missing observation, and the market return of the same row is its pair (estudy2's convention).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from redline.impact.errors import ImpactInputError
from redline.impact.tables import Table
from redline.model.studies import ReturnKind as ReturnKind

FACTOR_COLUMNS = {"mkt-rf": "mkt_rf", "mkt_rf": "mkt_rf", "mktrf": "mkt_rf", "smb": "smb", "hml": "hml", "rf": "rf"}


@dataclass(frozen=True)
class Panel:
    """`returns[t, j]` of security `names[j]` on `dates[t]` and `market[t, j]`, its paired market return."""

    source: Path
    dates: np.ndarray
    names: list[str]
    returns: np.ndarray
    market: np.ndarray | None  # same shape as returns (may be a broadcast view)
    market_own: np.ndarray | None  # the market's own series, for estudy2-compatible Patell moments
    factors: np.ndarray | None = None  # (T, 3): Mkt-RF, SMB, HML on the panel's dates
    riskfree: np.ndarray | None = None  # (T,)
    kind: ReturnKind = ReturnKind.SIMPLE

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {name: j for j, name in enumerate(self.names)}

    def index(self, name: str) -> int:
        try:
            return self._positions[name]
        except KeyError:
            raise ImpactInputError(
                f"no column {name!r} for this security; columns are {', '.join(self.names)}", file=self.source
            ) from None

    def with_factors(self, table: Table) -> Panel:
        """Attach a Fama-French factors file (same units as the returns), matched on exact dates."""
        found: dict[str, int] = {}
        for j, name in enumerate(table.names):
            key = FACTOR_COLUMNS.get(name.strip().lower())
            if key:
                found[key] = j
        missing = [k for k in ("mkt_rf", "smb", "hml", "rf") if k not in found]
        if missing:
            raise ImpactInputError(
                f"factors file needs columns Mkt-RF, SMB, HML, RF; missing {', '.join(missing)}",
                file=table.path,
                line=1,
            )
        at = np.searchsorted(table.dates, self.dates)
        at_clipped = np.minimum(at, len(table.dates) - 1)
        hit = table.dates[at_clipped] == self.dates
        picked = np.where(hit[:, None], table.values[at_clipped], np.nan)
        factors = picked[:, [found["mkt_rf"], found["smb"], found["hml"]]]
        return Panel(
            self.source, self.dates, self.names, self.returns, self.market, self.market_own,
            factors, picked[:, found["rf"]], self.kind,
        )  # fmt: skip


def from_returns(table: Table, market_column: str | None) -> Panel:
    """A returns file: every column but the market's is a security."""
    if market_column is None:
        return Panel(table.path, table.dates, list(table.names), table.values, None, None)
    m = table.index(market_column)
    keep = [j for j in range(len(table.names)) if j != m]
    market = table.values[:, m]
    returns = table.values[:, keep]
    return Panel(
        table.path, table.dates, [table.names[j] for j in keep], returns,
        np.broadcast_to(market[:, None], returns.shape), market,
    )  # fmt: skip


def _check_positive(table: Table, values: np.ndarray, column: str) -> None:
    bad = np.flatnonzero(values <= 0)
    if bad.size:
        row = int(bad[0])
        raise ImpactInputError(
            f"price {values[row]:g} is not positive", file=table.path, line=table.line_of(row), column=column
        )


def carried_forward(dates: np.ndarray, source_dates: np.ndarray, source_values: np.ndarray) -> np.ndarray:
    """The last published value at or before each date (NaN before the first or after the last publication)."""
    ok = np.isfinite(source_values)
    pub_dates, pub_values = source_dates[ok], source_values[ok]
    if pub_dates.size == 0:
        return np.full(dates.shape, np.nan)
    at = np.searchsorted(pub_dates, dates, side="right") - 1
    out = np.asarray(pub_values[np.maximum(at, 0)], dtype=float)
    out[(at < 0) | (dates > pub_dates[-1])] = np.nan
    return out


def _span_returns(prices: np.ndarray, reference: np.ndarray | None, kind: ReturnKind) -> tuple[np.ndarray, ...]:
    """Returns between consecutive non-blank prices, and the reference's return over each same span."""
    rows = np.flatnonzero(np.isfinite(prices))
    out = np.full(prices.shape, np.nan)
    ref_out = np.full(prices.shape, np.nan)
    if rows.size < 2:
        return out, ref_out
    now, before = rows[1:], rows[:-1]
    ratio = prices[now] / prices[before]
    out[now] = np.log(ratio) if kind is ReturnKind.LOG else ratio - 1.0
    if reference is not None:
        ref_ratio = reference[now] / reference[before]
        ref_out[now] = np.log(ref_ratio) if kind is ReturnKind.LOG else ref_ratio - 1.0
    return out, ref_out


def from_prices(
    table: Table,
    market_column: str | None = None,
    *,
    market_table: Table | None = None,
    kind: ReturnKind = ReturnKind.SIMPLE,
) -> Panel:
    """A price file, with the market either as one of its columns or as a separate file."""
    market_prices: np.ndarray | None = None
    if market_table is not None:
        if len(market_table.names) != 1:
            raise ImpactInputError(
                f"the market file has {len(market_table.names)} columns; give a file with one index",
                file=market_table.path,
                line=1,
            )
        _check_positive(market_table, market_table.values[:, 0], market_table.names[0])
        market_prices = carried_forward(table.dates, market_table.dates, market_table.values[:, 0])
        keep = list(range(len(table.names)))
    elif market_column is not None:
        m = table.index(market_column)
        _check_positive(table, table.values[:, m], market_column)
        market_prices = carried_forward(table.dates, table.dates, table.values[:, m])
        keep = [j for j in range(len(table.names)) if j != m]
    else:
        keep = list(range(len(table.names)))
    returns = np.full((len(table.dates), len(keep)), np.nan)
    market = np.full_like(returns, np.nan) if market_prices is not None else None
    for k, j in enumerate(keep):
        column = table.values[:, j]
        _check_positive(table, column, table.names[j])
        returns[:, k], paired = _span_returns(column, market_prices, kind)
        if market is not None:
            market[:, k] = paired
    market_own = None
    if market_prices is not None:
        market_own, _ = _span_returns(market_prices, None, kind)
    return Panel(table.path, table.dates, [table.names[j] for j in keep], returns, market, market_own, kind=kind)
