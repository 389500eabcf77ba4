"""NS-CMIC listing events read from an OFAC snapshot, for the status engine's `--known-at` questions.

OFAC prints each NS-CMIC entry's "Listing Date (CMIC)", "Effective Date (CMIC)" and "Purchase/Sales For
Divestment Date (CMIC)". A snapshot's facts are known from its issue date, so the events made from it carry
known_from = that date: "as of the OFAC file of 2025-04-21" means the latest OFAC file issued by then.

Entities are named by Redline's bundled ids when a row shares an ISIN, LEI or USCC, or its exact name, with a
bundled entity; other rows get `ofac-<uid>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from redline.model import (
    Citation,
    Confidence,
    IdScheme,
    ListId,
    ListingAction,
    ListingBasis,
    ListingEvent,
    RegimeId,
    at_new_york,
)
from redline.model.records import FactKey, SourceRecord
from redline.sources.loaded import SourceList
from redline.store.reference import ReferenceStore, bundled_store
from redline.store.snapshots import Snapshot, SnapshotStore

CMIC = "CMIC"
_OFAC_LISTS = {SourceList.OFAC_CONS, SourceList.OFAC_SDN}
_MATCH_SCHEMES = (IdScheme.ISIN, IdScheme.LEI, IdScheme.USCC)
_NOTE = "OFAC entry "
# Lists grow or shrink by a few entries between editions; a file that has lost over 10% and over 10 of the previous
# one's entries is taken for an extract (trade.gov's test fixtures, a filtered export): it infers no removal.
_COMPLETE_SHARE = 0.9
_COMPLETE_SLACK = 10  # listed events carry the entry's uid in their note


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", name.lower()).strip()


class _EntityIndex:
    """Bundled entity ids by identifier and by normalised name, and the day of the EO 14032 Annex listings."""

    def __init__(self, reference: ReferenceStore) -> None:
        # EO 14032 listed the companies of its Annex on the day it was signed; later entries are Treasury
        # determinations. The day is a rule (regimes.yaml `annex_day`), read from the data.
        regime = reference.data.regimes.get(RegimeId.EO14032)
        self.annex_day: date | None = regime.annex_day if regime else None
        self.by_id: dict[tuple[IdScheme, str], str] = {}
        self.by_name: dict[str, str] = {}
        for entity in reference.entities():
            for ident in entity.identifiers:
                if ident.scheme in _MATCH_SCHEMES:
                    self.by_id[(ident.scheme, ident.value.upper())] = entity.id
            for name in entity.all_names():
                self.by_name.setdefault(_norm(name), entity.id)

    def entity_of(self, record: SourceRecord) -> str | None:
        for ident in record.identifiers:
            found = self.by_id.get((ident.scheme, ident.value.upper()))
            if found:
                return found
        for name in record.all_names():
            found = self.by_name.get(_norm(name))
            if found:
                return found
        return None


def _day(record: SourceRecord, key: FactKey) -> date | None:
    facts = record.facts_of(key, CMIC)
    return facts[0].day if facts else None


def snapshot_citation(snapshot: Snapshot) -> Citation:
    issued = snapshot.known_from
    kind = "SDN List" if snapshot.source is SourceList.OFAC_SDN else "Consolidated (non-SDN) List"
    return Citation(
        key=f"snapshot-{snapshot.short_hash}",
        title=(
            f"OFAC {kind}, {snapshot.format.value} file issued {issued.date().isoformat()}"
            f" (Redline snapshot #{snapshot.id}, sha256 {snapshot.short_hash})"
        ),
        published=issued,
        url=snapshot.origin if snapshot.origin.startswith("http") else None,
        publisher="U.S. Treasury, OFAC",
    )


def cmic_listing_events(
    snapshot: Snapshot, records: Iterable[SourceRecord], reference: ReferenceStore | None = None
) -> list[ListingEvent]:
    """One `listed` event on NS_CMIC per CMIC row of an OFAC snapshot, known from the snapshot's issue date."""
    if snapshot.source not in _OFAC_LISTS:
        raise ValueError(f"snapshot #{snapshot.id} is {snapshot.list_key}, not an OFAC list")
    return _events(snapshot, records, _EntityIndex(reference or bundled_store()))


