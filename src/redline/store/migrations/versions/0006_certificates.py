"""Certificates: signed records of answers, append-only, each recorded by an audit entry.

Revision ID: 0006_certificates
Revises: 0005_news
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_certificates"
down_revision = "0005_news"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates "
    "BEGIN SELECT RAISE(ABORT, 'certificates are append-only'); END",
    "CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates "
    "BEGIN SELECT RAISE(ABORT, 'certificates are append-only'); END",
)
# audit_log_append_only() is migration 0001's function: it refuses the statement.
_POSTGRES_TRIGGERS = (
    "CREATE TRIGGER certificates_no_change BEFORE UPDATE OR DELETE ON certificates "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
)


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("issued_at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_index("ix_certificates_audit_seq", "certificates", ["audit_seq"])
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRES_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER certificates_no_change ON certificates")
    op.drop_index("ix_certificates_audit_seq", "certificates")
    op.drop_table("certificates")
