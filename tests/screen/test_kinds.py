from __future__ import annotations

from pathlib import Path

from redline.store.screening import ScreenStore
from tests.screen.helpers import decisions_by_line, run


def test_counterparties_resolve_by_lei_and_trades_need_time_and_side(tmp_path: Path) -> None:
    store = ScreenStore(f"sqlite:///{tmp_path / 'redline.db'}")
    parties = tmp_path / "parties.csv"
    parties.write_text("Counterparty,LEI\nCNOOC,300300AY5BEBCYDR2F31\n", encoding="utf-8")
    run(parties, store, tmp_path / "out.csv", kind="counterparties", on="2021-08-03")
    row = decisions_by_line(tmp_path / "out.csv")[2]
    # CNOOC (the parent) is in the EO 14032 Annex: effective 2021-08-02 00:01, window to 2022-06-03 00:01.
    assert (row["redline_decision"], row["redline_entity"]) == ("DIVEST", "cnooc")
    assert (
        row["redline_divest_until"] == "2022-06-03T00:01:00-04:00"
        and "LEI 300300AY5BEBCYDR2F31" in row["redline_match"]
    )

    trades = tmp_path / "trades.csv"
    trades.write_text("isin,side,trade date\nKYG8020E1199,,2021-08-03\nKYG8020E1199,buy,\n", encoding="utf-8")
    run(trades, store, tmp_path / "trades.out.csv", kind="trades")
    rows = decisions_by_line(tmp_path / "trades.out.csv")
    assert rows[2]["redline_errors"] == "no side: a trade must say buy or sell"
    assert rows[3]["redline_errors"] == "no trade date/time: add the column or give --on"
