"""Certificates from the command line: issued with the answer, verified elsewhere with only the public key,
audited, and replayed after a data correction or a rule fix."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from redline.store import audit
from redline.store.database import engine_for, reading
from redline.store.screening import ScreenStore
from redline.store.signing_key import KEY_FILE
from tests.sources.cli_runner import Result

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
XIAOMI = ("1810.HK", "--on", "2021-03-16", "--known-at", "2021-03-11")
Run = Callable[..., Result]


def _issue(redline: Run, path: Path, *args: str) -> dict[str, object]:
    result = redline(*args, "--json", "--certificate", str(path))
    assert result.code in (0, 1), result.err
    printed: dict[str, object] = json.loads(result.out)
    return printed


def test_status_certificate_verifies_on_another_machine_with_only_the_public_key(
    home: Path, redline: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    certificate = tmp_path / "xiaomi.cert.json"
    printed = _issue(redline, certificate, "status", *XIAOMI)
    document = json.loads(certificate.read_text(encoding="utf-8"))
    body = document["certificate"]
    assert body["answer"] == printed  # the JSON printed is the JSON certified
    assert printed == json.loads(redline("status", *XIAOMI, "--json").out)  # the same JSON as without a certificate
    on, known_at = "2021-03-16T12:00:00-04:00[America/New_York]", "2021-03-11T12:00:00-05:00[America/New_York]"
    assert body["question"] == {"query": "1810.HK", "on": on, "known_at": known_at}
    assert body["actor"] == "Ana Analyst" and body["door"] == "cli" and body["kind"] == "status"
    assert body["data"]["bundled"]["files"]["listings.csv"] and body["data"]["snapshots"] == []
    key_file = home / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    public = redline("certificate", "public-key")
    assert public.code == 0 and public.out.startswith("-----BEGIN PUBLIC KEY-----")
    (tmp_path / "deployment.pem").write_text(public.out, encoding="utf-8")

    # The audit entry that recorded it, and the key's creation, are in the chain; the row is protected.
    with reading(engine_for()) as connection:
        entries = audit.entries(connection)
    issued = [e for e in entries if e.action == "certificate.issue"]
    assert [e.subject for e in issued] == [body["id"]] and issued[0].seq == body["audit"]["seq"]
    assert entries[0].action == "signing_key.create"
    assert ScreenStore().verify().ok

    # Another machine: a fresh home, nothing but the file and the public key.
    monkeypatch.setenv("REDLINE_HOME", str(tmp_path / "elsewhere"))
    verified = redline("certificate", "verify", str(certificate), "--public-key", str(tmp_path / "deployment.pem"))
    assert verified.code == 0, verified.err
    assert f"valid certificate {body['id']}" in verified.out
    assert not (tmp_path / "elsewhere" / KEY_FILE).exists()

    edited = tmp_path / "edited.json"
    edited.write_bytes(certificate.read_bytes().replace(b'"may_buy":false', b'"may_buy":null'))
    refused = redline("certificate", "verify", str(edited), "--public-key", str(tmp_path / "deployment.pem"))
    assert refused.code == 1 and "answer does not match its digest" in refused.err
    (tmp_path / "garbage.json").write_bytes(b"\x00\x01 not json")
    assert redline("certificate", "verify", str(tmp_path / "garbage.json")).code == 2
    assert redline("certificate", "verify", str(tmp_path / "missing.json")).code == 2


def test_certificate_rows_are_append_only(home: Path, redline: Run, tmp_path: Path) -> None:
    _issue(redline, tmp_path / "c.json", "status", *XIAOMI)
    with engine_for().connect() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("UPDATE certificates SET actor = 'someone else'"))
    with engine_for().connect() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("DELETE FROM certificates"))


def test_match_timeline_and_screen_certificates(home: Path, redline: Run, tmp_path: Path) -> None:
    matched = _issue(redline, tmp_path / "m.json", "match", "Xiaomi Corp", "--limit", "3")
    timeline = _issue(redline, tmp_path / "t.json", "timeline", "1810.HK", "--known-at", "2021-12-31")
    screened = _issue(redline, tmp_path / "s.json", "screen", str(EXAMPLES / "portfolio.csv"), "--on", "2021-03-01",
                      "-o", str(tmp_path / "out.csv"))  # fmt: skip
    for name, printed in (("m", matched), ("t", timeline)):
        body = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))["certificate"]
        assert body["answer"] == printed
    screening = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["certificate"]
    assert screening["kind"] == "screening" and screening["answer"]["run_id"] == screened["run_id"]
    assert len(screening["question"]["input_sha256"]) == 64 and screening["question"]["input"] == "portfolio.csv"
    assert len(screening["answer"]["output_sha256"]) == 64
    for name in ("m", "t", "s"):
        assert redline("certificate", "verify", str(tmp_path / f"{name}.json")).code == 0
    assert redline("certificate", "replay", str(tmp_path / "m.json")).code == 0
    assert redline("certificate", "replay", str(tmp_path / "t.json")).code == 0
    assert redline("certificate", "replay", str(tmp_path / "s.json")).code == 2  # needs its file: said so
    fetched = redline("certificate", "get", screening["id"])
    assert fetched.out.encode() == (tmp_path / "s.json").read_bytes()


def test_replay_reports_a_bundled_data_correction(
    home: Path, redline: Run, tmp_path: Path, corrected_data: Callable[[str, str, str], None]
) -> None:
    certificate = tmp_path / "before.json"
    before = _issue(redline, certificate, "status", "1810.HK", "--on", "2021-03-16", "--known-at", "2021-03-20")
    assert before["regimes"][0]["state"] == "enjoined"  # type: ignore[index]
    same = redline("certificate", "replay", str(certificate), "--json")
    assert same.code == 0 and json.loads(same.out)["same"] is True

    # The injunction's date is corrected (to after the known-at instant): the bundled data version changes.
    corrected_data("court_orders.csv", "preliminary_injunction,2021-03-12,2021-03-12",
                   "preliminary_injunction,2021-03-22,2021-03-22")  # fmt: skip
    replayed = redline("certificate", "replay", str(certificate), "--json")
    assert replayed.code == 1, replayed.err
    report = json.loads(replayed.out)
    assert report["same"] is False and report["bundled_data"]["changed_files"] == ["court_orders.csv"], json.dumps(
        report
    )[:3000]
    assert report["replayed"]["reason"]["kind"] == "data_correction"
    paths = {d["path"]: d for d in report["replayed"]["differences"]}
    assert paths["regimes[0].state"]["recorded"] == "enjoined"
    assert paths["regimes[0].state"]["today"] == "divestment_window"
    assert any("bundled data version differs" in note for note in report["notes"])
    text_form = redline("certificate", "replay", str(certificate))
    assert (
        "a data correction" in text_form.out and 'regimes[0].state: "enjoined" -> "divestment_window"' in text_form.out
    )


def test_replay_reports_a_rule_fix(
    home: Path, redline: Run, tmp_path: Path, corrected_data: Callable[[str, str, str], None]
) -> None:
    certificate = tmp_path / "before.json"
    _issue(redline, certificate, "status", *XIAOMI)
    corrected_data("states.yaml", "divestment_window:\n  may_buy: false\n  may_sell: true",
                   "divestment_window:\n  may_buy: false\n  may_sell: false")  # fmt: skip
    report = json.loads(redline("certificate", "replay", str(certificate), "--json").out)
    assert report["replayed"]["reason"]["kind"] == "rule_fix"
    assert report["replayed"]["reason"]["files"] == ["states.yaml"]
    assert {"path": "us_person.may_sell", "recorded": True, "today": False} in report["replayed"]["differences"]


def test_replay_reports_a_list_edition_imported_since(home: Path, redline: Run, tmp_path: Path) -> None:
    certificate = tmp_path / "before.json"
    before = _issue(redline, certificate, "status", "1810.HK", "--on", "2022-01-03", "--known-at", "2022-01-03")
    assert before["regimes"][3]["state"] == "not_checked"  # type: ignore[index]
    fixtures = Path(__file__).resolve().parents[1] / "sources" / "fixtures"
    added = redline("sources", "add", str(fixtures / "sdn_2021-07-07.csv"))
    assert added.code == 0, added.err
    report = json.loads(redline("certificate", "replay", str(certificate), "--json").out)
    assert report["replayed"]["same"] is True  # the recorded data alone: still the same answer
    today = report["with_today_data"]
    assert today["same"] is False and today["reason"]["kind"] == "data_correction"
    assert "ofac-sdn" in today["reason"]["detail"] and "snapshot 1" in today["reason"]["detail"]
    assert {"path": "regimes[3].state", "recorded": "not_checked", "today": "not_listed"} in today["differences"]
