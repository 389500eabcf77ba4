from __future__ import annotations

from pathlib import Path

import pytest

from redline.model import IdScheme, ListId, ListingAction, ListingBasis, at_new_york, parse_instant
from redline.model.instants import new_york_date
from redline.sources.formats import load
from redline.store.cmic_events import cmic_events_known_at, cmic_listing_events
from redline.store.reference import bundled_store
from redline.store.snapshots import SnapshotStore

FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures"


def test_cmic_rows_become_listing_events(redline_home: Path) -> None:
    with SnapshotStore() as store:
        snapshot, _ = store.add(load([FIXTURES / "cons_prim_2025-12-19.csv"]), "fixture")
        events = {e.listed_name: e for e in cmic_listing_events(snapshot, store.records(snapshot))}
    assert set(events) == {"CHINA TELECOM CORPORATION LIMITED", "SENSETIME GROUP INC."}
    telecom = events["CHINA TELECOM CORPORATION LIMITED"]
    assert telecom.list_id is ListId.NS_CMIC and telecom.basis is ListingBasis.ANNEX
    assert telecom.valid_from == parse_instant("2021-06-03")
    assert telecom.known_from == parse_instant("2025-12-19") == snapshot.issued_at
    assert telecom.stated_effective == parse_instant("2021-08-02")
    assert telecom.stated_divest_until == parse_instant("2022-06-03")
    assert "issued 2025-12-19" in telecom.citations[0].title
    sensetime = events["SENSETIME GROUP INC."]
    assert sensetime.basis is ListingBasis.DETERMINATION
    # Matched to the bundled entity through its alias "SenseTime Group Inc." (its primary name differs).
    assert sensetime.entity_id == "sensetime"


def test_known_at_picks_the_file_in_force(redline_home: Path, tmp_path: Path) -> None:
    later = tmp_path / "cons_prim.csv"
    # The later file drops SenseTime.
    lines = (FIXTURES / "cons_prim_2025-12-19.csv").read_bytes().split(b"\r\n")
    later.write_bytes(b"\r\n".join(line for line in lines if not line.startswith(b"32001,")))
    with SnapshotStore() as store:
        store.add(load([FIXTURES / "cons_prim_2025-12-19.csv"], issued=parse_instant("2025-04-21")), "april")
        store.add(load([later], issued=parse_instant("2025-12-19")), "december")
        assert cmic_events_known_at(store, parse_instant("2025-04-20")) == (None, [])
        april, events = cmic_events_known_at(store, parse_instant("2025-05-01"))
        assert april is not None and april.issued_at == parse_instant("2025-04-21") and len(events) == 2
        assert {e.known_from for e in events} == {parse_instant("2025-04-21")}
        december, events = cmic_events_known_at(store, parse_instant("2026-01-01"))
        assert december is not None and december.issued_at == parse_instant("2025-12-19")
        # SenseTime is gone from the December file: removed as of that file's issue date.
        assert [(e.listed_name, e.action) for e in events] == [
            ("CHINA TELECOM CORPORATION LIMITED", ListingAction.LISTED),
            ("SENSETIME GROUP INC.", ListingAction.REMOVED),
        ]
        removal = events[1]
        assert removal.entity_id == "sensetime" and removal.valid_from == removal.known_from == december.issued_at
        assert "absent from the OFAC file issued 2025-12-19, present in the one issued 2025-04-21" in removal.note
        # A third file listing SenseTime again takes the removal back.
        third = tmp_path / "cons_prim_third.csv"
        third.write_bytes((FIXTURES / "cons_prim_2025-12-19.csv").read_bytes().replace(b"HANIYA", b"HANIYEH"))
        store.add(load([third], issued=parse_instant("2026-02-01")), "february")
        _, events = cmic_events_known_at(store, parse_instant("2026-03-01"))
        assert {e.action for e in events} == {ListingAction.LISTED} and len(events) == 2


@pytest.mark.shared
def test_real_consolidated_list_agrees_with_bundled_ns_cmic(redline_home: Path, shared_data: Path) -> None:
    with SnapshotStore() as store:
        snapshot, _ = store.add(load([shared_data / "ofac" / "cons_prim_2025-12-19.csv"]), "shared")
        records = list(store.records(snapshot))
        events = cmic_listing_events(snapshot, records)
    assert len(events) == 68
    assert all(e.stated_effective and e.stated_divest_until for e in events)
    by_record = {r.source_id: r for r in records}
    cmic = [r for r in records if "NS-CMIC" in r.lists]
    assert sum(1 for r in cmic if r.identifiers_of(IdScheme.ISIN)) == 53
    reference = bundled_store()
    bundled = [e for e in reference.data.listings if e.list_id is ListId.NS_CMIC]
    assert bundled, "the bundled data has NS-CMIC listings"
    ofac = {e.entity_id: e for e in events}
    for listing in bundled:
        event = ofac.get(listing.entity_id)
        assert event is not None, f"bundled {listing.entity_id} is not among the OFAC CMIC rows"
        assert event.valid_from == at_new_york(new_york_date(listing.valid_from)), listing.id
        for stated, printed in (
            (listing.stated_effective, event.stated_effective),
            (listing.stated_divest_until, event.stated_divest_until),
        ):
            assert stated is not None and printed is not None
            assert new_york_date(stated) == new_york_date(printed), listing.id
        assert by_record[event.note.removeprefix("OFAC entry ")].name == event.listed_name


def test_an_extract_is_not_evidence_of_delisting(redline_home: Path, tmp_path: Path) -> None:
    lines = (FIXTURES / "cons_prim_2025-12-19.csv").read_bytes().rstrip(b"\x1a").split(b"\r\n")
    members = [b'%d,"MEMBER %d","individual","NS-PLC"' % (n, n) + b",-0- " * 8 for n in range(1, 21)]
    full = tmp_path / "cons_prim_full.csv"
    full.write_bytes(b"\r\n".join([*lines[:-1], *members, b"\x1a"]))
    extract = tmp_path / "cons_prim_extract.csv"
    extract.write_bytes(b"\r\n".join(line for line in lines if line.startswith(b"30882,")) + b"\r\n\x1a")
    with SnapshotStore() as store:
        store.add(load([full], issued=parse_instant("2025-04-21")), "full, 24 entries")
        store.add(load([extract], issued=parse_instant("2025-12-19")), "extract of one entry")
        latest, events = cmic_events_known_at(store, parse_instant("2026-01-01"))
    assert latest is not None and latest.record_count == 1
    assert [(e.listed_name, e.action) for e in events] == [("CHINA TELECOM CORPORATION LIMITED", ListingAction.LISTED)]
