"""The audit export of a day's work round-trips: every certificate it names is found and verifies with the
deployment's public key; no-hit screenings, decisions, imports and key changes are listed; CSV and HTML are safe."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from redline.certificates import parse_public_key, verify_document
from redline.store.screening import ScreenStore
from tests.certificates.test_certificate_cli import EXAMPLES, XIAOMI, Run

HOSTILE = '=HYPERLINK("http://evil.example","x")<script>alert(1)</script>'


def _days_work(redline: Run, tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text("name\nAcme Widgets Incorporated\n", encoding="utf-8")
    fixtures = Path(__file__).resolve().parents[1] / "sources" / "fixtures"
    steps = [
        ("sources", "add", str(fixtures / "sdn_2021-07-07.csv")),
        ("screen", str(EXAMPLES / "portfolio.csv"), "--on", "2021-03-01", "-o", str(tmp_path / "hits.csv"),
         "--certificate", str(tmp_path / "hits.cert")),
        ("screen", str(clean), "--on", "2021-03-01", "-o", str(tmp_path / "clean.out.csv")),
        ("status", *XIAOMI, "--certificate", str(tmp_path / "status.cert")),
        ("match", HOSTILE, "--certificate", str(tmp_path / "match.cert")),
    ]  # fmt: skip
    for step in steps:
        result = redline(*step)
        assert result.code in (0, 1), (step, result.err)
    alert = ScreenStore().alerts()[0]
    assert redline("alerts", "decide", alert.id, "--verdict", "true-match", "--comment", "=1+1 checked").code == 0


def test_a_days_work_round_trips(home: Path, redline: Run, tmp_path: Path) -> None:
    _days_work(redline, tmp_path)
    exported = redline("audit", "export", "--from", "2000-01-01", "-o", str(tmp_path / "export.json"))
    assert exported.code == 0, exported.err
    export = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert export["chain"]["ok"] is True
    categories = {entry["category"] for entry in export["entries"]}
    assert {"question", "run", "run certificate", "decision", "import", "key change"} <= categories
    runs = [entry for entry in export["entries"] if entry["category"] == "run"]
    assert len(runs) == 2 and any(entry["outcome"].endswith("no hit") for entry in runs)
    hit_run = next(entry for entry in runs if not entry["outcome"].endswith("no hit"))
    assert hit_run["certificates"] and "data " in hit_run["data_versions"]

    public = parse_public_key(redline("certificate", "public-key").out)
    ids = [certificate for entry in export["entries"] for certificate in entry["certificates"]]
    assert len(set(ids)) == 3  # the screening's (listed on its run too), the status answer's, the match's
    for certificate_id in set(ids):
        path = tmp_path / f"{certificate_id}.json"
        assert redline("certificate", "get", certificate_id, "-o", str(path)).code == 0
        verdict = verify_document(path.read_bytes(), public)
        assert verdict.ok and verdict.certificate_id == certificate_id, verdict.reasons


def test_csv_is_neutralised_and_html_escaped(
    home: Path, redline: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _days_work(redline, tmp_path)
    monkeypatch.setenv("REDLINE_USER", HOSTILE)  # an actor's name is user text too
    assert redline("status", *XIAOMI, "--certificate", str(tmp_path / "hostile.cert")).code == 0
    as_csv = redline("audit", "export", "--from", "2000-01-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.out)))
    questions = [row["question"] for row in rows if row["action"] == "certificate.issue"]
    assert f"match {HOSTILE}" in questions  # the question, in its own column
    comments = [row["details"] for row in rows if row["action"] == "alert.decide"]
    assert comments and '"comment":"=1+1 checked"' in comments[0]
    assert f"'{HOSTILE}" in {row["actor"] for row in rows}  # a formula in a spreadsheet cell is text
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values() if value)
    as_html = redline("audit", "export", "--from", "2000-01-01", "--format", "html", "-o", str(tmp_path / "a.html"))
    assert as_html.code == 0
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_bad_periods_and_formats_exit_2(home: Path, redline: Run) -> None:
    assert redline("audit", "export", "--from", "2026-12-02", "--to", "2026-12-01").code == 2
    assert redline("audit", "export", "--from", "yesterday").code == 2
    assert redline("audit", "export", "--from", "2026-12-01", "--format", "xml").code == 2
