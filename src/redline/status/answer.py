"""The answer of the status engine, and its stable JSON form (documented in docs/status.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from redline.model import Citation, Entity, ListId, RegimeId, StateRule, iso
from redline.model.status_answer import (
    CandidateAnswer,
    EntityRef,
    IdentificationAnswer,
    IdentificationOutcome,
    RegimeAnswer,
    StatusAnswer,
    UsPerson,
    json_form,
)
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

    def answer(self) -> RegimeAnswer:
        return RegimeAnswer(
            regime=self.regime,
            title=self.title,
            listed=self.listed,
            state=self.state,
            effective_from=_iso(self.effective_from),
            divest_until=_iso(self.divest_until),
            enjoined=self.enjoined,
            reasons=self.reasons,
            sources=tuple(citation.label() for citation in _unique(self.sources)),
            lists=self.lists,
            listed_name=self.listed_name,
            listed_on=_iso(self.listed_on),
            removed_on=_iso(self.removed_on),
            uncertain=self.uncertain,
            procurement=self.procurement,
        )

    def to_json(self) -> dict[str, Any]:
        return cast(dict[str, Any], json_form(self.answer()))


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

    def answer(self) -> StatusAnswer:
        """The answer in its contract's form (`redline.model.status_answer`): the CLI's JSON and the API's schema."""
        allowed = self.us_person
        return StatusAnswer(
            query=self.query,
            on=iso(self.on),
            known_at=iso(self.known_at),
            entity=None if self.entity is None else EntityRef(self.entity.id, self.entity.name, self.entity_lists),
            # Fail closed: an undetermined identification gives no permission at all, not "yes".
            us_person=UsPerson(None, None, None)
            if self.undetermined
            else UsPerson(allowed.may_buy, allowed.may_sell, allowed.may_hold),
            procurement=any(regime.procurement for regime in self.regimes),
            regimes=tuple(regime.answer() for regime in self.regimes),
            identification=IdentificationAnswer(
                cast(IdentificationOutcome, self.outcome), tuple(_candidate(found) for found in self.candidates)
            ),
            warnings=self.warnings,
        )

    def to_json(self) -> dict[str, Any]:
        return cast(dict[str, Any], json_form(self.answer()))


def _candidate(found: dict[str, Any]) -> CandidateAnswer:
    return CandidateAnswer(**{**found, "lists": tuple(ListId(list_id) for list_id in found["lists"])})


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def _unique(citations: tuple[Citation, ...]) -> list[Citation]:
    seen: dict[str, Citation] = {}
    for citation in citations:
        seen.setdefault(citation.key, citation)
    return list(seen.values())
