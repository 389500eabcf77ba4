"""From a status report to a screening decision, per kind of input.

- holdings and counterparties: may the position be kept, and until when may it be sold?
- trades: is this purchase or sale allowed at the trade's own instant?
The states come from the status engine (`redline.status`), which cites the orders behind each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from redline.model import DecisionTable
from redline.model.vocabulary import Decision as Decision  # the type lives in the model: one vocabulary for every face
from redline.status.answer import Permissions, RegimeStatus, State, StatusReport
from redline.store.reference import bundled_store

SEVERITY = {
    Decision.OK: 0,
    Decision.REVIEW: 1,
    Decision.DIVEST: 2,
    Decision.HOLD_ONLY: 3,
    Decision.BLOCK: 4,
    Decision.ERROR: 5,
}
FINDINGS = (Decision.BLOCK, Decision.DIVEST, Decision.HOLD_ONLY, Decision.REVIEW)
RESTRICTIVE = (State.DIVESTMENT_WINDOW, State.HOLDING_ONLY, State.POSSESSION_PROHIBITED, State.BLOCKED)
# States that say nothing about the entity being on a list: left out of a row's listed regimes.
UNLISTED = (State.NOT_LISTED, State.NOT_CHECKED)


@dataclass(frozen=True, slots=True)
class Verdict:
    decision: Decision
    regimes: tuple[RegimeStatus, ...]  # the regimes that drove the decision (or that are listed, when OK)
    divest_until: datetime | None
    reasons: tuple[str, ...]


def _listed(report: StatusReport) -> tuple[RegimeStatus, ...]:
    return tuple(regime for regime in report.regimes if regime.state not in UNLISTED)


def decide(report: StatusReport, kind: str, side: str | None) -> Verdict:
    """The decision for one resolved row. `side` is "buy" or "sell" for trades."""
    listed = _listed(report)
    restrictive = tuple(regime for regime in listed if regime.state in RESTRICTIVE)
    allowed = report.us_person
    windows = [r.divest_until for r in restrictive if r.state is State.DIVESTMENT_WINDOW and r.divest_until]
    divest_until = min(windows) if windows else None
    reasons = tuple(reason for regime in (restrictive or listed) for reason in regime.reasons)
    if not restrictive:
        return Verdict(Decision.OK, listed, None, reasons)
    if any(regime.state is State.BLOCKED for regime in restrictive):
        # Blocking sanctions: any dealing in, and any holding of, a listed person's property is blocked and must be
        # reported (IEEPA; 31 CFR 501.603): BLOCK whatever the kind of row or side, before the kind x side tables.
        return Verdict(Decision.BLOCK, restrictive, None, reasons)
    decision = _table_decision(decision_tables(), kind, side, allowed)
    return Verdict(decision, restrictive, divest_until, reasons)


def decision_tables() -> dict[str, DecisionTable]:
    """The decision rules of data/decisions.yaml (the bundled data; read once per process)."""
    return bundled_store().data.decisions


def table_key(kind: str, side: str | None) -> str:
    if kind == "trades":
        return "trades.buy" if side == "buy" else "trades.sell"
    return "positions"  # holdings and counterparties: may the position be kept?


def _table_decision(tables: dict[str, DecisionTable], kind: str, side: str | None, allowed: Permissions) -> Decision:
    table = tables.get(table_key(kind, side))
    if table is None:
        return Decision.ERROR  # fail closed: no rule, no answer
    for unless, decision in table.steps:
        if unless is None or not getattr(allowed, unless):
            return Decision(decision)
    return Decision.ERROR


def unknown_decisions(tables: dict[str, DecisionTable]) -> list[str]:
    """Decisions named in decisions.yaml that Redline does not know, and tables it needs but lacks."""
    known = {d.value for d in Decision}
    wrong = [f"{key}: unknown decision {d!r}" for key, t in tables.items() for _, d in t.steps if d not in known]
    needed = [f"no table {key!r}" for key in ("trades.buy", "trades.sell", "positions") if key not in tables]
    return wrong + needed


def most_severe(decisions: list[Decision]) -> Decision:
    return max(decisions, key=SEVERITY.__getitem__, default=Decision.OK)
