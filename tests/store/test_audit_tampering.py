"""Each tampering an attacker with database rights tried is named by `audit verify`, on SQLite and PostgreSQL:
a run's actor, the alerts table, deleted run_alerts rows, a forged key row, an edited snapshot record, the row
list of an entry, and the newest entry deleted with the chain head rewound (caught against a head kept outside)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from redline.store import audit
from redline.store.keys import KeyStore, Role, hash_key
from redline.store.screening import ScreenStore
from tests.store.test_audit import _drop_guards
from tests.store.test_screening_store import _hit, _run

CSL = Path(__file__).resolve().parents[1] / "sources" / "fixtures" / "csl.csv"


@pytest.fixture
def store(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ScreenStore:
    """A store with two runs (sharing an alert), a decision and a key, its append-only guards dropped."""
    monkeypatch.setenv("REDLINE_DATABASE_URL", database_url)
    monkeypatch.setenv("REDLINE_HOME", str(tmp_path / "home"))
    screen = ScreenStore(database_url)
    screen.record_run(_run("r1"), [_hit("a" * 64, row=1), _hit("b" * 64, row=2)])
    screen.record_run(_run("r2"), [_hit("a" * 64, row=3)])
    screen.decide(["aaaaaa"], "true-match", "confirmed", who="ann")
    KeyStore(engine=screen.engine).create("Ops", Role.VIEWER, who="admin")
    _drop_guards(screen)
    with screen.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER audit_rows_no_change ON audit_rows"))
        else:
            connection.execute(text("DROP TRIGGER audit_rows_no_update"))
            connection.execute(text("DROP TRIGGER audit_rows_no_delete"))
    assert screen.verify().ok, screen.verify().problems
    return screen


def _tamper(store: ScreenStore, *statements: str) -> tuple[str, ...]:
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    return store.verify().problems


def test_a_runs_actor_edited(store: ScreenStore) -> None:
    problems = _tamper(store, "UPDATE runs SET actor = 'mallory' WHERE id = 'r1'")
    assert "runs r1: edited since audit entry 1 wrote it" in problems
    assert "run r1 differs from its audit entry 1" in problems


def test_the_alerts_table_edited_deleted_or_added_to(store: ScreenStore) -> None:
    assert _tamper(store, f"UPDATE alerts SET decision = 'OK' WHERE id = '{'a' * 64}'") == (
        f"alerts {'a' * 64}: edited since audit entry 2 wrote it",
    )
    # The same alert written back as it was verifies again: the check is on content, not on a change having been made.
    assert _tamper(store, f"UPDATE alerts SET decision = 'DIVEST' WHERE id = '{'a' * 64}'") == ()
    problems = _tamper(
        store,
        f"DELETE FROM run_alerts WHERE alert_id = '{'b' * 64}'",
        f"DELETE FROM alerts WHERE id = '{'b' * 64}'",
        f"INSERT INTO alerts SELECT '{'c' * 64}', fingerprint, entity_id, entity_version, entity_events, kind, label,"
        f" decision, regimes, explanation, first_run_id, last_run_id, first_seen_at, last_seen_at, reopened_from,"
        f" reopen_reason FROM alerts WHERE id = '{'a' * 64}'",
    )
    assert f"alerts {'b' * 64}: deleted; audit entry 1 wrote it" in problems
    assert f"alerts {'c' * 64}: a row no audit entry wrote (inserted outside Redline)" in problems


def test_deleted_run_alerts_rows(store: ScreenStore) -> None:
    problems = _tamper(store, "DELETE FROM run_alerts WHERE run_id = 'r1' AND row_number = 2")
    assert problems == ("run_alerts r1: edited since audit entry 1 wrote it",)
    assert _tamper(store, "DELETE FROM run_alerts WHERE run_id = 'r2'") == (
        "run_alerts r1: edited since audit entry 1 wrote it",
        "run_alerts r2: deleted; audit entry 2 wrote it",
    )


def test_a_forged_key_row(store: ScreenStore) -> None:
    forged = hash_key("rl_deadbeef_" + "x" * 43)
    problems = _tamper(
        store,
        "INSERT INTO api_keys (id, key_hash, owner, role, created_at, created_by) VALUES "
        f"('rl_deadbeef', '{forged}', 'Mallory', 'admin', '2026-01-01T00:00:00.000000Z', 'admin')",
    )
    assert problems == ("api_keys rl_deadbeef: a row no audit entry wrote (inserted outside Redline)",)
    (key,) = [key for key in KeyStore(engine=store.engine).records() if key.owner == "Ops"]
    assert f"api_keys {key.id}: edited since audit entry 4 wrote it" in _tamper(
        store, f"UPDATE api_keys SET role = 'admin' WHERE id = '{key.id}'"
    )


def test_a_row_list_edited_to_match_a_tampered_row(store: ScreenStore) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE runs SET actor = 'mallory' WHERE id = 'r2'"))
        forged = audit.current_digests(connection, "runs", [("r2",)])["r2"]
    problems = _tamper(store, f"UPDATE audit_rows SET digest = '{forged}' WHERE table_name = 'runs' AND row_key = 'r2'")
    assert "entry 2: its list of rows (audit_rows) was edited: it no longer matches the entry" in problems


def test_the_last_entry_deleted_and_the_head_rewound(store: ScreenStore) -> None:
    kept = store.head()  # what `redline audit head` printed and someone kept
    assert kept[0] == 4
    with store.engine.begin() as connection:
        previous = connection.execute(text("SELECT seq, hash FROM audit_log WHERE seq = 3")).one()
        connection.execute(text("DELETE FROM audit_rows WHERE seq = 4"))
        connection.execute(text("DELETE FROM api_keys"))
        connection.execute(text("DELETE FROM audit_log WHERE seq = 4"))
        connection.execute(
            text("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1"),
            {"seq": previous.seq, "hash": previous.hash},
        )
    assert store.verify().ok  # a shorter chain, valid in itself: only the kept head shows what is missing
    problems = store.verify(head=kept).problems
    assert problems == (
        f"the recorded head 4:{kept[1][:12]}... is not in the log (it now ends at 3): entries were deleted",
    )
    assert store.verify(head=(None, kept[1])).problems[0].startswith("the recorded head")
    assert store.verify(head=(3, previous.hash)).ok


def test_an_edited_snapshot_record(store: ScreenStore) -> None:
    from redline.sources.formats import load
    from redline.store.snapshots import SnapshotStore

    snapshot, _ = SnapshotStore(store.engine).add(load([CSL]), origin=str(CSL), who="admin")
    assert store.verify().ok, store.verify().problems
    with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER snapshot_records_no_update"))
        else:
            connection.execute(text("DROP TRIGGER snapshot_records_immutable ON snapshot_records"))
        first = connection.execute(text("SELECT min(record_id) FROM snapshot_records")).scalar_one()
        connection.execute(
            text("UPDATE snapshot_records SET name = 'Someone Else' WHERE record_id = :id"), {"id": first}
        )
    problems = store.verify().problems
    assert len(problems) == 1 and problems[0].startswith(f"snapshot_records {snapshot.id}: edited since audit entry")


def test_upgrading_an_existing_database_covers_its_rows_with_a_baseline_entry(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from redline.store.database import _alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    config = _alembic_config()
    with old.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
        # A key created by the code of revision 0002: an entry hashed without rows, and the key row.
        at = "2026-01-01T00:00:00.000000Z"
        details = audit.canonical({"owner": "Ops", "role": "viewer"})
        digest = audit.entry_hash(1, at, "admin", "key.create", "rl_0000aaaa", details, audit.GENESIS)
        connection.execute(
            text("INSERT INTO audit_log VALUES (1, :at, 'admin', 'key.create', 'rl_0000aaaa', :d, :g, :h)"),
            {"at": at, "d": details, "g": audit.GENESIS, "h": digest},
        )
        connection.execute(text("UPDATE audit_head SET seq = 1, hash = :h"), {"h": digest})
        connection.execute(
            text(
                "INSERT INTO api_keys (id, key_hash, owner, role, created_at, created_by) VALUES "
                "('rl_0000aaaa', :k, 'Ops', 'viewer', :at, 'admin')"
            ),
            {"k": hash_key("rl_0000aaaa_" + "y" * 43), "at": at},
        )
    old.dispose()
    store = ScreenStore(url)  # migrates to the newest revision
    result = store.verify()
    assert result.ok, result.problems
    with store.engine.connect() as connection:
        (baseline,) = [entry for entry in audit.entries(connection) if entry.action == "audit.baseline"]
    assert baseline.seq == 2 and baseline.details["rows"] == 1
    # From then on, the old row is covered like a new one.
    assert _tamper(store, "UPDATE api_keys SET role = 'admin'") == (
        "api_keys rl_0000aaaa: edited since audit entry 2 wrote it",
    )
