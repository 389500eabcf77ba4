"""What every route shares: the key that made the request and its role, the services, and parsed instants."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyCookie, APIKeyHeader

from redline.model import InstantError, parse_instant
from redline.server.shared.text import is_blank
from redline.services.status import StatusService
from redline.settings import settings
from redline.store.keys import ApiKey, KeyStore, Role

KEY_HEADER = "X-API-Key"
KEY_COOKIE = "redline_key"  # set by the web UI's sign-in form: HttpOnly, SameSite=Strict

_header = APIKeyHeader(name=KEY_HEADER, auto_error=False, description="An API key from `redline keys create`.")
_cookie = APIKeyCookie(name=KEY_COOKIE, auto_error=False, description="Set by the web UI's sign-in page.")


class NotSignedIn(Exception):
    """No valid key: the API answers 401, the web UI sends the browser to its sign-in page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Forbidden(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Dependencies that only read app.state or compare values are `async def`: FastAPI runs a plain `def` dependency
# in its thread pool, and each such hop cost more than the work it wrapped (bench/service).
async def status_service(request: Request) -> StatusService:
    service: StatusService = request.app.state.service
    return service


def current_key(
    request: Request,
    header: Annotated[str | None, Security(_header)] = None,
    cookie: Annotated[str | None, Security(_cookie)] = None,
) -> ApiKey:
    # A plain `def`: the lookup is a database read, which must not block the event loop.
    presented = header or cookie
    if not presented:
        raise NotSignedIn(f"an API key is required: send it in the {KEY_HEADER} header (see `redline keys create`)")
    keys: KeyStore = request.app.state.keys
    key = keys.authenticate(presented.strip())
    if key is None:
        raise NotSignedIn("the API key is unknown or revoked")
    return key


def require(role: Role) -> Any:
    async def dependency(key: Annotated[ApiKey, Depends(current_key)]) -> ApiKey:
        if key.role < role:
            raise Forbidden(f"this needs the {role.label} role; key {key.id} ({key.owner}) is a {key.role.label}")
        return key

    return Depends(dependency)


Viewer = Annotated[ApiKey, require(Role.VIEWER)]
Analyst = Annotated[ApiKey, require(Role.ANALYST)]
Admin = Annotated[ApiKey, require(Role.ADMIN)]
Service = Annotated[StatusService, Depends(status_service)]


def instant(text: str | None, name: str) -> datetime:
    """An ISO 8601 parameter (a bare date is noon New York); now when absent or empty (white space is an error,
    as the OpenAPI schema says)."""
    if not text:
        return datetime.now(UTC)
    try:
        return parse_instant(text)
    except InstantError as exc:
        raise HTTPException(status_code=400, detail=f"{name}: {exc}") from None


def optional_instant(text: str | None, name: str) -> datetime | None:
    return instant(text, name) if text and text.strip() else None


def query_text(text: str, name: str = "q") -> str:
    if is_blank(text):
        raise HTTPException(status_code=400, detail=f"{name} is empty: give an ISIN, LEI, ticker or name")
    return text.strip()


def trusted_proxies() -> frozenset[str]:
    """REDLINE_TRUSTED_PROXIES: addresses of reverse proxies whose X-Forwarded-Proto is believed (default: this
    machine, 127.0.0.1 and ::1); `*` trusts any sender (only when nothing but the proxy can reach the server)."""
    return settings().trusted_proxies


def over_https(request: Request) -> bool:
    """The browser's connection is TLS: directly, or to a trusted reverse proxy that says so."""
    if request.url.scheme == "https":
        return True
    proxies = trusted_proxies()
    client = request.client.host if request.client else ""
    if "*" not in proxies and client not in proxies:
        return False
    forwarded = request.headers.get("x-forwarded-proto", "")
    return forwarded.split(",")[0].strip().lower() == "https"


async def same_origin(request: Request) -> None:
    """Refuse a POST made from another site's page (page forms and API calls alike).

    `async`: it runs before every request and only reads headers; as a plain `def` FastAPI would run it in the
    thread pool, one more hop per request (see the note above `status_service`).

    The sign-in cookie is SameSite=Strict, so a browser does not send it with another site's request; this check
    is a second lock for browsers that ignore SameSite: a POST whose Origin header is present and names another
    host than the one the request was addressed to is refused (403). A request without Origin (curl, old
    browsers) is let through: it carries no cookie set by us unless the client holds the key itself. Behind a
    reverse proxy, pass the original Host header through (nginx: `proxy_set_header Host $host`).
    """
    if request.method != "POST":
        return
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("host", "").lower()
    if urlsplit(origin).netloc.lower() != host or not host:
        raise Forbidden(f"a form posted from {origin} is refused: this site's forms are posted from {host}")
