"""Imported official lists drive every answer, bitemporally (issue 11)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from redline.catalog import current_catalog, identify
from redline.model import ListId, ListingAction, parse_instant
from redline.services.status import StatusService
from redline.sources.formats import load
from redline.store.snapshots import SnapshotStore
from tests.catalog.conftest import DROPPED, FIXTURES, NEW_ISIN, NEW_NAME
from tests.sources.cli_runner import Result, redline_fixture  # noqa: F401

Run = Callable[..., Result]

ISSUED = "2026-10-01"
ON = parse_instant("2026-12-01")
AFTER = parse_instant("2026-11-01")
BEFORE = parse_instant("2026-09-15")


def _regime(report: dict[str, object], regime: str) -> dict[str, object]:
    found = [r for r in report["regimes"] if r["regime"] == regime]  # type: ignore[union-attr,index]
    assert len(found) == 1
    return found[0]  # type: ignore[no-any-return]


def test_a_new_edition_adds_and_drops_from_its_issue_date(redline_home: Path, new_edition: Path) -> None:
    with SnapshotStore() as store:
        snapshot, created = store.add(load([new_edition]), "test")
    assert created and snapshot.known_from == parse_instant(ISSUED)
    service = StatusService.current()

    # The added entry: found by its ISIN and its printed name, restricted from the file's issue date on.
    after = service.status(NEW_ISIN, ON, AFTER).to_json()
    assert after["entity"]["name"] == NEW_NAME  # type: ignore[index]
    eo14032 = _regime(after, "EO14032")
    assert eo14032["state"] == "divestment_window" and eo14032["listed_on"].startswith("2026-09-01")
    assert any("snapshot #1" in source for source in eo14032["sources"])  # type: ignore[union-attr]
    assert after["us_person"]["may_buy"] is False  # type: ignore[index]
    # As known before the file was issued, the old answer: nothing restricts it.
    before = service.status(NEW_ISIN, ON, BEFORE).to_json()
    assert _regime(before, "EO14032")["state"] == "not_listed" and before["us_person"]["may_buy"] is True  # type: ignore[index]
    assert service.status(NEW_NAME, ON, AFTER).entity.name == NEW_NAME  # type: ignore[union-attr]

    # The dropped entry: removed as of the issue date, with the disagreement noted; before it, the bundled history.
    dropped = service.status(DROPPED, ON, AFTER).to_json()
    assert _regime(dropped, "EO14032")["state"] == "removed"
    assert any("absent from the OFAC" in w for w in dropped["warnings"])  # type: ignore[union-attr]
    assert _regime(service.status(DROPPED, ON, BEFORE).to_json(), "EO14032")["state"] == "holding_only"
    # Valid time still counts: on a day before the file, it was listed, whatever is known now.
    assert _regime(service.status(DROPPED, parse_instant("2026-06-01"), AFTER).to_json(), "EO14032")["state"] == (
        "holding_only"
    )

    counts_after = service.list_counts(ON, AFTER)
    counts_before = service.list_counts(ON, BEFORE)
    assert counts_after[ListId.NS_CMIC] == counts_before[ListId.NS_CMIC]  # one in, one out
    timeline = [e.to_json() for e in service.timeline(service.catalog.entity(service.resolve(NEW_ISIN)[0].id))]  # type: ignore[union-attr]
    assert any(e["kind"] == "listed" and e["list"] == "NS_CMIC" for e in timeline), timeline


def test_screening_and_every_door_follow_the_import(
    redline_home: Path, new_edition: Path, tmp_path: Path, redline: Run
) -> None:
    run_cli = redline
    book = tmp_path / "book.csv"
    with book.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["isin", "name", "quantity"])
        writer.writerow([NEW_ISIN, "", "100"])
    first = run_cli("screen", str(book), "--on", "2026-12-01", "-o", str(tmp_path / "out1.csv"))
    assert first.code == 0, first.err
    imported = json.loads(run_cli("sources", "add", str(new_edition), "--json").out)
    # What changed for me: the row screened OK a moment ago would be DIVEST now.
    assert [(c["what"], c["before"], c["after"]) for c in imported["changes"]] == [("row", "OK", "DIVEST")]
    second = run_cli("screen", str(book), "--on", "2026-12-01", "-o", str(tmp_path / "out2.csv"))
    assert second.code == 1, second.err  # findings
    rows = list(csv.DictReader((tmp_path / "out2.csv").open()))
    assert rows[0]["redline_decision"] == "DIVEST", rows[0]
    status = json.loads(run_cli("status", NEW_ISIN, "--on", "2026-12-01", "--json").out)
    assert _regime(status, "EO14032")["state"] == "divestment_window"
    old = json.loads(run_cli("status", NEW_ISIN, "--on", "2026-12-01", "--known-at", "2026-09-15", "--json").out)
    assert _regime(old, "EO14032")["state"] == "not_listed"
    lists = json.loads(run_cli("lists", "--on", "2026-12-01", "--json").out)
    assert "NS_CMIC" in json.dumps(lists)


def test_sdn_and_csl_files_reach_status_and_screening(redline_home: Path, tmp_path: Path, redline: Run) -> None:
    service = StatusService.current()
    before = service.status("AEROCARIBBEAN AIRLINES", ON, ON).to_json()
    assert _regime(before, "SDN")["state"] == "not_checked"
    with SnapshotStore() as store:
        store.add(load([FIXTURES / "sdn_2021-07-07.csv"]), "sdn")
        store.add(load([FIXTURES / "csl.csv"]), "csl")
    report = service.status("AEROCARIBBEAN AIRLINES", ON, ON).to_json()
    sdn = _regime(report, "SDN")
    assert sdn["state"] == "blocked" and report["us_person"] == {"may_buy": False, "may_sell": False, "may_hold": True}
    assert any("50 percent" in s for s in sdn["sources"])  # type: ignore[union-attr]
    assert any("50%" in r for r in sdn["reasons"])  # type: ignore[union-attr]
    # Known before the SDN file was issued (2021-07-07): that edition was not consulted.
    assert (
        _regime(service.status("AEROCARIBBEAN AIRLINES", ON, parse_instant("2021-01-01")).to_json(), "SDN")["state"]
        == "not_checked"
    )
    # A name on none of the lists: not listed, citing the editions consulted.
    free = service.status("Entirely Unrelated Bakery Ltd", ON, ON).to_json()
    assert free["identification"]["outcome"] == "no_match"  # type: ignore[index]
    assert any("SDN List" in s for s in _regime(free, "SDN")["sources"])  # type: ignore[union-attr]
    assert len(free["regimes"]) == len(report["regimes"]) == 6  # type: ignore[arg-type]

    run_cli = redline
    book = tmp_path / "counterparties.csv"
    book.write_text("name,country\nAEROCARIBBEAN AIRLINES,CU\nEntirely Unrelated Bakery Ltd,GB\n")
    result = run_cli("screen", str(book), "--kind", "counterparties", "-o", str(tmp_path / "out.csv"))
    assert result.code == 1, result.err
    decisions = [row["redline_decision"] for row in csv.DictReader((tmp_path / "out.csv").open())]
    assert decisions[0] in ("BLOCK", "REVIEW") and decisions[1] == "OK", decisions


def test_extracts_infer_no_removal_and_confirming_files_add_no_event(redline_home: Path) -> None:
    with SnapshotStore() as store:
        store.add(load([FIXTURES / "cons_prim_2025-12-19.csv"]), "two CMIC rows")
    catalog = current_catalog()
    assert not [e for e in catalog.history.events if e.action is ListingAction.REMOVED]
    assert any("taken for an extract" in w for w in catalog.history.warnings)
    # China Telecom's row confirms the bundled listing: no second listing event, but the edition is consulted.
    found = identify(catalog, "CNE1000002V2")
    assert found.entity is not None
    assert [e for e in catalog.history.events if e.entity_id == found.entity.id] == []
    assert catalog.editions_of([ListId.NS_CMIC], parse_instant("2026-01-01"))
