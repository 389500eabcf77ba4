"""From a status report to a screening decision, per kind of input.

- holdings and counterparties: may the position be kept, and until when may it be sold?
- trades: is this purchase or sale allowed at the trade's own instant?
The states come from the status engine (`redline.status`), which cites the orders behind each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from redline.status.report import RegimeStatus, State, StatusReport


class Decision(StrEnum):
    OK = "OK"
    BLOCK = "BLOCK"  # the purchase or sale (or, after an EO 13974 window, the holding) is prohibited now
    DIVEST = "DIVEST"  # may be sold only until divest_until (EO 13959 s.1(c), EO 14032 s.1(c))
    HOLD_ONLY = "HOLD-ONLY"  # past the EO 14032 window: neither buy nor sell (OFAC FAQ 1046)
    REVIEW = "REVIEW"  # a possible match below identifier certainty
    ERROR = "ERROR"  # the row could not be screened as given


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
        # Blocking sanctions: any dealing, and any holding, of a listed person's property is blocked and reported.
        return Verdict(Decision.BLOCK, restrictive, None, reasons)
    if kind == "trades":
        if side == "buy":
            decision = Decision.OK if allowed.may_buy else Decision.BLOCK
        elif not allowed.may_sell:
            decision = Decision.BLOCK
        else:
            # A sale in the window is allowed only as a divestment (EO 13959 s.1(b), EO 14032 s.1(b)).
            decision = Decision.DIVEST
    elif not allowed.may_hold:
        decision = Decision.BLOCK  # EO 13974 s.1: possession prohibited after the window
    elif not allowed.may_sell:
        decision = Decision.HOLD_ONLY
    else:
        decision = Decision.DIVEST
    return Verdict(decision, restrictive, divest_until, reasons)


def most_severe(decisions: list[Decision]) -> Decision:
    return max(decisions, key=SEVERITY.__getitem__, default=Decision.OK)
