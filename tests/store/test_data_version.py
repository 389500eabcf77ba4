"""`data_version`: the token that lets a reader keep what it read (keys, the catalog's version) until a commit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from redline.store.database import data_version, dispose_all, engine_for
from redline.store.keys import KeyStore, Role


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'redline.db'}"
    dispose_all()


def test_the_token_changes_with_every_commit_of_any_connection_and_only_then(url: str) -> None:
    engine = engine_for(url)
    before = data_version(engine)
    assert before is not None and data_version(engine) == before  # reads change nothing
    KeyStore(engine=engine).create("Pat Pooled", Role.VIEWER)  # a commit on one of the engine's own connections
    after_own = data_version(engine)
    assert after_own != before
    other = create_engine(url)  # as another process would, with a connection of its own
    with other.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (x INTEGER)"))
    other.dispose()
    assert data_version(engine) not in (before, after_own)


def test_a_new_watch_never_repeats_a_token_of_the_old_one(url: str) -> None:
    old = data_version(engine_for(url))
    dispose_all()  # closes the watching connection; the next one's counter starts again
    assert data_version(engine_for(url)) != old


def test_a_kept_key_is_dropped_by_its_revocation(url: str) -> None:
    store = KeyStore(url)
    record, key = store.create("Ada Admin", Role.ADMIN)
    assert store.authenticate(key) == store.authenticate(key) == record  # the second from what was kept
    KeyStore(url).revoke(record.id, who="test")
    assert store.authenticate(key) is None


def test_postgresql_has_no_token() -> None:
    assert data_version(create_engine("postgresql+psycopg://nobody@localhost/none")) is None
