"""The lists Redline tracks and the legal regimes that read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from redline.model.citations import Citation


class ListId(StrEnum):
    """A published list of entities. One entity may sit on several lists."""

    # DoD list of "Communist Chinese military companies" under FY1999 NDAA s.1237 (EO 13959 s.4(a)(i)-(ii)).
    CCMC_1237 = "CCMC_1237"
    # Subsidiaries OFAC itself listed under EO 13959 s.4(a)(iii) on the NS-CCMC List (2021-01-08).
    NSCCMC_OFAC = "NSCCMC_OFAC"
    # OFAC's Non-SDN Chinese Military-Industrial Complex Companies List under EO 13959 as amended by EO 14032.
    NS_CMIC = "NS_CMIC"
    # DoD list of "Chinese military companies" under FY2021 NDAA s.1260H.
    DOD_1260H = "DOD_1260H"


class RegimeId(StrEnum):
    """A body of law that attaches consequences to a list."""

    # EO 13959 (2020-11-12) as amended by EO 13974 (2021-01-13); reads CCMC_1237 and NSCCMC_OFAC.
    EO13959 = "EO13959"
    # EO 13959 as amended by EO 14032 (2021-06-03); reads NS_CMIC. 31 CFR part 586.
    EO14032 = "EO14032"
    # FY2021 NDAA s.1260H; reads DOD_1260H. No investment ban.
    NDAA1260H = "NDAA1260H"


LISTS_OF_REGIME: dict[RegimeId, tuple[ListId, ...]] = {
    RegimeId.EO13959: (ListId.CCMC_1237, ListId.NSCCMC_OFAC),
    RegimeId.EO14032: (ListId.NS_CMIC,),
    RegimeId.NDAA1260H: (ListId.DOD_1260H,),
}


def regime_of_list(list_id: ListId) -> RegimeId:
    for regime, lists in LISTS_OF_REGIME.items():
        if list_id in lists:
            return regime
    raise KeyError(list_id)


class AfterWindow(StrEnum):
    """What a regime allows once its divestment window has closed."""

    # EO 13974 s.1: possession is prohibited after the divestment deadline.
    POSSESSION_PROHIBITED = "possession_prohibited"
    # EO 14032 / OFAC FAQ 1046: holding is allowed, buying and selling are not.
    HOLDING_ONLY = "holding_only"


@dataclass(frozen=True, slots=True)
class Clock:
    """When prohibitions start and when the divestment window closes, for one class of listing.

    Either fixed instants (an order's Annex) or offsets in days from the listing date at a fixed Eastern
    wall-clock time (later determinations: "9:30 a.m. ... on the date 60 days after").
    """

    effective: datetime | None = None
    window_ends: datetime | None = None
    effective_days: int | None = None
    effective_time: time | None = None
    window_days: int | None = None
    window_end_time: time | None = None


@dataclass(frozen=True, slots=True)
class Regime:
    id: RegimeId
    title: str
    lists: tuple[ListId, ...]
    known_from: datetime  # when the order was signed: before it, its rules are unknown
    investment_ban: bool
    annex: Clock | None
    later: Clock | None
    after_window: AfterWindow | None
    # When the after-window rule became law (EO 13974 added the possession ban on 2021-01-13); before it,
    # `after_window_before` applies.
    after_window_known_from: datetime | None
    after_window_before: AfterWindow | None
    citations: dict[str, tuple[Citation, ...]]  # rule name -> its authority
    notes: tuple[str, ...] = ()

    def cite(self, rule: str) -> tuple[Citation, ...]:
        return self.citations.get(rule, ())
