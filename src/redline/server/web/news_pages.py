"""The news review page: proposals with their article and evidence; analysts accept or reject them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.model.vocabulary import ChoiceError, ProposalDecision, ProposalState, choice
from redline.server.shared.deps import News
from redline.server.web.rendering import AnalystPage, Page, ViewerPage
from redline.services.errors import NotFound, ServiceError
from redline.services.news_review import NewsReview

router = APIRouter()
LIMIT = 500
STATES = tuple(ProposalState)


def _page(
    page: Page,
    news: NewsReview,
    state: ProposalState | None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    found = news.proposals(state, LIMIT)
    context = {"proposals": found, "state": state or "", "states": STATES, "error": error}
    return page.render("news.html", context, status_code)


@router.get("/ui/news", response_class=HTMLResponse)
def news_page(page: ViewerPage, news: News, state: Annotated[str, Query(max_length=20)] = "pending") -> HTMLResponse:
    try:
        chosen = choice(ProposalState, state, "state") if state.strip() else None
    except ChoiceError as exc:
        return page.error(400, str(exc))
    return _page(page, news, chosen)


@router.post("/ui/news/{proposal_id}/decision", response_model=None)
def decide(
    page: AnalystPage,
    news: News,
    proposal_id: str,
    decision: Annotated[str, Form(max_length=10)] = "",
    comment: Annotated[str, Form(max_length=4000)] = "",
    date: Annotated[str, Form(max_length=10)] = "",
    list_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        chosen = choice(ProposalDecision, decision, "decision")
        news.decide([proposal_id], chosen, comment, page.key.actor, date.strip() or None, list_id.strip() or None)
    except NotFound:
        raise
    except (ServiceError, ChoiceError) as exc:
        return _page(page, news, ProposalState.PENDING, str(exc), status_code=400)
    return RedirectResponse(f"/ui/news?state=&decided={proposal_id}#p-{proposal_id}", status_code=303)
