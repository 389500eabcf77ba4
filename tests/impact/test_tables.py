"""Reading wide CSVs and Yahoo downloads; every bad cell is reported with file, line and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from redline.impact.align import DayZeroRule, EventSpec, Window
from redline.impact.errors import ImpactInputError
from redline.impact.models import ModelName
from redline.impact.panel import Panel, from_prices, from_returns
from redline.impact.study import StudyOptions, run_study
from redline.impact.tables import read_events, read_table


def _write(tmp_path: Path, text: str, name: str = "p.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_yfinance_and_yahoo_files(tmp_path: Path) -> None:
    yf = _write(
        tmp_path,
        "Date,Open,High,Low,Close,Volume,Dividends,Stock Splits\n"
        "2021-01-14 00:00:00+08:00,1,1,1,32.65,10,0.0,0.0\n"
        "2021-01-15 00:00:00+08:00,1,1,1,29.30,10,0.0,0.0\n",
        "x.csv",
    )
    table = read_table(yf, single_name="1810.HK")
    assert table.names == ["1810.HK"]
    assert [str(d) for d in table.dates] == ["2021-01-14", "2021-01-15"]
    assert table.values[:, 0].tolist() == [32.65, 29.30]
    yahoo = _write(
        tmp_path,
        "Date,Open,High,Low,Close,Adj Close,Volume\n2021-01-01,null,null,null,null,null,null\n"
        "2021-01-04,1,1,1,27000,27231.1,0\n",
        "hsi.csv",
    )
    table = read_table(yahoo)
    assert table.names == ["hsi"]
    assert np.isnan(table.values[0, 0]) and table.values[1, 0] == 27231.1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date,A\n2021-01-04,1\n,2\n", "p.csv, line 3, column 'date': missing date"),
        ("date,A\n2021-01-05,1\n2021-01-04,2\n", "p.csv, line 3, column 'date': date 2021-01-04 is earlier than"),
        ("date,A\n2021-01-04,1\n2021-01-04,2\n", "line 3, column 'date': date 2021-01-04 repeats the date"),
        ("date,A\n2021-01-04,abc\n", "p.csv, line 2, column 'A': not a number: 'abc'"),
        ("day,A\n2021-01-04,1\n", "p.csv, line 1: no 'date' column"),
        ("date,A\n04/01/2021,1\n", "line 2, column 'date': not a date: '04/01/2021'"),
        ("date,A\n2021-01-04,1,2\n", "p.csv, line 2: 3 cells, the header has 2"),
    ],
)
def test_bad_tables(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ImpactInputError) as caught:
        read_table(path)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_bad_events_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "security,date\nA,2021-13-01\n", "e.csv")
    with pytest.raises(ImpactInputError, match=r"e.csv, line 2, column 'date': not a valid date"):
        read_events(path)


def test_prices_become_span_returns(tmp_path: Path) -> None:
    """A blank price is a day without trading: the next return spans both days, and so does the market's."""
    path = _write(tmp_path, "date,A,M\n2021-01-04,10,100\n2021-01-05,,110\n2021-01-06,12,99\n")
    panel = from_prices(read_table(path), "M")
    assert np.isnan(panel.returns[1, 0])
    assert panel.returns[2, 0] == pytest.approx(0.2)
    assert panel.market is not None
    assert panel.market[2, 0] == pytest.approx(99 / 100 - 1)


def _daily_panel(tmp_path: Path, days: int = 60, flat: bool = False) -> Path:
    rng = np.random.default_rng(1)
    dates = np.busday_offset(np.datetime64("2021-01-04"), np.arange(days), roll="forward")
    lines = ["date,A,M"]
    for t, d in enumerate(dates):
        a = 0.0 if flat else rng.normal(0, 0.02)
        lines.append(f"{d},{a},{rng.normal(0, 0.01)}" if t != 30 else f"{d},,{rng.normal(0, 0.01)}")
    return _write(tmp_path, "\n".join(lines) + "\n", "r.csv")


def _options(estimation: str = "-40:-6", **kw: object) -> StudyOptions:
    return StudyOptions(ModelName.MARKET, Window.parse(estimation), (Window(0, 3),), **kw)  # type: ignore[arg-type]


def test_study_errors(tmp_path: Path) -> None:
    panel = from_returns(read_table(_daily_panel(tmp_path)), "M")
    with pytest.raises(ImpactInputError, match=r"A on 2020-01-01: the event date is outside the data"):
        run_study(panel, [EventSpec("A", date(2020, 1, 1))], _options())
    with pytest.raises(ImpactInputError, match=r"estimation window -40:-6 has 35 observations; 38 are needed"):
        run_study(panel, [EventSpec("A", date(2021, 3, 10))], _options(min_estimation=38))
    with pytest.raises(ImpactInputError, match=r"estimation window -50:-6 has 41 observations; 45 are needed"):
        run_study(panel, [EventSpec("A", date(2021, 3, 10))], _options("-50:-6"))
    with pytest.raises(ImpactInputError, match=r"needs trading day \+1, after the last day in the data"):
        run_study(panel, [EventSpec("A", date(2021, 3, 26))], _options(min_estimation=30))
    with pytest.raises(ImpactInputError, match=r"no column 'B'"):
        run_study(panel, [EventSpec("B", date(2021, 3, 10))], _options())
    flat = from_returns(read_table(_daily_panel(tmp_path, flat=True)), "M")
    with pytest.raises(ImpactInputError, match=r"no variance in the estimation window"):
        run_study(flat, [EventSpec("A", date(2021, 3, 10))], _options())
    with pytest.raises(ImpactInputError, match=r"not a window"):
        Window.parse("0-5")


def test_day_zero_rule(tmp_path: Path) -> None:
    """Row 30 (2021-02-15) has no return for A: 'next' moves day 0 to 2021-02-16, 'previous' to 02-12."""
    panel = from_returns(read_table(_daily_panel(tmp_path)), "M")
    event = [EventSpec("A", date(2021, 2, 15))]
    assert str(run_study(panel, event, _options("-20:-2")).aligned.day0[0]) == "2021-02-16"
    previous = run_study(panel, event, _options("-20:-2", rule=DayZeroRule.PREVIOUS))
    assert str(previous.aligned.day0[0]) == "2021-02-12"
    with pytest.raises(ImpactInputError, match=r"did not trade on the event date"):
        run_study(panel, event, _options("-20:-2", rule=DayZeroRule.EXACT))


def test_collinear_factors_and_binary_files(tmp_path: Path) -> None:
    panel = from_returns(read_table(_daily_panel(tmp_path)), "M")
    assert panel.market is not None
    t = len(panel.dates)
    factors = np.column_stack([panel.market[:, 0], 2 * panel.market[:, 0], np.linspace(0, 1, t)])
    with_factors = Panel(
        panel.source, panel.dates, panel.names, panel.returns, None, None, factors, np.zeros(t)
    )  # fmt: skip
    options = StudyOptions(ModelName.FF3, Window(-40, -6), (Window(0, 3),), min_estimation=30)
    with pytest.raises(ImpactInputError, match="the regressors are collinear"):
        run_study(with_factors, [EventSpec("A", date(2021, 3, 10))], options)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00d\x00a")
    with pytest.raises(ImpactInputError, match=r"b.csv, line 1: not a UTF-8 CSV file"):
        read_table(binary)
