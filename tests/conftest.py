"""Shared fixtures. `shared_data` points at ../shared/data beside the repo and skips when it is absent."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the checkout; REDLINE_SHARED_DATA points elsewhere (a git worktree sits deeper)
SHARED_DATA = Path(os.environ.get("REDLINE_SHARED_DATA") or REPO.parent / "shared" / "data")


@pytest.fixture
def shared_data() -> Path:
    """The real third-party files; tests using them skip cleanly on a machine without ../shared."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture
def redline_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty $REDLINE_HOME for tests that write state."""
    home = tmp_path / "redline-home"
    monkeypatch.setenv("REDLINE_HOME", str(home))
    return home


@pytest.fixture(scope="session", autouse=True)
def _session_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | None]:
    """Tests that set no $REDLINE_HOME of their own still write (saved catalogs, databases) under a temporary one,
    never into the user's real home."""
    import os

    if os.environ.get("REDLINE_HOME"):
        yield None
        return
    home = tmp_path_factory.mktemp("session-home")
    os.environ["REDLINE_HOME"] = str(home)
    yield home
    os.environ.pop("REDLINE_HOME", None)
