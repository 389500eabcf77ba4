"""Request bodies are checked before they are read: who sends them, how large they say they are, how large they are.

FastAPI parses a multipart form (spooling its file to a temporary file) before it resolves a route's
dependencies, so an unauthenticated 1 GiB upload used to be written to disk in full before its 401, and a
declared 400 MB one before its 413. This ASGI middleware runs first:

- an upload route (`POST /screenings`, `POST /ui/screenings`, `POST /sources`) authenticates the key in the
  `X-API-Key` header or the sign-in cookie and checks its role from the headers alone: no key, a bad key or too
  small a role is answered at once, with not one byte of the body read;
- a declared `Content-Length` over the route's limit is answered 413 at once;
- the bytes are counted as they arrive, and the request is cut off with a 413 as soon as they pass the limit
  (a client may send no Content-Length, or lie in it). Starlette closes, and so deletes, the spooled file.

Every other request with a body gets a 1 MiB limit: no JSON or form field Redline takes comes near it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie

from anyio import to_thread
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redline.model.keys import Role
from redline.services.keys import KeyService

# The pages' refusal pages, which the app puts on `app.state` (`forbidden_page`, `error_page`).
PageRefusal = Callable[[Request, str], Response]
PageError = Callable[[Request, int, str], Response]

DEFAULT_LIMIT = 1024 * 1024
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the form's own small fields


@dataclass(frozen=True, slots=True)
class UploadRule:
    role: Role
    limit: Callable[[Scope], int]  # read per request: the screening limit is the app's setting


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"the request body is larger than the limit of {limit:,} bytes")


def presented_key(headers: Headers, header: str, cookie: str) -> str | None:
    given = headers.get(header)
    if given:
        return given.strip()
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no key, not an error
        return None
    morsel = jar.get(cookie)
    return morsel.value.strip() if morsel is not None and morsel.value else None


class RequestBodyGuard:
    def __init__(
        self,
        app: ASGIApp,
        rules: dict[tuple[str, str], UploadRule],
        keys: Callable[[Scope], KeyService],
        key_header: str,
        key_cookie: str,
        default_limit: int = DEFAULT_LIMIT,
    ) -> None:
        self.app = app
        self.rules = rules
        self.keys = keys
        self.key_header, self.key_cookie = key_header, key_cookie
        self.default_limit = default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        rule = self.rules.get((scope["method"], scope["path"]))
        limit = self.default_limit
        if rule is not None:
            limit = rule.limit(scope) + FORM_OVERHEAD
            refusal = await self._refuse_sender(scope, headers, rule.role)
            if refusal is not None:
                await refusal(scope, _no_body, send)
                return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(scope, limit)(scope, _no_body, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the form parser: FastAPI passes an HTTPException through as it is, and the app's
                    # handler answers 413 (a page for the web form, JSON for the API).
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)

    async def _refuse_sender(self, scope: Scope, headers: Headers, role: Role) -> Response | None:
        """The answer to a sender who may not upload here (None: they may), decided from the headers alone."""
        page = scope["path"].startswith("/ui/")
        given = presented_key(headers, self.key_header, self.key_cookie)
        key = await to_thread.run_sync(self.keys(scope).authenticate, given) if given else None
        if key is None:
            if page:
                return RedirectResponse(f"/ui/login?next={scope['path']}", status_code=303)
            detail = "an API key is required" if not given else "the API key is unknown or revoked"
            return JSONResponse({"detail": detail}, status_code=401, headers={"WWW-Authenticate": "APIKey"})
        if key.role < role:
            message = f"this needs the {role.label} role; key {key.id} ({key.owner}) is a {key.role.label}"
            if page:
                # The pages' own refusal page, handed in by the app (this guard sits below both faces).
                forbidden_page: PageRefusal = scope["app"].state.forbidden_page
                return forbidden_page(Request(scope), message)
            return JSONResponse({"detail": message}, status_code=403)
        return None


def _too_large(scope: Scope, limit: int) -> Response:
    error = BodyTooLarge(limit)
    if scope["path"].startswith("/ui/"):
        error_page: PageError = scope["app"].state.error_page
        return error_page(Request(scope), 413, str(error.detail))
    return JSONResponse({"detail": error.detail}, status_code=413)


async def _no_body() -> Message:
    # A refusal never reads the body; the server discards it (or closes the connection) after the answer.
    return {"type": "http.request", "body": b"", "more_body": False}
