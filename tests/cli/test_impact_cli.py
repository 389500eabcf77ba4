"""`redline impact study|entity|list` end to end on the committed synthetic fixtures."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from redline.cli.app import main

FIXTURES = Path(__file__).resolve().parents[1] / "impact" / "fixtures"


def run(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["redline", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


STUDY = [
    "impact", "study", "--prices", str(FIXTURES / "study_prices.csv"), "--events", str(FIXTURES / "study_events.csv"),
    "--market", "MKT", "--estimation", "-120:-11",
]  # fmt: skip


def test_study_json_contract(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run([*STUDY, "--window", "0:0", "--window", "-1:1", "--json"], capsys, monkeypatch)
    assert code == 0
    result = json.loads(out)
    assert result["model"] == "market"
    assert set(result) >= {"model", "events", "aggregate"}
    assert set(result["aggregate"]) >= {"days", "windows", "tests"}
    first = result["events"][0]
    assert set(first) >= {"security", "event_date", "day0", "estimation", "abnormal_returns", "cars"}
    assert set(first["estimation"]) >= {"n", "params", "sigma"}
    assert set(first["estimation"]["params"]) == {"alpha", "beta"}
    assert set(first["abnormal_returns"][0]) >= {"day", "date", "ar"}
    assert set(first["cars"][0]) >= {"window", "car", "t", "p"}
    # The +5% shock of AAA on 2020-09-15 is found, and BBB's Saturday event moves to Monday.
    ar0 = next(a for a in first["abnormal_returns"] if a["day"] == 0)
    assert ar0["date"] == "2020-09-15" and ar0["ar"] == pytest.approx(0.05, abs=0.025)
    assert result["events"][1]["event_date"] == "2020-09-12" and result["events"][1]["day0"] == "2020-09-14"
    assert first["estimation"]["n"] == 110
    assert {"patell", "bmp", "kp", "rank", "gsign", "wilcoxon"} <= set(result["aggregate"]["tests"])
    assert "Patell" in result["aggregate"]["tests"]["patell"]["reference"]
    assert [w["window"] for w in result["aggregate"]["windows"]] == [[0, 0], [-1, 1]]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_study_plot(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = tmp_path / f"chart{suffix}"
    code, out, _ = run([*STUDY, "--plot", str(chart)], capsys, monkeypatch)
    assert code == 0 and "Per window" in out
    head = chart.read_bytes()[:64]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in chart.read_bytes()[:2000]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--estimation", "-250:-11"], "study_events.csv, line 2: AAA on 2020-09-15: the estimation window -250:-11"),
        (["--window", "0:60"], "the event window needs trading day +34, after the last day in the data"),
        (["--window", "zero"], "not a window: 'zero'"),
        (["--plot", "chart.pdf"], "use a .png or .svg file name"),
        (["--model", "ff3"], "the ff3 model needs --factors F.csv"),
    ],
)
def test_study_errors_are_one_line(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run([*STUDY, *extra], capsys, monkeypatch)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_files_name_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "p.csv"
    bad.write_text("date,A,MKT\n2020-01-02,1,1\n2020-01-03,x,1\n")
    args = ["impact", "study", "--prices", str(bad), "--events", str(FIXTURES / "study_events.csv")]
    code, _, err = run([*args, "--market", "MKT", "--estimation", "-10:-2"], capsys, monkeypatch)
    assert code == 2 and "p.csv, line 3, column 'A': not a number: 'x'" in err
    events = tmp_path / "e.csv"
    events.write_text("security,date\nZZZ,2020-09-15\n")
    args = ["impact", "study", "--prices", str(FIXTURES / "study_prices.csv"), "--events", str(events)]
    code, _, err = run([*args, "--market", "MKT", "--estimation", "-10:-2"], capsys, monkeypatch)
    assert code == 2 and "no column 'ZZZ'" in err


def test_entity_report(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    out_dir = tmp_path / "report"
    args = [
        "impact", "entity", "Xiaomi Corp", "--prices", str(FIXTURES / "xiaomi_1810_yf.csv"),
        "--market", str(FIXTURES / "hsi_yahoo.csv"), "--estimation", "-100:-11", "--out", str(out_dir), "--json",
    ]  # fmt: skip
    code, out, _ = run(args, capsys, monkeypatch)
    assert code == 0
    result = json.loads(out)
    assert result["entity"]["id"] == "xiaomi"
    sessions = {t["kind"]: t["session_from"] for t in result["timeline"]}
    # Noon New York on 2021-01-14 is after the Hong Kong close: the next HK session reacts.
    assert sessions["listed"] == "2021-01-15"
    days0 = {e["day0"]: e for e in result["events"]}
    assert set(days0) >= {"2021-01-15", "2021-03-15"}
    ar = {d: next(a["ar"] for a in e["abnormal_returns"] if a["day"] == 0) for d, e in days0.items()}
    assert ar["2021-01-15"] == pytest.approx(-0.10, abs=0.03)
    assert ar["2021-03-15"] == pytest.approx(0.07, abs=0.03)
    report = (out_dir / "report.md").read_text()
    assert "preliminary_injunction" in report and "2021-03-15" in report
    assert (out_dir / "event-1-listed.png").read_bytes().startswith(b"\x89PNG")
    assert json.loads((out_dir / "result.json").read_text())["entity"]["id"] == "xiaomi"


def test_entity_errors(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["impact", "entity", "Nobody Corp", "--prices", str(FIXTURES / "xiaomi_1810_yf.csv")]
    code, _, err = run([*args, "--market", str(FIXTURES / "hsi_yahoo.csv")], capsys, monkeypatch)
    assert code == 2 and "'Nobody Corp' does not name one entity" in err


def test_list_tranche(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    chart = tmp_path / "tranche.svg"
    args = [
        "impact", "list", "CCMC_1237", "--on-date", "2020-12-03", "--prices", str(FIXTURES / "tranche_prices.csv"),
        "--market", str(FIXTURES / "tranche_market.csv"), "--estimation", "-150:-11", "--json", "--plot", str(chart),
    ]  # fmt: skip
    code, out, _ = run(args, capsys, monkeypatch)
    assert code == 0
    result = json.loads(out)
    members = {m["id"]: m for m in result["members"]}
    # SMIC by its own ticker; CNOOC (the parent, no ticker of its own) through its listed subsidiary 0883.HK.
    assert members["smic"]["column"] == "0981.HK" and members["cnooc"]["column"] == "0883.HK"
    assert all(e["day0"] == "2020-12-04" for e in result["events"])
    window0 = result["aggregate"]["windows"][0]
    assert window0["window"] == [0, 0] and window0["caar"] == pytest.approx(-0.05, abs=0.025)
    assert chart.exists()
    code, _, err = run(["impact", "list", "NOPE", "--on-date", "2020-12-03", *args[5:9]], capsys, monkeypatch)
    assert code == 2 and "unknown list 'NOPE'" in err


def test_other_models(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """constant-mean, market-adjusted and ff3 (with a factors file in the returns' units) all run."""
    lines = (FIXTURES / "study_prices.csv").read_text().splitlines()[1:]
    factors = tmp_path / "ff.csv"
    rng = np.random.default_rng(0)
    draws = rng.normal(0, 0.01, (len(lines), 3))
    rows = [
        f"{line.split(',')[0]},{a:.6f},{b:.6f},{c:.6f},0.00002" for line, (a, b, c) in zip(lines, draws, strict=True)
    ]
    factors.write_text("date,Mkt-RF,SMB,HML,RF\n" + "\n".join(rows) + "\n")
    base = [*STUDY[:-2], "--estimation", "-120:-11", "--json"]
    for model, params in (("constant-mean", {"mean"}), ("market-adjusted", set())):
        code, out, _ = run([*base, "--model", model], capsys, monkeypatch)
        assert code == 0
        assert set(json.loads(out)["events"][0]["estimation"]["params"]) == params
    code, out, _ = run([*base, "--model", "ff3", "--factors", str(factors)], capsys, monkeypatch)
    assert code == 0
    assert set(json.loads(out)["events"][0]["estimation"]["params"]) == {"alpha", "b_mkt_rf", "s_smb", "h_hml"}
    code, out, _ = run([*base, "--log-returns", "--no-forecast-correction"], capsys, monkeypatch)
    result = json.loads(out)
    assert result["options"]["returns"] == "log" and result["options"]["forecast_correction"] is False


def test_overlapping_windows_are_refused(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run([*STUDY[:-2], "--estimation", "-100:0"], capsys, monkeypatch)
    assert code == 2 and "overlaps the event windows" in err
