"""Alerts across runs: a false-positive suppresses the same alert until the entity's list data changes."""

from __future__ import annotations

import copy
from pathlib import Path

from redline.model import Confidence, ListId, ListingAction, ListingBasis, ListingEvent, parse_instant
from redline.sources.bundled import load_reference
from redline.store.reference import ReferenceStore
from redline.store.screening import ScreenStore
from tests.screen.helpers import decisions_by_line, run


def _book(tmp_path: Path) -> Path:
    source = tmp_path / "book.csv"
    # A name-only row: a possible match, so REVIEW, which an analyst may judge a false positive.
    source.write_text("name,market value,currency\nSemiconductor Manufacturing International Corporation,1000,USD\n")
    return source


def _with_new_listing() -> ReferenceStore:
    data = copy.copy(load_reference())
    data.listings = [
        *data.listings,
        ListingEvent(
            id="test-1260h-smic",
            entity_id="smic",
            list_id=ListId.DOD_1260H,
            action=ListingAction.LISTED,
            valid_from=parse_instant("2021-06-10"),
            known_from=parse_instant("2021-06-10"),
            listed_name="SMIC",
            basis=ListingBasis.EDITION,
            citations=(),
            confidence=Confidence.HIGH,
        ),
    ]
    return ReferenceStore(data)


def test_false_positive_suppresses_until_the_list_data_changes(database_url: str, tmp_path: Path) -> None:
    store, source, output = ScreenStore(database_url), _book(tmp_path), tmp_path / "out.csv"
    first = run(source, store, output, on="2021-03-01")
    row = decisions_by_line(output)[2]
    assert (row["redline_decision"], row["redline_if_confirmed"]) == ("REVIEW", "DIVEST")
    assert first.summary.exit_code() == 1
    (alert,) = store.alerts(status="open")
    store.decide([alert.id], "false-positive", "our row is a different issuer", who="analyst")

    second = run(source, store, output, on="2021-03-01")
    row = decisions_by_line(output)[2]
    assert row["redline_decision"] == "OK" and "suppressed: false-positive by analyst" in row["redline_reasons"]
    assert second.summary.exit_code() == 0 and second.summary.alerts == {"false-positive": 1}

    third = run(source, store, output, on="2021-03-01", reference=_with_new_listing())
    row = decisions_by_line(output)[2]
    assert row["redline_decision"] == "REVIEW"
    assert "reopened: the list data of smic changed" in row["redline_reasons"]
    assert "new test-1260h-smic" in row["redline_reasons"]
    assert third.summary.alerts == {"reopened": 1}
    reopened = [a for a in store.alerts() if a.reopened_from == alert.id]
    assert len(reopened) == 1 and reopened[0].status == "open"
    assert store.verify().ok


def test_true_match_keeps_the_decision_and_runs_are_recorded(database_url: str, tmp_path: Path) -> None:
    store, source, output = ScreenStore(database_url), _book(tmp_path), tmp_path / "out.csv"
    run(source, store, output, on="2021-03-01")
    (alert,) = store.alerts()
    store.decide([alert.id[:10]], "true-match", "confirmed with the custodian", who="analyst")
    outcome = run(source, store, output, on="2021-03-01")
    row = decisions_by_line(output)[2]
    assert row["redline_decision"] == "DIVEST" and "confirmed a true match" in row["redline_match"]
    assert outcome.summary.alerts == {"true-match": 1}
    recorded = store.runs()
    assert len(recorded) == 2 and recorded[0]["counts"]["rows"] == 1
    assert recorded[0]["input_sha256"] == recorded[1]["input_sha256"]
    assert recorded[0]["versions"]["data"] and recorded[0]["parameters"]["on"].startswith("2021-03-01T12:00")
