"""What every page shares: the templates, rendering with the signed-in key, the error pages, the Origin check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader

from redline.model import NEW_YORK
from redline.screen.report import money
from redline.server.web.assets_route import DECISION_CLASSES
from redline.services.sources import public_origin
from redline.store.keys import ApiKey, Role

# The screening report's templates come second, so the pages draw its bar charts with the same macro.
_ENVIRONMENT = Environment(
    loader=ChoiceLoader(
        [FileSystemLoader(Path(__file__).parent / "templates"), PackageLoader("redline.screen", "templates")]
    ),
    autoescape=True,
)
_ENVIRONMENT.globals["decision_classes"] = DECISION_CLASSES
_ENVIRONMENT.filters["money"] = money
_ENVIRONMENT.filters["public_origin"] = public_origin  # no server paths on a page
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
