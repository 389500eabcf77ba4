"""The analysts' pages: search, entity (with its status timeline), status at a moment."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from redline.model import NEW_YORK, InstantError, iso, parse_instant
from redline.status.service import StatusService
from redline.web.timeline_chart import render_timeline_svg

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _local(moment: datetime) -> str:
    return moment.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z")


def _picker(text: str | None) -> str:
    """A datetime-local value (New York wall clock) for the form, or empty."""
    if not text:
        return ""
    try:
        return parse_instant(text).astimezone(NEW_YORK).strftime("%Y-%m-%dT%H:%M")
    except InstantError:
        return ""


def web_router(service: Any) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def svc() -> StatusService:
        current: StatusService = service()
        return current

    @router.get("/", response_class=HTMLResponse)
    def search_page(request: Request, q: Annotated[str, Query(max_length=1000)] = "") -> HTMLResponse:
        hits = []
        if q.strip():
            for c in svc().lookup.resolve(q.strip()):
                hits.append(
                    {
                        "id": c.entity.id,
                        "name": c.entity.name,
                        "lists": [x.value for x in svc().store.lists_of(c.entity.id)],
                        "explanation": c.explanation,
                    }
                )
        return TEMPLATES.TemplateResponse(request, "search.html", {"query": q, "hits": hits})

    @router.get("/ui/entity/{entity_id}", response_class=HTMLResponse)
    def entity_page(request: Request, entity_id: str) -> HTMLResponse:
        store = svc().store
        try:
            entity = store.entity(entity_id)
        except KeyError:
            raise HTTPException(status_code=404, detail=f"no entity with id {entity_id!r}") from None
        now = datetime.now(UTC)
        entries = svc().timeline(entity)
        regimes = [regime.value for regime in store.data.regimes]
        report = svc().status_of(entity, now, now).to_json()
        events = [
            {
                "when": _local(e.at),
                "regime": e.regime,
                "kind": e.kind,
                "text": e.text,
                "derived": e.derived,
                "sources": e.sources,
            }
            for e in entries
        ]
        context = {
            "entity": entity,
            "lists": [x.value for x in store.lists_of(entity.id)],
            "chart": render_timeline_svg(entries, regimes, now),
            "events": events,
            "report": report,
        }
        return TEMPLATES.TemplateResponse(request, "entity.html", context)

    @router.get("/ui/status", response_class=HTMLResponse)
    def status_page(
        request: Request,
        q: Annotated[str, Query(max_length=1000)] = "",
        on: str | None = None,
        known_at: str | None = None,
    ) -> HTMLResponse:
        context: dict[str, Any] = {
            "query": q,
            "on_value": _picker(on),
            "known_value": _picker(known_at),
            "report": None,
            "error": None,
        }
        if q.strip():
            try:
                moment = parse_instant(on) if on else datetime.now(UTC)
                known = parse_instant(known_at) if known_at else datetime.now(UTC)
            except InstantError as exc:
                context["error"] = str(exc)
            else:
                context["report"] = svc().status(q.strip(), moment, known).to_json()
                context["on_value"] = moment.astimezone(NEW_YORK).strftime("%Y-%m-%dT%H:%M")
                context["known_value"] = known.astimezone(NEW_YORK).strftime("%Y-%m-%dT%H:%M")
                context["now"] = iso(datetime.now(UTC))
        return TEMPLATES.TemplateResponse(request, "status.html", context)

    return router
