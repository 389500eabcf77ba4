from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from redline.model import parse_instant
from redline.model.records import to_json
from redline.sources.formats import load
from redline.sources.loaded import SourceList
from redline.store.snapshots import SnapshotNotFound, SnapshotStore

FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures"


def test_snapshot_round_trip_and_dedup(redline_home: Path) -> None:
    loaded = load([FIXTURES / "sdn_2021-07-07.csv"])
    with SnapshotStore() as store:
        snapshot, created = store.add(loaded, "fixture")
        assert created and snapshot.source is SourceList.OFAC_SDN and snapshot.record_count == 5
        assert snapshot.issued_at == parse_instant("2021-07-07") and snapshot.known_from == snapshot.issued_at
        assert snapshot.counts["schemas"] == {"Organization": 1, "Person": 2, "Vessel": 1, "Company": 1}
        stored = list(store.records(snapshot))
        assert sorted(map(to_json, stored), key=lambda r: r["id"]) == sorted(
            map(to_json, loaded.records), key=lambda r: r["id"]
        )
        again, created = store.add(load([FIXTURES / "sdn_2021-07-07.csv"]), "fixture again")
        assert not created and again.id == snapshot.id
        assert store.get(snapshot.content_hash[:8]).id == snapshot.id
        assert store.row_counts() == (1, 5)
    assert (redline_home / "sources.sqlite3").is_file()


def test_snapshots_are_immutable(redline_home: Path) -> None:
    with SnapshotStore() as store:
        store.add(load([FIXTURES / "un_consolidated.xml"]), "fixture")
        for statement in ("UPDATE records SET name = 'x'", "DELETE FROM records", "DELETE FROM snapshots"):
            with pytest.raises(sqlite3.DatabaseError, match="immutable"):
                store._db.execute(statement)
        assert store.row_counts() == (1, 3)


def test_latest_snapshot_known_at(redline_home: Path, tmp_path: Path) -> None:
    early = load([FIXTURES / "cons_prim_2025-12-19.csv"], issued=parse_instant("2025-04-21"))
    changed = tmp_path / "cons_prim.csv"
    changed.write_bytes((FIXTURES / "cons_prim_2025-12-19.csv").read_bytes().replace(b"HANIYA", b"HANIYEH"))
    late = load([changed], issued=parse_instant("2025-12-19"))
    with SnapshotStore() as store:
        first, _ = store.add(early, "early")
        second, _ = store.add(late, "late")
        store.add(load([FIXTURES / "un_consolidated.xml"]), "un")
        assert store.latest(SourceList.OFAC_CONS, parse_instant("2025-04-20")) is None
        assert store.latest(SourceList.OFAC_CONS, parse_instant("2025-04-21")).id == first.id
        assert store.latest(SourceList.OFAC_CONS, parse_instant("2025-12-18T23:59")).id == first.id
        assert store.latest(SourceList.OFAC_CONS, parse_instant("2025-12-19")).id == second.id
        # The UN file of 2026-02-27 is not known in 2025; both OFAC versions and the UN file are by 2026-03.
        at_2025 = {(s.source, s.id) for s, _ in store.records_known_at(parse_instant("2025-12-31"))}
        assert at_2025 == {(SourceList.OFAC_CONS, second.id)}
        names = {r.name for s, r in store.records_known_at(parse_instant("2026-03-01")) if s.source is SourceList.UN_SC}
        assert "ABDUL GHANI BARADAR" in names


def test_failed_import_leaves_nothing(redline_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import redline.store.snapshots as snapshots

    with SnapshotStore() as store:
        store.add(load([FIXTURES / "un_consolidated.xml"]), "fixture")
        before = store.row_counts()
        calls = {"n": 0}
        real = snapshots.to_json

        def failing(record: object) -> dict[str, object]:
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt
            return real(record)  # type: ignore[arg-type]

        monkeypatch.setattr(snapshots, "to_json", failing)
        with pytest.raises(KeyboardInterrupt):
            store.add(load([FIXTURES / "sdn_2021-07-07.csv"]), "interrupted")
        assert store.row_counts() == before
        assert [s.source for s in store.snapshots()] == [SourceList.UN_SC]


def _big_sdn(path: Path, entries: int) -> None:
    """A synthetic SDN main file large enough that writing it takes a few seconds."""
    row = (
        '{n},"ENTITY NUMBER {n} TRADING COMPANY LIMITED",-0- ,"SDGT] [IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        '"Registration Number {n} (Iran); Website www.example{n}.com; Linked To: PARENT {n}; '
        "a.k.a. 'ALIAS {n}'; a.k.a. 'OTHER ALIAS {n}'.\"\r\n"
    )
    with path.open("w", encoding="cp1252", newline="") as out:
        for n in range(1, entries + 1):
            out.write(row.format(n=n))
        out.write("\x1a")


@pytest.mark.slow
def test_killed_import_leaves_the_store_as_it_was(redline_home: Path, tmp_path: Path) -> None:
    with SnapshotStore() as store:
        previous, _ = store.add(load([FIXTURES / "sdn_2021-07-07.csv"]), "fixture")
        before = store.row_counts()
    big = tmp_path / "sdn.csv"
    _big_sdn(big, 60_000)
    wal = redline_home / "sources.sqlite3-wal"
    start_size = wal.stat().st_size if wal.exists() else 0
    env = {**os.environ, "REDLINE_HOME": str(redline_home)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from redline.cli.app import main; main()", "sources", "add", str(big)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Wait until the import is writing its records (the write-ahead log grows), then kill it outright.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > start_size + 1_000_000:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the import finished before it could be killed; make the file bigger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    with SnapshotStore() as store:
        assert store.row_counts() == before
        assert store._db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        latest = store.latest(SourceList.OFAC_SDN, datetime.now(UTC))
        assert latest is not None and latest.id == previous.id
        # The store still takes imports after the kill.
        _, created = store.add(load([FIXTURES / "un_consolidated.xml"]), "after")
        assert created


@pytest.mark.parametrize("ref", ["²", "9" * 30, "______", "%%%%%%", "#-1"])
def test_references_that_are_neither_a_number_nor_a_hash_prefix_find_nothing(redline_home: Path, ref: str) -> None:
    # Found by the API contract tests: '²' passed str.isdigit() and int() failed, 30 digits overflowed SQLite,
    # and '_' or '%' matched any hash as LIKE wildcards.
    with SnapshotStore() as store:
        store.add(load([FIXTURES / "sdn_2021-07-07.csv"]), "fixture")
        with pytest.raises(SnapshotNotFound, match="no snapshot"):
            store.get(ref)
