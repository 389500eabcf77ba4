"""Screenings over HTTP: upload a file, follow its progress, fetch the screened file and the report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse

from redline.model import Instant
from redline.model.vocabulary import Choice, ScreeningKind
from redline.server.api import schemas
from redline.server.shared.deps import Analyst, Screenings, Viewer
from redline.server.shared.screenings import submit
from redline.server.shared.security import REPORT_POLICY
from redline.services.screenings import JobView

router = APIRouter(prefix="/screenings", tags=["screening"])
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".txt": "text/plain",
    ".parquet": "application/vnd.apache.parquet",
    ".pq": "application/vnd.apache.parquet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
}


@router.post(
    "",
    status_code=202,
    response_model=JobView,
    responses={400: {"model": schemas.Problem}, 413: {"model": schemas.Problem}, 415: {"model": schemas.Problem}},
)
def create_screening(
    request: Request,
    background: BackgroundTasks,
    key: Analyst,
    screenings: Screenings,
    file: Annotated[UploadFile, File(description="CSV, TSV, Parquet or XLSX (the same files `redline screen` takes)")],
    kind: Annotated[ScreeningKind, Choice(), Form(description="What the file holds")] = ScreeningKind.HOLDINGS,
    on: Annotated[Instant | None, Form(description="Instant judged for holdings; trades use their own")] = None,
    known_at: Annotated[Instant | None, Form(description="Use only facts public by then. Default: now")] = None,
    map: Annotated[list[str] | None, Form(description="FIELD=COLUMN, e.g. isin=Security ID")] = None,
    constituents: Annotated[
        list[UploadFile | str] | None,
        Form(
            description="Fund holdings files for look-through (CSV, TSV, Parquet, XLSX), or a folder of them as a zip"
        ),
    ] = None,
) -> JobView:
    """Start screening an uploaded file in the background (analyst). Poll `GET /screenings/{id}` for progress."""
    job = submit(screenings, request, background, file, kind, on, known_at, map or [], key.actor, constituents)
    return JobView.of(job)


@router.get("", response_model=schemas.JobList)
def list_screenings(
    _: Viewer, screenings: Screenings, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    """The newest screenings first."""
    return {"screenings": [JobView.of(job) for job in screenings.recent(limit)]}


@router.get("/{job_id}", response_model=JobView, responses={404: {"model": schemas.Problem}})
def get_screening(_: Viewer, screenings: Screenings, job_id: str) -> JobView:
    """Status, progress and, when completed, the summary: decisions, exposure by regime, deadlines."""
    return JobView.of(screenings.job(job_id))


@router.get("/{job_id}/results", response_class=FileResponse, responses={404: {}, 409: {}})
def screening_results(_: Viewer, screenings: Screenings, job_id: str) -> FileResponse:
    """The screened file: the input's columns plus Redline's decision columns, in the input's format."""
    job, path = screenings.results_file(job_id)
    stem = job.filename.rsplit(".", 1)[0]
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix), filename=f"{stem}.screened{path.suffix}")


@router.get("/{job_id}/report", response_class=FileResponse, responses={404: {}, 409: {}})
def screening_report(_: Viewer, screenings: Screenings, job_id: str) -> FileResponse:
    """The self-contained HTML report of the run, as a download (`Content-Disposition: attachment`).

    Served under a sandboxing Content-Security-Policy too: should a browser display it anyway, nothing in it runs
    and it cannot reach this site's pages or API with the viewer's cookie."""
    job, path = screenings.report_file(job_id)
    stem = job.filename.rsplit(".", 1)[0]
    return FileResponse(
        path, media_type="text/html", filename=f"{stem}.report.html", headers={"Content-Security-Policy": REPORT_POLICY}
    )


@router.get("/{job_id}/input", response_class=FileResponse, responses={404: {}})
def screening_input(_: Viewer, screenings: Screenings, job_id: str) -> FileResponse:
    """The file as uploaded (what the run's input_sha256 refers to)."""
    job, path = screenings.input_file(job_id)
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix), filename=job.filename)
