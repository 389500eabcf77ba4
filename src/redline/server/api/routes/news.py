"""The news review queue: list and read proposals (viewer), decide them (analyst); read an article (viewer)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from redline.news import ArticleError, default_reader, read_bytes
from redline.news.queue import queue
from redline.server.api import schemas
from redline.server.shared.deps import Analyst, Viewer, optional_instant
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


class ArticleRef(BaseModel):
    title: str
    source: str
    sha256: str
    published: str


class Decided(BaseModel):
    at: str
    by: str
    comment: str


class ProposalOut(BaseModel):
    id: str
    state: Literal["pending", "accepted", "rejected"]
    kind: str
    entity: str
    mention: str
    date: str | None
    list_id: str | None = Field(alias="list")
    court: str | None
    evidence: str
    confidence: str
    article: ArticleRef
    decided: Decided | None


class ProposalList(BaseModel):
    proposals: list[ProposalOut]


class EntityOut(BaseModel):
    id: str | None
    name: str
    mention: str
    score: float


class EventOut(BaseModel):
    kind: str
    entity: str
    date: str | None
    evidence: str
    confidence: str
    corroborates: list[str] | None
    list_id: str | None = Field(default=None, alias="list")  # not `list`: it would shadow the builtin here
    direction: str | None = None
    size: float | None = None
    market: str | None = None
    court: str | None = None
    contradicts: str | None = None


class AllegationOut(BaseModel):
    entity: str
    topic: str
    evidence: str
    by: str


class CandidateOut(BaseModel):
    mention: str
    best: str | None
    score: float


class ArticleOut(BaseModel):
    source: str
    title: str
    published: str
    language: str
    sha256: str
    entities: list[EntityOut]
    candidates: list[CandidateOut]
    events: list[EventOut]
    adverse: list[AllegationOut]
    flags: list[str]


class ReadOut(BaseModel):
    articles: list[ArticleOut]
    queued: list[str]


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: schemas.problem("No such proposal")}
BAD: dict[int | str, dict[str, Any]] = {400: schemas.problem("The request cannot be carried out: the message says why")}


def _not_found(exc: StoreError) -> HTTPException:
    message = str(exc).replace("`redline news review list`", "GET /news/proposals")
    return HTTPException(status_code=404 if message.startswith("no proposal") else 400, detail=message)


@router.get("/proposals", response_model=ProposalList)
def list_proposals(
    _: Viewer,
    state: Annotated[Literal["pending", "accepted", "rejected"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> dict[str, Any]:
    """Proposals from the news, newest first."""
    return {"proposals": [p.to_json() for p in NewsStore().proposals(state, limit)]}


@router.get("/proposals/{proposal_id}", response_model=ProposalOut, responses={**NOT_FOUND, **BAD})
def get_proposal(_: Viewer, proposal_id: ProposalId) -> dict[str, Any]:
    try:
        return NewsStore().proposal(proposal_id).to_json()
    except StoreError as exc:
        raise _not_found(exc) from None


@router.post("/proposals/{proposal_id}/decision", response_model=ProposalOut, responses={**NOT_FOUND, **BAD})
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


@router.post("/read", response_model=ReadOut, responses=BAD)
def read(key: Viewer, body: ArticleIn) -> dict[str, Any]:
    """Read one article (the JSON of `redline news read --json`); `queue` (analyst) queues its proposals."""
    if body.queue and key.role < Role.ANALYST:
        raise HTTPException(status_code=403, detail="queueing proposals needs the analyst role")
    try:
        article = read_bytes(
            body.text.encode("utf-8"), body.url or "request", optional_instant(body.published, "published"), body.url
        )
        report = default_reader().read(article)
    except ArticleError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    queued = queue(report, NewsStore(), key.actor) if body.queue else []
    return {"articles": [report.to_json()], "queued": queued}
