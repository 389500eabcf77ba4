"""The news as use cases, for the terminal, the API and the review page: read articles (and queue the legal events
they propose), poll feeds, list and read proposals, accept or reject them.

Nothing read changes a legal answer until an analyst accepts a proposal (redline.news). The store and the reader
are handed in; `NewsReview.default()` opens the configured store (Unavailable if it cannot be), and reading without
queueing opens none. An article or feed that cannot be read is InvalidInput, an unknown proposal NotFound, a
decision the store refuses InvalidInput.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from redline.model.vocabulary import ProposalDecision, ProposalState
from redline.news import ArticleError, ArticleReport, NewsReader, default_reader, read_bytes, read_source
from redline.news.queue import FeedItem, poll, queue
from redline.services.errors import InvalidInput, NotFound
from redline.services.stores import opened
from redline.store.errors import StoreError, UnknownId
from redline.store.news import NewsStore, Proposal

__all__ = ["PROPOSAL_STATES", "FeedWatch", "NewsReview", "Proposal", "ReadArticle", "ReadResult", "read_articles"]

# A proposal's review states (`news review list --state`), in the vocabulary's order.
PROPOSAL_STATES = tuple(state.value for state in ProposalState)


def news_store() -> NewsStore:
    return opened(NewsStore)


def _refused(exc: StoreError) -> Exception:
    return NotFound(str(exc)) if isinstance(exc, UnknownId) else InvalidInput(str(exc))


def _choice(enum: type[ProposalState] | type[ProposalDecision], value: str, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(f"{what} must be one of {', '.join(e.value for e in enum)}, not {value!r}") from None


@dataclass(frozen=True)
class ReadArticle:
    report: ArticleReport
    queued: list[str] | None  # the proposal ids queued for review (None: not queued)


@dataclass(frozen=True, slots=True)
class ReadResult:
    article: dict[str, Any]  # the report's stable JSON (`redline news read --json`)
    queued: list[str]


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
    store = news_store() if to_queue else None
    return [ReadArticle(report, queue(report, store) if store is not None else None) for report in reports]


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
    reader: Callable[[], NewsReader] = field(default=default_reader)

    @classmethod
    def default(cls) -> NewsReview:
        return cls(news_store())

    def proposals(self, state: ProposalState | str | None = None, limit: int = 200) -> list[Proposal]:
        """Proposals, newest first (only those in `state`; None: all)."""
        chosen = None if state is None else _choice(ProposalState, state, "state")
        return self.store.proposals(chosen.value if chosen else None, limit)

    def proposal(self, given: str) -> Proposal:
        """One proposal by id or a unique prefix of 6+ characters."""
        try:
            return self.store.proposal(given)
        except StoreError as exc:
            raise _refused(exc) from None

    def decide(
        self,
        ids: list[str],
        decision: ProposalDecision | str,
        comment: str,
        who: str | None = None,
        date: str | None = None,
        list_id: str | None = None,
    ) -> list[str]:
        """Accept (a low-confidence catalog event known from the article) or reject, each audited under `who`
        (default: the configured actor)."""
        chosen = _choice(ProposalDecision, decision, "decision")
        if not comment.strip():
            raise InvalidInput("a decision needs a comment saying why")
        try:
            return self.store.decide(ids, chosen.value, comment, who, date, list_id)
        except StoreError as exc:
            raise _refused(exc) from None

    def read(
        self, text: str, url: str | None, published: datetime | None, who: str, to_queue: bool = False
    ) -> ReadResult:
        """Read one article given as text or HTML; with `to_queue`, queue its proposals under `who`."""
        try:
            article = read_bytes(text.encode("utf-8"), url or "request", published, url)
            report = self.reader().read(article)
        except ArticleError as exc:
            raise InvalidInput(str(exc)) from None
        queued = queue(report, self.store, who) if to_queue else []
        return ReadResult(report.to_json(), queued)
