"""`create_app()`: the FastAPI application behind `redline serve`: the REST API and the analysts' pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from redline import __version__
from redline.model import InstantError
from redline.model.keys import Role
from redline.model.vocabulary import ChoiceError
from redline.server.api import schemas
from redline.server.api.routes import admin, alerts, certificates, news, reference, screenings, sources
from redline.server.shared.deps import KEY_COOKIE, KEY_HEADER, Forbidden, NotSignedIn, same_origin
from redline.server.shared.security import COMMON_HEADERS, DATA_POLICY, SecurityHeaders
from redline.server.shared.uploads import RequestBodyGuard, UploadRule
from redline.server.warmup import warm_requests
from redline.server.web.pages import web_router
from redline.server.web.rendering import error_page, forbidden_page
from redline.services.alerts import AlertService
from redline.services.audit_log import AuditLog
from redline.services.certificates import CertificateService
from redline.services.errors import ServiceError, status_code_of
from redline.services.keys import KeyService
from redline.services.news_review import NewsReview
from redline.services.screenings import remove_stale_uploads
from redline.services.source_upload import MAX_LIST_FILE
from redline.services.status import StatusService
from redline.services.warmup import warm, warm_requested
from redline.settings import SettingError, settings
from redline.store.errors import StoreError
from redline.store.stores import Stores

log = logging.getLogger("redline.server.api")

DESCRIPTION = """May a US person buy, sell or hold this security? Point-in-time status under US investment
restrictions on Chinese military companies, explained and sourced; screening of whole files, the alert queue and
the audit trail.

Every endpoint but `/healthz` and `/readyz` needs an API key in the `X-API-Key` header
(`redline keys create --role viewer|analyst|admin --owner NAME`). A viewer reads; an analyst also screens and
decides alerts; an admin also imports list files and manages keys. Every write is audited under the key's owner.
"""


# Where the CLI's messages point to a command, the API points to its own route.
_API_WORDING = {
    "`redline alerts list`": "GET /alerts",
    "`redline news review list`": "GET /news/proposals",
    "`redline keys list`": "GET /keys",
}


def api_wording(message: str) -> str:
    for command, route in _API_WORDING.items():
        message = message.replace(command, route)
    return message


def _is_page(request: Request) -> bool:
    return request.url.path == "/" or request.url.path.startswith("/ui/")


def max_upload_bytes() -> int:
    """REDLINE_MAX_UPLOAD_MB (default 50): the largest screening upload accepted."""
    try:
        return settings().max_upload_bytes
    except SettingError as exc:
        raise StoreError(str(exc)) from None


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # uvicorn runs this before the worker listens: under `redline serve` the first clients find the request path
    # built (redline.server.warmup).
    if warm_requested():
        log.info("request path warmed in %.2f s", await warm_requests(app))
    yield


def create_app(service: StatusService | None = None) -> FastAPI:
    # A POST from another site's page is refused everywhere: the API accepts the pages' cookie too.
    app = FastAPI(
        title="Redline",
        version=__version__,
        description=DESCRIPTION,
        dependencies=[Depends(same_origin)],
        lifespan=lifespan,
    )
    app.state.service = service or StatusService.current()
    app.state.max_upload = max_upload_bytes()
    # The composition root: the stores are opened here, once per process (a bad REDLINE_DATABASE_URL fails at start,
    # not per request), and handed to the services.
    stores = app.state.stores = Stores.open()
    app.state.error_page, app.state.forbidden_page = error_page, forbidden_page  # for the upload guard
    app.state.keys = KeyService(stores.keys)  # every request authenticates
    app.state.certificates = CertificateService.default(app.state.service)
    app.state.jobs = stores.jobs
    app.state.alerts = AlertService(stores.screening, stores.jobs)
    app.state.audit = AuditLog(stores.screening)
    app.state.news = NewsReview(stores.news)
    if warm_requested():  # `redline serve`: load the saved name index now, not on the first name query
        log.info("name index ready in %.1f s", warm(app.state.service))
    removed = remove_stale_uploads()  # what workers killed mid-upload left behind
    if removed:
        log.info("removed %d stale upload folders", removed)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        detail, status_code = f"{where}: {first.get('msg', 'invalid input')}", 422
        cause = (first.get("ctx") or {}).get("error")
        if isinstance(cause, InstantError | ChoiceError):
            # The model's own refusals (an instant that is not one, a value of none of an enum's): a 400 naming
            # the parameter, as each route answered when it parsed them itself.
            name = str(first["loc"][-1]) if first.get("loc") else "input"
            detail, status_code = (f"{name}: {cause}" if isinstance(cause, InstantError) else f"{name} {cause}"), 400
        if _is_page(request):
            return error_page(request, status_code, detail)
        return JSONResponse(status_code=status_code, content={"detail": detail})

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if _is_page(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/ui/login?next={target}", status_code=303)
        return JSONResponse(status_code=401, content={"detail": exc.message}, headers={"WWW-Authenticate": "APIKey"})

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if _is_page(request):
            return forbidden_page(request, exc.message)
        return JSONResponse(status_code=403, content={"detail": exc.message})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # A page's 404 or 400 is a page a person can read; the API keeps FastAPI's {"detail": ...} JSON.
        if _is_page(request) and 400 <= exc.status_code < 500:
            return error_page(request, exc.status_code, str(exc.detail))
        return await http_exception_handler(request, exc)

    @app.exception_handler(ServiceError)
    async def refused(request: Request, exc: ServiceError) -> Response:
        # Each kind of refusal has one status code, here and nowhere else.
        status_code = status_code_of(exc)
        if _is_page(request) and status_code < 500:
            return error_page(request, status_code, str(exc))
        return JSONResponse(status_code=status_code, content={"detail": api_wording(str(exc))})

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        log.error("store error: %s", exc)
        return JSONResponse(status_code=503, content={"detail": f"the database cannot be used: {exc}"})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Never a stack trace to a client; the log keeps it.
        log.exception("unhandled error", exc_info=exc)
        # Starlette answers this one outside every middleware, so it carries the security headers itself.
        headers = COMMON_HEADERS | {"content-security-policy": DATA_POLICY}
        return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"}, headers=headers)

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["service"], responses={503: {}})
    def readyz() -> dict[str, object]:
        """Reference data loaded and the database reachable."""
        try:
            stores.ping()
        except Exception as exc:  # any failure to reach the database means not ready
            raise HTTPException(status_code=503, detail=f"database unreachable: {type(exc).__name__}") from None
        catalog = app.state.service.catalog
        return {
            "status": "ready",
            "entities": len(catalog.data.entities),
            "listing_events": len(catalog.data.listings),
            "catalog": catalog.version,
        }

    for module in (reference, screenings, alerts, sources, admin, news, certificates):
        app.include_router(module.router, responses=schemas.SECURED_RESPONSES)
    app.include_router(web_router())
    screening_upload = UploadRule(Role.ANALYST, lambda scope: int(scope["app"].state.max_upload))
    app.add_middleware(
        RequestBodyGuard,
        rules={
            ("POST", "/screenings"): screening_upload,
            ("POST", "/ui/screenings"): screening_upload,
            ("POST", "/sources"): UploadRule(Role.ADMIN, lambda _: MAX_LIST_FILE),
        },
        keys=lambda scope: scope["app"].state.keys,
        key_header=KEY_HEADER,
        key_cookie=KEY_COOKIE,
    )
    # Added last, so outermost: the guard's refusals carry the security headers too.
    app.add_middleware(SecurityHeaders, docs_paths=(app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url))
    return app
