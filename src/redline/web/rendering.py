"""What every page shares: the templates, rendering with the signed-in key, the error pages, the Origin check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader

from redline.api.deps import Forbidden
from redline.model import NEW_YORK
from redline.screen.report import COLOURS, money
from redline.store.keys import ApiKey, Role

# The screening report's templates come second, so the pages draw its bar charts with the same macro.
_ENVIRONMENT = Environment(
    loader=ChoiceLoader(
        [FileSystemLoader(Path(__file__).parent / "templates"), PackageLoader("redline.screen", "templates")]
    ),
    autoescape=True,
)
_ENVIRONMENT.globals["decision_colours"] = COLOURS
_ENVIRONMENT.filters["money"] = money
TEMPLATES = Jinja2Templates(env=_ENVIRONMENT)


def local_time(moment: datetime) -> str:
    return moment.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z")


def render(
    request: Request, template: str, context: dict[str, Any], key: ApiKey | None = None, status_code: int = 200
) -> HTMLResponse:
    """A page; `key` (the signed-in key) shows who is signed in and which actions the page offers."""
    can_act = key is not None and key.role >= Role.ANALYST
    return TEMPLATES.TemplateResponse(
        request, template, {**context, "user": key, "analyst": can_act}, status_code=status_code
    )


def forbidden_page(request: Request, message: str) -> HTMLResponse:
    return render(request, "forbidden.html", {"message": message}, status_code=403)


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    """A page's 4xx (an unknown alert, a bad parameter) as a page a person can read, not JSON."""
    return render(request, "error.html", {"status": status_code, "message": message}, status_code=status_code)


def same_origin(request: Request) -> None:
    """Refuse a page form POSTed from another site's page.

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
