"""`redline match` and `redline match-pairs` end to end through the entry point."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from redline.cli.app import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)


def test_match_json_names_the_entity_and_why() -> None:
    result = _run("match", "小米集團", "--json", "--limit", "3")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["query"] == "小米集團"
    top = payload["candidates"][0]
    assert (top["entity_id"], top["match"]) == ("xiaomi", True)
    assert top["explanation"]["features"]


def test_blank_query_is_a_one_line_error() -> None:
    result = _run("match", "   ")
    assert result.returncode == 2
    assert result.stderr.startswith("redline: error: the query is empty")


def test_match_pairs_adds_score_and_match(tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_text(
        "left,right,schema\nXi Jinping,习近平,Person\nChina Mobile Ltd,China Unicom Ltd,\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    result = _run("match-pairs", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["match"] for r in rows] == ["true", "false"]
    assert float(rows[0]["score"]) > float(rows[1]["score"])


def test_match_pairs_reports_file_line_and_field(tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_text("left,right,schema\nA,B,Planet\n", encoding="utf-8")
    result = _run("match-pairs", str(source), "-o", str(tmp_path / "out.csv"))
    assert result.returncode == 2
    assert "line 2: field schema" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_match_searches_imported_snapshots(redline_home: Path) -> None:
    fixture = Path(__file__).resolve().parents[1] / "sources" / "fixtures" / "un_consolidated.xml"
    env = {**os.environ, "REDLINE_HOME": str(redline_home)}
    code = "from redline.cli.app import main; main()"
    added = subprocess.run(
        [sys.executable, "-c", code, "sources", "add", str(fixture)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    found = subprocess.run(
        [sys.executable, "-c", code, "match", "Badege Eric", "--schema", "Person", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    top = json.loads(found.stdout)["candidates"][0]
    assert top["entity_id"] == "un-6907993"  # the catalog's id for the UN entry
    assert top["match"] and "un-sc" in top["lists"]
