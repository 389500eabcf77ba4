"""A fresh $REDLINE_HOME per test, the in-process CLI, and bundled data that a test may correct."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from redline import catalog
from redline.sources import bundled
from redline.store.database import dispose_all
from redline.store.reference import bundled_store
from tests.sources.cli_runner import redline_fixture

__all__ = ["corrected_data", "home", "redline_fixture"]


def _forget_data() -> None:
    bundled_store.cache_clear()
    bundled.data_files.cache_clear()
    bundled.data_version.cache_clear()
    catalog.clear_cache()


@pytest.fixture
def home(redline_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.delenv("REDLINE_DATABASE_URL", raising=False)
    monkeypatch.delenv("REDLINE_SIGNING_KEY", raising=False)
    monkeypatch.setenv("REDLINE_USER", "Ana Analyst")
    _forget_data()
    yield redline_home
    dispose_all()
    _forget_data()


@pytest.fixture
def corrected_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str, str], None]:
    """`correct(file, old, new)`: from now on the bundled data is a copy with `old` replaced by `new` in `file`."""
    copy = tmp_path / "data"
    shutil.copytree(bundled.data_dir(), copy)

    def correct(name: str, old: str, new: str) -> None:
        path = copy / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        monkeypatch.setattr(bundled, "data_dir", lambda: copy)
        _forget_data()

    return correct
