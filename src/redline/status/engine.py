"""The legal-status engine: per regime, per instant, as known at a moment.

`status_of(store, entity, on, known_at)` answers "may a US person buy, sell or hold this on `on`, judged
only on the facts public at `known_at`?". Valid time (`on`) selects which listings and orders were in force;
known time (`known_at`) hides every fact published later, so a question about the past can be answered as it
would have been answered then.
"""

from __future__ import annotations

from datetime import datetime

from redline.model import (
    AfterWindow,
    Citation,
    CourtOrder,
    CourtOrderKind,
    Entity,
    ListingBasis,
    ListingEvent,
    Regime,
    RegimeId,
    iso,
)
from redline.model.events import Designation, designation_at
from redline.model.instants import NEW_YORK
from redline.status.clocks import Clocks, clocks_for
from redline.status.report import RegimeStatus, State, StatusReport
from redline.store.reference import ReferenceStore


def _day(moment: datetime) -> str:
    """A short, readable Eastern-time stamp for reasons: the date, plus the time when it is not noon."""
    local = moment.astimezone(NEW_YORK)
    if (local.hour, local.minute) == (12, 0):
        return local.date().isoformat()
    return f"{local.date().isoformat()} {local.strftime('%H:%M')} {local.tzname()}"


def _orders_in_force(orders: list[CourtOrder], since: datetime, on: datetime) -> tuple[CourtOrder | None, bool]:
    """(the injunction in force, whether the designation was vacated) from orders issued in (since, on]."""
    injunction: CourtOrder | None = None
    vacated = False
    for order in orders:
        if order.issued_at > on or order.issued_at < since:
            continue
        if order.kind is CourtOrderKind.PRELIMINARY_INJUNCTION:
            injunction = order
        elif order.kind is CourtOrderKind.VACATUR:
            vacated = True
        elif order.kind in (CourtOrderKind.DISMISSAL, CourtOrderKind.JUDGMENT_FOR_GOVERNMENT):
            # A final disposition for the government, or the end of the case, dissolves a preliminary injunction.
            injunction = None
    return injunction, vacated


