"""Screening submissions as both faces take them: the API's POST /screenings and the upload page share one path
(check the size, parse the options, store the file and its constituents, queue the job)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import BackgroundTasks, HTTPException, Request, UploadFile

from redline.screen.jobs import UploadError, parse_submission, receive, run_job
from redline.server.shared.deps import optional_instant
from redline.store.jobs import Job, JobStore


def job_json(job: Job) -> dict[str, Any]:
    links = {"self": f"/screenings/{job.id}"}
    if job.status == "completed":
        links |= {"results": f"/screenings/{job.id}/results", "report": f"/screenings/{job.id}/report"}
        if job.run_id:
            links["alerts"] = f"/alerts?run={job.run_id}"
    return job.to_json() | {"links": links}


def job_or_404(job_id: str) -> Job:
    try:
        return JobStore().get(job_id)
    except KeyError:
        raise HTTPException(status_code=404, detail=f"no screening {job_id!r}") from None


def submit(
    request: Request,
    background: BackgroundTasks,
    upload: UploadFile,
    kind: str,
    on: str | None,
    known_at: str | None,
    mapping: list[str],
    actor: str,
    constituents: Sequence[UploadFile | str] | None = None,
) -> Job:
    """Shared by the API and the web form: check, store, queue. Raises UploadError with the client's message."""
    limit: int = request.app.state.max_upload
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:  # the form's own fields fit in 64 KiB
        raise UploadError(f"the upload is larger than the limit of {limit:,} bytes", status=413)
    submission = parse_submission(kind, optional_instant(on, "on"), optional_instant(known_at, "known_at"), mapping)
    if any(isinstance(item, str) and item for item in constituents or []):
        raise UploadError("constituents: send files (multipart file parts), not text")
    funds = [(item.file, item.filename) for item in constituents or [] if not isinstance(item, str) and item.filename]
    job = receive(upload.file, upload.filename, submission, actor, limit, funds)
    background.add_task(run_job, job.id, submission, actor)
    return job
