"""A row whose name the catalog answers *undetermined* (a listed company close, none certain): REVIEW, with its lead."""

from __future__ import annotations

from pathlib import Path

from redline.catalog import Outcome, current_catalog, identify
from redline.store.screening import ScreenStore
from tests.screen.helpers import decisions_by_line, run

NEAR_MISS = "Hikvision Logistics Services"  # the brand plus lines of business no listed name carries


def test_an_undetermined_name_is_review_with_its_candidate(database_url: str, tmp_path: Path) -> None:
    found = identify(current_catalog(), NEAR_MISS)
    assert found.outcome is Outcome.UNDETERMINED and found.candidates[0].entity.id == "hikvision"
    source, output = tmp_path / "book.csv", tmp_path / "out.csv"
    source.write_text(f"name,market value,currency\n{NEAR_MISS},1000,USD\nAcme Garden Supplies,50,USD\n")
    outcome = run(source, ScreenStore(database_url), output, on="2023-01-01")
    rows = decisions_by_line(output)
    assert (rows[2]["redline_decision"], rows[2]["redline_entity"]) == ("REVIEW", "hikvision")
    assert "no listed name of this entity has" in rows[2]["redline_match"]  # why it is only a lead
    assert rows[3]["redline_decision"] == "OK"  # a name of no listed company passes
    assert outcome.summary.exit_code() == 1
