"""`redline serve` warms each worker: the catalog's name index is loaded from the file saved beside the catalog."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def test_each_worker_sends_itself_requests_before_it_listens_and_no_key_outlives_them(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from redline.server.shared.deps import current_key
    from redline.services.keys import KeyService

    monkeypatch.setenv(WARM_ENV, "1")
    app = create_app()
    answered: list[tuple[str, int]] = []

    @app.middleware("http")
    async def record(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        answered.append((request.url.path, response.status_code))
        return response

    try:
        with TestClient(app) as client:  # the lifespan runs here, as uvicorn runs it before listening
            assert ("/match", 200) in answered and ("/status", 200) in answered
            assert gc.get_freeze_count() > 0  # the long-lived objects are out of the collector's way
            assert current_key not in app.dependency_overrides
            assert client.post("/match", json={"query": "Xiaomi"}).status_code == 401  # a key is needed again
            assert KeyService.default().records() == []  # the warm-up made no key
    finally:
        gc.unfreeze()


def test_without_the_flag_no_request_is_sent_at_start(home: Path) -> None:
    from fastapi.testclient import TestClient

    app = create_app()
    with TestClient(app):
        assert gc.get_freeze_count() == 0
