"""Screening pages: the jobs and runs with the upload form; one job's progress, results, charts and downloads.

The upload goes through `redline.server.shared.screenings.submit` (`ScreeningService.submit`), the path behind
`POST /screenings` too, so the page and the API accept and refuse exactly the same files.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.model import InstantError, parse_instant
from redline.model.vocabulary import ScreeningKind
from redline.server.shared.deps import Alerts, Screenings
from redline.server.shared.screenings import submit
from redline.server.web.rendering import AnalystPage, Page, ViewerPage
from redline.services.alerts import AlertService
from redline.services.errors import InvalidInput, ServiceError, status_code_of
from redline.services.screenings import Filters, JobView, ScreeningService

router = APIRouter()
PAGE_SIZE = 100


def _list_page(
    page: Page,
    screenings: ScreeningService,
    alerts: AlertService,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    jobs = screenings.recent(100)
    from_jobs = {job.run_id for job in jobs if job.run_id}
    # Runs the listed jobs did not make: the command line's (`redline screen`), whose files stay where it wrote them.
    other_runs = [run for run in alerts.runs(50) if run["id"] not in from_jobs]
    context = {
        "jobs": jobs,
        "other_runs": other_runs,
        "kinds": tuple(ScreeningKind),
        "error": error,
        "form": form or {"kind": "holdings", "on": "", "known_at": "", "mapping": ""},
    }
    return page.render("screenings.html", context, status_code)


def _instant(text: str, name: str) -> datetime | None:
    """A form's instant as typed (kept in the form when refused): the model's parser, its refusal named."""
    try:
        return parse_instant(text) if text.strip() else None
    except InstantError as exc:
        raise InvalidInput(f"{name}: {exc}") from None


@router.get("/ui/screenings", response_class=HTMLResponse)
def screenings_page(page: ViewerPage, screenings: Screenings, alerts: Alerts) -> HTMLResponse:
    return _list_page(page, screenings, alerts)


@router.post("/ui/screenings", response_model=None)
def upload(
    page: AnalystPage,
    background: BackgroundTasks,
    screenings: Screenings,
    alerts: Alerts,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form(max_length=20)] = "holdings",
    on: Annotated[str, Form(max_length=40)] = "",
    known_at: Annotated[str, Form(max_length=40)] = "",
    mapping: Annotated[str, Form(max_length=4000)] = "",
    constituents: Annotated[list[UploadFile | str] | None, Form()] = None,
) -> Response:
    """The upload form: queue the job, then show its page (which follows the progress)."""
    form = {"kind": kind, "on": on, "known_at": known_at, "mapping": mapping}
    pairs = [line.strip() for line in mapping.splitlines() if line.strip()]
    try:
        moment, known = _instant(on, "on"), _instant(known_at, "known_at")
        actor = page.key.actor
        job = submit(screenings, page.request, background, file, kind, moment, known, pairs, actor, constituents)
    except ServiceError as exc:
        return _list_page(page, screenings, alerts, str(exc), form, status_code_of(exc))
    return RedirectResponse(f"/ui/screenings/{job.id}", status_code=303)


@router.get("/ui/screenings/{job_id}", response_class=HTMLResponse)
def job_page(
    page: ViewerPage,
    screenings: Screenings,
    job_id: str,
    decision: Annotated[str, Query(max_length=20)] = "",
    regime: Annotated[str, Query(max_length=40)] = "",
    account: Annotated[str, Query(max_length=200)] = "",
    number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    job = screenings.job(job_id)
    context: dict[str, Any] = {"job": job, "links": JobView.of(job).links, "table": None, "error": None}
    view = screenings.results(job, Filters(decision.strip(), regime.strip(), account.strip()), number, PAGE_SIZE)
    if view is not None:
        context |= view.charts | {"summary": job.summary, "error": view.error}
        if view.table is not None:
            context |= {
                "table": view.table,
                "filters": view.filters,
                "page": view.page,
                "pages": view.pages,
                "decisions": view.decisions,
            }
    return page.render("screening.html", context)
