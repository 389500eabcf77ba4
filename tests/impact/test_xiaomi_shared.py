"""Xiaomi against the Hang Seng index on the real price files (../shared/data/prices), checked independently.

The engine's market-model abnormal returns on 2021-01-15 and 2021-03-15 are recomputed here with pandas and
statsmodels straight from the raw Yahoo/yfinance files (`+08:00` dates, `null` rows), the same 240-day window.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
import statsmodels.api as sm

from redline.cli.app import main

pytestmark = pytest.mark.shared


def _independent_ar(stock: pd.Series, index: pd.Series, day0: str) -> float:
    prices = pd.DataFrame({"stock": stock, "index": index.reindex(stock.index, method="ffill")})
    returns = prices.pct_change().dropna()
    at = returns.index.get_loc(pd.Timestamp(day0))
    window = returns.iloc[at - 250 : at - 10]  # relative days -250..-11
    fit = sm.OLS(window["stock"], sm.add_constant(window["index"])).fit()
    row = returns.iloc[at]
    return float(row["stock"] - fit.params["const"] - fit.params["index"] * row["index"])


def test_xiaomi_abnormal_returns(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    prices = shared_data / "prices" / "1810.HK_yfinance_CCF0001.csv"
    market = shared_data / "prices" / "HSI_yahoo_rushils1.csv"
    if not prices.exists() or not market.exists():
        pytest.skip("Xiaomi or HSI price file absent")
    args = ["redline", "impact", "entity", "Xiaomi", "--prices", str(prices), "--market", str(market)]
    monkeypatch.setattr(sys, "argv", [*args, "--out", str(tmp_path), "--json"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    result = json.loads(capsys.readouterr().out)
    ar0 = {e["day0"]: next(a["ar"] for a in e["abnormal_returns"] if a["day"] == 0) for e in result["events"]}
    raw = pd.read_csv(prices)
    stock = pd.Series(raw["Close"].values, index=pd.to_datetime(raw["Date"].str[:10]))
    hsi_raw = pd.read_csv(market, na_values=["null"])
    index = pd.Series(hsi_raw["Adj Close"].values, index=pd.to_datetime(hsi_raw["Date"])).dropna()
    for day0 in ("2021-01-15", "2021-03-15"):
        assert ar0[day0] == pytest.approx(_independent_ar(stock, index, day0), abs=1e-12)
    # The designation day fell hard; the injunction day rose (both beyond the market's move).
    assert ar0["2021-01-15"] < -0.10 and ar0["2021-03-15"] > 0.05