class StatusEngine:
    def __init__(self, store: ReferenceStore) -> None:
        self.store = store
        self.regimes = store.data.regimes

    def status(self, entity: Entity | None, on: datetime, known_at: datetime, query: str = "") -> StatusReport:
        if entity is None:
            return StatusReport(
                query=query,
                on=on,
                known_at=known_at,
                entity=None,
                entity_lists=(),
                regimes=tuple(self._no_match(regime, query, on, known_at) for regime in self.regimes.values()),
                warnings=(f"no listed entity matches {query!r}: no US restriction found for it",),
                outcome="no_match",
            )
        listings = self.store.listings(entity.id, known_at)
        orders = self.store.court_orders(entity.id, known_at)
        warnings: list[str] = []
        results: list[RegimeStatus] = []
        for regime in self.regimes.values():
            events = [event for event in listings if event.list_id in regime.lists]
            result = self._regime_status(regime, entity, events, orders, listings, on, known_at)
            results.append(result)
            if result.uncertain:
                warnings.append(f"{regime.id.value}: the answer rests on an uncertain reading; see its reasons")
        lists = tuple(dict.fromkeys(event.list_id for event in listings))
        low = [event for event in listings if event.confidence.value == "low" and event.valid_from <= on]
        if low:
            warnings.append(
                "low-confidence listing facts used: " + ", ".join(sorted({f"{e.id} ({e.note})" for e in low}))
            )
        warnings.extend(self.store.notes(entity.id, known_at))
        if known_at < on:
            warnings.append(
                f"answer as known at {iso(known_at)}: facts published after that are ignored, "
                "including any that change this answer"
            )
        return StatusReport(query or entity.name, on, known_at, entity, lists, tuple(results), tuple(warnings))

    def _no_match(self, regime: Regime, query: str, on: datetime, known_at: datetime) -> RegimeStatus:
        """Every regime is answered even when nothing matched, citing the list editions that were consulted."""
        lists = ", ".join(regime.lists)
        return self._unlisted(
            regime, f"No entity on {lists} matches {query!r} at {_day(on)} as known at {_day(known_at)}.", known_at
        )

    def _unlisted(self, regime: Regime, reason: str, known_at: datetime) -> RegimeStatus:
        """Not on the regime's lists, citing the editions consulted; `not_checked` when a list known only from
        imported files has no edition imported by `known_at` (never a silent "not listed")."""
        editions = self.store.editions_of(regime.lists, known_at)
        state = State.NOT_LISTED
        if regime.imported_only and not editions:
            state = State.NOT_CHECKED
            reason = (
                f"Not checked: no edition of {', '.join(regime.lists)} known at {_day(known_at)} has been imported "
                "(`redline sources add FILE` or `redline sources update`)."
            )
        return RegimeStatus(
            regime=regime.id,
            title=regime.title,
            listed=False,
            state=state,
            effective_from=None,
            divest_until=None,
            enjoined=False,
            reasons=(reason,),
            sources=(*regime.cite("regime"), *editions) if state is State.NOT_LISTED else (),
        )

    def undetermined(
        self,
        query: str,
        on: datetime,
        known_at: datetime,
        leads: list[Entity],
        candidates: tuple[dict[str, object], ...],
        warnings: tuple[str, ...],
    ) -> StatusReport:
        """No entity identified with confidence, but listed entities are leads: every regime is `undetermined`, and
        its reasons say what the answer would be for each lead, so the reviewer sees what is at stake."""
        per_lead = [self.status(lead, on, known_at, query=query) for lead in leads]
        results = []
        for regime in self.regimes.values():
            reasons = [f"Undetermined: {query!r} was not identified with confidence; a person must review the leads."]
            sources: list[Citation] = []
            for lead, report in zip(leads, per_lead, strict=True):
                for result in report.regimes:
                    if result.regime is regime.id:
                        reasons.append(f"If it is {lead.name} ({lead.id}): {result.state.value}.")
                        sources.extend(result.sources)
            results.append(
                RegimeStatus(
                    regime=regime.id,
                    title=regime.title,
                    listed=False,
                    state=State.UNDETERMINED,
                    effective_from=None,
                    divest_until=None,
                    enjoined=False,
                    reasons=tuple(reasons),
                    sources=tuple(sources),
                    uncertain=True,
                )
            )
        return StatusReport(
            query, on, known_at, None, (), tuple(results), warnings, outcome="undetermined", candidates=candidates
        )

    def _regime_status(
        self,
        regime: Regime,
        entity: Entity,
        events: list[ListingEvent],
        orders: list[CourtOrder],
        all_listings: list[ListingEvent],
        on: datetime,
        known_at: datetime,
    ) -> RegimeStatus:
        found = designation_at(events, on)
        rule_sources = regime.cite("regime")
        if found.current is None:
            return self._not_in_force(regime, entity, found, orders, all_listings, on, known_at)

        current = found.current
        sources: list[Citation] = [*rule_sources, *current.citations]
        reasons = [self._listed_reason(entity, current, found)]
        if current.note:
            reasons.append(f"Note: {current.note}.")

        if regime.blocking:
            reasons.append(
                "Blocked: no purchase, sale, transfer or other dealing without an OFAC license; property already held "
                "is blocked and must be reported to OFAC."
            )
            reasons.extend(regime.notes)
            sources.extend([*regime.cite("blocking"), *regime.cite("fifty_percent")])
            return self._result(
                regime, State.BLOCKED, current, Clocks(current.valid_from, None, "listing"), reasons, sources, found
            )
        if not regime.investment_ban:
            reasons.extend(regime.notes)
            return self._result(
                regime,
                State.LISTED_NO_BAN,
                current,
                Clocks(current.valid_from, None, "listing"),
                reasons,
                sources,
                found,
            )

        # Before the order existed (valid time) or was public (known time), a listing had no legal effect:
        # the Section 1237 list carried no prohibition until EO 13959 was signed on 2020-11-12.
        if min(on, known_at) < regime.known_from:
            reasons.append(
                f"{regime.title} dates from {_day(regime.known_from)}; before it this listing carried no "
                "investment prohibition."
            )
            return self._result(
                regime, State.LISTED_NO_BAN, current, Clocks(None, None, "none"), reasons, sources, found
            )

        clocks = clocks_for(regime, current)
        sources.extend(regime.cite(clocks.rule))
        reasons.append(self._clock_reason(regime, current, clocks))
        injunction, vacated = _orders_in_force(orders, current.valid_from, on)
        relevant_orders = [o for o in orders if o.issued_at <= on and set(o.lists) & set(regime.lists)]
        for order in relevant_orders:
            sources.extend(order.citations)

        if vacated:
            order = next(o for o in relevant_orders if o.kind is CourtOrderKind.VACATUR)
            reasons.append(
                f"The court vacated the designation on {_day(order.issued_at)} ({order.case}, {order.court} "
                f"No. {order.docket}): the prohibitions do not apply."
            )
            if clocks.effective_from and injunction and injunction.issued_at < clocks.effective_from:
                reasons.append("They never applied: an injunction was in force before the effective date.")
            return self._result(regime, State.VACATED, current, clocks, reasons, sources, found, enjoined=True)
        if injunction is not None:
            when = (
                "before the prohibitions took effect, so they never applied"
                if clocks.effective_from and injunction.issued_at < clocks.effective_from
                else "after the prohibitions took effect; from then on they may not be enforced"
            )
            reasons.append(
                f"A preliminary injunction issued on {_day(injunction.issued_at)} ({injunction.case}, "
                f"{injunction.court} No. {injunction.docket}) enjoins enforcement of the designation, {when}."
            )
            return self._result(regime, State.ENJOINED, current, clocks, reasons, sources, found, enjoined=True)
        # Orders still unknown at `known_at` cannot be relied on: say so when the answer is historical.
        state = self._clock_state(regime, clocks, on, known_at, reasons, sources)
        reasons.extend(regime.notes)
        return self._result(regime, state, current, clocks, reasons, sources, found)

    def _clock_state(
        self,
        regime: Regime,
        clocks: Clocks,
        on: datetime,
        known_at: datetime,
        reasons: list[str],
        sources: list[Citation],
    ) -> State:
        if clocks.effective_from is None or on < clocks.effective_from:
            return State.NOT_YET_EFFECTIVE
        if clocks.window_ends is None or on < clocks.window_ends:
            reasons.append(
                "Purchases are prohibited; sales (and purchases) solely to divest are allowed until "
                f"{_day(clocks.window_ends) if clocks.window_ends else 'further notice'}."
            )
            return State.DIVESTMENT_WINDOW
        sources.extend(regime.cite("after_window"))
        after = regime.after_window
        if (
            after is AfterWindow.POSSESSION_PROHIBITED
            and regime.after_window_known_from is not None
            and min(on, known_at) < regime.after_window_known_from
        ):
            after = regime.after_window_before
        if after is AfterWindow.POSSESSION_PROHIBITED:
            reasons.append(
                f"The divestment deadline passed on {_day(clocks.window_ends)}: possession is now prohibited "
                "(EO 13974 s.1)."
            )
            return State.POSSESSION_PROHIBITED
        reasons.append(
            f"The divestment window closed on {_day(clocks.window_ends)}: securities may be held but neither "
            "bought nor sold without an OFAC license (OFAC FAQ 1046)."
        )
        return State.HOLDING_ONLY

    def _not_in_force(
        self,
        regime: Regime,
        entity: Entity,
        found: Designation,
        orders: list[CourtOrder],
        all_listings: list[ListingEvent],
        on: datetime,
        known_at: datetime,
    ) -> RegimeStatus:
        if found.removal is None:
            lists = ", ".join(regime.lists)
            return self._unlisted(
                regime, f"{entity.name} is not on {lists} at {_day(on)} as known at {_day(known_at)}.", known_at
            )
        removal = found.removal
        sources = [*regime.cite("regime"), *removal.citations, *regime.cite("removal")]
        reasons = [
            f"Removed from {removal.list_id.value} on {_day(removal.valid_from)}"
            + (f": {removal.note}." if removal.note else ".")
        ]
        vacaturs = [o for o in orders if o.kind is CourtOrderKind.VACATUR and set(o.lists) & set(regime.lists)]
        for order in vacaturs:
            if order.issued_at <= removal.valid_from:
                reasons.append(f"The designation had been vacated on {_day(order.issued_at)} ({order.case}).")
                sources.extend(order.citations)
        uncertain = False
        if regime.id is RegimeId.EO13959:
            uncertain = self._supersession_gap(entity, all_listings, on, reasons, sources)
        return RegimeStatus(
            regime=regime.id,
            title=regime.title,
            listed=False,
            state=State.REMOVED,
            effective_from=None,
            divest_until=None,
            enjoined=False,
            reasons=tuple(reasons),
            sources=tuple(sources),
            lists=(removal.list_id,),
            listed_name=removal.listed_name,
            listed_on=found.first_listed.valid_from if found.first_listed else None,
            removed_on=removal.valid_from,
            uncertain=uncertain,
        )

    def _supersession_gap(
        self,
        entity: Entity,
        all_listings: list[ListingEvent],
        on: datetime,
        reasons: list[str],
        sources: list[Citation],
    ) -> bool:
        """The 2021-06-03 to 2021-08-01 gap for names carried from the CCMC list into the EO 14032 Annex.

        Our reading: EO 14032 (signed 2021-06-03) replaced ss.1-5 of EO 13959, DoD removed every Section 1237
        listing "as of June 3, 2021", and OFAC replaced the NS-CCMC List with the NS-CMIC List the same day
        (FAQ 898), so from 2021-06-03 no EO 13959 prohibition had a designation to act on; the EO 14032
        prohibitions began at 12:01 a.m. EDT 2021-08-02. Some commentators (Steptoe, June 2021) describe the
        new order as taking effect on 2021-08-02, and no OFAC text says whether the old purchase ban kept
        biting Annex names in between. We report the gap as free and flag it as uncertain.
        """
        eo14032 = self.regimes.get(RegimeId.EO14032)
        if eo14032 is None or eo14032.annex is None or eo14032.annex.effective is None:
            return False
        in_annex = any(e.list_id in eo14032.lists and e.basis is ListingBasis.ANNEX for e in all_listings)
        if not in_annex or not (eo14032.known_from <= on < eo14032.annex.effective):
            return False
        reasons.append(
            "Uncertain: between 2021-06-03 and 12:01 a.m. EDT 2021-08-02 this EO 14032 Annex name was off the "
            "CCMC list (DoD removal as of 2021-06-03; NS-CCMC List replaced, OFAC FAQ 898) and not yet under "
            "the EO 14032 ban. We read the EO 13959 prohibitions as ended on 2021-06-03; some commentators "
            "describe EO 14032 as taking effect only on 2021-08-02, and no OFAC text settles whether the old "
            "purchase ban still applied in the gap."
        )
        sources.extend(eo14032.cite("regime"))
        return True

    def _listed_reason(self, entity: Entity, current: ListingEvent, found: Designation) -> str:
        reason = f"Listed on {current.list_id.value} on {_day(current.valid_from)}"
        basis = {
            ListingBasis.ANNEX: " (named in the order's Annex)",
            ListingBasis.DETERMINATION: " (later determination)",
            ListingBasis.SUBSIDIARY: " (publicly listed by Treasury as a subsidiary, EO 13959 s.4(a)(iii))",
            ListingBasis.EDITION: " (list edition)",
        }[current.basis]
        reason += basis
        if current.listed_name.casefold() != entity.name.casefold():
            reason += f" as '{current.listed_name}'"
        reason += "."
        for old in found.replaced:
            reason += (
                f" This corrected listing replaces the one of {_day(old.valid_from)} as '{old.listed_name}', "
                "and its clocks restart from the corrected listing."
            )
        return reason

    def _clock_reason(self, regime: Regime, current: ListingEvent, clocks: Clocks) -> str:
        start = _day(clocks.effective_from) if clocks.effective_from else "no date"
        end = _day(clocks.window_ends) if clocks.window_ends else "no date"
        if clocks.rule == "annex":
            return f"Annex rule: prohibitions from {start}; divestment allowed until {end}."
        offset = regime.later
        days = f"{offset.effective_days} days" if offset and offset.effective_days else "the set period"
        window = f"{offset.window_days} days" if offset and offset.window_days else "the set period"
        who = "Subsidiary listed by Treasury" if clocks.rule == "subsidiary" else "Later determination"
        return (
            f"{who}: prohibitions from {start} ({days} after listing on {_day(current.valid_from)}); "
            f"divestment allowed until {end} ({window} after listing)."
        )

    def _result(
        self,
        regime: Regime,
        state: State,
        current: ListingEvent,
        clocks: Clocks,
        reasons: list[str],
        sources: list[Citation],
        found: Designation,
        enjoined: bool = False,
    ) -> RegimeStatus:
        return RegimeStatus(
            regime=regime.id,
            title=regime.title,
            listed=True,
            state=state,
            effective_from=clocks.effective_from,
            divest_until=clocks.window_ends,
            enjoined=enjoined,
            reasons=tuple(reasons),
            sources=tuple(sources),
            lists=(current.list_id,),
            listed_name=current.listed_name,
            listed_on=(found.first_listed or current).valid_from,
            uncertain=current.confidence.value == "low",
        )
