"""The answer of the status engine, and its stable JSON form (documented in docs/status.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from redline.model import Citation, Entity, ListId, RegimeId, iso


class State(StrEnum):
    """Where a listed entity stands under one regime at one instant."""

    NOT_LISTED = "not_listed"
    LISTED_NO_BAN = "listed_no_ban"  # on a list that carries no investment prohibition (1260H)
    NOT_YET_EFFECTIVE = "not_yet_effective"  # listed; prohibitions start later
    DIVESTMENT_WINDOW = "divestment_window"  # purchases prohibited; sales only to divest, until divest_until
    HOLDING_ONLY = "holding_only"  # window closed: may hold, may neither buy nor sell
    POSSESSION_PROHIBITED = "possession_prohibited"  # EO 13974: holding itself is prohibited
    ENJOINED = "enjoined"  # a court has enjoined enforcement of the designation
    VACATED = "vacated"  # a court has vacated the designation
    REMOVED = "removed"  # taken off the list


@dataclass(frozen=True, slots=True)
class Permissions:
    may_buy: bool = True
    may_sell: bool = True
    may_hold: bool = True

    def __and__(self, other: Permissions) -> Permissions:
        return Permissions(
            self.may_buy and other.may_buy, self.may_sell and other.may_sell, self.may_hold and other.may_hold
        )


PERMISSIONS: dict[State, Permissions] = {
    State.NOT_LISTED: Permissions(),
    State.LISTED_NO_BAN: Permissions(),
    State.NOT_YET_EFFECTIVE: Permissions(),
    # EO 13959 s.1(b)-(c) and EO 14032 s.1(b)-(c): sales (and purchases) solely to divest are allowed in the
    # window; a new purchase is not. "may_sell" therefore means: to divest.
    State.DIVESTMENT_WINDOW: Permissions(may_buy=False, may_sell=True, may_hold=True),
    State.HOLDING_ONLY: Permissions(may_buy=False, may_sell=False, may_hold=True),
    State.POSSESSION_PROHIBITED: Permissions(may_buy=False, may_sell=False, may_hold=False),
    State.ENJOINED: Permissions(),
    State.VACATED: Permissions(),
    State.REMOVED: Permissions(),
}


@dataclass(frozen=True, slots=True)
class RegimeStatus:
    regime: RegimeId
    title: str
    listed: bool
    state: State
    effective_from: datetime | None
    divest_until: datetime | None
    enjoined: bool
    reasons: tuple[str, ...]
    sources: tuple[Citation, ...]
    lists: tuple[ListId, ...] = ()
    listed_name: str | None = None
    listed_on: datetime | None = None
    removed_on: datetime | None = None
    uncertain: bool = False
    # A DoD procurement prohibition (FY2024 NDAA s.805, for 1260H names) applies at `on`: no bearing on investors.
    procurement: bool = False

    @property
    def permissions(self) -> Permissions:
        return PERMISSIONS[self.state]

    def to_json(self) -> dict[str, Any]:
        return {
            "regime": self.regime.value,
            "title": self.title,
            "listed": self.listed,
            "state": self.state.value,
            "effective_from": _iso(self.effective_from),
            "divest_until": _iso(self.divest_until),
            "enjoined": self.enjoined,
            "reasons": list(self.reasons),
            "sources": [citation.label() for citation in _unique(self.sources)],
            "lists": [list_id.value for list_id in self.lists],
            "listed_name": self.listed_name,
            "listed_on": _iso(self.listed_on),
            "removed_on": _iso(self.removed_on),
            "uncertain": self.uncertain,
            "procurement": self.procurement,
        }


@dataclass(frozen=True, slots=True)
class StatusReport:
    query: str
    on: datetime
    known_at: datetime
    entity: Entity | None
    entity_lists: tuple[ListId, ...]
    regimes: tuple[RegimeStatus, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def us_person(self) -> Permissions:
        allowed = Permissions()
        for regime in self.regimes:
            allowed = allowed & regime.permissions
        return allowed

    def to_json(self) -> dict[str, Any]:
        allowed = self.us_person
        return {
            "query": self.query,
            "on": iso(self.on),
            "known_at": iso(self.known_at),
            "entity": None
            if self.entity is None
            else {
                "id": self.entity.id,
                "name": self.entity.name,
                "lists": [list_id.value for list_id in self.entity_lists],
            },
            "us_person": {"may_buy": allowed.may_buy, "may_sell": allowed.may_sell, "may_hold": allowed.may_hold},
            "procurement": any(regime.procurement for regime in self.regimes),
            "regimes": [regime.to_json() for regime in self.regimes],
            "warnings": list(self.warnings),
        }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def _unique(citations: tuple[Citation, ...]) -> list[Citation]:
    seen: dict[str, Citation] = {}
    for citation in citations:
        seen.setdefault(citation.key, citation)
    return list(seen.values())
