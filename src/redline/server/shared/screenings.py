"""Screening submissions as both faces take them: the API's POST /screenings and the upload page share one path
(the form's files handed to `ScreeningService.submit`, the job run after the answer)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fastapi import BackgroundTasks, Request, UploadFile

from redline.services.errors import InvalidInput
from redline.services.screenings import Job, ScreeningService, Upload


def submit(
    screenings: ScreeningService,
    request: Request,
    background: BackgroundTasks,
    upload: UploadFile,
    kind: str,
    on: datetime | None,
    known_at: datetime | None,
    mapping: list[str],
    actor: str,
    constituents: Sequence[UploadFile | str] | None = None,
) -> Job:
    """Shared by the API and the web form: check, store, queue. Raises the service's refusals."""
    declared = request.headers.get("content-length")
    if any(isinstance(item, str) and item for item in constituents or []):
        raise InvalidInput("constituents: send files (multipart file parts), not text")
    funds = [Upload(item.file, item.filename) for item in constituents or [] if not isinstance(item, str)]
    size = int(declared) if declared and declared.isdigit() else None
    job, run = screenings.submit(Upload(upload.file, upload.filename), kind, on, known_at, mapping, actor, funds, size)
    background.add_task(run)
    return job
