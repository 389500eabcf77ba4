"""Screening pages: the jobs and runs with the upload form; one job's progress, results, charts and downloads.

The upload goes through `redline.server.shared.screenings.submit`, the function behind `POST /screenings` too, so the
page and the API accept and refuse exactly the same files.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.screen.jobs import UploadError, input_path, job_folder, results_path
from redline.screen.pipeline import KINDS
from redline.screen.readers import InputError
from redline.screen.report import summary_charts
from redline.screen.results import Filters, result_page
from redline.server.shared.deps import Analyst, Viewer
from redline.server.shared.screenings import job_json, job_or_404, submit
from redline.server.web.rendering import render
from redline.store.jobs import JobStore
from redline.store.keys import ApiKey
from redline.store.screening import ScreenStore

router = APIRouter()
PAGE_SIZE = 100


def _list_page(
    request: Request, key: ApiKey, error: str | None = None, form: dict[str, str] | None = None, status_code: int = 200
) -> HTMLResponse:
    jobs = JobStore().jobs(100)
    from_jobs = {job.run_id for job in jobs if job.run_id}
    # Runs the listed jobs did not make: the command line's (`redline screen`), whose files stay where it wrote them.
    other_runs = [run for run in ScreenStore().runs(50) if run["id"] not in from_jobs]
    context = {
        "jobs": jobs,
        "other_runs": other_runs,
        "kinds": KINDS,
        "error": error,
        "form": form or {"kind": "holdings", "on": "", "known_at": "", "mapping": ""},
    }
    return render(request, "screenings.html", context, key, status_code)


@router.get("/ui/screenings", response_class=HTMLResponse)
def screenings_page(request: Request, key: Viewer) -> HTMLResponse:
    return _list_page(request, key)


@router.post("/ui/screenings", response_model=None)
def upload(
    request: Request,
    background: BackgroundTasks,
    key: Analyst,
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
        job = submit(request, background, file, kind, on or None, known_at or None, pairs, key.actor, constituents)
    except UploadError as exc:
        return _list_page(request, key, str(exc), form, exc.status)
    except HTTPException as exc:  # an instant the parser refuses
        return _list_page(request, key, str(exc.detail), form, exc.status_code)
    return RedirectResponse(f"/ui/screenings/{job.id}", status_code=303)


@router.get("/ui/screenings/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request,
    key: Viewer,
    job_id: str,
    decision: Annotated[str, Query(max_length=20)] = "",
    regime: Annotated[str, Query(max_length=40)] = "",
    account: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    job = job_or_404(job_id)
    context: dict[str, Any] = {"job": job, "links": job_json(job)["links"], "table": None, "error": None}
    if job.status == "completed" and job.summary is not None:
        filters = Filters(decision.strip(), regime.strip(), account.strip())
        mapping = job.parameters.get("mapping") or {}
        context |= summary_charts(job.summary) | {"summary": job.summary}
        try:
            offset = (page - 1) * PAGE_SIZE
            table = result_page(results_path(job), input_path(job), mapping, filters, offset, PAGE_SIZE)
        except (InputError, ValueError) as exc:  # the job's files were removed or damaged since it completed
            context["error"] = f"the screened file cannot be read back: {exc}".replace(f"{job_folder(job.id)}/", "")
            return render(request, "screening.html", context, key)
        pages = max(1, -(-table.matching // PAGE_SIZE))
        context |= {
            "table": table,
            "filters": filters,
            "page": page,
            "pages": pages,
            "decisions": [name for name, count in job.summary["decisions"].items() if count],
        }
    return render(request, "screening.html", context, key)
