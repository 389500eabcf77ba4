"""Screening jobs submitted over HTTP: queued, running (with progress), completed or failed.

The job row lives in the database, not in a worker's memory, so any worker process answers for any job. A running
job's `updated_at` is its heartbeat: a job whose worker died stops beating and is reported as interrupted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update

from redline.model.vocabulary import JobStatus, ScreeningKind
from redline.store import audit
from redline.store.database import engine_for, reading
from redline.store.schema import screening_jobs
from redline.store.stamps import stamp

# A queued or running job holds a lease its worker's heartbeat renews every HEARTBEAT; a lease that ran out means
# the worker is gone (killed, or the machine restarted), and the job is marked failed on the next read: within a
# minute of the kill. Jobs from before migration 0006 have no lease and keep the old rule (silent for ten minutes).
HEARTBEAT = timedelta(seconds=10)
LEASE = timedelta(seconds=45)
STALE_AFTER = timedelta(minutes=10)
LOST = "the worker screening it stopped (its lease ran out): submit the file again"
STATUSES = ("queued", "running", "completed", "failed", "interrupted")


@dataclass(frozen=True, slots=True)
class Job:
    id: str
    status: JobStatus
    kind: ScreeningKind
    filename: str
    size: int
    sha256: str
    parameters: dict[str, Any]
    owner: str
    created_at: str
    updated_at: str
    rows_total: int | None
    rows_done: int
    run_id: str | None
    summary: dict[str, Any] | None
    error: str | None

    @property
    def finished(self) -> bool:
        return self.status in ("completed", "failed", "interrupted")

    @property
    def progress(self) -> float | None:
        """0..1, or None while the size is unknown."""
        if self.status == "completed":
            return 1.0
        if not self.rows_total:
            return None
        return min(1.0, self.rows_done / self.rows_total)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "kind": self.kind,
            "filename": self.filename,
            "size": self.size,
            "sha256": self.sha256,
            "parameters": self.parameters,
            "owner": self.owner,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "rows_total": self.rows_total,
            "rows_done": self.rows_done,
            "progress": self.progress,
            "run_id": self.run_id,
            "summary": self.summary,
            "error": self.error,
        }


def _parse(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _job_of(row: Row[Any], now: datetime) -> Job:
    status = row.status
    if status in ("queued", "running") and row.lease_until is None:
        beat = _parse(row.updated_at)
        if now - beat > STALE_AFTER:
            status = "interrupted"
    return Job(
        id=row.id,
        status=JobStatus(status),
        kind=ScreeningKind(row.kind),
        filename=row.filename,
        size=row.size,
        sha256=row.sha256,
        parameters=json.loads(row.parameters),
        owner=row.owner,
        created_at=row.created_at,
        updated_at=row.updated_at,
        rows_total=row.rows_total,
        rows_done=row.rows_done,
        run_id=row.run_id,
        summary=json.loads(row.summary) if row.summary else None,
        error=row.error,
    )


class JobStore:
    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or engine_for(url)

    def create(
        self,
        job_id: str,
        kind: str,
        filename: str,
        size: int,
        sha256: str,
        parameters: dict[str, Any],
        owner: str,
        rows_total: int | None,
    ) -> Job:
        now = stamp()
        with self.engine.begin() as connection:
            connection.execute(
                insert(screening_jobs).values(
                    id=job_id,
                    status="queued",
                    kind=kind,
                    filename=filename,
                    size=size,
                    sha256=sha256,
                    parameters=audit.canonical(parameters),
                    owner=owner,
                    created_at=now,
                    updated_at=now,
                    rows_total=rows_total,
                    rows_done=0,
                    lease_until=_stamp(datetime.now(UTC) + LEASE),
                )
            )
        return self.get(job_id)

    def beat(self, job_id: str) -> None:
        """Renew a queued or running job's lease (its worker is alive)."""
        with self.engine.begin() as connection:
            connection.execute(
                update(screening_jobs)
                .where(screening_jobs.c.id == job_id, screening_jobs.c.status.in_(("queued", "running")))
                .values(lease_until=_stamp(datetime.now(UTC) + LEASE))
            )

    def reap(self) -> int:
        """Mark failed every queued or running job whose lease ran out; how many."""
        now = _stamp(datetime.now(UTC))
        with self.engine.begin() as connection:
            result = connection.execute(
                update(screening_jobs)
                .where(
                    screening_jobs.c.status.in_(("queued", "running")),
                    screening_jobs.c.lease_until.is_not(None),
                    screening_jobs.c.lease_until < now,
                )
                .values(status="failed", error=LOST, updated_at=now)
            )
        return int(result.rowcount or 0)

    def get(self, job_id: str) -> Job:
        self.reap()
        with reading(self.engine) as connection:
            row = connection.execute(select(screening_jobs).where(screening_jobs.c.id == job_id)).one_or_none()
        if row is None:
            raise KeyError(job_id)
        return _job_of(row, datetime.now(UTC))

    def for_run(self, run_id: str) -> Job | None:
        """The job whose screening recorded this run; None for a run from the command line."""
        with reading(self.engine) as connection:
            row = connection.execute(select(screening_jobs).where(screening_jobs.c.run_id == run_id)).first()
        return None if row is None else _job_of(row, datetime.now(UTC))

    def jobs(self, limit: int = 50) -> list[Job]:
        self.reap()
        now = datetime.now(UTC)
        query = select(screening_jobs).order_by(screening_jobs.c.created_at.desc()).limit(limit)
        with reading(self.engine) as connection:
            return [_job_of(row, now) for row in connection.execute(query)]

    def _set(self, job_id: str, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(screening_jobs).where(screening_jobs.c.id == job_id).values(updated_at=stamp(), **values)
            )

    def started(self, job_id: str) -> None:
        self._set(job_id, status="running", lease_until=_stamp(datetime.now(UTC) + LEASE))

    def progressed(self, job_id: str, rows_done: int) -> None:
        self._set(job_id, rows_done=rows_done, lease_until=_stamp(datetime.now(UTC) + LEASE))

    def completed(self, job_id: str, run_id: str, rows_done: int, summary: dict[str, Any]) -> None:
        self._set(job_id, status="completed", run_id=run_id, rows_done=rows_done, summary=audit.canonical(summary))

    def failed(self, job_id: str, error: str) -> None:
        self._set(job_id, status="failed", error=error)
