"""The news review queue: list and read proposals (viewer), decide them (analyst); read an article (viewer)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from redline.api.deps import Analyst, Viewer, optional_instant
from redline.news import ArticleError, NewsReader, read_bytes
from redline.news.queue import queue
from redline.store.errors import StoreError
from redline.store.keys import Role
from redline.store.news import NewsStore

router = APIRouter(prefix="/news", tags=["news"])
ProposalId = Annotated[str, Path(description="A proposal id or a unique prefix of 6+ characters", max_length=64)]


class DecisionIn(BaseModel):
    decision: Literal["accept", "reject"]
    comment: str = Field(min_length=1, max_length=4000)
    date: str | None = Field(default=None, max_length=10, description="The event's date, if the article gave none")
    list: str | None = Field(default=None, max_length=20, description="The list, e.g. DOD_1260H, if not stated")


class ArticleIn(BaseModel):
    text: str = Field(min_length=1, max_length=2_000_000, description="Plain text or HTML")
    url: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, description="ISO 8601; a bare date is noon New York")
    queue: bool = Field(default=False, description="Queue the proposed legal events (analyst)")


def _not_found(exc: StoreError) -> HTTPException:
    message = str(exc).replace("`redline news review list`", "GET /news/proposals")
    return HTTPException(status_code=404 if message.startswith("no proposal") else 400, detail=message)


@router.get("/proposals")
def list_proposals(
    _: Viewer,
    state: Annotated[Literal["pending", "accepted", "rejected"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> dict[str, Any]:
    """Proposals from the news, newest first."""
    return {"proposals": [p.to_json() for p in NewsStore().proposals(state, limit)]}


@router.get("/proposals/{proposal_id}")
def get_proposal(_: Viewer, proposal_id: ProposalId) -> dict[str, Any]:
    try:
        return NewsStore().proposal(proposal_id).to_json()
    except StoreError as exc:
        raise _not_found(exc) from None


@router.post("/proposals/{proposal_id}/decision")
def decide(key: Analyst, proposal_id: ProposalId, body: DecisionIn) -> dict[str, Any]:
    """Accept (it becomes a low-confidence catalog event known from the article) or reject; audited under the
    key's owner."""
    if not body.comment.strip():
        raise HTTPException(status_code=422, detail="body.comment: a decision needs a comment saying why")
    store = NewsStore()
    try:
        decided = store.decide([proposal_id], body.decision, body.comment, key.actor, body.date, body.list)
    except StoreError as exc:
        raise _not_found(exc) from None
    return store.proposal(decided[0]).to_json()


@router.post("/read")
def read(key: Viewer, body: ArticleIn) -> dict[str, Any]:
    """Read one article (the JSON of `redline news read --json`); `queue` (analyst) queues its proposals."""
    if body.queue and key.role < Role.ANALYST:
        raise HTTPException(status_code=403, detail="queueing proposals needs the analyst role")
    try:
        article = read_bytes(
            body.text.encode("utf-8"), body.url or "request", optional_instant(body.published, "published"), body.url
        )
        report = NewsReader().read(article)
    except ArticleError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    queued = queue(report, NewsStore(), key.actor) if body.queue else []
    return {"articles": [report.to_json()], "queued": queued}
