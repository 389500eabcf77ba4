"""The status answer's contract, once: `redline status --json`, GET /status, the MCP tool and the certificates'
stored answers are `json_form` of these dataclasses, and the OpenAPI schema is read from them (pydantic builds it
from the annotations and the attribute docstrings, only when a route asks: the CLI never imports pydantic).

Instants are the contract's text (`iso`: to the second, with the offset), so the JSON stays byte for byte what
docs/status.md documents.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from typing import Any, Literal

from redline.model.regimes import ListId, RegimeId
from redline.model.vocabulary import State

# How the query was identified (redline.catalog.identify.Outcome).
IdentificationOutcome = Literal["matched", "undetermined", "no_match", "invalid"]
_DOCSTRINGS = {"use_attribute_docstrings": True}  # pydantic's ConfigDict, as the plain dict it is


@dataclass(frozen=True, slots=True)
class EntityRef:
    """The entity the answer is about, and every list it has been on."""

    id: str
    name: str
    lists: tuple[ListId, ...]


@dataclass(frozen=True, slots=True)
class UsPerson:
    """All three are null when the identification is `undetermined`: never "yes" on a doubtful match."""

    __pydantic_config__ = _DOCSTRINGS

    may_buy: bool | None
    may_sell: bool | None
    """In a divestment window: only to divest."""
    may_hold: bool | None
    """Under blocking sanctions: only as blocked, reported property."""


@dataclass(frozen=True, slots=True)
class RegimeAnswer:
    """Where the entity stands under one regime at `on`, with the reasons and the sources that say so."""

    __pydantic_config__ = _DOCSTRINGS

    regime: RegimeId
    title: str
    listed: bool
    state: State
    effective_from: str | None
    divest_until: str | None
    enjoined: bool
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    lists: tuple[ListId, ...]
    listed_name: str | None
    listed_on: str | None
    removed_on: str | None
    uncertain: bool
    """the sources disagree on this answer; the reasons give both readings"""
    procurement: bool
    """a DoD procurement ban (FY2024 NDAA s.805, 1260H names) applies at `on`; not an investment ban"""


@dataclass(frozen=True, slots=True)
class CandidateAnswer:
    """An entity the identification considered, with its score and why."""

    id: str
    name: str
    score: float
    match: bool
    decisive: bool
    lists: tuple[ListId, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class IdentificationAnswer:
    """How the query was identified, and the candidates considered."""

    __pydantic_config__ = _DOCSTRINGS

    outcome: IdentificationOutcome
    """undetermined: nothing matched with confidence but an entity on a list scored at or above the review floor;
    the answer gives no permission and every regime is `undetermined`"""
    candidates: tuple[CandidateAnswer, ...]


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """May a US person buy, sell or hold it at `on`, as known at `known_at` (docs/status.md)."""

    __pydantic_config__ = _DOCSTRINGS

    query: str
    on: str
    known_at: str
    entity: EntityRef | None
    us_person: UsPerson
    procurement: bool
    """any regime's DoD procurement prohibition applies at `on`"""
    regimes: tuple[RegimeAnswer, ...]
    identification: IdentificationAnswer
    warnings: tuple[str, ...]


def json_form(value: Any) -> Any:
    """A contract dataclass as its JSON: fields in declaration order, enums as their values, tuples as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: json_form(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [json_form(item) for item in value]
    if isinstance(value, dict):
        return {key: json_form(item) for key, item in value.items()}
    return value
