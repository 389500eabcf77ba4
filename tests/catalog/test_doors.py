"""Every door asks the catalog, so one query names one entity everywhere (issue 11): the command line, the API's
/status, /entities and /match, the search page, screening and the event-study commands."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redline.catalog import current_catalog
from redline.impact.event_sessions import find_entity
from redline.server.app import create_app
from redline.server.shared.deps import KEY_HEADER
from redline.sources.formats import load
from redline.store.database import dispose_all
from redline.store.keys import KeyStore, Role
from redline.store.snapshots import SnapshotStore
from tests.catalog.conftest import FIXTURES
from tests.sources.cli_runner import Result, redline_fixture  # noqa: F401

# (query, the entity every door must name). Identifiers in several printed forms, names in two scripts, an
# acronym, an entity known only from an imported SDN file.
QUERIES = [
    ("1810.HK", "xiaomi"),
    ("US98421U1025", None),  # not an identifier of a listed security: whatever it is, every door agrees
    ("小米集团", "xiaomi"),
    ("Xiaomi Corp", "xiaomi"),
    ("CNE1000002V2", "china-telecom-corp-ltd"),
    ("SMIC", None),
    ("AEROCARIBBEAN AIRLINES", "ofac-36"),
]


@pytest.fixture(scope="module")
def doors(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    home = tmp_path_factory.mktemp("redline-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REDLINE_HOME", str(home))
        patch.delenv("REDLINE_DATABASE_URL", raising=False)
        with SnapshotStore() as store:
            store.add(load([FIXTURES / "sdn_2021-07-07.csv"]), "sdn")
        key = KeyStore().create("Door Tester", Role.ANALYST)[1]
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            client.headers[KEY_HEADER] = key
            yield client, {"REDLINE_HOME": str(home)}
    dispose_all()


def _entity_ids(
    doors: tuple[TestClient, dict[str, str]], query: str, tmp: Path, redline: Callable[..., Result]
) -> dict[str, str | None]:
    client, _ = doors
    seen: dict[str, str | None] = {}
    status = client.get("/status", params={"q": query, "on": "2021-03-16"}).json()
    seen["api /status"] = (status["entity"] or {}).get("id")
    cli = json.loads(redline("status", query, "--on", "2021-03-16", "--json").out)
    seen["cli status"] = (cli["entity"] or {}).get("id")
    search = client.get("/entities", params={"q": query}).json()["results"]
    seen["api /entities"] = search[0]["id"] if search and (search[0]["decisive"] or search[0]["score"] >= 0.8) else None
    page = client.get("/", params={"q": query}).text
    links = re.findall(r'href="/ui/entity/([^"]+)"', page)
    seen["search page (first)"] = links[0] if links and seen["api /entities"] else None
    book = tmp / "book.csv"
    with book.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "quantity"])
        writer.writerow([query, "1"])
    # On a day when every listed entity of the table is on a list, so the row names its entity.
    redline("screen", str(book), "--on", "2026-12-01", "-o", str(tmp / "out.csv"))
    row = next(csv.DictReader((tmp / "out.csv").open()))
    # A finding names its entity; an OK row with a listed match names it in its notes ("xiaomi: EO13959 vacated").
    noted = re.match(r"([\w.-]+): [A-Z0-9]+ [a-z_]+", row["redline_reasons"])
    seen["screen (name column)"] = row["redline_entity"].split(" | ")[0] or (noted.group(1) if noted else None)
    try:
        seen["impact"] = find_entity(current_catalog(), query).id
    except Exception:
        seen["impact"] = None
    return seen


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_every_door_names_the_same_entity(
    doors: tuple[TestClient, dict[str, str]],
    query: str,
    expected: str | None,
    tmp_path: Path,
    redline: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in doors[1].items():
        monkeypatch.setenv(name, value)
    seen = _entity_ids(doors, query, tmp_path, redline)
    named = {value for value in seen.values()}
    assert len(named) == 1, seen
    if expected is not None:
        assert named == {expected}, seen


def test_the_api_carries_the_identification_and_an_undetermined_answer(
    doors: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in doors[1].items():
        monkeypatch.setenv(name, value)
    client, _ = doors
    # A misspelt listed name, close to Hikvision but under the match threshold: undetermined, never "free".
    answer = client.get("/status", params={"q": "Hangzhou Hikvsion Digital Tech Grp Holdings", "on": "2023-01-01"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    if body["identification"]["outcome"] == "undetermined":
        assert body["us_person"] == {"may_buy": None, "may_sell": None, "may_hold": None}
        assert {r["state"] for r in body["regimes"]} == {"undetermined"}
        assert body["identification"]["candidates"][0]["id"] == "hikvision"
    else:  # matched: then it must be Hikvision, and restricted on that day
        assert body["entity"]["id"] == "hikvision" and body["us_person"]["may_buy"] is False
    free = client.get("/status", params={"q": "Entirely Unrelated Bakery Ltd"}).json()
    assert free["identification"]["outcome"] == "no_match" and len(free["regimes"]) == 6
