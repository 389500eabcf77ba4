"""The legal-status engine: per regime, per instant, as known at a moment.

`status_of(store, entity, on, known_at)` answers "may a US person buy, sell or hold this on `on`, judged
only on the facts public at `known_at`?". Valid time (`on`) selects which listings and orders were in force;
known time (`known_at`) hides every fact published later, so a question about the past can be answered as it
would have been answered then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from redline.model import (
    AfterWindow,
    Citation,
    CourtEffect,
    CourtOrder,
    Entity,
    ListId,
    ListingBasis,
    ListingEvent,
    Regime,
    iso,
)
from redline.model.events import Designation, designation_at
from redline.model.instants import NEW_YORK
from redline.status.answer import Permissions, RegimeStatus, State, StatusReport, permissions_of
from redline.status.clocks import Clocks, clocks_for, literal_clocks
from redline.status.orders import concerning, orders_in_force
from redline.store.reference import ReferenceStore


def _day(moment: datetime) -> str:
    """A short, readable Eastern-time stamp for reasons: the date, plus the time when it is not noon."""
    local = moment.astimezone(NEW_YORK)
    if moment.tzinfo is not None and moment.tzinfo is not NEW_YORK and moment.tzname() != local.tzname():
        # A literal reading ("12:01 a.m. eastern daylight time" on a winter date) is shown in the zone it names.
        own = f"{moment.date().isoformat()} {moment.strftime('%H:%M')} {moment.tzname()}"
        return f"{own} ({local.strftime('%H:%M')} {local.tzname()})"
    if (local.hour, local.minute) == (12, 0):
        return local.date().isoformat()
    return f"{local.date().isoformat()} {local.strftime('%H:%M')} {local.tzname()}"


class StatusEngine:
    def __init__(self, store: ReferenceStore) -> None:
        self.store = store
        self.regimes = store.data.regimes

    def _permissions(self, state: State) -> Permissions:
        return permissions_of(self.store.data.states, state)

    def status(self, entity: Entity | None, on: datetime, known_at: datetime, query: str = "") -> StatusReport:
        if entity is None:
            return StatusReport(
                query=query,
                on=on,
                known_at=known_at,
                entity=None,
                entity_lists=(),
                regimes=tuple(
                    self._finish(self._no_match(regime, query, on, known_at), known_at)
                    for regime in self.regimes.values()
                ),
                warnings=(f"no listed entity matches {query!r}: no US restriction found for it",),
                outcome="no_match",
            )
        listings = self.store.listings(entity.id, known_at)
        orders = self.store.court_orders(entity.id, known_at)
        warnings: list[str] = []
        results: list[RegimeStatus] = []
        for regime in self.regimes.values():
            events = [event for event in listings if event.list_id in regime.lists]
            # An order concerns the designations on the lists it names: a 1260H injunction leaves EO 14032 alone.
            concerned = concerning(regime, orders)
            result = self._regime_status(regime, entity, events, concerned, on, known_at)
            result = self._with_doubts(regime, entity, result, listings, on, known_at)
            result = self._with_procurement(regime, result, on, known_at)
            result = self._finish(result, known_at)
            results.append(result)
            if result.uncertain:
                warnings.append(f"{regime.id.value}: the answer rests on an uncertain reading; see its reasons")
        lists = tuple(dict.fromkeys(event.list_id for event in listings))
        low = [event for event in listings if event.confidence.value == "low" and event.valid_from <= on and event.note]
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

    def _finish(self, result: RegimeStatus, known_at: datetime) -> RegimeStatus:
        """Only sources public by `known_at`, and the permissions of the state (data/states.yaml)."""
        result = _known_only(result, known_at)
        return replace(result, allowed=self._permissions(result.state))

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
        # A negative answer is only as good as the lists consulted: the bundled editions public by `known_at`
        # (`cite: editions`) and the imported ones.
        sources = (*regime.cite("editions"), *editions) if state is State.NOT_LISTED else ()
        return _off_list(regime, state, (reason,), sources)

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
            undetermined = _off_list(regime, State.UNDETERMINED, reasons, sources, uncertain=True)
            results.append(self._finish(undetermined, known_at))
        return StatusReport(
            query, on, known_at, None, (), tuple(results), warnings, outcome="undetermined", candidates=candidates
        )

    def _regime_status(
        self,
        regime: Regime,
        entity: Entity,
        events: list[ListingEvent],
        orders: list[CourtOrder],
        on: datetime,
        known_at: datetime,
    ) -> RegimeStatus:
        found = designation_at(events, on)
        rule_sources = regime.cite("regime")
        if found.current is None:
            return self._not_in_force(regime, entity, found, orders, on, known_at)

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
            reasons.extend(_notes(regime, known_at))
            sources.extend([*regime.cite("blocking"), *regime.cite("fifty_percent")])
            return self._result(
                regime, State.BLOCKED, current, Clocks(current.valid_from, None, "listing"), reasons, sources, found
            )
        if not regime.investment_ban:
            reasons.extend(_notes(regime, known_at))
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
                f"As known at {_day(known_at)}, no order attached an investment prohibition to this listing."
                if known_at < regime.known_from
                else f"{regime.title} dates from {_day(regime.known_from)}; before it this listing carried no "
                "investment prohibition."
            )
            return self._result(
                regime, State.LISTED_NO_BAN, current, Clocks(None, None, "none"), reasons, sources, found
            )

        clocks = clocks_for(regime, current)
        sources.extend(regime.cite(clocks.rule))
        reasons.append(self._clock_reason(regime, current, clocks))
        in_force = orders_in_force(regime, orders, current.valid_from, on)
        injunction = in_force.injunction
        for order in orders:
            if order.issued_at <= on:
                sources.extend(order.citations)
        if in_force.suspended:
            sources.extend(regime.cite("court_orders"))

        if in_force.vacatur is not None:
            order = in_force.vacatur
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
        state = self._clock_state(regime, clocks, on, known_at, reasons, sources)
        uncertain = False
        literal = literal_clocks(regime, current)
        if literal is not None:
            other_reasons: list[str] = []
            other = self._clock_state(regime, literal, on, known_at, other_reasons, sources)
            if other is not state:
                state, uncertain = self._two_readings(regime, clocks, literal, state, other, reasons, other_reasons)
        reasons.extend(_notes(regime, known_at))
        return self._result(regime, state, current, clocks, reasons, sources, found, uncertain=uncertain)

    def _two_readings(
        self,
        regime: Regime,
        wall: Clocks,
        literal: Clocks,
        state: State,
        other: State,
        reasons: list[str],
        other_reasons: list[str],
    ) -> tuple[State, bool]:
        """The order names a fixed zone (EST or EDT) for a clock that falls in the other half of the year: the
        two readings put the instant an hour apart, and `on` lies between them. We answer with the stricter one."""
        later = regime.later
        zone = (later.effective_zone or later.window_end_zone) if later else None
        stricter = min((state, other), key=lambda s: _freedom(self._permissions(s)))
        reasons.append(
            f"Uncertain: the order states its clock in {zone} literally. Read as Eastern wall-clock time on the "
            f"day, prohibitions start {_day(wall.effective_from) if wall.effective_from else 'never'} and the "
            f"divestment window ends {_day(wall.window_ends) if wall.window_ends else 'never'} ({state.value} "
            f"now); read literally as {zone}, they start "
            f"{_day(literal.effective_from) if literal.effective_from else 'never'} and the window ends "
            f"{_day(literal.window_ends) if literal.window_ends else 'never'} ({other.value} now). We answer with "
            f"the stricter reading ({stricter.value})."
        )
        if stricter is other:
            reasons.extend(other_reasons)
        return stricter, True

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
                f"({regime.pinpoints.get('after_window', 'see sources')})."
            )
            return State.POSSESSION_PROHIBITED
        reasons.append(
            f"The divestment window closed on {_day(clocks.window_ends)}: securities may be held but neither "
            f"bought nor sold without an OFAC license ({regime.pinpoints.get('holding_only', 'see sources')})."
        )
        return State.HOLDING_ONLY

    def _not_in_force(
        self,
        regime: Regime,
        entity: Entity,
        found: Designation,
        orders: list[CourtOrder],
        on: datetime,
        known_at: datetime,
    ) -> RegimeStatus:
        if found.removal is None:
            lists = ", ".join(regime.lists)
            return self._unlisted(
                regime,
                f"{entity.name} is not on {lists} at {_day(on)} as known at {_day(known_at)}, "
                "in the list editions cited.",
                known_at,
            )
        removal = found.removal
        sources = [*regime.cite("regime"), *removal.citations, *regime.cite("removal")]
        reasons = [
            f"Removed from {removal.list_id.value} on {_day(removal.valid_from)}"
            + (f": {removal.note}." if removal.note else ".")
        ]
        for order in orders:
            if regime.court_effects.get(order.kind) is CourtEffect.VACATES and order.issued_at <= removal.valid_from:
                reasons.append(f"The designation had been vacated on {_day(order.issued_at)} ({order.case}).")
                sources.extend(order.citations)
        return _off_list(
            regime,
            State.REMOVED,
            reasons,
            sources,
            lists=(removal.list_id,),
            listed_name=removal.listed_name,
            listed_on=found.first_listed.valid_from if found.first_listed else None,
            removed_on=removal.valid_from,
        )

    def _with_doubts(
        self,
        regime: Regime,
        entity: Entity,
        result: RegimeStatus,
        listings: list[ListingEvent],
        on: datetime,
        known_at: datetime,
    ) -> RegimeStatus:
        """Flag the periods where the sources disagree (regimes.yaml `doubts`), with both readings."""
        if result.state is State.NOT_LISTED:
            return result
        reasons, sources, uncertain = list(result.reasons), list(result.sources), result.uncertain
        for doubt in regime.doubts:
            if not (doubt.known_from <= known_at and doubt.start <= on < doubt.end):
                continue
            covered = entity.id in doubt.entities
            if doubt.annex_of is not None and not covered:
                other = self.regimes.get(doubt.annex_of)
                covered = other is not None and any(
                    e.list_id in other.lists and e.basis is ListingBasis.ANNEX for e in listings
                )
            if covered:
                reasons.append(f"Uncertain: {doubt.reason}")
                sources.extend(doubt.citations)
                uncertain = True
        if uncertain == result.uncertain:
            return result
        return replace(result, reasons=tuple(reasons), sources=tuple(sources), uncertain=uncertain)

    def _with_procurement(self, regime: Regime, result: RegimeStatus, on: datetime, known_at: datetime) -> RegimeStatus:
        """Dated procurement bans on listed names (FY2024 NDAA s.805 for 1260H): shown, and flagged when in force."""
        if not result.listed or not regime.procurement:
            return result
        bans = [ban for ban in regime.procurement if all(c.published <= known_at for c in ban.citations)]
        if not bans:
            return result
        reasons = list(result.reasons)
        sources = list(result.sources)
        for ban in bans:
            when = "in force" if ban.starts <= on else "not yet in force"
            reasons.append(f"From {_day(ban.starts)} ({when}): {ban.text}")
            sources.extend(ban.citations)
        in_force = any(ban.starts <= on for ban in bans)
        return replace(result, reasons=tuple(reasons), sources=tuple(sources), procurement=in_force)

    def _listed_reason(self, entity: Entity, current: ListingEvent, found: Designation) -> str:
        reason = f"Listed on {current.list_id.value} on {_day(current.valid_from)}"
        basis = {
            ListingBasis.ANNEX: " (named in the order's Annex)",
            ListingBasis.DETERMINATION: " (later determination)",
            ListingBasis.SUBSIDIARY: " (publicly listed by Treasury as a subsidiary)",
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
        pinpoint = regime.pinpoints.get(clocks.rule)
        where = f" ({pinpoint})" if pinpoint else ""
        if clocks.rule == "annex":
            return f"Annex rule{where}: prohibitions from {start}; divestment allowed until {end}."
        offset = regime.later
        days = f"{offset.effective_days} days" if offset and offset.effective_days else "the set period"
        window = f"{offset.window_days} days" if offset and offset.window_days else "the set period"
        who = "Subsidiary listed by Treasury" if clocks.rule == "subsidiary" else "Later determination"
        return (
            f"{who}{where}: prohibitions from {start} ({days} after listing on {_day(current.valid_from)}); "
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
        uncertain: bool = False,
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
            uncertain=uncertain or current.confidence.value == "low",
        )


def _freedom(allowed: Permissions) -> int:
    """How many of buy, sell and hold a state allows: the stricter of two readings allows fewer."""
    return sum((allowed.may_buy, allowed.may_sell, allowed.may_hold))


def _off_list(
    regime: Regime,
    state: State,
    reasons: Iterable[str],
    sources: Iterable[Citation],
    lists: tuple[ListId, ...] = (),
    listed_name: str | None = None,
    listed_on: datetime | None = None,
    removed_on: datetime | None = None,
    uncertain: bool = False,
) -> RegimeStatus:
    """A regime answer with no designation in force: not listed, not checked, undetermined or removed."""
    return RegimeStatus(
        regime=regime.id,
        title=regime.title,
        listed=False,
        state=state,
        effective_from=None,
        divest_until=None,
        enjoined=False,
        reasons=tuple(reasons),
        sources=tuple(sources),
        lists=lists,
        listed_name=listed_name,
        listed_on=listed_on,
        removed_on=removed_on,
        uncertain=uncertain,
    )


def _notes(regime: Regime, known_at: datetime) -> list[str]:
    """The regime's standing notes whose sources were all public by `known_at`."""
    return [note.text for note in regime.notes if all(c.published <= known_at for c in note.citations)]


def _known_only(result: RegimeStatus, known_at: datetime) -> RegimeStatus:
    """Drop every source published after `known_at`: an answer as known at K cites nothing from after K."""
    sources = tuple(citation for citation in result.sources if citation.published <= known_at)
    return result if sources == result.sources else replace(result, sources=sources)
