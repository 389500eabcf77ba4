"""The service's rules through HTTP: keys and roles, uploads, background screening, decisions, sources, audit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Service

REPO = Path(__file__).resolve().parents[2]
PORTFOLIO = REPO / "examples" / "portfolio.csv"
FIXTURES = REPO / "tests" / "sources" / "fixtures"


def _screen(service: Service, content: bytes, name: str = "portfolio.csv", **form: str) -> dict[str, Any]:
    response = service.app_client.post(
        "/screenings",
        files={"file": (name, content, "text/csv")},
        data={"on": "2021-03-01", **form},
        headers=service.as_role("analyst"),
    )
    assert response.status_code == 202, response.text
    return dict(response.json())


def _wait(service: Service, job_id: str) -> dict[str, Any]:
    for _ in range(200):
        job = service.app_client.get(f"/screenings/{job_id}", headers=service.as_role("viewer")).json()
        if job["status"] not in ("queued", "running"):
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"screening {job_id} did not finish")


def _audit(service: Service) -> list[dict[str, Any]]:
    return list(service.app_client.get("/audit", headers=service.as_role("admin")).json()["entries"])


# -- keys and roles ------------------------------------------------------------------------------------------
def test_every_endpoint_but_health_needs_a_key(service: Service) -> None:
    bare = TestClient(service.app_client.app, raise_server_exceptions=False)
    assert bare.get("/healthz").status_code == 200 and bare.get("/readyz").json()["status"] == "ready"
    for method, path in [("GET", "/status?q=xiaomi"), ("POST", "/match"), ("GET", "/alerts"), ("GET", "/sources")]:
        response = bare.request(method, path, json={"query": "x"} if method == "POST" else None)
        assert response.status_code == 401, path
        assert "X-API-Key" in response.json()["detail"]
    wrong = bare.get("/status", params={"q": "xiaomi"}, headers={"X-API-Key": "rl_00000000_not-a-key"})
    assert wrong.status_code == 401 and "unknown or revoked" in wrong.json()["detail"]


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("viewer", "POST", "/alerts/abcdef123456/decision", {"verdict": "true-match", "comment": "x"}),
        ("viewer", "POST", "/keys", {"owner": "Mallory", "role": "admin"}),
        ("analyst", "POST", "/keys", {"owner": "Mallory", "role": "admin"}),
        ("analyst", "GET", "/keys", None),
        ("analyst", "GET", "/audit", None),
    ],
)
def test_roles_are_enforced(service: Service, role: str, method: str, path: str, body: dict[str, str] | None) -> None:
    response = service.app_client.request(method, path, json=body, headers=service.as_role(role))
    assert response.status_code == 403
    assert f"is a {role}" in response.json()["detail"]


def test_a_post_from_another_sites_page_is_refused(service: Service) -> None:
    body = {"verdict": "true-match", "comment": "x"}
    headers = service.as_role("analyst") | {"Origin": "https://evil.example"}
    response = service.app_client.post("/alerts/abcdef123456/decision", json=body, headers=headers)
    assert response.status_code == 403 and "https://evil.example" in response.json()["detail"]


def test_viewer_cannot_screen_or_import(service: Service) -> None:
    files = {"file": ("p.csv", PORTFOLIO.read_bytes(), "text/csv")}
    assert service.app_client.post("/screenings", files=files, headers=service.as_role("viewer")).status_code == 403
    assert service.app_client.post("/sources", files=files, headers=service.as_role("analyst")).status_code == 403


def test_admin_creates_and_revokes_keys_and_both_are_audited(service: Service) -> None:
    admin = service.as_role("admin")
    created = service.app_client.post("/keys", json={"owner": "Kim Contractor", "role": "viewer"}, headers=admin)
    assert created.status_code == 201
    new = created.json()
    assert new["key"].startswith(new["id"] + "_") and new["role"] == "viewer"
    listed = service.app_client.get("/keys", headers=admin).json()["keys"]
    assert any(k["id"] == new["id"] for k in listed) and all("key" not in k for k in listed)
    as_new = {"X-API-Key": new["key"]}
    assert service.app_client.get("/status", params={"q": "SMIC"}, headers=as_new).status_code == 200
    revoked = service.app_client.post(f"/keys/{new['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_by"].startswith("Test Admin (key rl_")
    assert service.app_client.get("/status", params={"q": "SMIC"}, headers=as_new).status_code == 401
    again = service.app_client.post(f"/keys/{new['id']}/revoke", headers=admin)
    assert again.status_code == 409 and "already revoked" in again.json()["detail"]
    actions = {(e["action"], e["subject"]): e["actor"] for e in _audit(service)}
    assert actions[("key.create", new["id"])].startswith("Test Admin (key ")
    assert actions[("key.revoke", new["id"])].startswith("Test Admin (key ")


def test_a_key_revoked_by_another_process_is_refused_on_the_next_request(service: Service) -> None:
    # The service keeps live keys between commits to the database; a revocation is such a commit, from any process.
    admin = service.as_role("admin")
    new = service.app_client.post("/keys", json={"owner": "Lee Temp", "role": "viewer"}, headers=admin).json()
    as_new = {"X-API-Key": new["key"]}
    for _ in range(2):  # the second answer comes with the key kept from the first
        assert service.app_client.get("/status", params={"q": "SMIC"}, headers=as_new).status_code == 200
    env = {**os.environ, "REDLINE_HOME": str(service.home)}
    env.pop("REDLINE_DATABASE_URL", None)
    command = [sys.executable, "-c", "from redline.cli.app import main; main()", "keys", "revoke", new["id"]]
    subprocess.run(command, env=env, check=True, capture_output=True)
    assert service.app_client.get("/status", params={"q": "SMIC"}, headers=as_new).status_code == 401


# -- match ---------------------------------------------------------------------------------------------------
def test_match_finds_chinese_names_and_identifiers_with_reasons(client: TestClient) -> None:
    by_name = client.post("/match", json={"query": "小米集团"}).json()["candidates"]
    assert by_name[0]["entity_id"] == "xiaomi" and by_name[0]["explanation"]["features"]
    by_isin = client.post("/match", json={"query": "KYG8020E1199"}).json()["candidates"]
    assert by_isin[0]["decisive"] is True and by_isin[0]["explanation"]["identifier"]


@pytest.mark.parametrize("schema", ["LegalEntity", "Company", "Organization", "PublicBody"])
def test_match_accepts_the_ftm_schemata_of_organisations(client: TestClient, schema: str) -> None:
    response = client.post("/match", json={"query": "Xiaomi Corporation", "schema": schema})
    assert response.status_code == 200 and response.json()["candidates"][0]["entity_id"] == "xiaomi"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"query": ""}, "query"),
        ({"query": "x", "limit": 0}, "limit"),
        ({"query": "x", "schema": "Planet"}, "schema"),
        ({"query": "x", "extra": 1}, "extra"),
        ({"query": "!!!"}, "query:"),
    ],
)
def test_match_bad_input_is_4xx_naming_the_field(client: TestClient, body: dict[str, Any], fragment: str) -> None:
    response = client.post("/match", json=body)
    assert 400 <= response.status_code < 500
    assert fragment in response.json()["detail"]


# -- screenings ----------------------------------------------------------------------------------------------
def test_screening_runs_in_the_background_and_is_audited_under_the_key_owner(service: Service) -> None:
    job = _screen(service, PORTFOLIO.read_bytes())
    assert job["status"] in ("queued", "running", "completed") and job["owner"].startswith("Test Analyst (key rl_")
    assert job["rows_total"] == 9
    done = _wait(service, job["id"])
    assert done["status"] == "completed" and done["rows_done"] == 9 and done["progress"] == 1.0
    assert done["summary"]["decisions"]["DIVEST"] >= 1 and done["summary"]["rows"] == 9
    viewer = service.as_role("viewer")
    results = service.app_client.get(done["links"]["results"], headers=viewer)
    assert results.status_code == 200 and "redline_decision" in results.text.splitlines()[0]
    assert 'filename="portfolio.screened.csv"' in results.headers["content-disposition"]
    report = service.app_client.get(done["links"]["report"], headers=viewer)
    assert report.status_code == 200 and "<html" in report.text.lower()
    assert "portfolio.csv" in report.text and "input.csv" not in report.text
    original = service.app_client.get(f"/screenings/{job['id']}/input", headers=viewer)
    assert original.content == PORTFOLIO.read_bytes()
    run_entries = [e for e in _audit(service) if e["action"] == "screen.run" and e["subject"] == done["run_id"]]
    assert run_entries and run_entries[0]["actor"] == job["owner"]
    listed = service.app_client.get("/screenings", headers=viewer).json()["screenings"]
    assert listed[0]["id"] == job["id"]


def test_alert_decision_with_history_and_audit(service: Service) -> None:
    job = _wait(service, _screen(service, PORTFOLIO.read_bytes())["id"])
    alerts = service.app_client.get("/alerts", params={"run": job["run_id"]}, headers=service.as_role("viewer"))
    first = alerts.json()["alerts"][0]
    assert first["explanation"] and first["regimes"]
    path = f"/alerts/{first['id'][:12]}/decision"
    body = {"verdict": "true-match", "comment": "ISIN matches the listed share class"}
    refused = service.app_client.post(path, json=body, headers=service.as_role("viewer"))
    assert refused.status_code == 403
    decided = service.app_client.post(path, json=body, headers=service.as_role("analyst"))
    assert decided.status_code == 200
    detail = decided.json()
    assert detail["status"] == "true-match" and detail["history"][-1]["by"].startswith("Test Analyst (key rl_")
    assert any(s["run"] == job["run_id"] for s in detail["sightings"])
    decisions = [e for e in _audit(service) if e["action"] == "alert.decide" and e["subject"] == first["id"]]
    assert decisions[-1]["actor"].startswith("Test Analyst (key rl_")
    verified = service.app_client.get("/audit/verify", headers=service.as_role("admin")).json()
    assert verified["ok"] is True and verified["entries"] >= 2
    missing = service.app_client.post("/alerts/ffffffffffff/decision", json=body, headers=service.as_role("analyst"))
    assert missing.status_code == 404 and "GET /alerts" in missing.json()["detail"]


def test_upload_names_are_labels_never_paths(service: Service) -> None:
    job = _wait(service, _screen(service, PORTFOLIO.read_bytes(), name="../../../../tmp/evil.csv")["id"])
    assert job["filename"] == "evil.csv" and job["status"] == "completed"
    folder = service.home / "screenings" / job["id"]
    assert sorted(p.name for p in folder.iterdir()) == ["input.csv", "report.html", "results.csv", "results.csv.index"]
    assert not Path("/tmp/evil.csv").exists() or Path("/tmp/evil.csv").read_bytes() != PORTFOLIO.read_bytes()
    windows = _screen(service, PORTFOLIO.read_bytes(), name="C:\\Users\\x\\..\\book.csv")
    assert windows["filename"] == "book.csv"


@pytest.mark.parametrize(
    ("name", "content", "status", "fragment"),
    [
        ("holdings.exe", b"a,b\n1,2\n", 415, "unknown type .exe"),
        ("holdings", b"a,b\n1,2\n", 415, "unknown type (none)"),
        ("empty.csv", b"", 400, "is empty"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(
    service: Service, name: str, content: bytes, status: int, fragment: str
) -> None:
    response = service.app_client.post(
        "/screenings", files={"file": (name, content)}, headers=service.as_role("analyst")
    )
    assert response.status_code == status and fragment in response.json()["detail"]


def test_bad_form_fields_are_400_naming_the_field(service: Service) -> None:
    files = {"file": ("p.csv", PORTFOLIO.read_bytes())}
    analyst = service.as_role("analyst")
    for data, fragment in [
        ({"kind": "bonds"}, "kind must be"),
        ({"on": "2021-02-30"}, "on:"),
        ({"map": "isin"}, "map:"),
    ]:
        response = service.app_client.post("/screenings", files=files, data=data, headers=analyst)
        assert response.status_code == 400 and fragment in response.json()["detail"], response.text


def test_upload_size_limit(service: Service) -> None:
    state = service.app_client.app.state  # type: ignore[attr-defined]
    saved, state.max_upload = state.max_upload, 1000
    try:
        big = b"isin\n" + b"KYG9830T1067\n" * 200
        response = service.app_client.post(
            "/screenings", files={"file": ("big.csv", big)}, headers=service.as_role("analyst")
        )
    finally:
        state.max_upload = saved
    assert response.status_code == 413 and "limit of 1,000 bytes" in response.json()["detail"]
    assert not [p for p in (service.home / "screenings").glob(".upload-*")]


def test_a_file_that_cannot_be_screened_ends_as_failed_with_the_reason(service: Service) -> None:
    job = _wait(service, _screen(service, b"\xff\xfe\x00garbage\x00", name="broken.xlsx")["id"])
    assert job["status"] == "failed" and job["error"].startswith("broken.xlsx: not a readable XLSX workbook")
    assert "Traceback" not in job["error"]
    conflict = service.app_client.get(f"/screenings/{job['id']}/results", headers=service.as_role("viewer"))
    assert conflict.status_code == 409


def test_unknown_screening_is_404(client: TestClient) -> None:
    assert client.get("/screenings/0123456789abcdef0123456789abcdef").status_code == 404
    assert client.get("/screenings/..%2F..%2Fetc").status_code == 404


# -- sources -------------------------------------------------------------------------------------------------
def test_admin_imports_snapshots_and_anyone_diffs_them(service: Service) -> None:
    admin = service.as_role("admin")
    first = service.app_client.post(
        "/sources",
        files={"file": ("un_consolidated.xml", (FIXTURES / "un_consolidated.xml").read_bytes())},
        headers=admin,
    )
    assert first.status_code == 201, first.text
    snapshot = first.json()["snapshot"]
    assert first.json()["created"] is True and snapshot["list"].startswith("un")
    same = service.app_client.post(
        "/sources", files={"file": ("copy.xml", (FIXTURES / "un_consolidated.xml").read_bytes())}, headers=admin
    )
    assert same.json()["created"] is False and same.json()["snapshot"]["id"] == snapshot["id"]
    listed = service.app_client.get("/sources", headers=service.as_role("viewer")).json()["snapshots"]
    assert [s["id"] for s in listed] == [snapshot["id"]]
    diff = service.app_client.get(
        "/sources/diff", params={"a": snapshot["id"], "b": snapshot["id"]}, headers=service.as_role("viewer")
    ).json()
    assert diff["summary"]["added"] == 0 and diff["summary"]["unchanged"] == snapshot["records"]
    imports = [e for e in _audit(service) if e["action"].startswith("source.import")]
    assert {e["actor"][:10] for e in imports} == {"Test Admin"}
    bad = service.app_client.post("/sources", files={"file": ("x.csv", b"nothing,here\n")}, headers=admin)
    assert bad.status_code == 400 and "nothing was imported" in bad.json()["detail"]
    assert service.app_client.get("/sources/diff", params={"a": "999", "b": "1"}, headers=admin).status_code == 404
