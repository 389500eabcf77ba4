"""Online fetcher: daily prices from Yahoo Finance's chart API into a wide CSV (`redline impact fetch`).

Event studies run on the user's own files; this only saves typing them. It uses httpx, like `sources update`,
with explicit connect/read timeouts and exponential back-off on connection errors, 429 and 5xx, and writes the
CSV atomically. The adjusted close (else the close) is taken, dated in the exchange's own time zone, so a Hong
Kong session is its Hong Kong date.
"""

from __future__ import annotations

import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from redline.impact.errors import ImpactInputError
from redline.impact.files import write_text_atomically

YAHOO = "https://query1.finance.yahoo.com"
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(ImpactInputError):
    """The remote service failed or answered something unusable."""


@dataclass(frozen=True)
class Series:
    symbol: str
    prices: dict[date, float]


def fetch_series(
    symbol: str,
    start: date,
    end: date,
    *,
    base_url: str = YAHOO,
    timeout: tuple[float, float] = (5.0, 30.0),
    retries: int = 3,
    backoff: float = 0.5,
    client: httpx.Client | None = None,
) -> Series:
    """Daily adjusted closes of `symbol` from `start` to `end` (both included)."""
    utc = ZoneInfo("UTC")
    params: dict[str, str | int] = {
        "period1": int(datetime.combine(start, time(0), utc).timestamp()),
        "period2": int(datetime.combine(end + timedelta(days=1), time(0), utc).timestamp()),
        "interval": "1d",
        "events": "div,split",
        "includeAdjustedClose": "true",
    }
    url = f"{base_url.rstrip('/')}/v8/finance/chart/{symbol}"
    http = client or httpx.Client(
        timeout=httpx.Timeout(timeout[1], connect=timeout[0]), headers={"User-Agent": "redline-impact/0.1"}
    )
    try:
        for attempt in range(retries + 1):
            last = attempt == retries
            try:
                response = http.get(url, params=params)
            except httpx.TimeoutException:
                if last:
                    raise FetchError(f"{symbol}: no answer from {base_url} within {timeout[1]:g} s") from None
            except httpx.TransportError as exc:
                if last:
                    raise FetchError(f"{symbol}: cannot reach {base_url} ({type(exc).__name__})") from None
            else:
                if response.status_code not in RETRY_STATUSES or last:
                    break
            clock.sleep(backoff * 2**attempt)
    finally:
        if client is None:
            http.close()
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200:
        detail = _error_text(body) or response.reason_phrase
        raise FetchError(f"{symbol}: {base_url} answered HTTP {response.status_code} ({detail})")
    return _parse_chart(symbol, body)


def _error_text(body: Any) -> str:
    try:
        error = body["chart"]["error"]
        return f"{error['code']}: {error['description']}"
    except (TypeError, KeyError):
        return ""


def _parse_chart(symbol: str, body: Any) -> Series:
    error = _error_text(body)
    if error:
        raise FetchError(f"{symbol}: {error}")
    try:
        result = body["chart"]["result"][0]
        stamps = result.get("timestamp") or []
        indicators = result["indicators"]
        closes = (indicators.get("adjclose") or [{}])[0].get("adjclose") or indicators["quote"][0]["close"]
        zone = ZoneInfo(result["meta"].get("exchangeTimezoneName") or "UTC")
    except (TypeError, KeyError, IndexError, ZoneInfoNotFoundError) as exc:
        raise FetchError(f"{symbol}: unexpected answer ({type(exc).__name__}: {exc})") from None
    if len(closes) != len(stamps):
        raise FetchError(f"{symbol}: {len(stamps)} timestamps but {len(closes)} prices")
    prices: dict[date, float] = {}
    for stamp, close in zip(stamps, closes, strict=True):
        if close is not None:
            prices[datetime.fromtimestamp(stamp, zone).date()] = float(close)
    return Series(symbol, prices)


def write_wide_csv(path: Path, series: list[Series]) -> int:
    """One `date` column and one column per symbol; blank where a symbol did not trade. Returns the rows."""
    days = sorted({day for s in series for day in s.prices})
    lines = [",".join(["date"] + [s.symbol for s in series])]
    for day in days:
        cells = [repr(s.prices[day]) if day in s.prices else "" for s in series]
        lines.append(",".join([day.isoformat(), *cells]))
    write_text_atomically(path, "\n".join(lines) + "\n")
    return len(days)
