"""The lists Redline tracks and the legal regimes that read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

from redline.model.citations import Citation

if TYPE_CHECKING:  # events.py imports ListId from here
    from redline.model.events import CourtEffect, CourtOrderKind


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
    # Lists Redline reads only from imported official files (issue 11; `src/redline/data/list_feeds.yaml`):
    OFAC_SDN = "OFAC_SDN"  # OFAC's Specially Designated Nationals and Blocked Persons List
    UN_SC = "UN_SC"  # UN Security Council Consolidated List
    BIS_EL = "BIS_EL"  # Commerce/BIS Entity List (15 CFR 744 Supp. 4)
    BIS_MEU = "BIS_MEU"  # Commerce/BIS Military End-User List (15 CFR 744 Supp. 7)
    BIS_UVL = "BIS_UVL"  # Commerce/BIS Unverified List (15 CFR 744 Supp. 6)
    BIS_DPL = "BIS_DPL"  # Commerce/BIS Denied Persons List
    STATE_ISN = "STATE_ISN"  # State Department nonproliferation sanctions
    STATE_DTC = "STATE_DTC"  # State Department ITAR debarred parties


class RegimeId(StrEnum):
    """A body of law that attaches consequences to a list."""

    # EO 13959 (2020-11-12) as amended by EO 13974 (2021-01-13); reads CCMC_1237 and NSCCMC_OFAC.
    EO13959 = "EO13959"
    # EO 13959 as amended by EO 14032 (2021-06-03); reads NS_CMIC. 31 CFR part 586.
    EO14032 = "EO14032"
    # FY2021 NDAA s.1260H; reads DOD_1260H. No investment ban.
    NDAA1260H = "NDAA1260H"
    # IEEPA blocking sanctions (31 CFR chapter V); reads OFAC_SDN. No dealing at all; property is blocked.
    SDN = "SDN"
    # Export-control and nonproliferation lists gathered on the Consolidated Screening List; no investment ban.
    CSL = "CSL"
    # UN Security Council sanctions; binding on the US through OFAC's programs, no investment ban by itself.
    UNSC = "UNSC"


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
    # The zone the order itself names for the offset clocks ("EST" in EO 13959 s.1(a)(ii), "EDT" in EO 14032
    # s.1(a)(ii)). When the clock falls on a date in the other half of the year, the literal reading (that fixed
    # offset) and the wall-clock reading (Eastern time on the day) give instants an hour apart.
    effective_zone: str | None = None
    window_end_zone: str | None = None


@dataclass(frozen=True, slots=True)
class RegimeNote:
    """A sentence added to every answer under a regime, shown only once all its sources are public."""

    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Doubt:
    """A period where the sources disagree on the answer for some names: flagged uncertain, both readings given.

    `entities` names them directly; `annex_of` takes every name with an Annex listing under that regime.
    """

    id: str
    start: datetime
    end: datetime
    known_from: datetime
    reason: str
    citations: tuple[Citation, ...]
    entities: tuple[str, ...] = ()
    annex_of: RegimeId | None = None


@dataclass(frozen=True, slots=True)
class ProcurementBan:
    """A procurement prohibition that starts on a date for listed names (no effect on investors)."""

    starts: datetime
    text: str
    citations: tuple[Citation, ...]


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
    notes: tuple[RegimeNote, ...] = ()
    doubts: tuple[Doubt, ...] = ()
    # Annex listings of this order were made on this day (store.cmic_events tells Annex rows from later ones).
    annex_day: date | None = None
    # Dated consequences other than investment bans (FY2024 NDAA s.805 procurement bans for 1260H names).
    procurement: tuple[ProcurementBan, ...] = ()
    # rule name -> the provisions it applies, printed in the reasons ("EO 13959 s.1(a)(ii), s.4(a)(ii)")
    pinpoints: dict[str, str] = field(default_factory=dict)
    # The README's row for this regime: name, lists, who, buying, selling, holding (plain words).
    summary: dict[str, str] = field(default_factory=dict)
    # What each kind of court order does to a designation under this regime (`court_orders:`).
    court_effects: dict[CourtOrderKind, CourtEffect] = field(default_factory=dict)
    # Blocking sanctions (SDN): no transaction at all once listed, and property held is blocked, not divested.
    blocking: bool = False
    # Lists Redline knows only from imported files: until one is imported, the answer says it was not checked.
    imported_only: bool = False

    def cite(self, rule: str) -> tuple[Citation, ...]:
        return self.citations.get(rule, ())


@dataclass(frozen=True, slots=True)
class StateRule:
    """What a US person may do in one answer state (data/states.yaml), with its authority."""

    may_buy: bool
    may_sell: bool
    may_hold: bool
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class DecisionTable:
    """Screening decisions for restricted rows of one kind (data/decisions.yaml): (unless, decision) steps."""

    steps: tuple[tuple[str | None, str], ...]
    citations: tuple[Citation, ...]


def regime_for_list(regimes: dict[RegimeId, Regime], list_id: ListId) -> Regime:
    """The regime that reads `list_id` (each list is read by exactly one; `redline data check` holds that)."""
    for regime in regimes.values():
        if list_id in regime.lists:
            return regime
    raise KeyError(f"no regime reads list {list_id}")
