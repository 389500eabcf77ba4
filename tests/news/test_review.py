"""Review before effect: the CLI queue, audited decisions, accepted events in the timeline only as known after
the article's publication, feeds watched, and the API with its roles."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from redline.catalog.news_facts import accepted_events
from redline.cli.app import app
from redline.cli.errors import UserError
from redline.model import parse_instant
from redline.sources.bundled import load_reference
from redline.status.timeline import timeline
from redline.store.news import NewsStore
from redline.store.reference import ReferenceStore
from redline.store.screening import ScreenStore
from tests.api.conftest import Service, client, service

__all__ = ["client", "service"]

NEW = Path(__file__).parent / "fixtures" / "extra" / "new-listing.txt"
runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_review_flow_and_the_timeline(redline_home: Path) -> None:
    data = json.loads(_run("news", "read", str(NEW), "--published", "2027-03-02T08:00-05:00", "--json", "--queue"))
    [article] = data["articles"]
    assert {(e["kind"], e["date"]) for e in article["events"]} == {
        ("listed", "2027-03-01"),
        ("price_move", "2027-03-02"),
    }
    # reading the same article again queues nothing new
    _run("news", "read", str(NEW), "--published", "2027-03-02T08:00-05:00", "--queue")
    [pending] = json.loads(_run("news", "review", "list", "--state", "pending", "--json"))["proposals"]
    assert pending["kind"] == "listed" and pending["entity"] == "xiaomi" and pending["list"] == "DOD_1260H"

    _run("news", "review", "accept", pending["id"][:8], "--comment", "checked against the DoD release")
    store = NewsStore()
    [accepted] = store.accepted()
    assert accepted.decided_by and accepted.comment == "checked against the DoD release"
    assert store.verify() == [] and ScreenStore().verify().ok
    again = runner.invoke(app, ["news", "review", "reject", pending["id"], "--comment", "changed my mind"])
    assert isinstance(again.exception, UserError) and "already accepted" in str(again.exception)

    listings, orders = accepted_events(store.accepted())
    assert orders == [] and listings[0].confidence.value == "low"
    assert listings[0].known_from == parse_instant("2027-03-02T08:00-05:00")
    reference = load_reference()
    merged = ReferenceStore(dataclasses.replace(reference, listings=[*reference.listings, *listings]))
    xiaomi = merged.entity("xiaomi")
    before = timeline(merged, xiaomi, known_at=parse_instant("2027-03-02T07:59-05:00"))
    after = timeline(merged, xiaomi, known_at=parse_instant("2027-03-02T08:00-05:00"))
    assert not any(entry.at.year == 2027 for entry in before)
    news_entry = next(entry for entry in after if entry.kind == "listed" and entry.at.year == 2027)
    assert news_entry.at == parse_instant("2027-03-01") and "news" in news_entry.sources[0].title
    assert f"sha256:{accepted.article_sha256}" in news_entry.sources[0].label()  # a file: named by its hash

    # Through the real doors: the catalog holds the accepted fact, known only from the article's publication.
    on = "2027-03-05"
    status_before = json.loads(_run("status", "xiaomi", "--on", on, "--known-at", "2027-03-02T07:59-05:00", "--json"))
    status_after = json.loads(_run("status", "xiaomi", "--on", on, "--known-at", "2027-03-02T08:00-05:00", "--json"))
    state = {r["regime"]: r for r in status_after["regimes"]}["NDAA1260H"]
    assert {r["regime"]: r for r in status_before["regimes"]}["NDAA1260H"]["listed_on"] != state["listed_on"]
    assert state["state"] == "listed_no_ban" and state["listed_on"].startswith("2027-03-01")
    assert any("news" in source for source in state["sources"])
    shown = json.loads(_run("timeline", "xiaomi", "--known-at", "2027-03-03", "--json"))
    assert any(e["at"].startswith("2027-03-01") and e["kind"] == "listed" for e in shown["events"]), shown


def test_accept_needs_a_date_when_the_article_gave_none(redline_home: Path, tmp_path: Path) -> None:
    article = tmp_path / "undated.txt"
    article.write_text(
        "Xiaomi filed an appeal against the Pentagon's 1260H designation, a newsletter said.", encoding="utf-8"
    )
    _run("news", "read", str(article), "--published", "2027-05-01", "--queue")
    [pending] = NewsStore().proposals("pending")
    refused = runner.invoke(app, ["news", "review", "accept", pending.id, "--comment", "ok"])
    assert isinstance(refused.exception, UserError) and "with a date" in str(refused.exception)
    _run("news", "review", "accept", pending.id, "--comment", "dated from the release", "--date", "2027-04-28")
    _, [order] = accepted_events(NewsStore().accepted())
    assert order.kind.value == "appeal" and order.issued_at == parse_instant("2027-04-28")


def test_watch_reads_new_feed_items_once(redline_home: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/story").respond_with_data(NEW.read_text(encoding="utf-8"), content_type="text/plain")
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
    <item><title>Pentagon adds Xiaomi</title><link>{httpserver.url_for("/story")}</link>
    <pubDate>Tue, 02 Mar 2027 13:00:00 GMT</pubDate></item></channel></rss>"""
    httpserver.expect_request("/feed").respond_with_data(feed, content_type="application/rss+xml")
    first = _run("news", "watch", httpserver.url_for("/feed"), "--polls", "1")
    assert "1 queued" in first
    second = _run("news", "watch", httpserver.url_for("/feed"), "--polls", "1")
    assert "queued" not in second  # the item was read already
    [pending] = NewsStore().proposals("pending")
    assert pending.published.startswith("2027-03-02T13:00")


