"""The alert queue pages: the list and its filters, one alert (the row as screened beside the listed entity, the
explanation with its sources), deciding it (analysts only, audited under the key's owner), and the refusals."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from redline.store.screening import ScreenStore
from tests.api.conftest import Service
from tests.web.helpers import PORTFOLIO


@pytest.fixture(scope="module")
def run_id(service: Service) -> str:
    """The example portfolio screened as of 2021-03-01 from the page: SMIC and Hikvision raise alerts."""
    response = service.app_client.post(
        "/ui/screenings",
        headers=service.as_role("analyst"),
        files={"file": ("portfolio.csv", PORTFOLIO.read_bytes(), "text/csv")},
        data={"on": "2021-03-01"},
    )
    assert response.status_code == 200 and "9 of 9 rows" in response.text
    (run,) = ScreenStore().runs(1)
    return str(run["id"])


def _alert_id(entity: str) -> str:
    (alert,) = [a for a in ScreenStore().alerts() if a.entity_id == entity]
    return alert.id


def test_the_queue_lists_and_filters_alerts(client: TestClient, run_id: str) -> None:
    page = client.get("/ui/alerts")
    assert page.status_code == 200
    assert 'href="/ui/entity/smic"' in page.text and 'href="/ui/entity/hikvision"' in page.text
    assert "2 alerts, most recently seen first." in page.text
    assert f'<option value="{run_id}" selected>' not in page.text
    of_run = client.get("/ui/alerts", params={"run": run_id})
    assert "2 alerts" in of_run.text and f'<option value="{run_id}" selected>' in of_run.text
    assert "No alert matches these filters." in client.get("/ui/alerts", params={"status": "false-positive"}).text
    assert "No alert matches" in client.get("/ui/alerts", params={"run": "f" * 32}).text
    bad = client.get("/ui/alerts", params={"status": "maybe"})
    assert bad.status_code == 400 and "status must be one of open, true-match, false-positive" in bad.text


def test_an_alert_shows_the_row_beside_the_entity_with_its_explanation(client: TestClient, run_id: str) -> None:
    alert_id = _alert_id("smic")
    page = client.get(f"/ui/alerts/{alert_id[:12]}")  # the prefix the result table links
    assert page.status_code == 200
    row = page.text[page.text.index('id="row"') : page.text.index('id="entity"')]
    assert "<th>account</th><td>ACC-1</td>" in row and "<th>market value</th><td>420000</td>" in row
    assert "Line 3 of" in row and "portfolio.csv" in row
    entity = page.text[page.text.index('id="entity"') : page.text.index('id="explanation"')]
    assert 'href="/ui/entity/smic"' in entity and "Semiconductor Manufacturing International Corporation" in entity
    explanation = page.text[page.text.index('id="explanation"') : page.text.index('id="decide"')]
    assert "ISIN KYG8020E1199 is listed for smic" in explanation and "Tranche 4" in explanation
    assert "divestment_window" in explanation and "2021-12-03T23:59:00-05:00" in explanation
    assert "Executive Order 13959" in explanation and "federalregister.gov" in explanation  # the sources
    assert "No decision yet." in page.text
    assert f'href="/ui/alerts?run={run_id}"' in page.text  # the run that raised it
    # The viewer's form is off and says why.
    assert "<fieldset disabled>" in page.text and "deciding alerts needs the analyst role" in page.text


def test_an_analyst_decides_and_the_history_shows_it(service: Service, client: TestClient, run_id: str) -> None:
    alert_id = _alert_id("hikvision")
    form = {"verdict": "true-match", "comment": "CNE100000PM8 is Hikvision's A share"}
    response = client.post(
        f"/ui/alerts/{alert_id}/decision", data=form, headers=service.as_role("analyst"), follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == f"/ui/alerts/{alert_id}#history"
    page = client.get(f"/ui/alerts/{alert_id}")
    history = page.text[page.text.index('id="history"') : page.text.index('id="runs"')]
    assert "true-match" in history and "CNE100000PM8 is Hikvision&#39;s A share" in history
    assert "Test Analyst (key rl_" in history
    assert re.search(r'id="alert-status">true-match<', page.text)
    (verdict,) = ScreenStore().history(alert_id)
    assert verdict.actor.startswith("Test Analyst (key rl_") and verdict.comment == form["comment"]


def test_a_viewer_posting_a_decision_gets_the_forbidden_page(service: Service, run_id: str) -> None:
    alert_id = _alert_id("smic")
    response = service.app_client.post(
        f"/ui/alerts/{alert_id}/decision",
        data={"verdict": "false-positive", "comment": "not SMIC"},
        headers=service.as_role("viewer"),
    )
    assert response.status_code == 403 and "Not allowed" in response.text
    assert "this needs the analyst role" in response.text
    assert ScreenStore().history(alert_id) == []


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"verdict": "true-match", "comment": "  "}, "a decision needs a comment saying why"),
        ({"verdict": "maybe", "comment": "unsure"}, "unknown verdict"),
    ],
)
def test_a_decision_without_a_reason_is_sent_back(
    service: Service, run_id: str, form: dict[str, str], message: str
) -> None:
    alert_id = _alert_id("smic")
    response = service.app_client.post(f"/ui/alerts/{alert_id}/decision", data=form, headers=service.as_role("analyst"))
    assert response.status_code == 400 and 'role="alert"' in response.text and message in response.text
    assert ScreenStore().history(alert_id) == []


def test_an_unknown_alert_is_a_404_page(service: Service, client: TestClient, run_id: str) -> None:
    page = client.get("/ui/alerts/abcdef123456")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and "no alert" in page.text
    posted = client.post(
        "/ui/alerts/abcdef123456/decision",
        data={"verdict": "true-match", "comment": "x"},
        headers=service.as_role("analyst"),
    )
    assert posted.status_code == 404 and "no alert" in posted.text
