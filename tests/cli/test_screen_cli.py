"""`redline screen`, `alerts` and `audit` end to end through the CLI, in fresh processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.screen.helpers import EXAMPLES


def _redline(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDLINE_HOME": str(tmp_path / "home"), "REDLINE_USER": "tester"}
    env.pop("REDLINE_DATABASE_URL", None)
    command = [sys.executable, "-c", "from redline.cli.app import main; main()", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_exit_codes_json_alerts_and_audit(tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text("isin,name\nUS0378331005,Apple Inc.\n", encoding="utf-8")
    done = _redline(tmp_path, "screen", str(clean), "--on", "2021-03-01", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["decisions"]["OK"] == 1

    report = tmp_path / "report.html"
    done = _redline(
        tmp_path, "screen", str(EXAMPLES / "blotter.csv"), "--kind", "trades", "--json",
        "--constituents", str(EXAMPLES / "funds"), "-o", str(tmp_path / "out.csv"), "--report", str(report),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    assert result["summary"]["decisions"]["BLOCK"] == 6 and result["exit_code"] == 1
    assert result["versions"]["data"] and len(result["run_id"]) == 32
    html = report.read_text(encoding="utf-8")
    assert "<svg" in html and "http" not in html.split("<body>")[0]  # no external stylesheet or script

    listed = json.loads(_redline(tmp_path, "alerts", "list", "--json").stdout)
    review = next(alert for alert in listed if alert["decision"] == "REVIEW")
    done = _redline(
        tmp_path, "alerts", "decide", review["id"][:12], "--verdict", "false-positive", "--comment", "not SMIC"
    )
    assert done.returncode == 0, done.stderr
    listed = json.loads(_redline(tmp_path, "alerts", "list", "--status", "false-positive", "--json").stdout)
    assert [alert["verdict"]["by"] for alert in listed] == ["tester"]

    verified = _redline(tmp_path, "audit", "verify", "--json")
    assert verified.returncode == 0 and json.loads(verified.stdout)["entries"] == 3

    bad = tmp_path / "bad.csv"
    bad.write_text("isin\nUS0378331006\n", encoding="utf-8")
    done = _redline(tmp_path, "screen", str(bad), "--on", "2021-03-01")
    assert done.returncode == 2 and "not a valid ISIN" in done.stdout


def test_user_errors_are_one_line_with_exit_code_2(tmp_path: Path) -> None:
    for args, message in (
        (["screen", str(tmp_path / "none.csv")], "no such file"),
        (["screen", str(EXAMPLES / "portfolio.csv"), "--kind", "bonds"], "--kind must be one of"),
        (["screen", str(EXAMPLES / "portfolio.csv"), "--map", "colour=x"], "unknown field"),
        (["alerts", "decide", "abcdef", "--verdict", "true-match", "--comment", "x"], "no alert 'abcdef'"),
    ):
        done = _redline(tmp_path, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("redline: error:") and message in done.stderr
        assert "Traceback" not in done.stderr


def test_audit_verify_names_a_tampered_entry(tmp_path: Path) -> None:
    import sqlite3

    book = tmp_path / "book.csv"
    book.write_text("isin\nKYG8020E1199\n", encoding="utf-8")
    for day in ("2021-03-01", "2021-03-02", "2021-03-03"):
        assert _redline(tmp_path, "screen", str(book), "--on", day).returncode == 1
    assert _redline(tmp_path, "audit", "verify").returncode == 0
    with sqlite3.connect(tmp_path / "home" / "redline.db") as connection:
        connection.execute("DROP TRIGGER audit_log_no_update")
        connection.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    done = _redline(tmp_path, "audit", "verify")
    assert done.returncode == 1
    assert "TAMPERED entry 2 edited: its content no longer matches its hash (screen.run" in done.stdout


def test_list_imports_are_in_the_audit_log(tmp_path: Path) -> None:
    sdn = Path(__file__).resolve().parents[1] / "sources" / "fixtures" / "sdn_2021-07-07.csv"
    assert _redline(tmp_path, "sources", "add", str(sdn)).returncode == 0
    assert _redline(tmp_path, "sources", "add", str(sdn)).returncode == 0  # the same file again: nothing new
    from redline.store import audit
    from redline.store.screening import ScreenStore

    store = ScreenStore(f"sqlite:///{tmp_path / 'home' / 'redline.db'}")
    with store.engine.connect() as connection:
        entries = audit.entries(connection)
    assert [(e.action, e.actor, e.details["records"]) for e in entries] == [
        ("source.import", "tester", 5),
        ("source.import.unchanged", "tester", 5),
    ]
    assert entries[0].details["list"] == "ofac-sdn" and len(entries[0].details["content_sha256"]) == 64
    assert store.verify().ok
