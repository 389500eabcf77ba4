"""The screening database: SQLite under $REDLINE_HOME by default, PostgreSQL via REDLINE_DATABASE_URL.

Migrations ship inside the package and run on first use. Concurrency: every SQLite transaction starts with
`BEGIN IMMEDIATE` (one writer at a time, others wait on the busy timeout instead of failing half-way), except
connections opened with `reading()`, which only read and start a deferred transaction: in WAL mode a reader
neither waits for a writer nor holds one up. On PostgreSQL the migration takes an advisory lock and audit appends
lock the chain head row.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from redline.store.errors import StoreError
from redline.store.location import database_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK_KEY = 0x5EDA11E  # any constant shared by every Redline process
_READ_ONLY = "redline_read_only"
_engines: dict[str, Engine] = {}
_guard = threading.Lock()


def _normalise(url: str) -> str:
    # A plain postgresql:// URL would pick psycopg2, which Redline does not install; psycopg 3 is the driver.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 120})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below replaces pysqlite's deferred one
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Reads take a deferred BEGIN: under WAL they neither wait for nor block the writer, so a request that only
        # checks its key is not held up by a screening committing its run.
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; concurrent first uses wait for each other."""
    # imported here: a process that only reads the saved catalog never pays for Alembic (about 0.2 s)
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = _alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as probe:
        if MigrationContext.configure(probe).get_current_revision() == head:
            return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def engine_for(url: str | None = None) -> Engine:
    """The engine for `url` (default: `database_url()`), migrated to the newest schema. One per process and URL."""
    raw = _normalise(url or database_url())
    with _guard:
        if raw in _engines:
            return _engines[raw]
        try:
            parsed = make_url(raw)
        except ArgumentError:
            raise StoreError(f"REDLINE_DATABASE_URL is not a database URL: {raw!r}") from None
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = _sqlite_engine(raw)
        elif parsed.get_backend_name() == "postgresql":
            engine = create_engine(raw, pool_pre_ping=True)
        else:
            raise StoreError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")
        try:
            _migrate(engine)
        except OperationalError as exc:
            shown = parsed.render_as_string(hide_password=True)
            raise StoreError(f"cannot open the database {shown}: {str(exc.orig).strip().splitlines()[0]}") from None
        _engines[raw] = engine
        return engine


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads only: on SQLite its transaction starts deferred, not with the write lock."""
    with engine.connect() as connection:
        yield connection.execution_options(**{_READ_ONLY: True})


class _Watch:
    """A SQLite connection of its own that never writes, asked for PRAGMA data_version: the number changes whenever
    another connection (a pooled one of this process, or any other process's) commits to the database file."""

    serials = itertools.count(1)

    def __init__(self, path: str) -> None:
        self.serial = next(self.serials)
        self.connection = sqlite3.connect(path, timeout=120, isolation_level=None, check_same_thread=False)
        self.lock = threading.Lock()

    def version(self) -> tuple[int, int]:
        with self.lock:
            (value,) = self.connection.execute("PRAGMA data_version").fetchone()
        return self.serial, int(value)


_watches: weakref.WeakKeyDictionary[Engine, _Watch] = weakref.WeakKeyDictionary()


def data_version(engine: Engine) -> tuple[int, int] | None:
    """A token that changes whenever anything is committed to the database, by any process: what lets a reader keep
    what it read (keys, the catalog's version) until the next commit instead of reading it per request. SQLite
    only (None on PostgreSQL: read afresh). Read it before the data it guards, so a commit in between makes the kept
    copy look stale, never the reverse. The token carries the watching connection's serial: after `dispose_all`
    a new connection's counter starts again and must not match a token of the old one."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    with _guard:
        watch = _watches.get(engine)
        if watch is None:
            watch = _watches[engine] = _Watch(str(engine.url.database))
    return watch.version()


def dispose_all() -> None:
    """Close every pooled connection (tests, and before a process forks)."""
    with _guard:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        for watch in _watches.values():
            watch.connection.close()
        _watches.clear()
