"""Where the database is: a pure function of the environment, importable without SQLAlchemy or Alembic."""

from __future__ import annotations

from redline.home import redline_home
from redline.settings import settings


def database_url() -> str:
    """REDLINE_DATABASE_URL, or the embedded SQLite file under $REDLINE_HOME (created on first use)."""
    configured = settings().database_url
    if configured.startswith("sqlite:///"):
        redline_home()
    return configured
