"""Every page fits a desktop (1366 px) and a phone (390 px): no sideways scroll of the page itself (wide tables
scroll inside their own box), in Debian's Chromium. Screenshots of each page at both widths are saved beside the
analyst's day (`$REDLINE_SCREENSHOTS`, default build/screenshots/) for a person to look at."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.web.helpers import PORTFOLIO
from tests.web.test_browser import WAIT_MS, Server, _sign_in, browser, server, shots  # noqa: F401 (fixtures)

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


def _screened(server: Server) -> tuple[str, str]:  # noqa: F811
    """A screening of the example book on 2021-03-01 through the API: (job id, an alert id)."""
    headers = {"X-API-Key": server.keys["analyst"]}
    with PORTFOLIO.open("rb") as book:
        created = httpx.post(
            f"{server.url}/screenings",
            headers=headers,
            files={"file": (PORTFOLIO.name, book, "text/csv")},
            data={"on": "2021-03-01"},
            timeout=60,
        )
    assert created.status_code == 202, created.text
    job = created.json()
    deadline = time.monotonic() + WAIT_MS / 1000
    while job["status"] not in ("completed", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        job = httpx.get(f"{server.url}/screenings/{job['id']}", headers=headers, timeout=30).json()
    assert job["status"] == "completed", job
    alerts = httpx.get(f"{server.url}/alerts", params={"run": job["run_id"]}, headers=headers, timeout=30).json()
    return job["id"], alerts["alerts"][0]["id"]


@pytest.mark.parametrize("size", list(WIDTHS))
def test_pages_fit_the_screen(browser: Browser, server: Server, shots: Path, size: str) -> None:  # noqa: F811
    job_id, alert_id = _screened(server)
    width, height = WIDTHS[size]
    page = browser.new_page(viewport={"width": width, "height": height}, locale="en-US")
    page.set_default_timeout(WAIT_MS)
    _sign_in(page, server, "analyst")
    pages = {
        "search": "/?q=xiaomi",
        "entity": "/ui/entity/xiaomi",
        "status": "/ui/status?q=1810.HK&on=2021-03-16",
        "screenings": "/ui/screenings",
        "screening": f"/ui/screenings/{job_id}",
        "alerts": "/ui/alerts",
        "alert": f"/ui/alerts/{alert_id}",
        "sources": "/ui/sources",
    }
    overflowing = {}
    for name, path in pages.items():
        page.goto(server.url + path)
        expect(page.locator("main h1")).to_be_visible()
        page.screenshot(path=shots / f"layout-{size}-{name}.png", full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width + 1:
            overflowing[name] = scroll
    page.close()
    assert not overflowing, f"pages wider than the {width} px screen: {overflowing}"


def test_search_shows_badges_and_takes_arrow_keys(browser: Browser, server: Server) -> None:  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="en-US")
    page.set_default_timeout(WAIT_MS)
    _sign_in(page, server, "viewer")
    page.locator("#q").press_sequentially("hikvision", delay=40)
    first = page.locator("#results li").first
    expect(first.locator(".badge")).to_have_text("holding only")  # EO 14032: window closed on 2022-06-03
    page.locator("#q").press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == first.locator("a").get_attribute("href")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "q"
    page.close()
