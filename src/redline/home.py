"""Where Redline keeps its state: $REDLINE_HOME, or the per-user data folder. Never inside the package."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def redline_home() -> Path:
    """The state folder, created on first use."""
    configured = os.environ.get("REDLINE_HOME")
    home = Path(configured).expanduser() if configured else Path(user_data_dir("redline", appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home
