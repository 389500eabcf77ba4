"""What every route shares: the key that made the request and its role, the services, and parsed instants."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyCookie, APIKeyHeader

from redline.model.keys import ApiKey, Role
from redline.server.shared.text import is_blank
from redline.services.alerts import AlertService
from redline.services.audit_log import AuditLog
from redline.services.certificates import CertificateService
from redline.services.keys import KeyService
from redline.services.news_review import NewsReview
from redline.services.screenings import ScreeningService
from redline.services.status import StatusService
from redline.settings import settings

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
def from_root(name: str) -> Any:
    """A service the composition root (`create_app`) put on app.state, as a dependency."""

    async def dependency(request: Request) -> Any:
        return getattr(request.app.state, name)

    return Depends(dependency)


async def screening_service(request: Request) -> ScreeningService:
    # Built per request from the root's job store: the upload limit is the app's setting, read each time.
    return ScreeningService(request.app.state.jobs, int(request.app.state.max_upload))


def current_key(
    request: Request,
    header: Annotated[str | None, Security(_header)] = None,
    cookie: Annotated[str | None, Security(_cookie)] = None,
) -> ApiKey:
    # A plain `def`: the lookup is a database read, which must not block the event loop.
    presented = header or cookie
    if not presented:
        raise NotSignedIn(f"an API key is required: send it in the {KEY_HEADER} header (see `redline keys create`)")
    keys: KeyService = request.app.state.keys
    key = keys.authenticate(presented)
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
Service = Annotated[StatusService, from_root("service")]
Keys = Annotated[KeyService, from_root("keys")]
Alerts = Annotated[AlertService, from_root("alerts")]
Audit = Annotated[AuditLog, from_root("audit")]
News = Annotated[NewsReview, from_root("news")]
Certificates = Annotated[CertificateService, from_root("certificates")]
Screenings = Annotated[ScreeningService, Depends(screening_service)]


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
    thread pool, one more hop per request (see the note above `from_root`).

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
