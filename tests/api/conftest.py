"""An app over an empty $REDLINE_HOME (SQLite) with one key per role; `client` signs in as the viewer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redline.server.app import create_app
from redline.server.shared.deps import KEY_HEADER
from redline.store.database import dispose_all
from redline.store.keys import KeyStore, Role
from tests.store.conftest import database_url, postgres_database

__all__ = ["Service", "client", "database_url", "postgres_database", "service"]


@dataclass
class Service:
    app_client: TestClient
    home: Path
    keys: dict[str, str]  # role -> key

    def as_role(self, role: str) -> dict[str, str]:
        return {KEY_HEADER: self.keys[role]}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    home = tmp_path_factory.mktemp("redline-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REDLINE_HOME", str(home))
        patch.delenv("REDLINE_DATABASE_URL", raising=False)
        store = KeyStore()
        keys = {role.label: store.create(f"Test {role.label.title()}", role)[1] for role in Role}
        with TestClient(create_app(), raise_server_exceptions=False) as app_client:
            yield Service(app_client, home, keys)
    dispose_all()


@pytest.fixture(scope="module")
def client(service: Service) -> TestClient:
    """Requests as the viewer (headers merge per request, so a test can still pass another key)."""
    service.app_client.headers[KEY_HEADER] = service.keys["viewer"]
    return service.app_client
