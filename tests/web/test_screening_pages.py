"""The screening pages: the upload form (analysts), the job page while it runs and once done, the result table's
filters and pages, and the refusals, through the same app and keys as the API."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient

from redline.screen.submissions import results_path
from redline.store.jobs import JobStore
from tests.api.conftest import Service
from tests.web.helpers import PORTFOLIO


def _upload(service: Service, content: bytes, name: str = "portfolio.csv", **fields: str) -> httpx.Response:
    return service.app_client.post(
        "/ui/screenings",
        headers=service.as_role("analyst"),
        files={"file": (name, content, "text/csv")},
        data={"kind": "holdings", **fields},
        follow_redirects=False,
    )


@pytest.fixture(scope="module")
def job_id(service: Service) -> str:
    """The example portfolio screened as of 2021-03-01 through the page's form (the job runs to completion before
    the test client returns: Starlette runs background tasks within the request)."""
    response = _upload(service, PORTFOLIO.read_bytes(), on="2021-03-01")
    assert response.status_code == 303
    location: str = response.headers["location"]
    found = re.fullmatch(r"/ui/screenings/([0-9a-f]{32})", location)
    assert found is not None
    return found.group(1)


def test_the_list_offers_the_form_to_analysts_only(service: Service, client: TestClient) -> None:
    viewer = client.get("/ui/screenings")
    assert viewer.status_code == 200
    assert "<fieldset disabled>" in viewer.text and "you can read screenings but not submit one" in viewer.text
    analyst = client.get("/ui/screenings", headers=service.as_role("analyst"))
    assert "<fieldset >" in analyst.text and 'enctype="multipart/form-data"' in analyst.text
    assert 'href="/ui/screenings"' in analyst.text  # the header links every page


def test_a_completed_job_shows_its_results_charts_and_downloads(client: TestClient, job_id: str) -> None:
    page = client.get(f"/ui/screenings/{job_id}")
    assert page.status_code == 200
    assert "<progress" not in page.text  # done: no progress bar, no polling script
    assert 'aria-label="rows per decision"' in page.text and 'aria-label="rows per regime"' in page.text
    assert re.search(r'id="count"[^>]*>9 of 9 rows<', page.text)
    # One time convention on every page: New York time with its zone and offset, the UTC instant on hover.
    assert 'judged on <time datetime="2021-03-01T17:00:00+00:00" title="2021-03-01 17:00:00 UTC">' in page.text
    assert "2021-03-01 12:00 EST (-05:00)</time>" in page.text
    for link in ("results", "report", "input"):
        assert f'href="/screenings/{job_id}/{link}"' in page.text
    # SMIC's row: its decision, entity link and alert link, its reasons and sources in the "why" cell.
    assert 'href="/ui/entity/smic"' in page.text and re.search(r'href="/ui/alerts/[0-9a-f]{12}"', page.text)
    assert "Executive Order 13959" in page.text and "CNY 1,500,000, HKD 420,000" in page.text
    # The download links answer with the files (the API's routes, the same key).
    report = client.get(f"/screenings/{job_id}/report")
    assert report.status_code == 200 and "Screening report: portfolio.csv" in report.text
    assert client.get(f"/screenings/{job_id}/input").content == PORTFOLIO.read_bytes()


@pytest.mark.parametrize(
    ("query", "count", "present", "absent"),
    [
        ({"decision": "DIVEST"}, "2 of 9 rows", ["KYG8020E1199", "CNE100000PM8"], ["KYG9830T1067"]),
        ({"regime": "EO13959"}, "6 of 9 rows", ["KYG9830T1067", "Luokung"], ["US0378331005"]),
        ({"account": "ACC-2"}, "4 of 9 rows", ["US0378331005", "CNE100000PM8"], ["KYG8020E1199"]),
        ({"decision": "DIVEST", "account": "ACC-3"}, "0 of 9 rows", ["No row matches these filters."], []),
    ],
)
def test_the_result_table_filters_on_the_server(
    client: TestClient, job_id: str, query: dict[str, str], count: str, present: list[str], absent: list[str]
) -> None:
    page = client.get(f"/ui/screenings/{job_id}", params=query)
    assert page.status_code == 200
    assert re.search(rf'id="count"[^>]*>{count}<', page.text)
    for text in present:
        assert text in page.text
    for text in absent:
        assert text not in page.text
    # The chosen filters stay selected, and the account choices come from the file.
    if "decision" in query:
        assert f"<option selected>{query['decision']}</option>" in page.text
    assert '<option value="ACC-1">' in page.text and '<option value="ACC-3">' in page.text


def test_a_large_result_is_paged(service: Service, client: TestClient) -> None:
    lines = PORTFOLIO.read_text(encoding="utf-8").splitlines()
    body = [lines[1 + i % (len(lines) - 1)] for i in range(250)]
    response = _upload(service, "\n".join([lines[0], *body]).encode(), name="book.csv", on="2021-03-01")
    location = response.headers["location"]
    first = client.get(location)
    assert re.search(r'id="count"[^>]*>250 of 250 rows, showing 1–100<', first.text)
    assert "Page 1 of 3" in first.text and "page=2" in first.text
    last = client.get(location, params={"page": 3})
    assert re.search(r'id="count"[^>]*>250 of 250 rows, showing 201–250<', last.text)
    assert "← previous" in last.text and "next →" not in last.text


def test_a_running_job_shows_progress_and_polls_the_api(service: Service, client: TestClient) -> None:
    job = JobStore().create("0" * 31 + "1", "holdings", "book.csv", 10, "ab" * 32, {"on": None}, "someone", 400)
    JobStore().started(job.id)
    JobStore().progressed(job.id, 100)
    page = client.get(f"/ui/screenings/{job.id}")
    assert page.status_code == 200
    assert '<progress id="bar" max="1" value="0.25">' in page.text
    assert "running" in page.text and ">100</span> of <span" in page.text
    assert '<script src="/ui/assets/progress.js"></script>' in page.text  # no inline script: the CSP forbids it
    script = client.get("/ui/assets/progress.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert 'fetch("/screenings/" + box.dataset.job' in script.text and "location.reload()" in script.text
    assert '<meta http-equiv="refresh" content="2">' in page.text  # inside <noscript>: browsers without scripts
    JobStore().failed(job.id, "line 3: not a spreadsheet")
    failed = client.get(f"/ui/screenings/{job.id}")
    assert "This screening failed: line 3: not a spreadsheet." in failed.text and "<progress" not in failed.text


@pytest.mark.parametrize(
    ("name", "content", "fields", "status", "message"),
    [
        ("book.pdf", b"%PDF", {}, 415, "unknown type .pdf"),
        ("book.csv", b"", {}, 400, "is empty"),
        ("book.csv", b"isin\nKYG8020E1199\n", {"on": "2021-02-30"}, 400, "on: "),
        ("book.csv", b"isin\nKYG8020E1199\n", {"kind": "bonds"}, 400, "kind must be one of"),
        ("book.csv", b"isin\nKYG8020E1199\n", {"mapping": "colour=isin"}, 400, "unknown field &#39;colour&#39;"),
    ],
)
def test_a_refused_upload_is_explained_on_the_form(
    service: Service, name: str, content: bytes, fields: dict[str, str], status: int, message: str
) -> None:
    before = len(JobStore().jobs(500))
    response = _upload(service, content, name=name, **fields)
    assert response.status_code == status
    text: str = response.text
    assert 'role="alert"' in text and message in text and "Traceback" not in text
    for value in fields.values():  # what was typed is kept in the form
        assert value in text
    assert len(JobStore().jobs(500)) == before


def test_a_viewer_posting_the_form_gets_the_forbidden_page(service: Service) -> None:
    response = service.app_client.post(
        "/ui/screenings",
        headers=service.as_role("viewer"),
        files={"file": ("portfolio.csv", PORTFOLIO.read_bytes(), "text/csv")},
    )
    assert response.status_code == 403 and "text/html" in response.headers["content-type"]
    assert "Not allowed" in response.text and "this needs the analyst role" in response.text


def test_an_unknown_job_is_a_404_page(client: TestClient) -> None:
    for job in ("f" * 32, "not-a-job"):
        page = client.get(f"/ui/screenings/{job}")
        assert page.status_code == 404 and "text/html" in page.headers["content-type"]
        assert "no screening" in page.text


def test_bad_page_parameters_and_lost_files_are_explained(service: Service, client: TestClient, job_id: str) -> None:
    bad = client.get(f"/ui/screenings/{job_id}", params={"page": 0})
    assert bad.status_code == 422 and "text/html" in bad.headers["content-type"]
    assert "query.page: Input should be greater than or equal to 1" in bad.text
    response = _upload(service, PORTFOLIO.read_bytes(), name="lost.csv", on="2021-03-01")
    location = response.headers["location"]
    lost = JobStore().get(location.rsplit("/", 1)[-1])
    results_path(lost).unlink()
    page = client.get(location)
    assert page.status_code == 200 and 'role="alert"' in page.text
    assert "the screened file cannot be read back: results.csv: no such file" in page.text
    assert str(service.home) not in page.text  # no server path leaks into the page
