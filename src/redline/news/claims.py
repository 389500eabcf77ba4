"""Claims checked against the catalog: an event it already holds corroborates; a claim that contradicts it
(a company said to be on a list it never was on, or removed from one it stayed on) is flagged, not believed.

Only what the catalog could know is checked: a claim dated after the newest publication it has read is news to
it, not a contradiction. Dates agree within the claim's own precision, widened by three days for a day (a report
dates a filing by the day it became public, the docket by the day it was filed).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from redline.model import ListingAction
from redline.model.periods import Period, Precision
from redline.news.catalog import NewsCatalog
from redline.news.events import COURT_KINDS, Event

SLACK = timedelta(days=3)


def _bounds(period: Period | None) -> tuple[date, date]:
    if period is None:
        return date.min, date.max
    slack = SLACK if period.precision is Precision.DAY else timedelta(0)
    return period.first - slack, period.last + slack


def check(event: Event, catalog: NewsCatalog) -> Event:
    if not event.legal:
        return event
    first, last = _bounds(event.period)
    if event.kind in COURT_KINDS:
        held = tuple(
            o.id
            for o in catalog.court_orders(event.entity_id)
            if o.kind.value == event.kind and first <= o.issued_at.date() <= last
        )
        return replace(event, corroborates=held)
    listings = catalog.listings(event.entity_id)
    wanted = (ListingAction.REMOVED,) if event.kind == "removed" else (ListingAction.LISTED, ListingAction.CORRECTED)
    held = tuple(e.id for e in listings if e.action in wanted and first <= e.valid_from.date() <= last)
    if held:
        return replace(event, corroborates=held)
    if event.period is not None and event.period.first > catalog.horizon().date():
        return event  # after what the catalog has read: news to it
    name = event.entity_name
    when = event.period.text() if event.period else "at any time"
    on_lists = {e.list_id for e in listings if e.valid_from.date() <= last and e.action is not ListingAction.REMOVED}
    removed = {e.list_id for e in listings if e.valid_from.date() <= last and e.action is ListingAction.REMOVED}
    if event.kind == "listed":
        why = f"the catalog has no listing of {name} on any list by {when}"
        if event.period is None:
            return replace(event, contradicts=why) if not listings else event
        return replace(event, contradicts=why) if not on_lists else event
    # a removal: contradicted when the entity stays on every list it was on (no removal held by then)
    if on_lists and not (on_lists & removed) and event.period is not None:
        lists = ", ".join(sorted(x.value for x in on_lists))
        return replace(event, contradicts=f"the catalog holds {name} on {lists} with no removal by {when}")
    if not listings:
        return replace(event, contradicts=f"the catalog has never held {name} on any list")
    return event
