"""Listing events read from imported official files, bitemporally.

Each snapshot of a list is one edition. An entry yields a `listed` event whose valid time is what the file prints
(OFAC's "Listing Date (CMIC)", the UN's listed-on date, the CSL's start date) or, when it prints none, the issue
date of the first edition that carries it; its known time is the snapshot's issue date. An entry that a later
*complete* edition of the list's own publisher no longer carries is `removed` as of that edition's issue date.

Where the publisher's file and the bundled transcription disagree (another listing date, or an entry the file
drops), the file wins for answers known from its issue date: the bundled event is *superseded* at that instant
(answers known earlier still use it) and a note says which source was used and what it replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from redline.model import (
    Citation,
    Confidence,
    ListId,
    ListingAction,
    ListingBasis,
    ListingEvent,
    Regime,
    at_new_york,
)
from redline.model.events import designation_at
from redline.model.vocabulary import SourceList

if TYPE_CHECKING:  # the snapshot store brings SQLAlchemy: a bundled-only answer never needs it
    from redline.model.records import FactKey, SourceRecord
    from redline.sources.list_feeds import ListFeed
    from redline.store.snapshots import Snapshot

# An edition that has lost over 10% and over 10 of the entries expected of it is taken for an extract (trade.gov's
# test fixtures, a filtered export): it infers no removal.
COMPLETE_SHARE = 0.9
COMPLETE_SLACK = 10
_PUBLISHERS = {
    SourceList.OFAC_SDN: "U.S. Treasury, OFAC",
    SourceList.OFAC_CONS: "U.S. Treasury, OFAC",
    SourceList.UN_SC: "United Nations Security Council",
    SourceList.TRADE_CSL: "U.S. Department of Commerce, International Trade Administration",
}
_TITLES = {
    SourceList.OFAC_SDN: "OFAC SDN List",
    SourceList.OFAC_CONS: "OFAC Consolidated (non-SDN) List",
    SourceList.UN_SC: "UN Security Council Consolidated List",
    SourceList.TRADE_CSL: "Consolidated Screening List",
    SourceList.FTM: "FollowTheMoney export",
}


def snapshot_citation(snapshot: Snapshot) -> Citation:
    issued = snapshot.known_from
    title = _TITLES.get(snapshot.source, snapshot.source.value)
    if snapshot.label:
        title += f" ({snapshot.label})"
    return Citation(
        key=f"snapshot-{snapshot.short_hash}",
        title=(
            f"{title}, {snapshot.format.value} file issued {issued.date().isoformat()}"
            f" (Redline snapshot #{snapshot.id}, sha256 {snapshot.short_hash})"
        ),
        published=issued,
        url=snapshot.origin if snapshot.origin.startswith("http") else None,
        publisher=_PUBLISHERS.get(snapshot.source, snapshot.label or snapshot.source.value),
    )


def listed_day(record: SourceRecord, list_id: ListId) -> date | None:
    """The listing date the file prints for this entry, if any."""
    from redline.model.records import DateKind, FactKey  # imported files only: a saved catalog loads without them

    qualifier = "CMIC" if list_id is ListId.NS_CMIC else None
    for fact in record.facts_of(FactKey.LISTING_DATE, qualifier):
        if fact.day:
            return fact.day
    for printed in record.dates:
        if printed.kind is DateKind.LISTED and printed.earliest and printed.earliest == printed.latest:
            return printed.earliest
    start = dict(record.extra).get("start_date", "").strip()[:10]
    try:
        return date.fromisoformat(start) if start else None
    except ValueError:
        return None


def _fact_day(record: SourceRecord, key: FactKey, list_id: ListId) -> datetime | None:
    qualifier = "CMIC" if list_id is ListId.NS_CMIC else None
    days = [f.day for f in record.facts_of(key, qualifier) if f.day]
    return at_new_york(days[0]) if days else None


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of one edition, already assigned to its catalog entity."""

    entity_id: str
    list_id: ListId
    record: SourceRecord


@dataclass
class Edition:
    snapshot: Snapshot
    feed: ListFeed
    entries: list[Entry]


