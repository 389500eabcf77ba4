"""The CLI contract: JSON keys, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from redline.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_status_json_follows_the_contract() -> None:
    result = run("status", "1810.HK", "--on", "2021-03-16", "--known-at", "2021-03-11", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "query", "on", "known_at", "entity", "us_person", "procurement", "regimes", "identification", "warnings",
    }  # fmt: skip
    assert [r["regime"] for r in data["regimes"]] == ["EO13959", "EO14032", "NDAA1260H", "SDN", "CSL", "UNSC"]
    assert data["identification"]["outcome"] == "matched"
    assert data["entity"]["id"] == "xiaomi" and "CCMC_1237" in data["entity"]["lists"]
    assert data["us_person"] == {"may_buy": False, "may_sell": True, "may_hold": True}
    eo13959 = next(r for r in data["regimes"] if r["regime"] == "EO13959")
    assert {"regime", "listed", "state", "effective_from", "divest_until", "enjoined", "reasons", "sources"} <= set(
        eo13959
    )
    assert eo13959["effective_from"] == "2021-03-15T09:30:00-04:00"
    assert eo13959["state"] == "divestment_window" and eo13959["enjoined"] is False


def test_unknown_entity_gives_null_and_a_warning() -> None:
    result = run("status", "Apple Inc", "--json")
    data = json.loads(result.stdout)
    # Every regime is answered, with what was consulted; the lists known only from imports were not checked.
    assert data["entity"] is None and data["identification"]["outcome"] == "no_match"
    states = {r["regime"]: r["state"] for r in data["regimes"]}
    assert states == {
        "EO13959": "not_listed",
        "EO14032": "not_listed",
        "NDAA1260H": "not_listed",
        "SDN": "not_checked",
        "CSL": "not_checked",
        "UNSC": "not_checked",
    }
    assert all(r["sources"] for r in data["regimes"] if r["state"] == "not_listed")
    assert data["us_person"] == {"may_buy": True, "may_sell": True, "may_hold": True}
    assert any("no listed entity" in w for w in data["warnings"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "   "), "QUERY is empty"),
        (("status", "xiaomi", "--on", "2021-02-30"), "--on"),
        (("status", "xiaomi", "--known-at", "soon"), "--known-at"),
        (("status", "xiaomi", "--bogus"), "No such option"),
        (("timeline", "no such company at all"), "no listed entity"),
    ],
)
def test_bad_input_is_one_line_with_exit_code_2(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_readable_table_and_timeline() -> None:
    table = run("status", "小米集团", "--on", "2021-03-16")
    assert table.returncode == 0 and "enjoined" in table.stdout and "1:21-cv-00280-RC" in table.stdout
    history = run("timeline", "LKCO", "--json")
    kinds = [event["kind"] for event in json.loads(history.stdout)["events"]]
    assert kinds.index("listed") < kinds.index("corrected") < kinds.index("preliminary_injunction")


def test_lists_counts_as_of_a_date() -> None:
    data = json.loads(run("lists", "--on", "2021-04-01", "--json").stdout)
    counts = {row["list"]: row["entities"] for row in data["lists"]}
    assert counts["NS_CMIC"] == 0  # the NS-CMIC list began on 2021-06-03
    assert counts["CCMC_1237"] > 0