def _events(snapshot: Snapshot, records: Iterable[SourceRecord], index: _EntityIndex) -> list[ListingEvent]:
    citation = snapshot_citation(snapshot)
    events = []
    for record in records:
        listed = _day(record, FactKey.LISTING_DATE)
        if listed is None:
            continue
        effective, divest = _day(record, FactKey.EFFECTIVE_DATE), _day(record, FactKey.DIVESTMENT_DATE)
        entity_id = index.entity_of(record) or f"ofac-{record.source_id}"
        events.append(
            ListingEvent(
                id=f"ofac-{snapshot.short_hash}-{record.source_id}",
                entity_id=entity_id,
                list_id=ListId.NS_CMIC,
                action=ListingAction.LISTED,
                valid_from=at_new_york(listed),
                known_from=snapshot.known_from,
                listed_name=record.name,
                basis=ListingBasis.ANNEX if listed == index.annex_day else ListingBasis.DETERMINATION,
                citations=(citation,),
                confidence=Confidence.HIGH,
                stated_effective=at_new_york(effective) if effective else None,
                stated_divest_until=at_new_york(divest) if divest else None,
                note=f"{_NOTE}{record.source_id}",
            )
        )
    return events


def cmic_events_known_at(
    store: SnapshotStore, known_at: datetime, reference: ReferenceStore | None = None
) -> tuple[Snapshot | None, list[ListingEvent]]:
    """The NS-CMIC events as the OFAC consolidated files issued by `known_at` tell them: the `listed` events of
    the latest file, and a `removed` event for each entry that an earlier file carried and a later one dropped.

    OFAC files are complete lists, so an entry missing from a file has been delisted by that file's issue date;
    the removal is dated at the first file without it (the exact day lies between the two issue dates). A file
    much smaller than the one before it is an extract, not evidence of delisting: it infers no removals.
    """
    history = [s for s in store.snapshots(SourceList.OFAC_CONS) if s.known_from <= known_at]
    if not history:
        return None, []
    index = _EntityIndex(reference or bundled_store())
    present: dict[str, ListingEvent] = {}  # OFAC uid -> its listed event in the latest file so far
    removed: dict[str, ListingEvent] = {}  # OFAC uid -> the removal, while it stays off the list
    previous: Snapshot | None = None
    for snapshot in history:
        listed = {_uid(event): event for event in _events(snapshot, store.records(snapshot), index)}
        complete = previous is None or (
            snapshot.record_count >= previous.record_count * _COMPLETE_SHARE
            or previous.record_count - snapshot.record_count <= _COMPLETE_SLACK
        )
        for uid, last in present.items():
            if uid not in listed and complete:
                removed[uid] = _removal(last, snapshot)
        previous = snapshot
        for uid in listed:
            removed.pop(uid, None)  # back on the list: the latest file's listing stands
        present = listed
    return history[-1], [*present.values(), *removed.values()]


def _uid(event: ListingEvent) -> str:
    return event.note.removeprefix(_NOTE)


def _removal(last: ListingEvent, snapshot: Snapshot) -> ListingEvent:
    return ListingEvent(
        id=f"ofac-{snapshot.short_hash}-{_uid(last)}-removed",
        entity_id=last.entity_id,
        list_id=ListId.NS_CMIC,
        action=ListingAction.REMOVED,
        valid_from=snapshot.known_from,
        known_from=snapshot.known_from,
        listed_name=last.listed_name,
        basis=last.basis,
        citations=(snapshot_citation(snapshot),),
        confidence=Confidence.HIGH,
        note=f"OFAC entry {_uid(last)} absent from the OFAC file issued {snapshot.known_from.date().isoformat()}, "
        f"present in the one issued {last.known_from.date().isoformat()}",
    )
