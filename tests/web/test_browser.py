"""The analyst's day in a real browser: Debian's Chromium (headless) driven by Playwright against `redline serve`
running in its own process on a free port, over a temporary $REDLINE_HOME.

Each page visited is saved as a PNG under $REDLINE_SCREENSHOTS (default: build/screenshots/ at the repository
root, which git ignores) for a person to look at. The tests skip, saying why, only when /usr/bin/chromium is
absent (`.ci/run` installs it); Playwright never downloads a browser of its own here.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.screen.issuer_funds import FIXTURES as ISSUER_FIXTURES
from tests.screen.issuer_funds import fund_folder
from tests.web.helpers import CSL, PORTFOLIO, ROOT, later_csl

ISSUER_BOOK = ISSUER_FIXTURES / "book.csv"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REDLINE = Path(sys.executable).with_name("redline")
START_TIMEOUT_S = 60  # a deadline for the server to come up, not a performance assertion
LARGE_BOOK = 50_000
WAIT_MS = 60_000  # the longest any page element is waited for (the screening of 9 rows takes about a second)


@dataclass
class Server:
    url: str
    home: Path
    keys: dict[str, str]  # role -> key


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _redline(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(REDLINE), *args], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (`.ci/run` does) to run the browser tests")
    home = tmp_path_factory.mktemp("browser-home")
    env = {key: value for key, value in os.environ.items() if key != "REDLINE_DATABASE_URL"}
    env["REDLINE_HOME"] = str(home)
    keys = {
        role: _redline(env, "keys", "create", "--role", role, "--owner", f"Browser {role.title()}").strip()
        for role in ("analyst", "viewer")
    }
    # Two versions of one list, so the sources page has something to compare.
    _redline(env, "sources", "add", str(CSL), "--issued", "2021-06-03")
    later = home / "csl-later.csv"
    later.write_text(later_csl(), encoding="utf-8")
    _redline(env, "sources", "add", str(later), "--issued", "2021-08-02")
    port = _free_port()
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [str(REDLINE), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redline serve did not start: {(home / 'server.log').read_text()}")
            time.sleep(0.2)
        yield Server(url, home, keys)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a screening still running holds the shutdown: stop it hard
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Browser]:
    expect.set_options(timeout=WAIT_MS)  # assertions wait up to this (the default is 5 s), as actions do
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("REDLINE_SCREENSHOTS") or ROOT / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)  # the shots overwrite their namesakes; nothing else is removed
    return folder


def _page(browser: Browser) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    page.set_default_timeout(WAIT_MS)
    return page


def _sign_in(page: Page, server: Server, role: str, then: str = "/") -> None:
    page.goto(server.url + then)
    expect(page).to_have_url(f"{server.url}/ui/login?next={then}")
    page.fill("#key", server.keys[role])
    page.click("button:has-text('Sign in')")
    expect(page.locator("header .who")).to_contain_text(f"Browser {role.title()} · {role}")


def test_an_analysts_day_then_a_viewer_is_refused(browser: Browser, server: Server, shots: Path) -> None:
    alert_path = _analyst(browser, server, shots)
    _viewer(browser, server, shots, alert_path)


def _analyst(browser: Browser, server: Server, shots: Path) -> str:
    """Sign in, search, read Xiaomi's timeline, screen the portfolio, decide an alert; the alert's path."""
    page = _page(browser)
    page.goto(server.url + "/")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.screenshot(path=shots / "01-sign-in.png", full_page=True)
    _sign_in(page, server, "analyst")

    # Search as you type: the results come from GET /entities while the box is filled, without pressing Enter.
    page.locator("#q").press_sequentially("小米", delay=80)
    xiaomi = page.locator('#results a[href="/ui/entity/xiaomi"]')
    expect(xiaomi).to_have_text("Xiaomi Corporation")
    assert page.url == server.url + "/"  # no form submission: the list was filled by the script
    page.screenshot(path=shots / "02-search-as-you-type.png", full_page=True)

    xiaomi.click()
    expect(page.locator("h1")).to_have_text("Xiaomi Corporation")
    injunction = page.locator('svg [data-kind="preliminary_injunction"]')
    expect(injunction).to_have_count(1)
    assert injunction.bounding_box() is not None  # drawn, not merely in the markup
    page.screenshot(path=shots / "03-entity-timeline.png", full_page=True)

    # Screen the example portfolio as of 2021-03-01: SMIC and Hikvision are in their CCMC divestment windows.
    page.click("header >> text=Screenings")
    page.set_input_files("#file", PORTFOLIO)
    page.fill("#on", "2021-03-01")
    page.screenshot(path=shots / "04-screenings-upload.png", full_page=True)
    page.click("#upload button")
    expect(page).to_have_url(re.compile(r"/ui/screenings/[0-9a-f]{32}$"))
    results = page.locator("#results")
    expect(results).to_be_visible()  # the page polled GET /screenings/{id} and reloaded when the job completed
    expect(page.locator("#count")).to_have_text("9 of 9 rows")
    expect(page.locator('svg[aria-label="rows per decision"]')).to_be_visible()
    expect(page.locator('svg[aria-label="rows per regime"]')).to_be_visible()
    page.screenshot(path=shots / "05-screening-results.png", full_page=True)

    page.select_option("#filters select[name=decision]", "DIVEST")
    page.click("#filters button")
    expect(page.locator("#count")).to_have_text("2 of 9 rows")
    expect(results.locator("tr")).to_have_count(3)  # the header and two rows
    page.screenshot(path=shots / "06-screening-filtered.png", full_page=True)

    # The downloads are the API's own files, fetched with the sign-in cookie.
    with page.expect_download() as download:
        page.click("#downloads >> text=screened file")
    saved = download.value.path()
    assert "redline_decision" in Path(saved).read_text(encoding="utf-8").splitlines()[0]

    # Open the SMIC alert from its row and decide it.
    smic_row = results.locator("tr", has_text="KYG8020E1199")
    smic_row.locator('a[href^="/ui/alerts/"]').click()
    expect(page.locator("#row")).to_contain_text("KYG8020E1199")
    expect(page.locator("#entity")).to_contain_text("Semiconductor Manufacturing International")
    expect(page.locator("#explanation")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Executive Order 13959")  # the sources of the status then
    page.screenshot(path=shots / "07-alert.png", full_page=True)
    alert_url = page.url

    page.check("input[value=true-match]")
    page.fill("#comment", "ISIN KYG8020E1199 is SMIC's; the position is in its divestment window")
    page.click("#decision button")
    history = page.locator("#history + table")
    expect(history).to_contain_text("true-match")
    expect(history).to_contain_text("Browser Analyst")
    expect(history).to_contain_text("divestment window")
    expect(page.locator("#alert-status")).to_have_text("true-match")
    page.screenshot(path=shots / "08-alert-decided.png", full_page=True)

    page.click("header >> text=Alerts")
    expect(page.locator("#alerts tr")).to_have_count(3)
    page.screenshot(path=shots / "09-alert-queue.png", full_page=True)

    page.click("header >> text=Sources")
    expect(page.locator("#snapshots tr")).to_have_count(3)
    page.click("#diff-form button")
    expect(page.locator("#diff-summary")).to_contain_text("1 added, 1 removed, 1 changed")
    expect(page.locator("#added")).to_contain_text("Shenzhen New Front Ltd.")  # the older one is "before"
    expect(page.locator("#removed")).to_contain_text("HANIYA, Ismail Abdul Salah")
    expect(page.locator("#changed")).to_contain_text("+ Beijing Example Technology Group Co., Ltd.")
    page.screenshot(path=shots / "10-sources-diff.png", full_page=True)

    _large_book(page, server, shots)
    page.click("text=Sign out")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.close()
    return alert_url.removeprefix(server.url)


def _large_book(page: Page, server: Server, shots: Path) -> None:
    """50,000 rows take seconds: the job page shows the progress bar, follows it, then pages the results."""
    rows = PORTFOLIO.read_text(encoding="utf-8").splitlines()
    book = server.home / "large-book.csv"
    body = [rows[1 + i % (len(rows) - 1)].replace("ACC-", f"ACC-{i % 50}-", 1) for i in range(LARGE_BOOK)]
    book.write_text("\n".join([rows[0], *body]) + "\n", encoding="utf-8")
    page.click("header >> text=Screenings")
    page.set_input_files("#file", book)
    page.fill("#on", "2021-03-01")
    page.click("#upload button")
    # Screening 50,000 rows takes far longer than rendering the page, so it opens on the job still going.
    expect(page.locator("#progress")).to_be_visible()
    # The script moves the bar with each poll; photograph it once it has moved (or the job has already ended).
    page.wait_for_function("() => !document.getElementById('done') || +document.getElementById('done').textContent > 0")
    page.screenshot(path=shots / "05b-screening-progress.png", full_page=True)
    expect(page.locator("#count")).to_have_text(f"{LARGE_BOOK} of {LARGE_BOOK} rows, showing 1–100")
    expect(page.locator("main")).to_contain_text("Page 1 of 500")
    in_account = sum(line.startswith("ACC-7-1,") for line in body)
    page.fill("#filters input[name=account]", "ACC-7-1")
    page.click("#filters button")
    expect(page.locator("#count")).to_have_text(f"{in_account} of {LARGE_BOOK} rows, showing 1–100")


def _viewer(browser: Browser, server: Server, shots: Path, alert_path: str) -> None:
    """The alert the analyst decided, seen by a viewer: the form is off, and posting it anyway is refused."""
    page = _page(browser)
    _sign_in(page, server, "viewer", then=alert_path)
    expect(page.locator("#comment")).to_be_disabled()
    expect(page.locator("#decision button")).to_be_disabled()
    expect(page.locator("#decision")).to_contain_text("deciding alerts needs the analyst role")
    page.screenshot(path=shots / "11-viewer-alert.png", full_page=True)

    # A form that posts anyway (kept from an analyst's session, or forged) is refused by the server.
    page.locator("#decision fieldset").evaluate("fieldset => fieldset.disabled = false")
    page.check("input[value=false-positive]")
    page.fill("#comment", "not SMIC")
    page.click("#decision button")
    expect(page.locator("h1")).to_have_text("Not allowed")
    expect(page.locator("[role=alert]")).to_contain_text("this needs the analyst role")
    page.screenshot(path=shots / "12-viewer-refused.png", full_page=True)

    page.goto(server.url + alert_path)
    rows = page.locator("#history + table tr")
    expect(rows).to_have_count(2)  # the header and the analyst's one decision: nothing was recorded
    expect(page.locator("#alert-status")).to_have_text("true-match")
    page.close()


def test_a_script_in_an_uploaded_name_cell_never_runs(browser: Browser, server: Server, tmp_path: Path) -> None:
    """Stored script injection: an analyst's CSV carries markup in a name cell; neither the job page nor the report
    (opened as a page by a browser that ignores the download) runs it, and the page's CSP reports no violation of
    its own scripts."""
    hostile = tmp_path / "evil.csv"
    hostile.write_text(
        'name,isin\n"Hikvision <script>window.pwned=1</script>",CNE100000PM8\n'
        '"<img src=x onerror=window.pwned=2>",US0378331005\n',
        encoding="utf-8",
    )
    page = _page(browser)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    _sign_in(page, server, "analyst", "/ui/screenings")
    page.set_input_files("#file", hostile)
    page.fill("#on", "2021-03-01")
    page.click("#upload button")
    expect(page.locator("#results")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("<script>window.pwned=1</script>")  # shown as text
    assert page.evaluate("window.pwned") is None
    assert not violations, violations  # the app's own scripts and style sheet pass its CSP
    report = page.locator("#downloads >> text=HTML report").get_attribute("href")
    page.goto(server.url + "/ui/login")  # a page of the app's origin, then the report's bytes rendered in it
    html = httpx.get(server.url + str(report), cookies={"redline_key": server.keys["analyst"]}).text
    page.set_content(html)  # under the app's CSP, which even blocks the report's inline style
    assert page.evaluate("window.pwned") is None
    page.close()


def test_look_through_upload_bulk_decisions_and_export(
    browser: Browser, server: Server, shots: Path, tmp_path: Path
) -> None:
    """Issue 15 in the browser: a book uploaded with its funds' holdings as a zip; each fund row names what it holds;
    the queue is searched, several alerts decided with one note, and exported."""
    funds = fund_folder(tmp_path / "funds")
    archive = tmp_path / "funds.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in funds.iterdir():
            bundle.write(path, f"holdings/{path.name}")
    page = _page(browser)
    _sign_in(page, server, "analyst", "/ui/screenings")
    page.set_input_files("#file", ISSUER_BOOK)
    page.set_input_files("#constituents", archive)
    page.fill("#on", "2021-03-16")
    page.click("#upload button")
    expect(page).to_have_url(re.compile(r"/ui/screenings/[0-9a-f]{32}$"))
    expect(page.locator("#results")).to_be_visible()
    expect(page.locator("#fund-files")).to_contain_text("EMCN.csv")
    expect(page.locator("#fund-files")).to_contain_text("2021-03-01")
    emcn = page.locator("#results tr", has_text="EMCN")
    expect(emcn.locator("ul.constituents")).to_contain_text("holds CRRC Corporation Limited through 2 line(s)")
    page.screenshot(path=shots / "20-look-through-results.png", full_page=True)

    page.click("header >> text=Alerts")
    page.fill("#q", "ACC-1")
    page.select_option("#sort", "entity")
    page.click("#filters button")
    boxes = page.locator("#alerts input[name=ids]")
    expect(boxes.first).to_be_visible()
    chosen = min(boxes.count(), 3)
    for index in range(chosen):
        boxes.nth(index).check()
    page.fill("#bulk-comment", "reviewed with the fund's holdings file")
    page.select_option("#bulk-verdict", "true-match")
    page.screenshot(path=shots / "21-bulk-decision.png", full_page=True)
    page.click("#bulk-decide")
    expect(page.locator("#notice")).to_contain_text(f"{chosen} alert(s) marked true-match")
    expect(page.locator("#alerts")).to_contain_text("reviewed with the fund's holdings file")

    with page.expect_download() as download:
        page.click("#export-csv")
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert exported.splitlines()[0].startswith("alert,status,decision,entity")
    assert exported.count("reviewed with the fund's holdings file") == chosen
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"  # a workbook
