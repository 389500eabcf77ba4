"""Security headers on every response: a strict Content-Security-Policy, no MIME sniffing, no referrer leaks to
other sites, no framing.

A pure ASGI middleware (not Starlette's BaseHTTPMiddleware, which would buffer streamed files and delay
background tasks): it only adds headers to `http.response.start`. A route that sets its own policy (the screening
report) keeps it. The policies are documented in docs/api.md ("Security headers").
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The pages: scripts and styles only from this origin (no inline code: the pages' scripts and style sheet are
# files under /ui/assets), nothing framed, forms only posted back here.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# JSON, CSV, XLSX...: nothing in them may run or load anything, even if a browser is tricked into rendering one.
DATA_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
# The screening report is one self-contained file with its own inline <style> (it is also written to disk and
# opened from there); served, it runs sandboxed: a unique origin, no scripts, no forms, no access to the app.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# FastAPI's interactive docs load Swagger UI / ReDoc from the jsDelivr CDN and start them with one inline script,
# which is allowed by its hash (computed from the page itself), not by 'unsafe-inline'. These pages show no
# stored data.
_DOCS_POLICY = (
    "default-src 'none'; script-src https://cdn.jsdelivr.net {hashes}; "
    "style-src https://cdn.jsdelivr.net https://fonts.googleapis.com 'unsafe-inline'; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; font-src https://fonts.gstatic.com; "
    "connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
COMMON_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",  # frame-ancestors for browsers that predate it
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def script_hashes(html: bytes) -> str:
    """CSP source expressions for each inline script of a page."""
    digests = (hashlib.sha256(body).digest() for body in _INLINE_SCRIPT.findall(html))
    return " ".join(f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests)


def _with_headers(raw: Iterable[tuple[bytes, bytes]], policy: str) -> list[tuple[bytes, bytes]]:
    headers = list(raw)
    present = {name.lower() for name, _ in headers}
    extra = dict(COMMON_HEADERS)
    extra["content-security-policy"] = policy
    headers += [(name.encode(), value.encode()) for name, value in extra.items() if name.encode() not in present]
    return headers


def _policy_for(headers: Iterable[tuple[bytes, bytes]]) -> str:
    content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
    return PAGE_POLICY if content_type.startswith(b"text/html") else DATA_POLICY


class SecurityHeaders:
    def __init__(self, app: ASGIApp, docs_paths: Iterable[str | None] = ()) -> None:
        self.app = app
        self.docs_paths = frozenset(path for path in docs_paths if path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in self.docs_paths:
            await self._docs(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _with_headers(message["headers"], _policy_for(message["headers"]))}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the (small) docs page so its inline script can be allowed by hash."""
        start: dict[str, Any] = {}
        body = bytearray()

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, collect)
        policy = _DOCS_POLICY.format(hashes=script_hashes(bytes(body)))
        headers = [(n, v) for n, v in start.get("headers", []) if n.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": _with_headers(headers, policy)})
        await send({"type": "http.response.body", "body": bytes(body)})
