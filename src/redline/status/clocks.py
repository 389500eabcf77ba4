"""When a listing's prohibitions start and when its divestment window closes.

The parameters live in `data/regimes.yaml`; this module applies them. Times are Eastern wall-clock times
converted with the zone rules in force on the day, so a 9:30 a.m. start on 2021-03-15 is 9:30 EDT (13:30 UTC)
while one on 2021-02-01 is 9:30 EST (14:30 UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from redline.model import ListingBasis, ListingEvent, Regime
from redline.model.instants import FIXED_ZONES, NEW_YORK, new_york_date
from redline.model.regimes import Clock


@dataclass(frozen=True, slots=True)
class Clocks:
    effective_from: datetime | None
    window_ends: datetime | None
    rule: str  # which rule set the clocks: "annex", "later" or "subsidiary"


def _offset(start: datetime, days: int | None, at: time | None, zone: str | None = None) -> datetime | None:
    if days is None or at is None:
        return None
    day = new_york_date(start) + timedelta(days=days)
    return datetime.combine(day, at, tzinfo=FIXED_ZONES[zone] if zone else NEW_YORK)


def literal_clocks(regime: Regime, listing: ListingEvent) -> Clocks | None:
    """The clocks read with the zone the order names taken literally, when that gives other instants than the
    wall-clock reading (a "9:30 a.m. eastern standard time" that falls on a summer date); else None."""
    wall = clocks_for(regime, listing)
    later = regime.later
    if wall.rule not in ("later", "subsidiary") or later is None:
        return None
    literal = Clocks(
        _offset(listing.valid_from, later.effective_days, later.effective_time, later.effective_zone)
        if later.effective_zone
        else wall.effective_from,
        _offset(listing.valid_from, later.window_days, later.window_end_time, later.window_end_zone)
        if later.window_end_zone
        else wall.window_ends,
        wall.rule,
    )
    return None if literal == wall else literal


def clocks_for(regime: Regime, listing: ListingEvent) -> Clocks:
    """The start of the prohibitions and the end of the divestment window for `listing` under `regime`."""
    if not regime.investment_ban:
        return Clocks(listing.valid_from, None, "listing")
    if listing.basis is ListingBasis.ANNEX and regime.annex is not None:
        return Clocks(regime.annex.effective, regime.annex.window_ends, "annex")
    later: Clock | None = regime.later
    if later is None:
        return Clocks(None, None, "none")
    # EO 13959 s.1(a)(ii) and EO 14032 s.1(a)(ii): "on the date 60 days after" the determination; the
    # divestment window runs 365 days from it. Subsidiaries listed by Treasury follow the same clock (FAQ 857).
    rule = "subsidiary" if listing.basis is ListingBasis.SUBSIDIARY else "later"
    return Clocks(
        _offset(listing.valid_from, later.effective_days, later.effective_time),
        _offset(listing.valid_from, later.window_days, later.window_end_time),
        rule,
    )
