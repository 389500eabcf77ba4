"""`redline serve --workers 2` as a real server process, on SQLite and on PostgreSQL: a screening submitted to
one worker is followed, decided and audited through whichever worker answers each request."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from redline.server.shared.deps import KEY_HEADER
from redline.store.jobs import LEASE, LOST, JobStore
from redline.store.keys import KeyStore, Role
from redline.store.schema import screening_jobs

REPO = Path(__file__).resolve().parents[2]
REDLINE = [sys.executable, "-c", "from redline.cli.app import main; main()"]
DEADLINE = 180.0  # seconds for start-up and for the screening: generous, the machine may be busy


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str]

    def get(self, path: str, key: str, **kwargs: Any) -> httpx.Response:
        # A new connection for every request: the kernel spreads them over the workers.
        return httpx.get(f"{self.url}{path}", headers={KEY_HEADER: key}, timeout=30, **kwargs)

    def post(self, path: str, key: str, **kwargs: Any) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", headers={KEY_HEADER: key}, timeout=30, **kwargs)

    def workers(self) -> list[int]:
        """The uvicorn worker processes: children of the server started by multiprocessing's spawn."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
            if parent == self.process.pid and b"spawn_main" in command:
                found.append(int(entry.name))
        return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[Server]:
    env = {**os.environ, "REDLINE_HOME": str(tmp_path / "home"), "REDLINE_DATABASE_URL": database_url}
    log = tmp_path / "server.log"
    url = f"http://127.0.0.1:{_free_port()}"
    command = [*REDLINE, "serve", "--host", "127.0.0.1", "--port", url.rsplit(":", 1)[1], "--workers", "2"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    running = Server(url, process, log, env)
    try:
        deadline = time.monotonic() + DEADLINE
        while True:
            assert process.poll() is None, f"the server exited with {process.returncode}:\n{log.read_text()}"
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200 and len(running.workers()) == 2:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"the server was not ready:\n{log.read_text()}"
            time.sleep(0.25)
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # only when the test failed before its own clean stop
            process.wait()


@pytest.mark.slow
def test_two_workers_screen_decide_and_audit(server: Server, database_url: str) -> None:
    keys = KeyStore(database_url)
    analyst = keys.create("Ana Lyst", Role.ANALYST)[1]
    admin = keys.create("Ada Min", Role.ADMIN)[1]
    workers = server.workers()
    assert len(workers) == 2

    with (REPO / "examples" / "portfolio.csv").open("rb") as book:
        submitted = server.post(
            "/screenings", analyst, files={"file": ("portfolio.csv", book, "text/csv")}, data={"on": "2021-03-01"}
        )
    assert submitted.status_code == 202, submitted.text
    job = submitted.json()
    assert job["owner"].startswith("Ana Lyst (key ") and job["parameters"]["on"].startswith("2021-03-01")

    deadline = time.monotonic() + DEADLINE
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, f"still {job['status']}:\n{server.log.read_text()}"
        time.sleep(0.2)
        answer = server.get(f"/screenings/{job['id']}", analyst)
        assert answer.status_code == 200, answer.text
        job = answer.json()
    assert job["status"] == "completed", job
    assert job["rows_done"] == 9 and job["summary"]["rows"] == 9

    alerts = server.get("/alerts", analyst, params={"run": job["run_id"]}).json()["alerts"]
    assert {alert["entity"] for alert in alerts} == {"smic", "hikvision"}  # in divestment windows on 2021-03-01
    smic = next(alert for alert in alerts if alert["entity"] == "smic")
    decided = server.post(
        f"/alerts/{smic['id']}/decision",
        analyst,
        json={"verdict": "true-match", "comment": "SMIC ordinary shares: CCMC listing in force, divest by 2021-12-03"},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "true-match" and decided.json()["verdict"]["by"].startswith("Ana Lyst")

    entries = server.get("/audit", admin, params={"limit": 50}).json()["entries"]
    by_action = {(entry["action"], entry["subject"]): entry for entry in entries}
    run_entry = by_action[("screen.run", job["run_id"])]
    decision_entry = by_action[("alert.decide", smic["id"])]
    assert run_entry["actor"].startswith("Ana Lyst (key rl_")
    assert decision_entry["actor"] == run_entry["actor"] and decision_entry["seq"] > run_entry["seq"]
    assert server.get("/audit", analyst).status_code == 403  # the log is for admins

    verified = server.get("/audit/verify", admin).json()
    assert verified["ok"] is True and verified["problems"] == [] and verified["entries"] >= 4
    cli = subprocess.run([*REDLINE, "audit", "verify"], env=server.env, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout + cli.stderr

    server.process.send_signal(signal.SIGTERM)  # uvicorn's supervisor stops both workers, then exits
    assert server.process.wait(timeout=DEADLINE) == 0, server.log.read_text()
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "a worker outlived the server"


@pytest.mark.slow
def test_a_worker_killed_mid_screening_leaves_its_job_failed_within_the_lease(
    server: Server, database_url: str, tmp_path: Path
) -> None:
    """A real kill (SIGKILL of the server's workers while one screens a large book): nothing runs the job any more,
    its heartbeat stops, and the job reads as failed once its lease (45 s) has run out, within a minute of the
    kill, with the run it would have recorded absent."""
    analyst = KeyStore(database_url).create("Ana Lyst", Role.ANALYST)[1]
    book = tmp_path / "large.csv"
    with (REPO / "examples" / "portfolio.csv").open(encoding="utf-8") as handle:
        header, *rows = handle.read().splitlines()
    book.write_text("\n".join([header, *(rows * 40_000)]) + "\n", encoding="utf-8")  # 360,000 rows
    with book.open("rb") as upload:
        submitted = server.post(
            "/screenings", analyst, files={"file": ("large.csv", upload)}, data={"on": "2021-03-01"}
        )
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["id"]
    jobs = JobStore(database_url)
    deadline = time.monotonic() + DEADLINE
    while (status := jobs.get(job_id).status) != "running":
        assert status == "queued" and time.monotonic() < deadline, server.log.read_text()
        time.sleep(0.1)
    for pid in server.workers():
        os.kill(pid, signal.SIGKILL)
    killed = datetime.now(UTC)
    assert jobs.get(job_id).status == "running"  # the lease still holds just after the kill
    while (job := jobs.get(job_id)).status == "running":
        assert time.monotonic() < deadline, "the killed job never failed"
        time.sleep(0.5)
    failed_after = (datetime.now(UTC) - killed).total_seconds()
    print(f"killed job failed {failed_after:.1f} s after the kill (lease {LEASE.total_seconds():.0f} s)")
    assert (job.status, job.error, job.run_id) == ("failed", LOST, None)
    with jobs.engine.connect() as connection:
        lease = connection.execute(select(screening_jobs.c.lease_until).where(screening_jobs.c.id == job_id)).scalar()
    # The last beat came before the kill, so the lease ran out at most LEASE after it: failed within a minute.
    assert datetime.strptime(lease, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC) <= killed + LEASE
    assert timedelta(minutes=1) > LEASE
