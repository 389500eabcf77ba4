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
    at_new_york,
)
from redline.model.records import FactKey, SourceRecord
from redline.sources.loaded import SourceList
from redline.store.reference import ReferenceStore, bundled_store
from redline.store.snapshots import Snapshot, SnapshotStore

CMIC = "CMIC"
# EO 14032 (2021-06-03) listed the 59 companies of its Annex on the day it was signed; later entries are
# Treasury determinations under s.1(a)(i) (31 CFR 586; OFAC FAQ 899).
EO14032_ANNEX_DAY = date(2021, 6, 3)
_OFAC_LISTS = {SourceList.OFAC_CONS, SourceList.OFAC_SDN}
_MATCH_SCHEMES = (IdScheme.ISIN, IdScheme.LEI, IdScheme.USCC)


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", name.lower()).strip()


class _EntityIndex:
    """Bundled entity ids by identifier and by normalised name."""

    def __init__(self, reference: ReferenceStore) -> None:
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
    index = _EntityIndex(reference or bundled_store())
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
                basis=ListingBasis.ANNEX if listed == EO14032_ANNEX_DAY else ListingBasis.DETERMINATION,
                citations=(citation,),
                confidence=Confidence.HIGH,
                stated_effective=at_new_york(effective) if effective else None,
                stated_divest_until=at_new_york(divest) if divest else None,
                note=f"OFAC entry {record.source_id}",
            )
        )
    return events


def cmic_events_known_at(
    store: SnapshotStore, known_at: datetime, reference: ReferenceStore | None = None
) -> tuple[Snapshot | None, list[ListingEvent]]:
    """The NS-CMIC events of the latest OFAC consolidated snapshot issued at or before `known_at`."""
    snapshot = store.latest(SourceList.OFAC_CONS, known_at)
    if snapshot is None:
        return None, []
    return snapshot, cmic_listing_events(snapshot, store.records(snapshot), reference)
