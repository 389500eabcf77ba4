from __future__ import annotations

import pytest
from sqlalchemy import text

from redline.store.errors import StoreError
from redline.store.screening import AlertHit, RunRecord, ScreenStore


def _hit(alert_id: str, version: str = "v1", row: int = 1) -> AlertHit:
    return AlertHit(
        alert_id=alert_id,
        fingerprint="fp1",
        entity_id="smic",
        entity_version=version,
        entity_events=("ccmc-smic",),
        kind="holdings",
        label="ISIN KYG8020E1199",
        decision="DIVEST",
        regimes=("EO13959",),
        explanation={"match": "isin"},
        row_number=row,
        suppressed=False,
    )


def _run(run_id: str) -> RunRecord:
    return RunRecord(
        run_id, "2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:01.000000Z", "holdings", "completed",
        "book.csv", "csv", "ab" * 32, {"on": "2021-03-01"}, {"data": "d1"}, {"rows": 1}, "out.csv", actor="ann",
    )  # fmt: skip


def test_runs_alerts_and_decisions_round_trip(database_url: str) -> None:
    store = ScreenStore(database_url)
    store.record_run(_run("r1"), [_hit("a" * 64)])
    store.record_run(_run("r2"), [_hit("a" * 64)])
    assert [alert.status for alert in store.alerts()] == ["open"]
    assert store.decide(["aaaaaa"], "false-positive", "different issuer", who="bob") == ["a" * 64]
    (alert,) = store.alerts()
    assert (alert.status, alert.verdict.actor if alert.verdict else None, alert.last_run_id) == (
        "false-positive",
        "bob",
        "r2",
    )
    verdicts = store.verdicts()
    assert verdicts.on("a" * 64) is not None
    assert verdicts.earlier_false_positive("fp1", "smic", "v1") is None  # same list data: plain suppression
    assert verdicts.earlier_false_positive("fp1", "smic", "v2") is not None  # list data changed since
    assert store.verify().ok


def test_decisions_need_a_known_alert_a_verdict_and_a_comment(database_url: str) -> None:
    store = ScreenStore(database_url)
    store.record_run(_run("r1"), [_hit("b" * 64)])
    with pytest.raises(StoreError, match="no alert"):
        store.decide(["cccccc"], "true-match", "x")
    with pytest.raises(StoreError, match="unknown verdict"):
        store.decide(["bbbbbb"], "maybe", "x")
    with pytest.raises(StoreError, match="comment"):
        store.decide(["bbbbbb"], "true-match", " ")
    assert store.verify().ok


def test_editing_or_deleting_a_run_or_decision_is_caught_against_its_audit_entry(database_url: str) -> None:
    store = ScreenStore(database_url)
    store.record_run(_run("r1"), [_hit("d" * 64)])
    store.decide(["dddddd"], "true-match", "confirmed", who="ann")
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE runs SET input_sha256 = 'forged' WHERE id = 'r1'"))
        connection.execute(text("UPDATE decisions SET verdict = 'false-positive'"))
    assert store.verify().problems == (
        "runs r1: edited since audit entry 1 wrote it",
        "decisions 1: edited since audit entry 2 wrote it",
        "run r1 differs from its audit entry 1",
        f"decision 1 on alert {'d' * 12} differs from its audit entry 2",
    )
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM decisions"))
    problems = store.verify().problems
    assert "decisions 1: deleted; audit entry 2 wrote it" in problems
    assert problems[-1] == f"decision on alert {'d' * 12} (audit entry 2) was deleted"
