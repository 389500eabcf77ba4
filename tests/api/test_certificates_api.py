"""Certificates of the API's answers (GET /certificates/{id}), the public key, and GET /audit/export."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from redline.certificates import parse_public_key, verify_document
from tests.api.conftest import Service

STATUS = {"q": "1810.HK", "on": "2021-03-16", "known_at": "2021-03-11"}


def test_a_status_answer_with_its_certificate(client: TestClient) -> None:
    plain = client.get("/status", params=STATUS)
    assert plain.status_code == 200 and "Redline-Certificate" not in plain.headers
    answered = client.get("/status", params={**STATUS, "certificate": "true"})
    assert answered.status_code == 200
    certificate_id = answered.headers["Redline-Certificate"]
    assert answered.json() == plain.json()  # the body is the stable JSON, with or without a certificate
    fetched = client.get(f"/certificates/{certificate_id}")
    assert fetched.status_code == 200 and fetched.headers["content-type"].startswith("application/json")
    public = parse_public_key(client.get("/certificates/public-key").text)
    verdict = verify_document(fetched.content, public)
    assert verdict.ok and verdict.certificate_id == certificate_id
    body = fetched.json()["certificate"]
    assert body["answer"] == plain.json() and body["door"] == "api" and body["actor"].startswith("Test Viewer")
    assert client.get("/certificates/0123456789abcdef0123456789abcdef").status_code == 404


def test_a_match_answer_with_its_certificate(client: TestClient) -> None:
    answered = client.post("/match", params={"certificate": "true"}, json={"query": "Xiaomi Corp", "limit": 3})
    assert answered.status_code == 200
    fetched = client.get(f"/certificates/{answered.headers['Redline-Certificate']}")
    assert fetched.json()["certificate"]["answer"] == answered.json()
    assert verify_document(fetched.content).ok


def test_audit_export_is_for_admins_and_round_trips(service: Service, client: TestClient) -> None:
    answered = client.get("/status", params={**STATUS, "certificate": "true"})
    certificate_id = answered.headers["Redline-Certificate"]
    assert client.get("/audit/export", params={"from": "2000-01-01"}).status_code == 403
    admin = service.as_role("admin")
    exported = client.get("/audit/export", params={"from": "2000-01-01"}, headers=admin)
    assert exported.status_code == 200, exported.text
    export = exported.json()
    assert export["chain"]["ok"] is True
    ids = [c for entry in export["entries"] for c in entry["certificates"]]
    assert certificate_id in ids
    public = parse_public_key(client.get("/certificates/public-key").text)
    for found in ids:
        assert verify_document(client.get(f"/certificates/{found}").content, public).ok
    as_csv = client.get("/audit/export", params={"from": "2000-01-01", "format": "csv"}, headers=admin)
    assert (
        as_csv.headers["content-type"].startswith("text/csv") and "attachment" in as_csv.headers["content-disposition"]
    )
    assert {row["action"] for row in csv.DictReader(io.StringIO(as_csv.text))} >= {"key.create", "certificate.issue"}
    as_html = client.get("/audit/export", params={"from": "2000-01-01", "format": "html"}, headers=admin)
    assert as_html.status_code == 200 and "<table>" in as_html.text
    assert client.get("/audit/export", params={"from": "tomorrow"}, headers=admin).status_code == 400
    empty = client.get("/audit/export", params={"from": "2026-12-02", "to": "2026-12-01"}, headers=admin)
    assert empty.status_code == 200 and empty.json()["entries"] == []
