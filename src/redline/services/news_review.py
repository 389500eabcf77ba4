"""News from a terminal: read articles (and queue what they propose), poll feeds, and review the proposals.

Nothing read changes a legal answer until an analyst accepts a proposal (redline.news). The news store is opened
only by the use cases that need it (reading without --queue stores nothing); a store that cannot be opened is
Unavailable, an article or feed that cannot be read InvalidInput, a decision the store refuses InvalidInput.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from redline.news import ArticleError, ArticleReport, NewsReader, read_source
from redline.news.queue import FeedItem, poll, queue
from redline.services.errors import InvalidInput
from redline.services.stores import opened, usable
from redline.store.news import STATES, NewsStore, Proposal

# A proposal's review states (`news review list --state`).
PROPOSAL_STATES = STATES


def news_store() -> NewsStore:
    return opened(NewsStore)


@dataclass(frozen=True)
class ReadArticle:
    report: ArticleReport
    queued: list[str] | None  # the proposal ids queued for review (None: not queued)


def read_articles(sources: list[str], published: datetime | None = None, to_queue: bool = False) -> list[ReadArticle]:
    """Read each file or URL (`published` when the page gives no time) and, with `to_queue`, queue the legal events
    each proposes for review."""
    reader = NewsReader()
    reports = []
    for source in sources:
        try:
            reports.append(reader.read(read_source(source, published)))
        except ArticleError as exc:
            raise InvalidInput(str(exc)) from None
    return [ReadArticle(report, queue(report, news_store()) if to_queue else None) for report in reports]


@dataclass
class FeedWatch:
    """Feeds polled again and again with one reader and one store."""

    reader: NewsReader
    store: NewsStore

    @classmethod
    def default(cls) -> FeedWatch:
        return cls(NewsReader(), news_store())

    def poll(self, feeds: Iterable[str]) -> Iterator[tuple[FeedItem, ArticleReport | None, list[str], str | None]]:
        """One poll: each new item read and its proposals queued, yielded as it is read: (item, report, queued
        ids, problem)."""
        try:
            yield from poll(feeds, self.reader, self.store)
        except ArticleError as exc:
            raise InvalidInput(str(exc)) from None


@dataclass
class NewsReview:
    store: NewsStore

    @classmethod
    def default(cls) -> NewsReview:
        return cls(news_store())

    def proposals(self, state: str | None = None, limit: int = 200) -> list[Proposal]:
        """The proposals, newest first; `state` one of PROPOSAL_STATES (None: all)."""
        if state is not None and state not in PROPOSAL_STATES:
            raise InvalidInput(f"state must be one of {', '.join(PROPOSAL_STATES)}, not {state!r}")
        return self.store.proposals(state, limit)

    def decide(
        self, ids: list[str], decision: str, comment: str, date: str | None = None, list_id: str | None = None
    ) -> list[str]:
        """Accept or reject proposals (audited); an accepted one becomes a low-confidence catalog event."""
        with usable(InvalidInput):
            return self.store.decide(ids, decision, comment, date=date, list_id=list_id)
