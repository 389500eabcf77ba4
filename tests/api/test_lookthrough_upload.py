"""Look-through over HTTP (issue 15): fund holdings uploaded with the book, as files or a folder in a zip, kept
with the run; hostile zips refused before anything is extracted."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Service
from tests.api.test_api_service import _wait
from tests.screen.issuer_funds import FIXTURES, fund_folder

BOOK = (FIXTURES / "book.csv").read_bytes()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _submit(service: Service, constituents: list[tuple[str, bytes]], on: str = "2021-03-01") -> Any:
    files = [("file", ("book.csv", BOOK)), *(("constituents", item) for item in constituents)]
    return service.app_client.post(
        "/screenings",
        files=files,
        data={"on": on, "known_at": on},
        headers=service.as_role("analyst"),
    )


def test_a_folder_of_funds_as_a_zip_is_looked_through_and_kept_with_the_run(service: Service, tmp_path: Path) -> None:
    folder = fund_folder(tmp_path / "funds")
    archive = _zip({f"holdings/{path.name}": path.read_bytes() for path in folder.iterdir()} | {"README.txt": b"x"})
    response = _submit(service, [("funds.zip", archive)])
    assert response.status_code == 202, response.text
    job = _wait(service, response.json()["id"])
    assert job["status"] == "completed", job
    assert sorted(job["parameters"]["constituents"]) == ["ASIA.csv", "CHIQ.xlsx", "EMCN.csv"]
    assert {fund["fund"] for fund in job["summary"]["funds"]} == {"ASIA", "CHIQ", "EMCN"}
    assert job["summary"]["errors"] == 0
    kept = service.home / "screenings" / job["id"] / "constituents"
    assert sorted(p.name for p in kept.iterdir()) == ["ASIA.csv", "CHIQ.xlsx", "EMCN.csv"]
    assert (kept.parent / "results.csv.index").is_file()  # the results page's index, written with the run
    results = service.app_client.get(job["links"]["results"], headers=service.as_role("viewer")).text
    assert "holds CRRC Corporation Limited through 2 line(s), 0.47% of the fund" in results


def test_fund_files_can_be_sent_one_by_one(service: Service) -> None:
    response = _submit(service, [("EMCN.csv", (FIXTURES / "EMCN.csv").read_bytes())])
    job = _wait(service, response.json()["id"])
    assert job["status"] == "completed" and job["summary"]["funds"][0]["as_of"] == "2021-03-01"


@pytest.mark.parametrize(
    ("entries", "status", "fragment"),
    [
        ({f"f{i}.csv": b"ticker,name\n1,a\n" for i in range(201)}, 413, "more than 200"),
        ({"a/EMCN.csv": b"ticker,name\n", "b/EMCN.csv": b"ticker,name\n"}, 400, "two entries named"),
        ({"notes.txt.exe": b"MZ"}, 400, "no .csv"),
    ],
    ids=["too-many-entries", "same-name-twice", "nothing-to-read"],
)
def test_hostile_zips_are_refused_before_extraction(
    service: Service, entries: dict[str, bytes], status: int, fragment: str
) -> None:
    response = _submit(service, [("funds.zip", _zip(entries))])
    assert response.status_code == status and fragment in response.json()["detail"]
    assert not list((service.home / "screenings").glob(".upload-*"))


def test_path_traversal_names_land_inside_the_job_folder(service: Service) -> None:
    archive = _zip({"../../../../tmp/EVIL.csv": (FIXTURES / "EMCN.csv").read_bytes()})
    job = _wait(service, _submit(service, [("funds.zip", archive)]).json()["id"])
    assert job["parameters"]["constituents"] == ["EVIL.csv"]
    assert (service.home / "screenings" / job["id"] / "constituents" / "EVIL.csv").is_file()


def test_a_zip_bomb_is_stopped_at_the_upload_limit(service: Service) -> None:
    limit = service.app_client.app.state.max_upload  # type: ignore[attr-defined]
    bomb = _zip({"big.csv": b"0" * (limit + 1)})
    response = _submit(service, [("bomb.zip", bomb)])
    assert response.status_code == 413 and "larger than the upload limit" in response.json()["detail"]


def test_a_damaged_zip_and_text_parts_are_400(service: Service) -> None:
    assert _submit(service, [("funds.zip", b"PK\x03\x04 not really")]).status_code == 400
    files = {"file": ("book.csv", BOOK)}
    response = service.app_client.post(
        "/screenings", files=files, data={"constituents": "x"}, headers=service.as_role("analyst")
    )
    assert response.status_code == 400


def test_totals_of_the_summary_report_and_pages_agree_with_the_rows(service: Service, tmp_path: Path) -> None:
    """A look-through run over HTTP: the totals the job's summary, its HTML report and its results page show are
    recomputed here from the screened rows (every row once in every total, by its decision)."""
    folder = fund_folder(tmp_path / "funds")
    response = _submit(service, [(path.name, path.read_bytes()) for path in sorted(folder.iterdir())], "2021-03-16")
    job = _wait(service, response.json()["id"])
    assert job["status"] == "completed", job
    viewer = service.as_role("viewer")
    text = service.app_client.get(job["links"]["results"], headers=viewer).text
    rows = list(csv.DictReader(io.StringIO(text)))
    decisions = Counter(row["redline_decision"] for row in rows)
    findings = [row for row in rows if row["redline_decision"] in ("BLOCK", "DIVEST", "HOLD-ONLY", "REVIEW")]
    by_regime = Counter(regime for row in findings for regime in row["redline_regimes"].split(" | ") if regime)
    by_account = Counter(row["account"] for row in findings)
    summary = job["summary"]
    assert {name: count for name, count in summary["decisions"].items() if count} == dict(decisions)
    assert summary["findings"] == len(findings) and summary["rows"] == len(rows) == 7
    assert {regime: e["rows"] for regime, e in summary["exposure_by_regime"].items()} == dict(by_regime)
    assert {account: e["rows"] for account, e in summary["exposure_by_account"].items()} == dict(by_account)

    report = service.app_client.get(job["links"]["report"], headers=viewer).text
    page = service.app_client.get(f"/ui/screenings/{job['id']}", headers=viewer).text
    for html in (report, page):
        assert f"rows<b>{len(rows)}</b>" in html and f"findings<b>{len(findings)}</b>" in html
    for regime, count in by_regime.items():
        assert f"<tr><td>{regime}</td><td>{count}</td>" in report
    for account, count in by_account.items():
        assert f"<tr><td>{account}</td><td>{count}</td>" in page
    for decision, count in decisions.items():
        filtered = service.app_client.get(f"/ui/screenings/{job['id']}?decision={decision}", headers=viewer).text
        assert f'<p class="muted" id="count">{count} of {len(rows)} rows' in filtered, decision
