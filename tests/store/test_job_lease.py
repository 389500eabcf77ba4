"""A killed worker's job (issue 15): its lease runs out within a minute and the job is marked failed."""

from __future__ import annotations

from sqlalchemy import update

from redline.store.jobs import LEASE, LOST, JobStore
from redline.store.schema import screening_jobs


def test_a_job_whose_worker_stopped_beating_is_marked_failed(database_url: str) -> None:
    jobs = JobStore(database_url)
    assert LEASE.total_seconds() < 60  # the bound: failed within a minute of the kill
    jobs.create("a" * 32, "holdings", "book.csv", 10, "0" * 64, {}, "Ana", 3)
    jobs.create("b" * 32, "holdings", "book.csv", 10, "0" * 64, {}, "Ana", 3)
    jobs.started("a" * 32)
    jobs.beat("b" * 32)
    with jobs.engine.begin() as connection:  # the worker of job a was killed: no beat since, the lease ran out
        connection.execute(
            update(screening_jobs)
            .where(screening_jobs.c.id == "a" * 32)
            .values(lease_until="2000-01-01T00:00:00.000000Z")
        )
    lost = jobs.get("a" * 32)
    assert (lost.status, lost.error) == ("failed", LOST)
    assert jobs.get("b" * 32).status == "queued"  # still beating: untouched
    assert jobs.reap() == 0
