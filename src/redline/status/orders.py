"""What court orders do to a designation: the one interpreter of `court_orders:` in regimes.yaml.

The status engine and the event studies (impact.timeline) both ask it, so an injunction, a vacatur and the
dissolution of an injunction mean the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from redline.model import CourtEffect, CourtOrder, Regime


@dataclass(frozen=True, slots=True)
class OrdersInForce:
    injunction: CourtOrder | None  # the injunction enjoining enforcement at the instant asked, if any
    vacatur: CourtOrder | None  # the order that vacated the designation, if any

    @property
    def suspended(self) -> bool:
        return self.injunction is not None or self.vacatur is not None


def concerning(regime: Regime, orders: Iterable[CourtOrder]) -> list[CourtOrder]:
    """The orders about designations on the regime's lists (a 1260H order leaves EO 14032 alone)."""
    return [order for order in orders if set(order.lists) & set(regime.lists)]


def orders_in_force(regime: Regime, orders: Iterable[CourtOrder], since: datetime, on: datetime) -> OrdersInForce:
    """The effect at `on` of the regime's orders issued in [since, on], applied in issue order."""
    injunction: CourtOrder | None = None
    vacatur: CourtOrder | None = None
    for order in sorted(concerning(regime, orders), key=lambda o: o.issued_at):
        if order.issued_at > on or order.issued_at < since:
            continue
        effect = regime.court_effects.get(order.kind, CourtEffect.NONE)
        if effect is CourtEffect.ENJOINS:
            injunction = order
        elif effect is CourtEffect.VACATES:
            vacatur = vacatur or order
        elif effect is CourtEffect.DISSOLVES:
            injunction = None
    return OrdersInForce(injunction, vacatur)
