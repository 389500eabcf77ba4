"""What every page shares: the templates, rendering with the signed-in key, the error pages, the Origin check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader
from markupsafe import Markup, escape

from redline.model import NEW_YORK
from redline.model.display import money
from redline.model.keys import ApiKey, Role
from redline.server.shared.deps import Analyst, Viewer
from redline.server.web.assets_route import DECISION_CLASSES
from redline.services.sources import public_origin

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


def when(moment: datetime | str | None) -> Markup:
    """Every instant on a page: New York time with its zone and offset, the UTC instant on hover (`<time>`).
    Accepts a datetime or the ISO text the stores and the JSON forms carry; an empty value is a dash."""
    if moment is None or moment == "":
        return Markup("—")
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return Markup(escape(moment))
        if moment.tzinfo is None:  # stored instants are UTC; a naive one is never guessed to be local
            moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    local = moment.astimezone(NEW_YORK)
    offset = local.strftime("%z")
    shown = f"{local:%Y-%m-%d %H:%M} {local:%Z} ({offset[:3]}:{offset[3:]})"
    return Markup('<time datetime="{}" title="{} UTC">{}</time>').format(
        utc.isoformat(), utc.strftime("%Y-%m-%d %H:%M:%S"), shown
    )


def when_text(moment: datetime | str | None) -> str:
    """`when` as plain text, for places that take no markup (a select's options)."""
    return re.sub(r"<[^>]+>", "", str(when(moment)))


_ENVIRONMENT.filters["when"] = when
_ENVIRONMENT.filters["when_text"] = when_text


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


@dataclass(frozen=True, slots=True)
class Page:
    """A page being answered for a signed-in key: a handler says what it shows, not how to render it."""

    request: Request
    key: ApiKey

    def render(self, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
        return render(self.request, template, context, self.key, status_code)

    def error(self, status_code: int, message: str) -> HTMLResponse:
        return error_page(self.request, status_code, message)


async def _viewer_page(request: Request, key: Viewer) -> Page:
    return Page(request, key)


async def _analyst_page(request: Request, key: Analyst) -> Page:
    return Page(request, key)


ViewerPage = Annotated[Page, Depends(_viewer_page)]
AnalystPage = Annotated[Page, Depends(_analyst_page)]
