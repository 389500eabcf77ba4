"""Point-in-time cases derived from the orders, OFAC FAQs and court dockets (see the `authority` column)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from redline.model import parse_instant
from redline.services.status import StatusService

CASES = list(csv.DictReader((Path(__file__).parent / "status_cases.csv").open(encoding="utf-8")))
NOW = "2026-11-01"


@pytest.fixture(scope="module")
def service() -> StatusService:
    return StatusService.bundled()


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[f"{c['query']}@{c['on']}/{c['known_at'] or 'now'}" for c in CASES])
def test_status_case(service: StatusService, case: dict[str, str]) -> None:
    report = service.status(case["query"], parse_instant(case["on"]), parse_instant(case["known_at"] or NOW))
    assert report.entity is not None, f"{case['query']!r} did not resolve"
    regime = next(r for r in report.regimes if r.regime.value == case["regime"])
    assert regime.state.value == case["state"], regime.reasons
    allowed = report.us_person
    expected = tuple(case[key] == "yes" for key in ("may_buy", "may_sell", "may_hold"))
    assert (allowed.may_buy, allowed.may_sell, allowed.may_hold) == expected
    assert regime.uncertain == (case["uncertain"] == "yes")
    if regime.listed or regime.state.value == "removed":
        assert regime.reasons and regime.sources, "a listed answer must be explained and sourced"
