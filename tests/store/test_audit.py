from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from redline.store.screening import ScreenStore


def _filled(url: str, count: int = 5) -> ScreenStore:
    store = ScreenStore(url)
    for number in range(1, count + 1):
        store.record_event("source.import", f"snapshot-{number}", {"rows": number * 10}, who="tester")
    return store


def _drop_guards(store: ScreenStore) -> None:
    """What an attacker with database rights would do first: remove the append-only triggers."""
    with store.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_an_untouched_log_verifies(database_url: str) -> None:
    result = _filled(database_url).verify()
    assert result.ok, result.problems
    assert (result.entries, result.head_seq) == (5, 5)


def test_the_database_refuses_updates_and_deletes(database_url: str) -> None:
    store = _filled(database_url)
    for statement in ("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", "DELETE FROM audit_log WHERE seq = 2"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(text(statement))
    assert store.verify().ok


def test_an_edited_entry_is_named(database_url: str) -> None:
    store = _filled(database_url)
    _drop_guards(store)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET details = :d WHERE seq = 3"), {"d": '{"rows":999}'})
    assert store.verify().problems == (
        "entry 3 edited: its content no longer matches its hash (source.import snapshot-3)",
    )


def test_an_edit_with_a_recomputed_hash_is_caught_by_the_next_link(database_url: str) -> None:
    from redline.store.audit import entry_hash

    store = _filled(database_url)
    _drop_guards(store)
    with store.engine.begin() as connection:
        row = connection.execute(text("SELECT * FROM audit_log WHERE seq = 2")).one()
        forged = entry_hash(2, row.at, "mallory", row.action, row.subject, row.details, row.prev_hash)
        connection.execute(text("UPDATE audit_log SET actor = 'mallory', hash = :h WHERE seq = 2"), {"h": forged})
    problems = store.verify().problems
    assert len(problems) == 1 and problems[0].startswith(
        "entry 2 edited or replaced: entry 3 links to a different hash"
    )


def test_deleted_entries_are_named_in_the_middle_and_at_the_end(database_url: str) -> None:
    store = _filled(database_url)
    _drop_guards(store)
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 2"))
        connection.execute(text("DELETE FROM audit_log WHERE seq >= 4"))
    assert store.verify().problems == (
        "entry 2 deleted: the sequence jumps from 1 to 3",
        "entry 4-5 deleted: the chain head records 5 entries, the log ends earlier",
    )
