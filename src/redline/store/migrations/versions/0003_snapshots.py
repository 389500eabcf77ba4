"""Snapshots of official lists move into the one database (issue 11), with a copy of any legacy store.

Before this revision each machine kept its snapshots in `$REDLINE_HOME/sources.sqlite3`, whatever
REDLINE_DATABASE_URL said. The tables are now beside runs, alerts and the audit log, so a team on PostgreSQL shares
one list history and an import commits together with its audit entry. A legacy file found under `$REDLINE_HOME` is
copied in (same snapshot numbers, which the audit entries of those imports name); the file itself is left as it was.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_IMMUTABLE = ("snapshots", "snapshot_records")


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("format", sa.String(30), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.String(40)),
        sa.Column("issued_from", sa.String(10), nullable=False),
        sa.Column("known_from", sa.String(40), nullable=False),
        sa.Column("retrieved_at", sa.String(40), nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("files", sa.Text, nullable=False),
        sa.Column("record_count", sa.Integer, nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("records_sha256", sa.String(64), nullable=False),
        sa.UniqueConstraint("source", "label", "content_hash", name="uq_snapshots_content"),
    )
    op.create_index("ix_snapshots_known", "snapshots", ["source", "label", "known_from"])
    op.create_table(
        "snapshot_records",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), primary_key=True),
        sa.Column("record_id", sa.String(200), primary_key=True),
        sa.Column("schema", sa.String(20), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
    )
    _copy_legacy_store()
    _refuse_changes()


def _refuse_changes() -> None:
    """Triggers that make both tables append-only (an edit by hand still shows in `audit verify`)."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in _IMMUTABLE:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION redline_snapshots_immutable() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'snapshots are immutable'; END $$"
        )
        for table in _IMMUTABLE:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION redline_snapshots_immutable()"
            )


def _copy_legacy_store() -> None:
    from redline.home import redline_home
    from redline.store.snapshots import LEGACY_DB_NAME, records_digest

    path = redline_home() / LEGACY_DB_NAME
    if not path.is_file():
        return
    try:
        legacy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = legacy.execute(
            "SELECT id, source, label, format, content_hash, issued_at, issued_from, known_from, retrieved_at,"
            " imported_at, origin, files, record_count, counts FROM snapshots ORDER BY id"
        ).fetchall()
    except sqlite3.DatabaseError:
        return  # not a snapshot store (or unreadable): nothing to carry over; the file stays for inspection
    bind = op.get_bind()
    snapshots = sa.table("snapshots", *(sa.column(c) for c in _SNAPSHOT_COLUMNS))
    records = sa.table(
        "snapshot_records", *(sa.column(c) for c in ("snapshot_id", "record_id", "schema", "name", "payload"))
    )
    for row in rows:
        payloads = legacy.execute(
            "SELECT record_id, schema, name, payload FROM records WHERE snapshot_id = ?", (row[0],)
        ).fetchall()
        values = dict(zip(_SNAPSHOT_COLUMNS[:14], row, strict=True))
        values["records_sha256"] = records_digest((r[0], r[3]) for r in payloads)
        bind.execute(sa.insert(snapshots).values(**values))
        if payloads:
            bind.execute(
                sa.insert(records),
                [
                    {"snapshot_id": row[0], "record_id": r[0], "schema": r[1], "name": r[2], "payload": r[3]}
                    for r in payloads
                ],
            )
    legacy.close()
    if bind.dialect.name == "postgresql" and rows:
        bind.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('snapshots', 'id'), (SELECT max(id) FROM snapshots))")
        )


_SNAPSHOT_COLUMNS = (
    "id", "source", "label", "format", "content_hash", "issued_at", "issued_from", "known_from", "retrieved_at",
    "imported_at", "origin", "files", "record_count", "counts", "records_sha256",
)  # fmt: skip


def downgrade() -> None:
    op.drop_table("snapshot_records")
    op.drop_index("ix_snapshots_known", "snapshots")
    op.drop_table("snapshots")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS redline_snapshots_immutable()")
