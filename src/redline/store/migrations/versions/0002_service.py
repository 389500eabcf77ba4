"""Service: API keys (stored hashed) and screening jobs submitted over HTTP.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("revoked_at", sa.String(32)),
        sa.Column("revoked_by", sa.String(200)),
    )
    op.create_table(
        "screening_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("parameters", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("rows_total", sa.Integer),
        sa.Column("rows_done", sa.Integer, nullable=False),
        sa.Column("run_id", sa.String(32)),
        sa.Column("summary", sa.Text),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_screening_jobs_created", "screening_jobs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_screening_jobs_created", "screening_jobs")
    op.drop_table("screening_jobs")
    op.drop_table("api_keys")
