"""The analysts' pages render the answers the engine gives (browser tests come with issue 6's Playwright suite)."""

from __future__ import annotations

from fastapi.testclient import TestClient


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


def test_status_page_explains_an_answer_as_known_then(client: TestClient) -> None:
    page = client.get("/ui/status", params={"q": "1810.HK", "on": "2021-03-16", "known_at": "2021-03-11"})
    assert page.status_code == 200
    assert "divestment_window" in page.text and 'class="no">no' in page.text
    bad = client.get("/ui/status", params={"q": "1810.HK", "on": "2021-02-30"})
    assert bad.status_code == 200 and "not a valid date" in bad.text


def test_unknown_entity_page_is_404(client: TestClient) -> None:
    assert client.get("/ui/entity/nope").status_code == 404
