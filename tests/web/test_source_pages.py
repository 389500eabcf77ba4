"""The sources page: the snapshot table and the diff of two snapshots, from list files an admin imported through
`POST /sources` (the API's own path)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Service
from tests.web.helpers import CSL, later_csl


def test_no_snapshot_yet(client: TestClient) -> None:
    page = client.get("/ui/sources")
    assert page.status_code == 200 and "No snapshot yet." in page.text and "diff-form" not in page.text


@pytest.fixture(scope="module")
def imported(service: Service) -> None:
    files = [
        ("csl.csv", CSL.read_bytes()),
        ("csl-later.csv", later_csl().encode()),
        ("un.xml", (CSL.parent / "un_consolidated.xml").read_bytes()),
    ]
    for name, content in files:
        response = service.app_client.post(
            "/sources", files={"file": (name, content)}, headers=service.as_role("admin")
        )
        assert response.status_code == 201, response.text


def test_the_snapshot_table_and_the_default_diff(client: TestClient, imported: None) -> None:
    page = client.get("/ui/sources")
    assert page.status_code == 200
    table = page.text[page.text.index('id="snapshots"') : page.text.index('id="diff"')]
    assert table.count("<tr>") == 4 and "trade-csl" in table and "upload csl-later.csv by Test Admin" in table
    # The form proposes the latest snapshot with a predecessor of its own list, and that predecessor.
    assert '<option value="1" selected>' in page.text and '<option value="2" selected>' in page.text


def test_the_diff_lists_added_removed_and_changed_entries(client: TestClient, imported: None) -> None:
    page = client.get("/ui/sources", params={"a": "1", "b": "2"})
    assert page.status_code == 200
    assert "<b>1</b> added, <b>1</b> removed, <b>1</b> changed, 3 unchanged." in page.text
    added = page.text[page.text.index('id="added"') : page.text.index('id="removed"')]
    removed = page.text[page.text.index('id="removed"') : page.text.index('id="changed"')]
    changed = page.text[page.text.index('id="changed"') :]
    assert "Shenzhen New Front Ltd." in added and "HANIYA, Ismail Abdul Salah" in removed
    assert "+ Beijing Example Technology Group Co., Ltd." in changed
    assert "− Beijing Example Technology Co., Ltd." in changed


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"a": "1", "b": "3"}, 400, "diff compares two versions of one list"),
        ({"a": "1", "b": "9"}, 404, "no snapshot"),
        ({"a": "1"}, 400, "pick two snapshots to compare"),
    ],
)
def test_a_diff_that_cannot_be_made_is_explained(
    client: TestClient, imported: None, query: dict[str, str], status: int, message: str
) -> None:
    page = client.get("/ui/sources", params=query)
    assert page.status_code == status and 'role="alert"' in page.text and message in page.text
    assert 'id="snapshots"' in page.text  # the table and the form stay, to pick again
