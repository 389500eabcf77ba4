"""The read-only endpoints, through HTTP (httpx via FastAPI's TestClient)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def test_status_is_the_cli_contract(client: TestClient) -> None:
    response = client.get("/status", params={"q": "1810.HK", "on": "2021-03-16", "known_at": "2021-03-11"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "query", "on", "known_at", "entity", "us_person", "procurement", "regimes", "identification", "warnings",
    }  # fmt: skip
    assert data["identification"]["outcome"] == "matched"
    assert data["us_person"] == {"may_buy": False, "may_sell": True, "may_hold": True}
    assert data["regimes"][0]["state"] == "divestment_window"


def test_status_with_the_injunction_known(client: TestClient) -> None:
    data = client.get("/status", params={"q": "小米集团", "on": "2021-03-16"}).json()
    assert data["regimes"][0]["state"] == "enjoined" and data["regimes"][0]["enjoined"] is True


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"q": "xiaomi", "on": "2021-02-30"}, 400, "on:"),
        ({"q": "   "}, 400, "q is empty"),
        ({}, 422, "q"),
        ({"q": "x" * 1001}, 422, "q"),
    ],
)
def test_bad_input_is_4xx_with_a_clear_message(
    client: TestClient, params: dict[str, str], status: int, fragment: str
) -> None:
    response = client.get("/status", params=params)
    assert response.status_code == status
    assert fragment in response.json()["detail"]
    assert "Traceback" not in response.text


def test_entities_search_detail_and_timeline(client: TestClient) -> None:
    hits = client.get("/entities", params={"q": "LKCO"}).json()["results"]
    assert hits[0]["id"] == "luokung" and hits[0]["decisive"] is True
    detail = client.get("/entities/luokung").json()
    assert any(n["kind"] == "misspelling" and n["text"].startswith("Luokong") for n in detail["names"])
    assert "CCMC_1237" in detail["lists"]
    events = client.get("/entities/xiaomi/timeline").json()["events"]
    kinds = [e["kind"] for e in events]
    assert "preliminary_injunction" in kinds and "vacatur" in kinds
    assert all(e["sources"] for e in events)
    assert client.get("/entities/nope").status_code == 404


def test_health_and_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["entities"] > 0
    spec = client.get("/openapi.json").json()
    assert "/status" in spec["paths"] and "/entities/{entity_id}/timeline" in spec["paths"]
