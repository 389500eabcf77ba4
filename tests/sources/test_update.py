"""`redline sources update` against a local HTTP server (pytest-httpserver) serving the fixtures."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from redline.services.sources import update_source
from redline.sources.update import Downloader, OfficialSource, UpdateError, read_config
from redline.store.snapshots import SnapshotStore
from tests.sources.cli_runner import Result, redline_fixture  # noqa: F401  (provides `redline`)

FIXTURES = Path(__file__).parent / "fixtures"
QUARTET = {
    "main": "sdn_2021-07-07.csv",
    "add": "add_2021-07-07.csv",
    "alt": "alt_2021-07-07.csv",
    "comments": "sdn_comments_2021-07-07.csv",
}
LAST_MODIFIED = "Wed, 07 Jul 2021 20:15:00 GMT"


def _serve_quartet(server: HTTPServer) -> dict[str, str]:
    urls = {}
    for role, name in QUARTET.items():
        path = f"/exports/{name.split('_2021')[0].upper()}.CSV"
        server.expect_request(path).respond_with_data(
            (FIXTURES / name).read_bytes(), content_type="text/csv", headers={"Last-Modified": LAST_MODIFIED}
        )
        urls[role] = server.url_for(path)
    return urls


def _config(tmp_path: Path, entries: dict[str, dict[str, object]]) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    return path


def _downloader(home: Path, retries: int = 2) -> Downloader:
    return Downloader(home / "downloads", retries=retries, timeout=5, sleep=lambda _: None)


def test_update_downloads_the_quartet_and_imports_it(
    redline: Callable[..., Result], redline_home: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    urls = _serve_quartet(httpserver)
    config = _config(tmp_path, {"ofac-sdn-csv": {"kind": "ofac-sdn-csv", "files": urls, "min_bytes": 100}})
    result = redline("sources", "update", "--config", str(config), "--json")
    assert result.code == 0, result.err
    (outcome,) = json.loads(result.out)["sources"]
    snapshot = outcome["snapshot"]
    assert outcome["created"] and snapshot["list"] == "ofac-sdn" and snapshot["records"] == 5
    # The CSV has no date inside; the server's Last-Modified is the issue date.
    assert snapshot["issued_at"] == "2021-07-07T20:15:00+00:00" and snapshot["issued_from"] == "http"
    assert sorted(f["role"] for f in snapshot["files"]) == ["add", "alt", "comments", "main"]
    again = json.loads(redline("sources", "update", "--config", str(config), "--json").out)
    assert not again["sources"][0]["created"] and again["sources"][0]["snapshot"]["id"] == snapshot["id"]
    assert again["changes"] == []
    kept = list((redline_home / "downloads" / "ofac-sdn-csv").iterdir())
    assert len(kept) == 1  # the unchanged second download was not kept


def test_retries_transient_errors(redline_home: Path, httpserver: HTTPServer) -> None:
    body = (FIXTURES / "un_consolidated.xml").read_bytes()
    httpserver.expect_ordered_request("/un.xml").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/un.xml").respond_with_data("slow down", status=429)
    httpserver.expect_ordered_request("/un.xml").respond_with_data(body, content_type="application/xml")
    source = OfficialSource("un-xml", "un-xml", {"main": httpserver.url_for("/un.xml")}, min_bytes=100)
    with SnapshotStore() as store:
        result = update_source(source, _downloader(redline_home), store)
    assert result.error is None and result.created and result.snapshot is not None
    assert result.snapshot.record_count == 3 and result.snapshot.issued_from.value == "file"


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (lambda: Response("<html><body>Service temporarily unavailable</body></html>", content_type="text/html"),
         "HTML page"),
        (lambda: Response("oops", status=404), "HTTP 404"),
        (lambda: Response(b"<CONSOLIDATED_LIST/>", content_type="application/xml"), "below the 100 expected"),
        (lambda: Response("busy", status=503), "HTTP 503 (after 3 attempts)"),
    ],
)  # fmt: skip
def test_refuses_unusable_downloads(
    redline_home: Path, httpserver: HTTPServer, handler: Callable[[], Response], message: str
) -> None:
    httpserver.expect_request("/un.xml").respond_with_handler(lambda _request: handler())
    source = OfficialSource("un-xml", "un-xml", {"main": httpserver.url_for("/un.xml")}, min_bytes=100)
    with SnapshotStore() as store:
        result = update_source(source, _downloader(redline_home), store)
        assert result.error is not None and message in result.error
        assert store.row_counts() == (0, 0)
    assert not list((redline_home / "downloads").rglob("*.xml"))


def test_checksum_mismatch_and_truncated_body(redline_home: Path, httpserver: HTTPServer) -> None:
    body = (FIXTURES / "un_consolidated.xml").read_bytes()
    httpserver.expect_request("/un.xml").respond_with_data(body, content_type="application/xml")
    source = OfficialSource("un-xml", "un-xml", {"main": httpserver.url_for("/un.xml")}, sha256="0" * 64)
    with SnapshotStore() as store:
        result = update_source(source, _downloader(redline_home), store)
    assert result.error is not None and "differs from the configured" in result.error

    def cut(_request: Request) -> Response:
        # Announces the whole file but sends half: what a dropped connection looks like.
        response = Response(body[: len(body) // 2], content_type="application/xml")
        response.headers["Content-Length"] = str(len(body))
        response.automatically_set_content_length = False
        return response

    httpserver.clear()
    httpserver.expect_request("/cut.xml").respond_with_handler(cut)
    source = OfficialSource("un-xml", "un-xml", {"main": httpserver.url_for("/cut.xml")})
    with SnapshotStore() as store:
        result = update_source(source, _downloader(redline_home, retries=0), store)
        assert store.row_counts() == (0, 0)
    assert result.error is not None and "(after 1 attempts)" in result.error
    assert "connection cut" in result.error or "network error" in result.error


def test_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(UpdateError, match="unknown kind 'ofac'"):
        read_config(_config(tmp_path, {"x": {"kind": "ofac", "files": {"main": "https://example.org/a"}}}))
    with pytest.raises(UpdateError, match="needs `kind` and `files` with a `main` address"):
        read_config(_config(tmp_path, {"x": {"kind": "un-xml"}}))
    built_in = read_config(Path(__file__).parents[2] / "src" / "redline" / "sources" / "official.yaml")
    assert {source.name for source in built_in} >= {"ofac-sdn-csv", "ofac-cons-csv", "un-xml", "csl-json"}
    assert all(url.startswith("https://") for source in built_in for url in source.files.values())
