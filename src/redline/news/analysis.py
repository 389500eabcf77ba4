"""One article read: its entities, events, allegations, and the flags a reviewer must see; the JSON contract of
`redline news read --json` and `POST /news/read`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from redline.model import iso
from redline.news.catalog import NewsCatalog, news_catalog
from redline.news.claims import check
from redline.news.entities import Mention, MentionFinder
from redline.news.events import Allegation, Event, EventReader
from redline.news.text import Article, ArticleError, sentences


@dataclass(frozen=True, slots=True)
class ArticleReport:
    article: Article
    published: datetime
    entities: tuple[Mention, ...]  # one per entity and distinct mention text
    candidates: tuple[Mention, ...]  # organisation names the catalog does not know
    events: tuple[Event, ...]
    adverse: tuple[Allegation, ...]
    flags: tuple[str, ...]

    @property
    def proposals(self) -> tuple[Event, ...]:
        """Legal events the catalog neither holds nor contradicts: for an analyst to accept or reject."""
        return tuple(e for e in self.events if e.legal and not e.corroborates and not e.contradicts)

    def proposal_rows(self) -> list[dict[str, Any]]:
        return [e.to_json() | {"mention": e.mention} for e in self.proposals]

    def to_json(self) -> dict[str, Any]:
        a = self.article
        return {
            "source": a.url or a.source,
            "title": a.title,
            "published": iso(self.published),
            "language": a.language,
            "sha256": a.sha256,
            "entities": [m.to_json() for m in self.entities],
            "candidates": [
                {"mention": m.text, "best": m.name or None, "score": round(m.score, 3)} for m in self.candidates
            ],
            "events": [e.to_json() for e in self.events],
            "adverse": [x.to_json() for x in self.adverse],
            "flags": list(self.flags),
        }


MAX_CHARS = 200_000  # a news article is far shorter; past this the reading would take minutes, so it is refused


class NewsReader:
    def __init__(self, catalog: NewsCatalog | None = None) -> None:
        self.catalog = catalog or news_catalog()
        self.finder = MentionFinder(self.catalog)

    def read(self, article: Article) -> ArticleReport:
        if article.published is None:
            raise ArticleError(
                f"{article.source}: no publication time in the page: give it with --published (relative dates "
                "such as 'on Friday' are read against it)"
            )
        if len(article.body) > MAX_CHARS:
            raise ArticleError(f"{article.source}: {len(article.body):,} characters of text: not a news article")
        mentions = self.finder.find(article.body)
        best: dict[tuple[str, str], Mention] = {}  # every distinct way an entity is named
        for m in mentions:
            if m.entity_id:
                best.setdefault((m.entity_id, m.text), m)
        named = {m.text for m in mentions if m.entity_id}
        candidates = {m.text: m for m in mentions if m.entity_id is None and m.text not in named}
        events, adverse = EventReader(article.published).read(sentences(article.body), mentions)
        events = [check(e, self.catalog) for e in events]
        flags = [
            f"{m.text!r} taken for {m.name} ({m.entity_id}) through a dictionary translation "
            f"(score {m.score:.2f}): check"
            for m in best.values()
            if m.gloss
        ]
        flags += [
            f"claim not believed: {e.kind} of {e.entity_name} ({e.date or 'undated'}): {e.contradicts}"
            for e in events
            if e.contradicts
        ]
        return ArticleReport(
            article, article.published, tuple(best.values()), tuple(candidates.values()), tuple(events),
            tuple(adverse), tuple(flags),
        )  # fmt: skip


@lru_cache(maxsize=1)
def default_reader() -> NewsReader:
    """One reader per process: its segmenter loads the catalog's Han names once (a second or two)."""
    return NewsReader()
