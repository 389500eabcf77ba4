"""The answer of the status engine, and its stable JSON form (documented in docs/status.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from redline.model import Citation, Entity, ListId, RegimeId, StateRule, iso
from redline.model.vocabulary import State as State  # the type lives in the model: one vocabulary for every face


@dataclass(frozen=True, slots=True)
class Permissions:
    may_buy: bool = True
    may_sell: bool = True
    may_hold: bool = True

    def __and__(self, other: Permissions) -> Permissions:
        return Permissions(
            self.may_buy and other.may_buy, self.may_sell and other.may_sell, self.may_hold and other.may_hold
        )


def permissions_of(rules: dict[str, StateRule], state: State) -> Permissions:
    """What a US person may do in `state`, from data/states.yaml. A state without a rule is an error, never a
    permission (fail closed: `redline data check` reports the missing rule)."""
    rule = rules.get(state.value)
    if rule is None:
        raise KeyError(f"states.yaml has no rule for state {state.value!r}")
    return Permissions(rule.may_buy, rule.may_sell, rule.may_hold)


def missing_states(rules: dict[str, StateRule]) -> list[str]:
    """The answer states states.yaml gives no rule for, and the rules it gives for no state."""
    known = {state.value for state in State}
    return [f"no rule for state {key!r}" for key in sorted(known - set(rules))] + [
        f"a rule for unknown state {key!r}" for key in sorted(set(rules) - known)
    ]


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
    # What a US person may do in this state (data/states.yaml); the engine always sets it.
    allowed: Permissions | None = None

    @property
    def permissions(self) -> Permissions:
        if self.allowed is None:
            raise ValueError(f"{self.regime.value}: no permissions set for state {self.state.value}")
        return self.allowed

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
    # How the query was identified (redline.catalog.identify): "matched", "undetermined", "no_match", "invalid",
    # and the candidates considered, each as {id, name, score, match, decisive, lists, explanation}.
    outcome: str = "matched"
    candidates: tuple[dict[str, Any], ...] = ()

    @property
    def undetermined(self) -> bool:
        return self.outcome == "undetermined"

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
            # Fail closed: an undetermined identification gives no permission at all, not "yes".
            "us_person": {"may_buy": None, "may_sell": None, "may_hold": None}
            if self.undetermined
            else {"may_buy": allowed.may_buy, "may_sell": allowed.may_sell, "may_hold": allowed.may_hold},
            "procurement": any(regime.procurement for regime in self.regimes),
            "regimes": [regime.to_json() for regime in self.regimes],
            "identification": {"outcome": self.outcome, "candidates": list(self.candidates)},
            "warnings": list(self.warnings),
        }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def _unique(citations: tuple[Citation, ...]) -> list[Citation]:
    seen: dict[str, Citation] = {}
    for citation in citations:
        seen.setdefault(citation.key, citation)
    return list(seen.values())
