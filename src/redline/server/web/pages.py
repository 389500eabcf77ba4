"""The analysts' pages: search, entity (with its status timeline), status at a moment, sign-in; `web_router()`
gathers them with the screening, alert and source pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.model import NEW_YORK, InstantError, iso, parse_instant
from redline.model.queries import QueryError
from redline.server.shared.deps import KEY_COOKIE, Keys, Service, over_https
from redline.server.web import alert_pages, assets_route, news_pages, screening_pages, source_pages
from redline.server.web.rendering import ViewerPage, error_page, forbidden_page, render, when
from redline.server.web.timeline_chart import render_timeline_svg

__all__ = ["error_page", "forbidden_page", "web_router"]


def _picker(text: str | None) -> str:
    """A datetime-local value (New York wall clock) for the form, or empty."""
    if not text:
        return ""
    try:
        return parse_instant(text).astimezone(NEW_YORK).strftime("%Y-%m-%dT%H:%M")
    except InstantError:
        return ""


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute or scheme-relative URL (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def web_router() -> APIRouter:
    # Every route, pages and API, checks the Origin of a POST (`same_origin`, applied app-wide in create_app).
    router = APIRouter(include_in_schema=False)

    @router.get("/ui/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/") -> HTMLResponse:
        return render(request, "login.html", {"next": _safe_next(next), "error": None})

    @router.post("/ui/login", response_model=None)
    def login(
        request: Request, keys: Keys, key: Annotated[str, Form(max_length=200)], next: Annotated[str, Form()] = "/"
    ) -> Response:
        record = keys.authenticate(key)
        if record is None:
            context = {"next": _safe_next(next), "error": "That key is unknown or revoked."}
            return render(request, "login.html", context, status_code=401)
        response = RedirectResponse(_safe_next(next), status_code=303)
        # HttpOnly: page scripts cannot read it; SameSite=Strict: other sites cannot make the browser send it;
        # Secure whenever the browser came over https (directly or through a trusted proxy: `over_https`).
        response.set_cookie(KEY_COOKIE, key.strip(), httponly=True, samesite="strict", secure=over_https(request))
        return response

    @router.post("/ui/logout")
    def logout() -> RedirectResponse:
        response = RedirectResponse("/ui/login", status_code=303)
        response.delete_cookie(KEY_COOKIE)
        return response

    @router.get("/", response_class=HTMLResponse)
    def search_page(page: ViewerPage, svc: Service, q: Annotated[str, Query(max_length=1000)] = "") -> HTMLResponse:
        problem = None
        try:
            hits = svc.search(q.strip()) if q.strip() else []
        except QueryError as exc:  # a query of nothing but symbols: say so on the page
            hits, problem = [], str(exc)
        return page.render("search.html", {"query": q, "hits": hits, "problem": problem})

    @router.get("/ui/entity/{entity_id}", response_class=HTMLResponse)
    def entity_page(page: ViewerPage, svc: Service, entity_id: str) -> HTMLResponse:
        store = svc.store
        try:
            entity = store.entity(entity_id)
        except KeyError:
            raise HTTPException(status_code=404, detail=f"no entity with id {entity_id!r}") from None
        now = datetime.now(UTC)
        entries = svc.timeline(entity)
        regimes = [regime.value for regime in store.data.regimes]
        report = svc.status_of(entity, now, now).to_json()
        events = [
            {
                "when": when(e.at),
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
            "chart": render_timeline_svg(
                entries,
                regimes,
                now,
                no_ban=frozenset(r.id.value for r in store.data.regimes.values() if not r.investment_ban),
            ),
            "events": events,
            "report": report,
        }
        return page.render("entity.html", context)

    @router.get("/ui/status", response_class=HTMLResponse)
    def status_page(
        page: ViewerPage,
        svc: Service,
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
                context["report"] = svc.status(q.strip(), moment, known).to_json()
                context["on_value"] = moment.astimezone(NEW_YORK).strftime("%Y-%m-%dT%H:%M")
                context["known_value"] = known.astimezone(NEW_YORK).strftime("%Y-%m-%dT%H:%M")
                context["now"] = iso(datetime.now(UTC))
        return page.render("status.html", context)

    for module in (screening_pages, alert_pages, source_pages, news_pages, assets_route):
        router.include_router(module.router)
    return router
