"""Screenings submitted over HTTP: store the upload safely, then screen it in the background with progress.

The upload is written under `$REDLINE_HOME/screenings/<job id>/` with a fixed name (`input.<ext>`): the client's
file name is kept only as a label, so no name can reach outside that folder. One screening runs at a time per
worker process (they are CPU-bound; more would only share the same core); others wait as `queued`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from redline.home import redline_home
from redline.model import iso
from redline.screen.columns import MappingError, parse_mapping
from redline.screen.pipeline import SCREENING_KINDS, Screening, ScreenOptions
from redline.screen.readers import FORMATS, InputError
from redline.screen.results import build_index, index_path
from redline.screen.uploads import ConstituentsError, store_constituents
from redline.screen.writers import remove_orphans
from redline.store.jobs import HEARTBEAT, Job, JobStore
from redline.store.screening import ScreenStore

log = logging.getLogger("redline.screen.submissions")

_CHUNK = 1 << 20
_one_at_a_time = threading.Semaphore(1)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
CONSTITUENTS = "constituents"  # the job's subfolder of fund files for look-through


class UploadError(ValueError):
    """A submission that cannot be accepted; the message says why, for the client."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Submission:
    kind: str
    on: datetime | None
    known_at: datetime | None
    mapping: dict[str, str]


def jobs_root() -> Path:
    return redline_home() / "screenings"


def job_folder(job_id: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}", job_id):
        raise KeyError(job_id)
    return jobs_root() / job_id


def display_name(filename: str | None) -> str:
    """The client's name reduced to its last part and plain characters: a label, never a path."""
    base = re.split(r"[\\/]", filename or "")[-1].strip()
    cleaned = _SAFE_NAME.sub("_", base).strip(". ")[:200]
    return cleaned or "upload"


def suffix_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        accepted = ", ".join(sorted(FORMATS))
        raise UploadError(f"file {name!r}: unknown type {suffix or '(none)'}; accepted: {accepted}", status=415)
    return suffix


def parse_submission(kind: str, on: datetime | None, known_at: datetime | None, mapping: list[str]) -> Submission:
    if kind not in SCREENING_KINDS:
        raise UploadError(f"kind must be one of {', '.join(SCREENING_KINDS)}, not {kind!r}")
    try:
        parsed = parse_mapping(mapping)
    except MappingError as exc:
        raise UploadError(f"map: {exc}") from None
    return Submission(kind, on, known_at, parsed)


def _count_lines(path: Path) -> int | None:
    """Data rows in a text file (lines minus the header), for the progress bar; None for other formats."""
    if FORMATS[path.suffix.lower()] != "csv":
        return None
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(_CHUNK), b""))
    return max(lines - 1, 0)


def receive(
    stream: BinaryIO,
    filename: str | None,
    submission: Submission,
    owner: str,
    limit: int,
    constituents: Sequence[tuple[BinaryIO, str | None]] = (),
) -> Job:
    """Copy the upload (and any fund constituents files or zips) into a new job folder, at most `limit` bytes each,
    and record the job as queued."""
    name = display_name(filename)
    suffix = suffix_of(name)
    jobs_root().mkdir(parents=True, exist_ok=True)
    staging = jobs_root() / f"{STAGING_PREFIX}{os.getpid()}-{threading.get_ident()}-{id(stream)}"
    staging.mkdir(exist_ok=True)
    target = staging / f"input{suffix}"
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("wb") as out:
            for chunk in _chunks(stream):
                size += len(chunk)
                if size > limit:
                    raise UploadError(f"file {name!r} is larger than the limit of {limit:,} bytes", status=413)
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadError(f"file {name!r} is empty")
        try:
            funds = store_constituents(list(constituents), staging / CONSTITUENTS, limit) if constituents else []
        except ConstituentsError as exc:
            raise UploadError(str(exc), exc.status) from None
        parameters = {
            "on": iso(submission.on) if submission.on else None,
            "known_at": iso(submission.known_at) if submission.known_at else None,
            "mapping": submission.mapping,
            "constituents": funds,
        }
        job_id = uuid.uuid4().hex
        rows = _count_lines(target)
        staging.rename(job_folder(job_id))
        try:
            return JobStore().create(job_id, submission.kind, name, size, digest.hexdigest(), parameters, owner, rows)
        except BaseException:
            shutil.rmtree(job_folder(job_id), ignore_errors=True)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


