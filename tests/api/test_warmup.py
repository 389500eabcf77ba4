"""`redline serve` warms each worker: the catalog's name index is loaded from the file saved beside the catalog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.catalog import clear_cache
from redline.server.app import create_app
from redline.services.status import StatusService
from redline.services.warmup import WARM_ENV, warm
from redline.store.database import dispose_all


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("REDLINE_HOME", str(tmp_path))
    monkeypatch.delenv("REDLINE_DATABASE_URL", raising=False)
    clear_cache()
    yield tmp_path
    clear_cache()
    dispose_all()


def test_the_parent_saves_the_index_and_a_worker_loads_it_while_starting(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm(StatusService.current())  # what `redline serve` does before starting its workers
    saved = list((home / "cache").glob("*.resolver"))
    assert len(saved) == 1
    clear_cache()  # a worker is a new process: nothing in memory
    monkeypatch.setenv(WARM_ENV, "1")
    app = create_app()
    catalog = app.state.service.catalog
    assert "resolver" in vars(catalog)  # loaded at start, before any request
    assert catalog.resolver.resolve("小米集团")[0].entity_id == "xiaomi"


def test_without_the_flag_the_index_waits_for_the_first_name_query(home: Path) -> None:
    app = create_app()
    assert "resolver" not in vars(app.state.service.catalog)
