"""The online fetcher, tested offline against a local HTTP server serving recorded-format fixtures."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from redline.cli.app import main
from redline.impact.fetch import FetchError, fetch_series, write_wide_csv
from redline.impact.panel import from_prices
from redline.impact.tables import read_table

FIXTURES = Path(__file__).parent / "fixtures"


def _chart(symbol: str) -> str:
    name = symbol.lstrip("^")
    return (FIXTURES / f"yahoo_chart_{name}.json").read_text()


def test_fetch_and_write_a_wide_csv(httpserver: HTTPServer, tmp_path: Path) -> None:
    for symbol in ("1810.HK", "^HSI"):
        httpserver.expect_request(f"/v8/finance/chart/{symbol}").respond_with_data(
            _chart(symbol), content_type="application/json"
        )
    series = [
        fetch_series(s, date(2021, 1, 14), date(2021, 1, 19), base_url=httpserver.url_for("/"), backoff=0)
        for s in ("1810.HK", "^HSI")
    ]
    # Timestamps are 09:00 Hong Kong time; the null close of 2021-01-19 is a day without a price.
    assert series[0].prices == {date(2021, 1, 14): 32.65, date(2021, 1, 15): 29.30, date(2021, 1, 18): 28.90}
    out = tmp_path / "p.csv"
    assert write_wide_csv(out, series) == 4
    table = read_table(out)
    assert table.names == ["1810.HK", "^HSI"]
    panel = from_prices(table, "^HSI")
    assert panel.returns[1, 0] == pytest.approx(29.30 / 32.65 - 1)
    request = httpserver.log[0][0]
    assert request.args["interval"] == "1d" and int(request.args["period1"]) == 1610582400


def test_retries_on_503_then_succeeds(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/v8/finance/chart/1810.HK").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/v8/finance/chart/1810.HK").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/v8/finance/chart/1810.HK").respond_with_data(
        _chart("1810.HK"), content_type="application/json"
    )
    series = fetch_series("1810.HK", date(2021, 1, 14), date(2021, 1, 19), base_url=httpserver.url_for("/"), backoff=0)
    assert len(series.prices) == 3
    assert len(httpserver.log) == 3


def test_gives_up_after_the_retries(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v8/finance/chart/1810.HK").respond_with_data("down", status=502)
    with pytest.raises(FetchError, match=r"1810.HK: .* answered HTTP 502"):
        fetch_series(
            "1810.HK", date(2021, 1, 1), date(2021, 1, 2), base_url=httpserver.url_for("/"), retries=2, backoff=0
        )
    assert len(httpserver.log) == 3


def test_reports_the_services_error(httpserver: HTTPServer) -> None:
    body = {"chart": {"result": None, "error": {"code": "Not Found", "description": "No data found"}}}
    httpserver.expect_request("/v8/finance/chart/NOPE").respond_with_json(body, status=404)
    with pytest.raises(FetchError, match=r"NOPE: .*HTTP 404 \(Not Found: No data found\)"):
        fetch_series("NOPE", date(2021, 1, 1), date(2021, 1, 2), base_url=httpserver.url_for("/"), backoff=0)


def test_times_out(httpserver: HTTPServer) -> None:
    def slow(_: Request) -> Response:
        time.sleep(0.5)
        return Response(_chart("1810.HK"), content_type="application/json")

    httpserver.expect_request("/v8/finance/chart/1810.HK").respond_with_handler(slow)
    with pytest.raises(FetchError, match=r"no answer from .* within 0.2 s"):
        fetch_series(
            "1810.HK", date(2021, 1, 1), date(2021, 1, 2), base_url=httpserver.url_for("/"),
            timeout=(1.0, 0.2), retries=0,
        )  # fmt: skip


def test_fetch_command(
    httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/v8/finance/chart/1810.HK").respond_with_data(
        _chart("1810.HK"), content_type="application/json"
    )
    out = tmp_path / "p.csv"
    args = ["redline", "impact", "fetch", "1810.HK", "--start", "2021-01-14", "--end", "2021-01-19"]
    monkeypatch.setattr(sys, "argv", [*args, "--out", str(out), "--base-url", httpserver.url_for("/")])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    assert out.read_text().splitlines()[0] == "date,1810.HK"
    assert "3 dates x 1 symbol(s)" in capsys.readouterr().err
    json.loads(_chart("1810.HK"))  # the fixture itself stays valid JSON
