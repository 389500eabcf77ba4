"""The analysts' pages render the answers the engine gives (the browser tests are in test_browser.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Service


def test_search_page_finds_xiaomi_by_chinese_name(client: TestClient) -> None:
    page = client.get("/", params={"q": "小米集团"})
    assert page.status_code == 200
    assert 'href="/ui/entity/xiaomi"' in page.text


def test_entity_page_shows_the_injunction_on_the_timeline_with_source_links(client: TestClient) -> None:
    page = client.get("/ui/entity/xiaomi")
    assert page.status_code == 200
    assert "<svg" in page.text and 'data-kind="preliminary_injunction"' in page.text
    assert 'data-kind="vacatur"' in page.text and "1:21-cv-00280-RC" in page.text
    # Every mark links to its source: the court's order itself where the source has an address, else its entry
    # in the history table below the chart.
    order = "https://law.justia.com/cases/federal/district-courts/district-of-columbia/dcdce/1:2021cv00280/226816/21/"
    assert f'href="{order}" class="mark" data-kind="preliminary_injunction"' in page.text
    assert 'id="source-xiaomi-pi"' in page.text


def test_status_page_never_shows_yes_for_an_undetermined_query(client: TestClient) -> None:
    page = client.get("/ui/status", params={"q": "Hikvizion Digital", "on": "2023-01-01"})
    assert page.status_code == 200
    assert "undetermined" in page.text and 'href="/ui/entity/hikvision"' in page.text
    assert "may buy" not in page.text


def test_status_page_explains_an_answer_as_known_then(client: TestClient) -> None:
    page = client.get("/ui/status", params={"q": "1810.HK", "on": "2021-03-16", "known_at": "2021-03-11"})
    assert page.status_code == 200
    assert "divestment_window" in page.text and 'class="no">no' in page.text
    bad = client.get("/ui/status", params={"q": "1810.HK", "on": "2021-02-30"})
    assert bad.status_code == 200 and "not a valid date" in bad.text


def test_unknown_entity_page_is_404(client: TestClient) -> None:
    assert client.get("/ui/entity/nope").status_code == 404


def test_every_page_links_the_others_in_its_header(client: TestClient) -> None:
    page = client.get("/")
    for path in ("/", "/ui/status", "/ui/screenings", "/ui/alerts", "/ui/sources", "/docs"):
        assert f'<a href="{path}">' in page.text


def test_a_page_error_is_a_page_and_an_api_error_stays_json(client: TestClient) -> None:
    page = client.get("/ui/no-such-page")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and "Not found" in page.text
    api = client.get("/screenings/" + "f" * 32)
    assert api.status_code == 404 and api.json() == {"detail": f"no screening {'f' * 32!r}"}


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        (None, True),  # curl, or a browser that sends no Origin on a same-site form
        ("http://testserver", True),
        ("http://evil.example", False),
        ("http://testserver.evil.example", False),
        ("null", False),  # a sandboxed frame or a data: URL
    ],
)
def test_a_page_form_posted_from_another_site_is_refused(
    service: Service, client: TestClient, origin: str | None, allowed: bool
) -> None:
    headers = {"Origin": origin} if origin else {}
    signed_in = client.post(
        "/ui/login",
        data={"key": service.keys["analyst"], "next": "/ui/alerts"},
        headers=headers,
        follow_redirects=False,
    )
    decided = client.post(
        "/ui/alerts/abcdef123456/decision",
        data={"verdict": "true-match", "comment": "checked"},
        headers={**headers, **service.as_role("analyst")},
    )
    if allowed:
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/ui/alerts"
        assert decided.status_code == 404  # past the check: the alert does not exist
    else:
        for response in (signed_in, decided):
            assert response.status_code == 403 and "Not allowed" in response.text
            assert f"a form posted from {origin} is refused" in response.text
        assert "set-cookie" not in signed_in.headers
    client.cookies.clear()


def test_a_query_of_only_symbols_is_explained_not_a_server_error(client: TestClient) -> None:
    page = client.get("/", params={"q": "!!! ???"})
    assert page.status_code == 200 and 'role="alert"' in page.text
