"""The news review in a real browser (Debian's Chromium via Playwright, as tests/web/test_browser.py): a proposal
queued from the command line is seen by a viewer, who cannot decide it, and accepted by an analyst."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.web.test_browser import Server, _page, _redline, _sign_in, browser, server, shots

__all__ = ["browser", "server", "shots"]

NEW = Path(__file__).parent / "fixtures" / "extra" / "new-listing.txt"


def test_a_viewer_reads_the_queue_and_an_analyst_accepts(browser: Browser, server: Server, shots: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "REDLINE_DATABASE_URL"}
    env["REDLINE_HOME"] = str(server.home)
    _redline(env, "news", "read", str(NEW), "--published", "2027-03-02T08:00-05:00", "--queue")

    viewer = _page(browser)
    _sign_in(viewer, server, "viewer", then="/ui/news")
    row = viewer.locator("#proposals tr", has_text="xiaomi")
    expect(row).to_contain_text("listed")
    expect(row).to_contain_text("2027-03-01")
    expect(row.locator("button")).to_be_disabled()
    expect(row.locator("textarea")).to_be_disabled()
    expect(row).to_contain_text("deciding needs the analyst role")
    viewer.screenshot(path=shots / "news-01-viewer.png", full_page=True)
    viewer.close()

    analyst = _page(browser)
    _sign_in(analyst, server, "analyst", then="/ui/news")
    row = analyst.locator("#proposals tr", has_text="xiaomi")
    row.locator("input[value=accept]").check()
    row.locator("textarea[name=comment]").fill("matches the DoD release")
    analyst.screenshot(path=shots / "news-02-analyst-deciding.png", full_page=True)
    row.locator("button").click()
    done = analyst.locator("#proposals tr", has_text="xiaomi")
    expect(done.locator(".state")).to_have_text("accepted")
    expect(done).to_contain_text("Browser Analyst")
    expect(done).to_contain_text("matches the DoD release")
    analyst.screenshot(path=shots / "news-03-accepted.png", full_page=True)
    analyst.close()
