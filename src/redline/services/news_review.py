"""The news as use cases: read an article (and queue the legal events it proposes), list and read proposals,
accept or reject them. The API and the review page call these; the store and the reader are handed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from redline.model.vocabulary import ProposalDecision, ProposalState
from redline.news import ArticleError, NewsReader, default_reader, read_bytes
from redline.news.queue import queue
from redline.services.errors import InvalidInput, NotFound
from redline.store.errors import StoreError, UnknownId
from redline.store.news import NewsStore, Proposal

__all__ = ["NewsReview", "Proposal", "ReadResult"]


@dataclass(frozen=True, slots=True)
class ReadResult:
    article: dict[str, Any]  # the report's stable JSON (`redline news read --json`)
    queued: list[str]


def _refused(exc: StoreError) -> Exception:
    return NotFound(str(exc)) if isinstance(exc, UnknownId) else InvalidInput(str(exc))


@dataclass
class NewsReview:
    store: NewsStore
    reader: Callable[[], NewsReader] = field(default=default_reader)

    @classmethod
    def default(cls) -> NewsReview:
        return cls(NewsStore())

    def proposals(self, state: ProposalState | None = None, limit: int = 200) -> list[Proposal]:
        """Proposals, newest first (only those in `state`)."""
        return self.store.proposals(state.value if state else None, limit)

    def proposal(self, given: str) -> Proposal:
        """One proposal by id or a unique prefix of 6+ characters."""
        try:
            return self.store.proposal(given)
        except StoreError as exc:
            raise _refused(exc) from None

    def decide(
        self,
        ids: list[str],
        decision: ProposalDecision,
        comment: str,
        who: str,
        date: str | None = None,
        list_id: str | None = None,
    ) -> list[str]:
        """Accept (a low-confidence catalog event known from the article) or reject, each audited under `who`."""
        if not comment.strip():
            raise InvalidInput("a decision needs a comment saying why")
        try:
            return self.store.decide(ids, decision.value, comment, who, date, list_id)
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
