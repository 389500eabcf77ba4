from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from redline.model import parse_instant
from redline.model.records import to_json
from redline.sources.formats import load
from redline.sources.loaded import SourceList
from redline.store import audit
from redline.store.database import engine_for, reading
from redline.store.screening import ScreenStore
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
    # One database for everything: the import and its audit entry went into redline.db together.
    assert (redline_home / "redline.db").is_file() and not (redline_home / "sources.sqlite3").exists()
    with reading(engine_for()) as connection:
        entries = [e for e in audit.entries(connection) if e.action.startswith("source.import")]
    assert [e.action for e in entries] == ["source.import", "source.import.unchanged"]
    assert entries[0].details["records_sha256"] == snapshot.records_sha256
    assert ScreenStore().verify().ok


def test_snapshots_are_immutable_and_audited(database_url: str) -> None:
    store = SnapshotStore(engine_for(database_url))
    store.add(load([FIXTURES / "un_consolidated.xml"]), "fixture")
    statements = ("UPDATE snapshot_records SET name = 'x'", "DELETE FROM snapshot_records", "DELETE FROM snapshots")
    for statement in statements:
        with pytest.raises(DatabaseError, match="immutable"), store.engine.begin() as connection:
            connection.execute(text(statement))
    assert store.row_counts() == (1, 3)
    screen = ScreenStore(engine=store.engine)
    assert screen.verify().ok
    # Someone with the database password drops the guard and edits a record: `audit verify` sees it.
    with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER snapshot_records_no_update"))
        else:
            connection.execute(text("DROP TRIGGER snapshot_records_immutable ON snapshot_records"))
        connection.execute(text("UPDATE snapshot_records SET payload = replace(payload, 'BARADAR', 'BARADA')"))
    problems = screen.verify().problems
    assert any(p.startswith("snapshot_records 1: edited since audit entry") for p in problems), problems


def test_legacy_snapshot_file_is_carried_into_the_database(redline_home: Path) -> None:
    """A home made before migration 0003 kept snapshots in sources.sqlite3; opening the store copies them in."""
    loaded = load([FIXTURES / "sdn_2021-07-07.csv"])
    redline_home.mkdir(parents=True, exist_ok=True)
    legacy = sqlite3.connect(redline_home / "sources.sqlite3")
    legacy.executescript(LEGACY_SCHEMA)
    legacy.execute(
        "INSERT INTO snapshots VALUES (7, 'ofac-sdn', '', 'ofac-csv', ?, '2021-07-07T16:00:00.000000+00:00', 'file',"
        " '2021-07-07T16:00:00.000000+00:00', '2026-01-01T00:00:00.000000+00:00', '2026-01-01T00:00:00.000000+00:00',"
        ' \'sdn.csv\', \'[]\', ?, \'{"schemas": {}, "names": 0, "identifiers": 0, "programs": {}}\')',
        (loaded.content_hash, len(loaded.records)),
    )
    legacy.executemany(
        "INSERT INTO records VALUES (7, ?, ?, ?, ?)",
        [(r.source_id, r.schema.value, r.name, json.dumps(to_json(r))) for r in loaded.records],
    )
    legacy.commit()
    legacy.close()
    with SnapshotStore() as store:
        [snapshot] = store.snapshots()
        assert snapshot.id == 7 and snapshot.record_count == len(loaded.records)
        assert sorted(r.source_id for r in store.records(snapshot)) == sorted(r.source_id for r in loaded.records)
        # Numbering goes on after the carried-over snapshots.
        added, created = store.add(load([FIXTURES / "un_consolidated.xml"]), "fixture")
        assert created and added.id == 8


LEGACY_SCHEMA = """
CREATE TABLE snapshots (id INTEGER PRIMARY KEY, source TEXT NOT NULL, label TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL, content_hash TEXT NOT NULL, issued_at TEXT, issued_from TEXT NOT NULL,
    known_from TEXT NOT NULL, retrieved_at TEXT NOT NULL, imported_at TEXT NOT NULL, origin TEXT NOT NULL,
    files TEXT NOT NULL, record_count INTEGER NOT NULL, counts TEXT NOT NULL);
CREATE TABLE records (snapshot_id INTEGER NOT NULL, record_id TEXT NOT NULL, schema TEXT NOT NULL,
    name TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (snapshot_id, record_id));
"""


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
    wal = redline_home / "redline.db-wal"
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
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").fetchone() == ("ok",)
        assert ScreenStore().verify().ok  # no snapshot without its audit entry, no entry without its snapshot
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