def test_api_roles_and_decisions(service: Service, client: TestClient) -> None:
    body = {"text": NEW.read_text(encoding="utf-8"), "published": "2027-03-02T08:00-05:00", "queue": True}
    assert client.post("/news/read", json=body).status_code == 403  # a viewer reads but does not queue
    read = client.post("/news/read", json=body, headers=service.as_role("analyst"))
    assert read.status_code == 200 and len(read.json()["queued"]) == 1
    proposal_id = read.json()["queued"][0]
    listed = client.get("/news/proposals", params={"state": "pending"}).json()["proposals"]
    assert [p["id"] for p in listed] == [proposal_id] and listed[0]["list"] == "DOD_1260H"
    decision = {"decision": "reject", "comment": "a rumour"}
    assert client.post(f"/news/proposals/{proposal_id}/decision", json=decision).status_code == 403
    done = client.post(f"/news/proposals/{proposal_id}/decision", json=decision, headers=service.as_role("analyst"))
    assert done.status_code == 200 and done.json()["state"] == "rejected"
    assert done.json()["decided"]["by"].startswith("Test Analyst")
    assert client.get("/news/proposals/ffffffff").status_code == 404
    page = client.get("/ui/news", params={"state": "rejected"})
    assert page.status_code == 200 and "a rumour" in page.text


def test_hostile_input_is_refused_or_escaped(service: Service, client: TestClient) -> None:
    analyst = service.as_role("analyst")
    text = "<p>Xiaomi filed an appeal against the Pentagon's 1260H designation <script>alert(1)</script> on Monday.</p>"
    body = {"text": text, "url": "javascript:alert(1)", "published": "2027-06-02", "queue": True}
    read = client.post("/news/read", json=body, headers=analyst)
    assert read.status_code == 200 and read.json()["queued"]
    page = client.get("/ui/news", params={"state": "pending"})
    assert 'href="javascript:' not in page.text and "<script>alert(1)" not in page.text
    huge = {"text": "Xiaomi rose. " * 20_000, "published": "2027-06-02"}
    refused = client.post("/news/read", json=huge)
    assert refused.status_code == 400 and "not a news article" in refused.json()["detail"]
    undated = client.post("/news/read", json={"text": "Xiaomi sued the Pentagon on Friday."})
    assert undated.status_code == 400 and "publication time" in undated.json()["detail"]


def test_a_local_feed_without_links_is_read_from_its_summaries(redline_home: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Notices</title>
        <entry><title>DoD adds Xiaomi</title><id>urn:x:1</id><updated>2027-03-02T13:00:00Z</updated>
        <summary>The Pentagon on Monday added Xiaomi to its 1260H list of Chinese military companies.</summary></entry>
        </feed>""",
        encoding="utf-8",
    )
    out = _run("news", "watch", str(feed), "--polls", "1")
    assert "1 queued" in out
    [pending] = NewsStore().proposals("pending")
    assert (pending.kind, pending.entity_id, pending.date) == ("listed", "xiaomi", "2027-03-01")
