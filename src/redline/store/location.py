"""Where the database is: a pure function of the environment, importable without SQLAlchemy or Alembic."""

from __future__ import annotations

import os

from redline.home import redline_home


def database_url() -> str:
    """REDLINE_DATABASE_URL, or the embedded SQLite file under $REDLINE_HOME."""
    configured = os.environ.get("REDLINE_DATABASE_URL", "").strip()
    if configured:
        return configured
    return f"sqlite:///{redline_home() / 'redline.db'}"
