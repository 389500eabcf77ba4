"""Tickers with their exchange in the cell, in every vendor form, screen as status resolves them (one parser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.resolve.identifiers import parse_ticker
from redline.screen.columns import detect_columns
from redline.screen.rows import RowReader
from redline.services.status import StatusService
from redline.store.screening import ScreenStore
from tests.screen.helpers import decisions_by_line, run

FORMS = [
    ("0981.HK", "smic"),
    ("688981.SS", "smic"),
    ("981 HK Equity", "smic"),
    ("HKEX:1186", "crcc"),
    ("1186 HK", "crcc"),
    ("CWYCY US Equity", "crcc"),
    ("002415 CH", "hikvision"),
    ("002415.SZ", "hikvision"),
    ("CTMA.DE", "china-mobile-ltd"),
    ("CTMA GR Equity", "china-mobile-ltd"),
]


def test_a_book_of_vendor_ticker_forms_is_never_ok(tmp_path: Path) -> None:
    book = tmp_path / "book.csv"
    book.write_text("ticker,quantity\n" + "".join(f'"{form}",100\n' for form, _ in FORMS), encoding="utf-8")
    store = ScreenStore(f"sqlite:///{tmp_path / 'redline.db'}")
    run(book, store, tmp_path / "out.csv", on="2021-03-16")
    rows = decisions_by_line(tmp_path / "out.csv")
    decisions = {rows[line]["ticker"]: rows[line]["redline_decision"] for line in rows}
    assert all(decision != "OK" for decision in decisions.values()), decisions


@pytest.mark.parametrize(("form", "entity"), FORMS)
def test_status_and_screening_read_the_same_listing(form: str, entity: str) -> None:
    found, _ = StatusService.bundled().resolve(form)
    assert found is not None and found.id == entity
    reader = RowReader(detect_columns(["ticker"]))
    row = reader.read(2, [form])
    ticker = parse_ticker(form)
    assert ticker is not None and row.identifiers["ticker"] == ticker.code and row.exchange == ticker.market


def test_a_share_codes_keep_their_zeros() -> None:
    reader = RowReader(detect_columns(["ticker"]))
    row = reader.read(2, ["000728"])
    assert (row.identifiers["ticker"], row.exchange) == ("000728", "CN")
    found, _ = StatusService.bundled().resolve("000728")
    assert found is None or found.id != "china-telecom-corp-ltd"  # Hong Kong's 728 is another listing


@pytest.mark.parametrize("text", ["Baidu", "CHINA MOBILE", "BYD A", "Xiaomi Corporation", "ZZZZ.QQ"])
def test_names_are_not_tickers(text: str) -> None:
    assert parse_ticker(text) is None
