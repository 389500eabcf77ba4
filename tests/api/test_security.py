"""Hostile content through HTTP: markup in an uploaded name cell stays text in the report and the pages, every
response carries the security headers, the report is a sandboxed download, no server path leaks, and the sign-in
cookie is Secure over https."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from redline.server.shared.security import PAGE_POLICY, REPORT_POLICY
from tests.api.conftest import Service

SCRIPT = "<script>fetch('/admin/keys',{method:'POST'})</script>"
# A row that resolves to a listed entity (so it is a finding, named in the report) with markup in its name.
HOSTILE = f'name,isin,quantity\n"Hikvision {SCRIPT}",CNE100000PM8,10\n"<img src=x onerror=alert(1)>",,5\n'.encode()


def _screen(service: Service, content: bytes, name: str = "evil.csv") -> dict[str, Any]:
    created = service.app_client.post(
        "/screenings",
        headers=service.as_role("analyst"),
        files={"file": (name, content, "text/csv")},
        data={"kind": "holdings", "on": "2021-03-01"},
    )
    assert created.status_code == 202, created.text
    job_id = created.json()["id"]
    for _ in range(600):
        job: dict[str, Any] = service.app_client.get(f"/screenings/{job_id}", headers=service.as_role("viewer")).json()
        if job["status"] in ("completed", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("the screening did not finish")


@pytest.fixture(scope="module")
def hostile_job(service: Service) -> dict[str, Any]:
    job = _screen(service, HOSTILE)
    assert job["status"] == "completed", job
    return job


def test_a_script_in_a_name_cell_is_inert_text_in_the_report(client: TestClient, hostile_job: dict[str, Any]) -> None:
    report = client.get(f"/screenings/{hostile_job['id']}/report")
    assert report.status_code == 200
    assert "<script" not in report.text.lower() and "<img" not in report.text.lower()
    assert "&lt;script&gt;" in report.text  # shown to the reader, as text
    # Served as a download, sandboxed should a browser render it anyway.
    assert report.headers["content-disposition"].startswith("attachment;")
    assert report.headers["content-security-policy"] == REPORT_POLICY
    assert "sandbox" in REPORT_POLICY and "script-src" not in REPORT_POLICY
    assert report.headers["x-content-type-options"] == "nosniff"


def test_a_script_in_a_name_cell_is_inert_text_on_the_job_page(client: TestClient, hostile_job: dict[str, Any]) -> None:
    page = client.get(f"/ui/screenings/{hostile_job['id']}")
    assert page.status_code == 200
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert all('src="/ui/assets/' in tag for tag in scripts), scripts  # only the app's own script files
    assert "&lt;script&gt;" in page.text and "<img src=x" not in page.text


@pytest.mark.parametrize(
    ("path", "role", "policy"),
    [
        ("/", "viewer", PAGE_POLICY),
        ("/ui/login", None, PAGE_POLICY),
        ("/entities?q=xiaomi", "viewer", "default-src 'none'; base-uri 'none'"),
        ("/healthz", None, "default-src 'none'"),
        ("/no/such/path", None, "default-src 'none'"),
        ("/alerts", None, "default-src 'none'"),  # a 401
        ("/ui/assets/redline.css", None, "default-src 'none'"),
    ],
)
def test_every_response_carries_the_security_headers(
    service: Service, path: str, role: str | None, policy: str
) -> None:
    headers = service.as_role(role) if role else {}
    response = service.app_client.get(path, headers=headers, follow_redirects=False)
    assert response.headers["content-security-policy"].startswith(policy)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"


def test_the_pages_csp_allows_no_inline_script_or_style() -> None:
    assert "'unsafe-inline'" not in PAGE_POLICY and "'unsafe-eval'" not in PAGE_POLICY
    assert "script-src 'self'" in PAGE_POLICY and "style-src 'self'" in PAGE_POLICY


def test_the_api_docs_inline_script_is_allowed_by_its_hash_only(service: Service) -> None:
    docs = service.app_client.get("/docs")
    assert docs.status_code == 200
    policy = docs.headers["content-security-policy"]
    assert re.search(r"script-src https://cdn\.jsdelivr\.net 'sha256-[A-Za-z0-9+/=]{44}'", policy), policy
    assert "script-src https://cdn.jsdelivr.net 'unsafe-inline'" not in policy
    assert int(docs.headers["content-length"]) == len(docs.content)


def test_sources_show_file_names_never_server_paths(service: Service, tmp_path: Any) -> None:
    from tests.web.helpers import CSL

    imported = service.app_client.post(
        "/sources",
        headers=service.as_role("admin"),
        files={"file": ("csl.csv", CSL.read_bytes(), "text/csv")},
    )
    assert imported.status_code == 201, imported.text
    listed = service.app_client.get("/sources", headers=service.as_role("viewer"))
    text = listed.text
    assert str(service.home) not in text and "/tmp" not in text
    assert all("/" not in f["path"] for s in listed.json()["snapshots"] for f in s["files"])


def test_public_origin_keeps_names_urls_and_upload_labels() -> None:
    from redline.services.sources import public_origin

    given = "/srv/lists/sdn.csv, /srv/lists/add.csv, C:\\lists\\alt.csv"
    assert public_origin(given) == "sdn.csv, add.csv, alt.csv"
    assert public_origin("https://example.org/sdn.xml") == "https://example.org/sdn.xml"
    assert public_origin("upload sdn.csv by Ann (key rl_x)") == "upload sdn.csv by Ann (key rl_x)"


@pytest.mark.parametrize(
    ("proto", "trusted", "secure"),
    [("https", "testclient", True), ("https", "127.0.0.1", False), (None, "testclient", False)],
)
def test_the_sign_in_cookie_is_secure_over_https_behind_a_trusted_proxy(
    service: Service, monkeypatch: pytest.MonkeyPatch, proto: str | None, trusted: str, secure: bool
) -> None:
    monkeypatch.setenv("REDLINE_TRUSTED_PROXIES", trusted)
    headers = {"x-forwarded-proto": proto} if proto else {}
    response = service.app_client.post(
        "/ui/login", data={"key": service.keys["viewer"]}, headers=headers, follow_redirects=False
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert ("; secure" in cookie) is secure


def test_the_audit_head_can_be_kept_and_checked_over_http(service: Service) -> None:
    admin = service.as_role("admin")
    head = service.app_client.get("/audit/head", headers=admin).json()
    assert head["head"] == f"{head['seq']}:{head['hash']}"
    kept = service.app_client.get("/audit/verify", params={"head": head["head"]}, headers=admin).json()
    assert kept["ok"], kept["problems"]
    unknown = service.app_client.get("/audit/verify", params={"head": "1:" + "f" * 64}, headers=admin).json()
    assert not unknown["ok"] and unknown["problems"][0].startswith("the recorded head 1:ffffffffffff... was replaced")
    assert service.app_client.get("/audit/verify", params={"head": "x"}, headers=admin).status_code == 422


def test_malformed_ftm_is_a_400_naming_the_line(service: Service) -> None:
    response = service.app_client.post(
        "/sources",
        headers=service.as_role("admin"),
        files={"file": ("entities.json", b'{"id": "x1", "schema": "Person", "properties": ["a"]}\n', "text/plain")},
        data={"as": "ftm"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "entities.json:1 [properties]: not a FollowTheMoney entity: properties is not an object (a list); "
        "nothing was imported"
    )
