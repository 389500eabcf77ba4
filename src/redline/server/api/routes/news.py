"""The news review queue: list and read proposals (viewer), decide them (analyst); read an article (viewer)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from redline.model import Instant
from redline.model.keys import Role
from redline.model.vocabulary import ProposalDecision, ProposalState
from redline.server.api import schemas
from redline.server.shared.deps import Analyst, News, Viewer

router = APIRouter(prefix="/news", tags=["news"])
ProposalId = Annotated[str, Path(description="A proposal id or a unique prefix of 6+ characters", max_length=64)]


class DecisionIn(BaseModel):
    decision: ProposalDecision
    comment: str = Field(min_length=1, max_length=4000)
    date: str | None = Field(default=None, max_length=10, description="The event's date, if the article gave none")
    list: str | None = Field(default=None, max_length=20, description="The list, e.g. DOD_1260H, if not stated")


class ArticleIn(BaseModel):
    text: str = Field(min_length=1, max_length=2_000_000, description="Plain text or HTML")
    url: str | None = Field(default=None, max_length=2000)
    published: Instant | None = Field(default=None)
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
    state: ProposalState
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


@router.get("/proposals", response_model=ProposalList)
def list_proposals(
    _: Viewer,
    news: News,
    state: Annotated[ProposalState | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> dict[str, Any]:
    """Proposals from the news, newest first."""
    return {"proposals": [p.to_json() for p in news.proposals(state, limit)]}


@router.get("/proposals/{proposal_id}", response_model=ProposalOut, responses={**NOT_FOUND, **BAD})
def get_proposal(_: Viewer, news: News, proposal_id: ProposalId) -> dict[str, Any]:
    return news.proposal(proposal_id).to_json()


@router.post("/proposals/{proposal_id}/decision", response_model=ProposalOut, responses={**NOT_FOUND, **BAD})
def decide(key: Analyst, news: News, proposal_id: ProposalId, body: DecisionIn) -> dict[str, Any]:
    """Accept (it becomes a low-confidence catalog event known from the article) or reject; audited under the
    key's owner."""
    if not body.comment.strip():
        raise HTTPException(status_code=422, detail="body.comment: a decision needs a comment saying why")
    decided = news.decide([proposal_id], body.decision, body.comment, key.actor, body.date, body.list)
    return news.proposal(decided[0]).to_json()


@router.post("/read", response_model=ReadOut, responses=BAD)
def read(key: Viewer, news: News, body: ArticleIn) -> dict[str, Any]:
    """Read one article (the JSON of `redline news read --json`); `queue` (analyst) queues its proposals."""
    if body.queue and key.role < Role.ANALYST:
        raise HTTPException(status_code=403, detail="queueing proposals needs the analyst role")
    result = news.read(body.text, body.url, body.published, key.actor, to_queue=body.queue)
    return {"articles": [result.article], "queued": result.queued}
