"""Reading into the review queue, watching feeds, and turning accepted proposals into catalog events."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from redline.news.analysis import ArticleReport, NewsReader
from redline.news.text import ArticleError, fetch, read_bytes
from redline.store.news import NewsStore


def queue(report: ArticleReport, store: NewsStore, who: str | None = None) -> list[str]:
    """Keep the report and queue its proposals; the ids queued (none when read before)."""
    return store.add(report.to_json(), report.article.url, report.proposal_rows(), who)


@dataclass(frozen=True, slots=True)
class FeedItem:
    feed: str
    link: str | None
    title: str
    published: datetime | None
    summary: str


def feed_items(feed: str) -> list[FeedItem]:
    """The items of an RSS or Atom feed (a URL or a file)."""
    import feedparser

    raw = fetch(feed) if feed.lower().startswith(("http://", "https://")) else _file(feed)
    parsed = feedparser.parse(raw)
    if parsed.bozo and not parsed.entries:
        raise ArticleError(f"{feed}: not an RSS or Atom feed ({parsed.get('bozo_exception', 'unreadable')})")
    items = []
    for entry in parsed.entries:
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        when = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
        items.append(FeedItem(feed, entry.get("link"), entry.get("title", ""), when, entry.get("summary", "") or ""))
    return items


def _file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot be read ({exc.strerror})") from None


def poll(
    feeds: Iterable[str], reader: NewsReader, store: NewsStore, who: str | None = None
) -> Iterator[tuple[FeedItem, ArticleReport | None, list[str], str | None]]:
    """Read each new item of each feed (its page, or its summary when the page cannot be fetched) and queue its
    proposals: (item, report, queued ids, problem). An item already read is skipped."""
    for feed in feeds:
        for item in feed_items(feed):
            if item.link and store.has_article(item.link, ""):
                continue
            problem = None
            try:
                raw = fetch(item.link) if item.link else b""
                article = read_bytes(raw, item.link or feed, item.published, item.link) if raw else None
            except ArticleError as exc:
                problem, article = str(exc), None
            if article is None or not article.text:
                text = f"{item.title}\n\n{item.summary}".encode()
                article = read_bytes(text, item.link or feed, item.published, item.link)
            if article.published is None:
                yield item, None, [], f"{item.link or item.title}: no publication time in the feed or the page"
                continue
            report = reader.read(article)
            yield item, report, queue(report, store, who), problem
