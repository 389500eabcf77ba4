"""News: articles read and the review queue of the events they propose.

Revision ID: 0005_news
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_news"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "news_articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("published", sa.String(32), nullable=False),
        sa.Column("language", sa.String(12), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("read_at", sa.String(32), nullable=False),
        sa.Column("read_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "news_proposals",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("news_articles.id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=False),
        sa.Column("mention", sa.Text, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("list_id", sa.String(20)),
        sa.Column("court", sa.String(40), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("confidence", sa.String(10), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("decided_at", sa.String(32)),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("comment", sa.Text),
        sa.Column("audit_seq", sa.Integer),
    )
    op.create_index("ix_news_proposals_state", "news_proposals", ["state"])


def downgrade() -> None:
    op.drop_index("ix_news_proposals_state", "news_proposals")
    op.drop_table("news_proposals")
    op.drop_table("news_articles")
