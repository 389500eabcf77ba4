"""The news review page: proposals with their article and evidence; analysts accept or reject them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.server.shared.deps import Analyst, Viewer
from redline.server.web.rendering import error_page, render
from redline.store.errors import StoreError
from redline.store.keys import ApiKey
from redline.store.news import STATES, NewsStore

router = APIRouter()
LIMIT = 500


def _page(request: Request, key: ApiKey, state: str, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    found = NewsStore().proposals(state or None, LIMIT)
    context = {"proposals": found, "state": state, "states": STATES, "error": error}
    return render(request, "news.html", context, key, status_code)


@router.get("/ui/news", response_class=HTMLResponse)
def news_page(request: Request, key: Viewer, state: Annotated[str, Query(max_length=20)] = "pending") -> HTMLResponse:
    state = state.strip()
    if state and state not in STATES:
        return error_page(request, 400, f"state must be one of {', '.join(STATES)}, not {state!r}")
    return _page(request, key, state)


@router.post("/ui/news/{proposal_id}/decision", response_model=None)
def decide(
    request: Request,
    key: Analyst,
    proposal_id: str,
    decision: Annotated[str, Form(max_length=10)] = "",
    comment: Annotated[str, Form(max_length=4000)] = "",
    date: Annotated[str, Form(max_length=10)] = "",
    list_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        NewsStore().decide([proposal_id], decision, comment, key.actor, date.strip() or None, list_id.strip() or None)
    except StoreError as exc:
        if str(exc).startswith("no proposal"):
            raise HTTPException(status_code=404, detail=str(exc)) from None
        return _page(request, key, "pending", str(exc), status_code=400)
    return RedirectResponse(f"/ui/news?state=&decided={proposal_id}#p-{proposal_id}", status_code=303)
