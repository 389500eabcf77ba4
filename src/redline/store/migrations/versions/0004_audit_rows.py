"""Audit rows: each audit entry lists the digests of the rows its action wrote, and its hash covers that list.

A baseline entry (`audit.baseline`) covers the rows already in the protected tables, so an existing database
verifies after the upgrade (whatever was tampered with before it is blessed by it: verify first, then upgrade).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_rows_no_update BEFORE UPDATE ON audit_rows "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_rows_no_delete BEFORE DELETE ON audit_rows "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
_POSTGRES_TRIGGERS = (
    "CREATE TRIGGER audit_rows_no_change BEFORE UPDATE OR DELETE ON audit_rows "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
)


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("rows_digest", sa.String(64)))
    op.create_table(
        "audit_rows",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("table_name", sa.String(40), primary_key=True),
        sa.Column("row_key", sa.String(200), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
    )
    connection = op.get_bind()
    for statement in _POSTGRES_TRIGGERS if connection.dialect.name == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)
    _baseline(connection)


def _baseline(connection: sa.Connection) -> None:
    from redline.store import audit

    present = set(sa.inspect(connection).get_table_names())
    keys: dict[str, list[tuple[object, ...]]] = {}
    for name, protected in audit.PROTECTED.items():
        if protected.table.name not in present:
            continue
        columns = [protected.table.c[column] for column in protected.key]
        found = {tuple(row) for row in connection.execute(sa.select(*columns))}
        if found:
            keys[name] = sorted(found, key=str)
    if not keys:
        return
    details = {"reason": "migration 0004: rows written before audit rows existed", "rows": sum(map(len, keys.values()))}
    with audit.entry(connection, "audit.baseline", "migration 0004", details, who="redline migration") as pending:
        for name, listed in keys.items():
            pending.protect(name, *listed)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_rows_no_change ON audit_rows")
    op.drop_table("audit_rows")
    op.drop_column("audit_log", "rows_digest")