@dataclass
class ImportedHistory:
    """What the imported editions add to the bundled history."""

    events: list[ListingEvent] = field(default_factory=list)
    superseded: dict[str, datetime] = field(default_factory=dict)  # bundled event id -> known no longer from
    # (entity id, known from, note): disagreements and the source chosen, shown in answers known from then on
    notes: list[tuple[str, datetime, str]] = field(default_factory=list)
    # (list, entity id) -> the editions that carried the entry, for the sources of an answer
    carried_by: dict[tuple[ListId, str], list[Snapshot]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class _Timeline:
    """Events per (entity, list), so 'in force at D as known at D' can be asked while editions are applied."""

    def __init__(self, bundled: Iterable[ListingEvent]) -> None:
        self.events: dict[tuple[str, ListId], list[ListingEvent]] = {}
        self.superseded: dict[str, datetime] = {}
        for event in bundled:
            self.events.setdefault((event.entity_id, event.list_id), []).append(event)

    def add(self, event: ListingEvent) -> None:
        self.events.setdefault((event.entity_id, event.list_id), []).append(event)

    def known(self, key: tuple[str, ListId], at: datetime) -> list[ListingEvent]:
        kept = [
            e
            for e in self.events.get(key, [])
            if e.known_from <= at and (e.id not in self.superseded or self.superseded[e.id] > at)
        ]
        return sorted(kept, key=lambda e: (e.valid_from, e.action is not ListingAction.REMOVED))

    def current(self, key: tuple[str, ListId], at: datetime) -> ListingEvent | None:
        return designation_at(self.known(key, at), at).current

    def keys_on(self, lists: Iterable[ListId]) -> Iterator[tuple[str, ListId]]:
        wanted = set(lists)
        return (key for key in list(self.events) if key[1] in wanted)


def imported_history(
    editions: Iterable[Edition], bundled: Iterable[ListingEvent], annex_day: dict[ListId, date]
) -> ImportedHistory:
    """Apply editions in the order their facts became known; `annex_day` dates each list's founding Annex (an
    entry listed that day is an Annex listing: EO 14032 named 59 companies on 2021-06-03)."""
    from redline.model.records import FactKey

    history = ImportedHistory()
    timeline = _Timeline(bundled)
    timeline.superseded = history.superseded
    previous_size: dict[tuple[SourceList, str], int] = {}
    for edition in sorted(editions, key=lambda e: (e.snapshot.known_from, e.snapshot.id)):
        snapshot = edition.snapshot
        issued = snapshot.known_from
        citation = snapshot_citation(snapshot)
        present: set[tuple[str, ListId]] = set()
        for entry in edition.entries:
            key = (entry.entity_id, entry.list_id)
            if key in present:
                continue  # the same entity twice in one edition (A and H shares, two OFAC entries): one listing
            present.add(key)
            history.carried_by.setdefault((entry.list_id, entry.entity_id), []).append(snapshot)
            day = listed_day(entry.record, entry.list_id)
            current = timeline.current(key, issued)
            if current is not None and (day is None or current.valid_from.date() == day):
                continue  # the edition confirms what is already known
            if current is not None and entry.list_id not in edition.feed.authoritative:
                continue  # only the list's own publisher corrects a date
            valid_from = at_new_york(day) if day else issued
            event = ListingEvent(
                id=f"snap{snapshot.id}-{entry.list_id.value}-{entry.record.source_id}",
                entity_id=entry.entity_id,
                list_id=entry.list_id,
                action=ListingAction.LISTED,
                valid_from=min(valid_from, issued),
                known_from=issued,
                listed_name=entry.record.name,
                basis=_basis(entry.list_id, day, annex_day),
                citations=(citation,),
                confidence=Confidence.HIGH,
                stated_effective=_fact_day(entry.record, FactKey.EFFECTIVE_DATE, entry.list_id),
                stated_divest_until=_fact_day(entry.record, FactKey.DIVESTMENT_DATE, entry.list_id),
                note=f"{_TITLES.get(snapshot.source, snapshot.source.value)} entry {entry.record.source_id}",
            )
            if current is not None:
                history.superseded[current.id] = issued
                history.notes.append(
                    (
                        entry.entity_id,
                        issued,
                        f"{entry.list_id.value}: the {citation.title} dates the listing {day}, where "
                        f"{_source_of(current)} had {current.valid_from.date()}; answers known from "
                        f"{issued.date()} use the newer official file",
                    )
                )
            timeline.add(event)
            history.events.append(event)
        # Removals: only a complete edition of the list's own publisher says an entry has gone.
        list_key = (snapshot.source, snapshot.label)
        expected = previous_size.get(list_key)
        in_force = [
            key for key in timeline.keys_on(edition.feed.authoritative) if timeline.current(key, issued) is not None
        ]
        if expected is None:
            expected = len(in_force)
        carried = len([key for key in present if key[1] in edition.feed.authoritative])
        complete = carried >= expected * COMPLETE_SHARE or expected - carried <= COMPLETE_SLACK
        previous_size[list_key] = max(carried, 1) if complete else expected
        if not complete:
            history.warnings.append(
                f"snapshot #{snapshot.id} ({snapshot.list_key}, issued {issued.date()}) carries {carried} of the "
                f"{expected} entries expected: taken for an extract, so no removal is inferred from it"
            )
            continue
        for key in in_force:
            if key in present:
                continue
            last = timeline.current(key, issued)
            assert last is not None
            removal = ListingEvent(
                id=f"snap{snapshot.id}-{key[1].value}-{key[0]}-removed",
                entity_id=key[0],
                list_id=key[1],
                action=ListingAction.REMOVED,
                valid_from=issued,
                known_from=issued,
                listed_name=last.listed_name,
                basis=last.basis,
                citations=(citation,),
                confidence=Confidence.HIGH,
                note=(
                    f"absent from the {citation.title}; listed since {last.valid_from.date()} according to "
                    f"{_source_of(last)} (the removal is dated at the first edition without it)"
                ),
            )
            timeline.add(removal)
            history.events.append(removal)
            history.notes.append((key[0], issued, f"{key[1].value}: {removal.note}"))
    return history


def _basis(list_id: ListId, day: date | None, annex_day: dict[ListId, date]) -> ListingBasis:
    if list_id in annex_day:
        return ListingBasis.ANNEX if day == annex_day[list_id] else ListingBasis.DETERMINATION
    return ListingBasis.EDITION


def _source_of(event: ListingEvent) -> str:
    if event.citations:
        first = event.citations[0]
        return first.title if first.key.startswith("snapshot-") else f"the bundled data ({first.key})"
    return "the bundled data"


def annex_days(regimes: Iterable[Regime]) -> dict[ListId, date]:
    """The day each order named its Annex (regimes.yaml `annex_day`), for its lists: an imported entry listed that
    day is one the order named in its Annex (EO 14032: 59 companies on 2021-06-03); others are later determinations."""
    return {list_id: regime.annex_day for regime in regimes if regime.annex_day for list_id in regime.lists}
