"""Alembic environment. Redline runs migrations itself (`redline.store.database`), passing its connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from redline.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # `alembic -x url=...` from a shell, for an operator
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("pass the database with: alembic -x url=postgresql+psycopg://... upgrade head")
    with create_engine(url).begin() as own:
        context.configure(connection=own, target_metadata=metadata, render_as_batch=True)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
