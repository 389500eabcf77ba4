"""Where Redline keeps its state: $REDLINE_HOME, or the per-user data folder. Never inside the package."""

from __future__ import annotations

from pathlib import Path

from redline.settings import settings


def redline_home() -> Path:
    """The state folder (`Settings.home`), created on first use."""
    home = settings().home
    home.mkdir(parents=True, exist_ok=True)
    return home
