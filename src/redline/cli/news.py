"""`redline news read|watch|review`: read articles, watch feeds, and review what they propose."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from redline.cli.console import console as make_console
from redline.cli.errors import UserError
from redline.cli.options import INSTANT
from redline.services.news_review import PROPOSAL_STATES, FeedWatch, NewsReview, read_articles

news_app = typer.Typer(
    help="Read news and adverse media; propose the legal events found for review.", no_args_is_help=True
)
review_app = typer.Typer(help="The review queue of events proposed by the news.", no_args_is_help=True)
news_app.add_typer(review_app, name="review")


@news_app.command("read")
def read(
    sources: Annotated[list[str], typer.Argument(help="Files (text, HTML, a saved page) or http(s) URLs.")],
    published: Annotated[
        datetime | None,
        typer.Option(
            "--published",
            click_type=INSTANT,
            help="Publication time when the page gives none (a bare date is noon New York).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form.")] = False,
    to_queue: Annotated[bool, typer.Option("--queue", help="Queue the proposed legal events for review.")] = False,
) -> None:
    """Find catalog entities, regulatory events, price moves and allegations in articles."""
    read = read_articles(sources, published, to_queue)
    if as_json:
        print(json.dumps({"articles": [r.report.to_json() for r in read]}, indent=2, ensure_ascii=False))
        return
    out = make_console()
    for article in read:
        data = article.report.to_json()
        out.print(f"[bold]{data['title'] or data['source']}[/bold]  {data['published']}  {data['language']}")
        for e in data["entities"]:
            out.print(f"  entity {e['id']} ({e['name']}) as {e['mention']!r} score {e['score']}")
        for c in data["candidates"]:
            out.print(f"  unknown organisation {c['mention']!r}")
        for e in data["events"]:
            held = " corroborates " + ", ".join(e["corroborates"]) if e["corroborates"] else ""
            out.print(f"  event {e['kind']} {e['entity']} {e['date'] or 'undated'} ({e['confidence']}){held}")
        for a in data["adverse"]:
            out.print(f"  allegation {a['topic']} against {a['entity']}" + (f" by {a['by']}" if a["by"] else ""))
        for flag in data["flags"]:
            out.print(f"  [yellow]flag[/yellow] {flag}")
        if article.queued is not None:
            out.print(f"  queued {len(article.queued)} proposal(s) for review")


@news_app.command("watch")
def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS or Atom feeds: URLs or files.")],
    interval: Annotated[float, typer.Option("--interval", help="Seconds between polls.")] = 900.0,
    polls: Annotated[int, typer.Option("--polls", help="Stop after this many polls (0: until interrupted).")] = 0,
) -> None:
    """Poll feeds, read each new item and queue what it proposes for review."""
    watching, done = FeedWatch.default(), 0
    while True:
        for item, report, queued, problem in watching.poll(feeds):
            if problem:
                print(f"warning: {problem}")
            if report is not None:
                print(f"read {item.link or item.title}: {len(report.events)} event(s), {len(queued)} queued")
        done += 1
        if polls and done >= polls:
            return
        time.sleep(interval)


@review_app.command("list")
def review_list(
    state: Annotated[str | None, typer.Option("--state", help="pending, accepted or rejected. Default: all.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form.")] = False,
) -> None:
    """The proposals, newest first."""
    if state is not None and state not in PROPOSAL_STATES:
        raise UserError(f"--state must be one of {', '.join(PROPOSAL_STATES)}, not {state!r}")
    found = NewsReview.default().proposals(state, limit)
    if as_json:
        print(json.dumps({"proposals": [p.to_json() for p in found]}, indent=2, ensure_ascii=False))
        return
    table = Table()
    for column in ("id", "state", "kind", "entity", "date", "list", "article", "evidence"):
        table.add_column(column)
    for p in found:
        table.add_row(
            p.id, p.state, p.kind, p.entity_id, p.date or "—", p.list_id or "—", p.article_title[:40], p.evidence[:80]
        )
    make_console().print(table)


def _decide(ids: list[str], decision: str, comment: str, date: str | None = None, list_id: str | None = None) -> None:
    decided = NewsReview.default().decide(ids, decision, comment, date=date, list_id=list_id)
    for ident in decided:
        print(f"{ident} {decision}ed")


@review_app.command("accept")
def accept(
    ids: Annotated[list[str], typer.Argument(help="Proposal ids (a unique prefix of 6+ characters).")],
    comment: Annotated[str, typer.Option("--comment", help="Why: recorded in the audit log.")],
    date: Annotated[str | None, typer.Option("--date", help="The event's date when the article gave none.")] = None,
    list_id: Annotated[str | None, typer.Option("--list", help="The list (e.g. DOD_1260H) when not stated.")] = None,
) -> None:
    """Accept proposals: each becomes a low-confidence catalog event known from its article (audited)."""
    _decide(ids, "accept", comment, date, list_id)


@review_app.command("reject")
def reject(
    ids: Annotated[list[str], typer.Argument(help="Proposal ids (a unique prefix of 6+ characters).")],
    comment: Annotated[str, typer.Option("--comment", help="Why: recorded in the audit log.")],
) -> None:
    """Reject proposals (audited)."""
    _decide(ids, "reject", comment)
