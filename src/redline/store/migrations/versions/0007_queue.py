"""The analyst's queue (issue 15): account and market value of each finding row; job leases.

- `run_alert_values`: the account, market value and currency of each row that raised an alert in a run, for the
  queue's columns, sorting and export. They are copies of the run's input cells (covered by its input checksum), so
  the table is not one of the audit's protected tables, and adding it leaves every existing audit digest valid.
- `screening_jobs.lease_until`: a queued or running job's lease, renewed by its worker's heartbeat; a job whose
  lease ran out has lost its worker and is marked failed.

Revision ID: 0007_queue
Revises: 0006_certificates
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_queue"
down_revision = "0006_certificates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_alert_values",
        sa.Column("run_id", sa.String(32), primary_key=True),
        sa.Column("row_number", sa.Integer, primary_key=True),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("market_value", sa.Float),
        sa.Column("currency", sa.String(12), nullable=False),
    )
    with op.batch_alter_table("screening_jobs") as batch:
        batch.add_column(sa.Column("lease_until", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("screening_jobs") as batch:
        batch.drop_column("lease_until")
    op.drop_table("run_alert_values")
