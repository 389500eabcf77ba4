"""Screenings submitted to the server: receive a file (with fund constituents), queue it, follow it, and hand
out its files. The API's POST /screenings and the upload page both call `submit`, so they accept and refuse exactly
the same files; the face schedules the returned job to run after its answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from redline.model.vocabulary import JobStatus
from redline.screen import submissions
from redline.screen.html_report import summary_charts
from redline.screen.readers import InputError
from redline.screen.results import Filters, ResultPage, result_page
from redline.screen.submissions import (
    UploadError,
    input_path,
    job_folder,
    parse_submission,
    receive,
    report_path,
    results_path,
    run_job,
)
from redline.services.errors import InvalidInput, NotFound, ServiceError, TooLarge, UnsupportedType, WrongState
from redline.store.jobs import Job, JobStore

__all__ = ["Filters", "Job", "JobView", "ResultPage", "ResultsView", "ScreeningService", "Upload"]

FORM_FIELDS = 64 * 1024  # the form's own fields around the file fit in this


@dataclass(frozen=True, slots=True)
class Upload:
    stream: BinaryIO
    filename: str | None


@dataclass(frozen=True, slots=True)
class JobView(Job):
    """A screening as both faces show it (and the OpenAPI schema of GET /screenings/{id}): the stored job, its
    progress (0..1, None while the size is unknown), and where its files are served."""

    progress: float | None = field(default=None)
    links: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, job: Job) -> JobView:
        links = {"self": f"/screenings/{job.id}"}
        if job.status == JobStatus.COMPLETED:
            links |= {"results": f"/screenings/{job.id}/results", "report": f"/screenings/{job.id}/report"}
            if job.run_id:
                links["alerts"] = f"/alerts?run={job.run_id}"
        stored = {item.name: getattr(job, item.name) for item in fields(Job)}
        return cls(**stored, progress=job.progress, links=links)


@dataclass(frozen=True, slots=True)
class ResultsView:
    """A completed screening as its page shows it: the report's charts and one page of the screened rows."""

    charts: dict[str, Any]
    filters: Filters
    page: int
    pages: int
    decisions: list[str]  # the decisions the run gave at least once, for the filter choices
    table: ResultPage | None  # None when the job's files cannot be read back (`error` says why)
    error: str | None = None


def _refusal(exc: UploadError) -> ServiceError:
    kind = {413: TooLarge, 415: UnsupportedType}.get(exc.status, InvalidInput)
    return kind(str(exc))


@dataclass
class ScreeningService:
    jobs: JobStore
    max_upload: int  # bytes, per file

    def submit(
        self,
        upload: Upload,
        kind: str,
        on: datetime | None,
        known_at: datetime | None,
        mapping: list[str],
        actor: str,
        constituents: Sequence[Upload] = (),
        declared: int | None = None,
    ) -> tuple[Job, Callable[[], None]]:
        """Check, store and record the job as queued; returns it and the call that screens it (the face runs it
        after answering). `declared`: the request's Content-Length, refused at once when over the limit."""
        if declared is not None and declared > self.max_upload + FORM_FIELDS:
            raise TooLarge(f"the upload is larger than the limit of {self.max_upload:,} bytes")
        try:
            submission = parse_submission(kind, on, known_at, mapping)
            funds = [(item.stream, item.filename) for item in constituents if item.filename]
            job = receive(upload.stream, upload.filename, submission, actor, self.max_upload, funds)
        except UploadError as exc:
            raise _refusal(exc) from None
        return job, partial(run_job, job.id, submission, actor)

    def job(self, job_id: str) -> Job:
        try:
            return self.jobs.get(job_id)
        except KeyError:
            raise NotFound(f"no screening {job_id!r}") from None

    def recent(self, limit: int) -> list[Job]:
        """The newest screenings first."""
        return self.jobs.jobs(limit)

    def results(self, job: Job, filters: Filters, page: int, page_size: int) -> ResultsView | None:
        """One page of a completed screening's rows passing `filters`, with its charts (None before it completes)."""
        if job.status != JobStatus.COMPLETED or job.summary is None:
            return None
        charts = summary_charts(job.summary)
        decisions = [name for name, count in job.summary["decisions"].items() if count]
        try:
            mapping = job.parameters.get("mapping") or {}
            offset = (page - 1) * page_size
            table = result_page(results_path(job), input_path(job), mapping, filters, offset, page_size)
        except (InputError, ValueError) as exc:  # the job's files were removed or damaged since it completed
            error = f"the screened file cannot be read back: {exc}".replace(f"{job_folder(job.id)}/", "")
            return ResultsView(charts, filters, page, 1, decisions, None, error)
        return ResultsView(charts, filters, page, max(1, -(-table.matching // page_size)), decisions, table)

    def _finished(self, job_id: str, which: str) -> Job:
        job = self.job(job_id)
        if job.status != JobStatus.COMPLETED:
            raise WrongState(f"screening {job_id} is {job.status}: no {which} yet")
        return job

    def results_file(self, job_id: str) -> tuple[Job, Path]:
        """The screened file of a completed screening (WrongState before)."""
        job = self._finished(job_id, "results")
        return job, results_path(job)

    def report_file(self, job_id: str) -> tuple[Job, Path]:
        job = self._finished(job_id, "report")
        return job, report_path(job)

    def input_file(self, job_id: str) -> tuple[Job, Path]:
        """The file as uploaded (what the run's input_sha256 refers to)."""
        job = self.job(job_id)
        return job, input_path(job)


def remove_stale_uploads() -> int:
    """At a server's start: remove what workers killed mid-upload left behind (staged screenings, list files)."""
    return submissions.remove_stale_uploads()
