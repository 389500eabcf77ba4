"""The analyst's queue over HTTP (issue 15): accounts and market values on alerts, search and sort, one verdict
with one note on many alerts (each audited on its own), and the queue exported with formulas neutralised."""

from __future__ import annotations

import csv
import io

import openpyxl

from tests.api.conftest import Service
from tests.api.test_api_service import _audit, _wait
from tests.screen.issuer_funds import FIXTURES

BOOK = b"account,ticker,currency,security name,market value\n" + b'+ACC-9,981,HKD,=HYPERLINK("x") SMIC,"1 000 000,50"\n'


def _run(service: Service) -> str:
    files = [("file", ("queue-book.csv", BOOK)), ("constituents", ("EMCN.csv", (FIXTURES / "EMCN.csv").read_bytes()))]
    response = service.app_client.post(
        "/screenings", files=files, data={"on": "2021-03-16"}, headers=service.as_role("analyst")
    )
    job = _wait(service, response.json()["id"])
    assert job["status"] == "completed", job
    return str(job["run_id"])


def test_the_queue_searches_sorts_decides_in_bulk_and_exports(service: Service) -> None:
    run = _run(service)
    viewer = service.as_role("viewer")
    alerts = service.app_client.get(
        "/alerts", params={"run": run, "q": "ACC-9", "sort": "market_value"}, headers=viewer
    )
    found = alerts.json()["alerts"]
    assert found and all(a["accounts"] == ["+ACC-9"] for a in found)
    assert found[0]["market_value"] == {"HKD": 1000000.5}
    ids = [a["id"] for a in found]
    body = {"ids": ids, "verdict": "true-match", "comment": "confirmed with the custodian"}
    decided = service.app_client.post("/alerts/decisions", json=body, headers=service.as_role("analyst"))
    assert decided.status_code == 200 and decided.json()["decided"] == ids
    entries = [e for e in _audit(service) if e["action"] == "alert.decide" and e["subject"] in ids]
    assert len(entries) == len(ids)  # one audit entry per alert, each with the one note
    assert {e["details"]["comment"] for e in entries} == {"confirmed with the custodian"}
    exported = service.app_client.get("/alerts/export", params={"run": run, "format": "csv"}, headers=viewer)
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {row["alert"] for row in rows} >= set(ids)
    assert {row["accounts"] for row in rows if row["alert"] in ids} == {"'+ACC-9"}  # never a live formula
    xlsx = service.app_client.get("/alerts/export", params={"run": run, "format": "xlsx"}, headers=viewer)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_a_bulk_decision_with_an_unknown_id_records_none(service: Service) -> None:
    body = {"ids": ["ffffff0000"], "verdict": "false-positive", "comment": "x"}
    assert (
        service.app_client.post("/alerts/decisions", json=body, headers=service.as_role("analyst")).status_code == 404
    )
    assert service.app_client.post("/alerts/decisions", json=body, headers=service.as_role("viewer")).status_code == 403
