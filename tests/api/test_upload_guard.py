"""Uploads are refused before they are read: the app is called as the server calls it (ASGI), with a body of
1 GiB that is only produced as the app asks for it, and the test counts the bytes the app took."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import anyio
import pytest

from redline.screen.submissions import jobs_root, remove_stale_uploads
from redline.screen.writers import remove_orphans
from redline.server.shared.deps import KEY_COOKIE, KEY_HEADER
from tests.api.conftest import Service

GIB = 1 << 30
CHUNK = 64 * 1024
BOUNDARY = "redlineboundary"


def _call(
    service: Service, path: str, headers: dict[str, str], declared: int | None = None
) -> tuple[int, int, dict[str, str]]:
    """POST a 1 GiB multipart body to `path`; the response status, the body bytes the app read, its headers."""
    app = service.app_client.app
    preamble = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\n'
        "Content-Type: text/csv\r\n\r\nisin\r\n"
    ).encode()
    sent = 0
    status = 0
    response_headers: dict[str, str] = {}
    raw = [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]
    raw += [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    if declared is not None:
        raw.append((b"content-length", str(declared).encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": raw,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "root_path": "",
    }

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent >= GIB:
            return {"type": "http.disconnect"}
        body = preamble if sent == 0 else b"US0378331005\r\n" * (CHUNK // 14)
        sent += len(body)
        return {"type": "http.request", "body": body, "more_body": sent < GIB}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            response_headers.update({k.decode(): v.decode() for k, v in message["headers"]})

    anyio.run(app, scope, receive, send)
    return status, sent, response_headers


@pytest.mark.parametrize(
    ("path", "role", "status"),
    [
        ("/screenings", None, 401),
        ("/screenings", "bogus", 401),
        ("/screenings", "viewer", 403),
        ("/sources", "analyst", 403),
        ("/ui/screenings", None, 303),  # to the sign-in page
        ("/ui/screenings", "viewer", 403),
    ],
)
def test_an_unauthorised_upload_is_refused_before_its_body_is_read(
    service: Service, path: str, role: str | None, status: int
) -> None:
    headers: dict[str, str] = {}
    if role == "bogus":
        headers[KEY_HEADER] = "rl_00000000_" + "x" * 43
    elif role is not None and path.startswith("/ui/"):
        headers["cookie"] = f"{KEY_COOKIE}={service.keys[role]}"
    elif role is not None:
        headers[KEY_HEADER] = service.keys[role]
    got, read, response_headers = _call(service, path, headers)
    assert got == status
    assert read == 0  # not one byte
    assert response_headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/screenings", "/ui/screenings", "/sources"])
def test_a_declared_oversized_upload_is_refused_before_its_body_is_read(service: Service, path: str) -> None:
    role = "admin" if path == "/sources" else "analyst"
    headers = {KEY_HEADER: service.keys[role]} if not path.startswith("/ui/") else {}
    if path.startswith("/ui/"):
        headers["cookie"] = f"{KEY_COOKIE}={service.keys[role]}"
    got, read, _ = _call(service, path, headers, declared=400 * 1024 * 1024)
    assert (got, read) == (413, 0)


def test_an_undeclared_oversized_upload_is_cut_off_at_the_limit(service: Service) -> None:
    state = service.app_client.app.state
    saved, state.max_upload = state.max_upload, 100_000
    try:
        got, read, _ = _call(service, "/screenings", {KEY_HEADER: service.keys["analyst"]})
    finally:
        state.max_upload = saved
    assert got == 413
    assert read < 1_000_000  # the limit (100 kB), the form's allowance (64 KiB) and one chunk at most
    assert not list((service.home / "screenings").glob(".upload-*"))


def test_other_bodies_are_limited_to_one_mebibyte(service: Service) -> None:
    response = service.app_client.post(
        "/match",
        headers=service.as_role("viewer"),
        content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
    )
    assert response.status_code == 413


def test_stale_temporary_files_are_removed_and_live_ones_kept(service: Service, tmp_path: Path) -> None:
    stale = jobs_root() / ".upload-1-2-3"
    stale.mkdir(parents=True)
    (stale / "input.csv").write_text("isin\n", encoding="utf-8")
    live = jobs_root() / ".upload-4-5-6"
    live.mkdir()
    (live / "input.csv").write_text("isin\n", encoding="utf-8")
    later = time.time() + 2 * 3600
    os.utime(live / "input.csv", (later, later))  # being written: touched "now" from the cleaner's point of view
    job = jobs_root() / ("e" * 32)
    job.mkdir()
    half = job / ".results.csv.999999999.tmp"  # a worker killed while writing the results
    half.write_text("half", encoding="utf-8")
    assert remove_stale_uploads(now=time.time() + 3601) == 2
    assert not stale.exists() and live.exists() and not half.exists()
    # A screening killed with SIGKILL leaves `.out.csv.PID.tmp`; the next run for that output removes it.
    target = tmp_path / "out.csv"
    orphan = tmp_path / ".out.csv.999999999.tmp"
    mine = tmp_path / f".out.csv.{os.getpid()}.tmp"
    orphan.write_text("half", encoding="utf-8")
    mine.write_text("half", encoding="utf-8")
    assert remove_orphans(target) == [orphan]
    assert mine.exists()
