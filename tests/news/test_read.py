"""Reading: text and HTML, publication time from the page or the option, languages, relative dates, URLs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from redline.model import parse_instant
from redline.model.periods import Period
from redline.news import ArticleError, NewsReader, read_source
from redline.news.dates import find_dates

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def test_html_main_text_title_and_published_time_come_from_the_page() -> None:
    article = read_source(str(CORPUS / "dev" / "d06-hesai-lawsuit.html"))
    assert article.title == "Hesai sues Pentagon over military list"
    assert article.published == parse_instant("2024-05-14T07:30:00-04:00")
    assert "Subscribe now" not in article.text and "Copyright" not in article.text
    assert article.url == "https://news.example.com/2024/05/14/hesai-sues-pentagon"
    assert article.language == "en"


def test_chinese_is_detected_and_han_names_resolve() -> None:
    article = read_source(str(CORPUS / "dev" / "d20-nscmic-list-zh.txt"), parse_instant("2021-06-04T09:00+08:00"))
    report = NewsReader().read(article)
    assert report.article.language == "zh"
    assert {"smic", "huawei", "hikvision", "xiaomi", "luokung"} <= {m.entity_id for m in report.entities}
    listed = {e.entity_id for e in report.events if e.kind == "listed"}
    assert listed == {"smic", "huawei", "hikvision"}  # 小米集团和箩筐技术未被列入: not included


def test_a_machine_translated_name_is_found_and_flagged() -> None:
    article = read_source(str(CORPUS / "dev" / "d03-basket-lawsuit-mt.txt"), parse_instant("2021-03-06T09:00+08:00"))
    data = NewsReader().read(article).to_json()
    basket = next(e for e in data["entities"] if e["mention"] == "Basket Technologies")
    assert basket["id"] == "luokung" and basket["score"] < 0.8
    assert any("Basket Technologies" in flag for flag in data["flags"])
    complaint = next(e for e in data["events"] if e["kind"] == "complaint" and e["entity"] == "luokung")
    assert complaint["date"] == "2021-03-05" and complaint["corroborates"] == ["luokung-complaint"]


def test_a_false_claim_is_flagged_not_believed() -> None:
    article = read_source(str(CORPUS / "dev" / "d09-tencent-false.txt"), parse_instant("2021-03-20T09:00-04:00"))
    report = NewsReader().read(article)
    claim = next(e for e in report.events if e.kind == "listed")
    assert claim.contradicts and claim.confidence == "low"
    assert claim not in report.proposals
    assert any("not believed" in flag for flag in report.flags)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("on Friday", "2021-03-13T08:00-05:00", "2021-03-12"),
        ("last week", "2021-05-26", "2021-W20"),
        ("in January", "2021-03-13", "2021-01"),
        ("in December", "2021-03-13", "2020-12"),
        ("this month", "2024-08-19", "2024-08"),
        ("on March 15", "2021-03-13", "2021-03-15"),
        ("周二", "2021-05-26T08:00+08:00", "2021-05-25"),  # Tuesday in Beijing, where the paper is
        ("上周", "2021-02-02T09:00+08:00", "2021-W04"),
        ("3月12日", "2021-03-13", "2021-03-12"),
    ],
)
def test_relative_dates_resolve_against_the_publication(text: str, published: str, expected: str) -> None:
    [found] = find_dates(text, parse_instant(published))
    assert found.period.text() == expected


def test_a_date_after_said_dates_the_report_not_the_event() -> None:
    found = find_dates("said on Thursday that a court ruled on Wednesday", parse_instant("2021-05-06"))
    assert [(d.period.text(), d.reported) for d in found] == [("2021-05-06", True), ("2021-05-05", False)]


def test_periods_round_trip() -> None:
    for text in ("2021-03-12", "2021-W20", "2021-03", "2022"):
        assert Period.parse(text).text() == text
    assert Period.parse("2021-W20").first == date(2021, 5, 17)


def test_a_page_saved_as_mhtml_is_read_with_its_address(tmp_path: Path) -> None:
    html = (CORPUS / "heldout" / "h11-hesai-relisted.html").read_text(encoding="utf-8")
    saved = tmp_path / "page.mhtml"
    saved.write_text(
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://news.example.com/hesai\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html"; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/html; charset=utf-8\r\nContent-Location: https://news.example.com/hesai\r\n\r\n"
        f"{html}\r\n--B--\r\n",
        encoding="utf-8",
    )
    article = read_source(str(saved))
    assert article.url == "https://news.example.com/hesai"
    assert article.title == "Pentagon removes, then re-adds Hesai"
    assert article.published == parse_instant("2024-10-24T08:15:00-04:00")


def test_a_url_is_fetched(httpserver: HTTPServer) -> None:
    page = (CORPUS / "heldout" / "h11-hesai-relisted.html").read_bytes()
    httpserver.expect_request("/story").respond_with_data(page, content_type="text/html")
    article = read_source(httpserver.url_for("/story"))
    assert article.url == httpserver.url_for("/story")
    report = NewsReader().read(article)
    assert ("removed", "hesai", "2024-10-23") in {e.key() for e in report.events}


def test_failures_are_one_line_errors(tmp_path: Path, httpserver: HTTPServer) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        read_source(str(tmp_path / "missing.txt"))
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    with pytest.raises(ArticleError, match="HTTP 404"):
        read_source(httpserver.url_for("/gone"))
    undated = tmp_path / "undated.txt"
    undated.write_text("Xiaomi sued the Pentagon on Friday.", encoding="utf-8")
    with pytest.raises(ArticleError, match="--published"):
        NewsReader().read(read_source(str(undated)))