_OUTPUT_SUFFIXES = (*FORMATS, ".html")
STAGING_PREFIX = ".upload-"  # screening uploads, under jobs_root()
IMPORT_PREFIX = ".import-"  # list files uploaded to POST /sources, under $REDLINE_HOME
STALE_AFTER_S = 3600  # an upload still being received touches its file far more often than this


def remove_stale_uploads(now: float | None = None) -> int:
    """Delete staging folders of uploads whose worker was killed mid-receive (a live upload writes to its file
    continuously, so anything untouched for an hour is an orphan). Run when the service starts."""
    moment = time.time() if now is None else now
    removed = 0
    folders = [*jobs_root().glob(f"{STAGING_PREFIX}*"), *redline_home().glob(f"{IMPORT_PREFIX}*")]
    for folder in folders:
        try:
            newest = max([folder.stat().st_mtime, *(item.stat().st_mtime for item in folder.iterdir())])
        except OSError:
            continue
        if moment - newest > STALE_AFTER_S:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    # Results, reports and page indexes half-written by a worker that was killed (their process is gone).
    for job in jobs_root().glob("[0-9a-f]*"):
        for output in ("results", "report"):
            removed += sum(len(remove_orphans(job / f"{output}{suffix}")) for suffix in _OUTPUT_SUFFIXES)
        removed += sum(len(remove_orphans(index_path(job / f"results{suffix}"))) for suffix in FORMATS)
    return removed


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk


def input_path(job: Job) -> Path:
    return job_folder(job.id) / f"input{Path(job.filename).suffix.lower()}"


def results_path(job: Job) -> Path:
    return job_folder(job.id) / f"results{Path(job.filename).suffix.lower()}"


def report_path(job: Job) -> Path:
    return job_folder(job.id) / "report.html"


def constituents_path(job: Job) -> Path | None:
    """The folder of the fund constituents uploaded with the book, or None."""
    return job_folder(job.id) / CONSTITUENTS if job.parameters.get("constituents") else None


def run_job(job_id: str, submission: Submission, actor: str) -> None:
    """Screen the job's file (in a background thread of the worker that received it). Never raises."""
    jobs = JobStore()
    job = jobs.get(job_id)
    stop = threading.Event()
    # The heartbeat renews the job's lease while it waits and while it runs: a worker killed at any point stops it,
    # and the job is marked failed within a minute (redline.store.jobs.LEASE).
    beating = threading.Thread(target=_heartbeat, args=(jobs, job_id, stop), daemon=True, name=f"heartbeat-{job_id}")
    beating.start()
    try:
        _run(jobs, job, submission, actor)
    finally:
        stop.set()


def _index_pages(job: Job) -> None:
    """The results page's index, written as the run is published so that no page view reads the whole file."""
    try:
        build_index(results_path(job), input_path(job), job.parameters.get("mapping") or {})
    except Exception:  # the first page view builds it instead; the screening itself succeeded
        log.warning("page index of job %s not written", job.id, exc_info=True)


def _heartbeat(jobs: JobStore, job_id: str, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT.total_seconds()):
        try:
            jobs.beat(job_id)
        except Exception:  # a busy database: the next beat retries, well within the lease
            log.warning("heartbeat of job %s failed", job_id, exc_info=True)


def _run(jobs: JobStore, job: Job, submission: Submission, actor: str) -> None:
    job_id = job.id
    with _one_at_a_time:
        try:
            jobs.started(job_id)
            options = ScreenOptions(
                kind=submission.kind,
                on=submission.on,
                known_at=submission.known_at,
                output=results_path(job),
                report=report_path(job),
                mapping=submission.mapping,
                constituents=constituents_path(job),
                batch_size=500,  # small batches: the progress bar moves on small files too
                label=job.filename,
            )
            screening = Screening(
                input_path(job),
                options,
                ScreenStore(),
                progress=lambda done: jobs.progressed(job_id, done),
                actor=actor,
            )
            outcome = screening.run()
            _index_pages(job)
            jobs.completed(job_id, outcome.run_id, outcome.summary.rows, outcome.to_json()["summary"])
        except InputError as exc:
            # The message names the file as the client called it, not the server's copy.
            jobs.failed(job_id, str(exc).replace(str(input_path(job)), job.filename))
        except Exception as exc:  # the job must end as failed, whatever went wrong; the log keeps the trace
            log.exception("screening job %s failed", job_id)
            jobs.failed(job_id, f"internal error ({type(exc).__name__}); see the server log")
