"""Response models: the JSON contracts, typed, so FastAPI validates them and documents them at /docs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic.config import JsonDict

from redline.model.status_answer import EntityRef
from redline.model.vocabulary import AlertState, Decision, SourceList, Verdict
from redline.server.shared.text import BLANK_CLASS
from redline.services.audit_log import AuditEntry
from redline.services.screenings import JobView
from redline.services.status import SearchHit


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


class SearchOut(BaseModel):
    query: str
    results: list[SearchHit]  # the service's own type: one model for the service, the pages and this schema


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


def problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description}


# Every route behind an API key can answer these; the app's handlers give each a one-line `detail` (never
# FastAPI's default list of validation errors), so they are documented with that shape.
SECURED_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: problem("No API key, or an unknown or revoked one"),
    403: problem("The key's role may not do this"),
    422: problem("A parameter or the body does not fit the schema: which one, and why"),
}
# Alert ids are given whole or as a unique prefix of at least 6 characters (shorter ones get a 400 saying so).
ALERT_ID: JsonDict = {"minLength": 6}
NOT_BLANK: JsonDict = {"pattern": f"[^{BLANK_CLASS}]"}


class MatchIn(BaseModel):
    query: str = Field(min_length=1, max_length=1000, description="A name in any script, or an ISIN/LEI/ticker...")
    # the FollowTheMoney schemata of things a list names (LegalEntity: a person or an organisation, not known which)
    schema_: (
        Literal[
            "Person",
            "LegalEntity",
            "Company",
            "Organization",
            "PublicBody",
            "Vessel",
            "Airplane",
            "Vehicle",
            "Security",
        ]
        | None
    ) = Field(default=None, alias="schema")
    birth_date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}-\d{2})?$", description="For persons")
    limit: int = Field(default=10, ge=1, le=100)
    threshold: float | None = Field(default=None, ge=0.0, le=1.0, description="Default: the resolver's")

    model_config = {"populate_by_name": True, "extra": "forbid"}

    @field_validator("limit", "threshold", mode="before")
    @classmethod
    def not_a_boolean(cls, value: Any) -> Any:
        # Pydantic's lax mode reads true as 1; the schema says number, so a boolean is an error.
        if isinstance(value, bool):
            raise ValueError("a number, not true or false")
        return value


class MatchExplanation(BaseModel):
    query_name: str
    list_name: str
    route: str
    features: list[str]
    identifier: str | None


class MatchCandidate(BaseModel):
    entity_id: str
    name: str
    schema_: str = Field(alias="schema")
    score: float
    match: bool
    decisive: bool
    lists: list[str]
    explanation: MatchExplanation

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class MatchOut(BaseModel):
    query: str
    candidates: list[MatchCandidate]


class JobList(BaseModel):
    screenings: list[JobView]  # the service's own type: one model for the service, the pages and this schema


class VerdictOut(BaseModel):
    verdict: Verdict
    comment: str
    by: str
    at: str


class AlertOut(BaseModel):
    id: str
    entity: str
    kind: str
    row: str
    decision: Decision
    regimes: list[str]
    status: AlertState
    verdict: VerdictOut | None
    explanation: dict[str, Any]
    first_seen_at: str
    last_seen_at: str
    last_run: str
    reopened_from: str | None
    reopen_reason: str | None
    accounts: list[str] = []
    market_value: dict[str, float] = {}


class AlertList(BaseModel):
    alerts: list[AlertOut]


class Sighting(BaseModel):
    run: str
    row: int
    decision: Decision
    suppressed: bool
    at: str
    by: str
    kind: str


class AlertDetail(AlertOut):
    history: list[VerdictOut]
    sightings: list[Sighting]


class BulkDecisionIn(BaseModel):
    ids: list[Annotated[str, Field(min_length=6, max_length=64, pattern="^[0-9a-f]+$")]] = Field(
        min_length=1, max_length=1000, description="Alert ids or unique prefixes (6+ hex characters)"
    )
    verdict: Verdict
    comment: str = Field(
        min_length=1, max_length=4000, description="Why: recorded with each decision", json_schema_extra=NOT_BLANK
    )

    model_config = {"extra": "forbid"}


class BulkDecisionOut(BaseModel):
    decided: list[str]


class DecisionIn(BaseModel):
    verdict: Verdict
    comment: str = Field(
        min_length=1, max_length=4000, description="Why: recorded in the audit log", json_schema_extra=NOT_BLANK
    )

    model_config = {"extra": "forbid"}


class SnapshotOut(BaseModel):
    id: int
    list_key: SourceList = Field(alias="list")
    format: str
    content_hash: str
    issued_at: str | None
    issued_from: str
    known_from: str
    retrieved_at: str
    imported_at: str
    origin: str
    files: list[dict[str, Any]]
    records: int
    counts: dict[str, Any]

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class SnapshotList(BaseModel):
    snapshots: list[SnapshotOut]


class ImportOut(BaseModel):
    created: bool
    snapshot: SnapshotOut
    warnings: list[str]


class KeyOut(BaseModel):
    id: str
    owner: str
    role: str
    created_at: str
    created_by: str
    revoked_at: str | None
    revoked_by: str | None


class KeyList(BaseModel):
    keys: list[KeyOut]


class KeyIn(BaseModel):
    owner: str = Field(min_length=1, max_length=200)
    role: Literal["viewer", "analyst", "admin"]

    model_config = {"extra": "forbid"}


class NewKeyOut(KeyOut):
    key: str = Field(description="The key itself: shown once, only its hash is stored")


class AuditEntries(BaseModel):
    entries: list[AuditEntry]  # the store's own type: one model for the log, `redline audit log` and this schema
