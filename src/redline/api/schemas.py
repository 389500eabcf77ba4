"""Response models: the JSON contracts, typed, so FastAPI validates them and documents them at /docs."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Permissions(BaseModel):
    may_buy: bool
    may_sell: bool = Field(description="In a divestment window: only to divest.")
    may_hold: bool


class EntityRef(BaseModel):
    id: str
    name: str
    lists: list[str]


class RegimeOut(BaseModel):
    regime: str
    title: str
    listed: bool
    state: str = Field(
        description="not_listed, listed_no_ban, not_yet_effective, divestment_window, holding_only, "
        "possession_prohibited, enjoined, vacated, removed"
    )
    effective_from: str | None
    divest_until: str | None
    enjoined: bool
    reasons: list[str]
    sources: list[str]
    lists: list[str]
    listed_name: str | None
    listed_on: str | None
    removed_on: str | None
    uncertain: bool


class StatusOut(BaseModel):
    query: str
    on: str
    known_at: str
    entity: EntityRef | None
    us_person: Permissions
    regimes: list[RegimeOut]
    warnings: list[str]


class NameOut(BaseModel):
    text: str
    kind: str
    lang: str | None
    script: str


class IdentifierOut(BaseModel):
    scheme: str
    value: str
    exchange: str | None


class RelationOut(BaseModel):
    kind: str
    target_id: str


class EntityOut(BaseModel):
    id: str
    name: str
    schema_: str = Field(alias="schema")
    country: str | None
    lists: list[str]
    names: list[NameOut]
    identifiers: list[IdentifierOut]
    relations: list[RelationOut]


class SearchHit(BaseModel):
    id: str
    name: str
    lists: list[str]
    score: float
    decisive: bool
    explanation: str


class SearchOut(BaseModel):
    query: str
    results: list[SearchHit]


class TimelineEvent(BaseModel):
    at: str
    known_from: str
    kind: str
    regime: str
    list_id: str | None = Field(alias="list")
    text: str
    derived: bool
    sources: list[str]

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class TimelineOut(BaseModel):
    entity: EntityRef
    known_at: str | None
    events: list[TimelineEvent]


class Problem(BaseModel):
    detail: str
