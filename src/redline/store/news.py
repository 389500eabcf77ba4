"""The news review queue: articles read, the legal events they propose, and the analysts' decisions on them.

An accepted or rejected proposal is recorded with its audit entry in one transaction (as alert decisions are);
`verify()` checks every decided proposal against the entry that recorded it. The tables live here, on the
screening store's metadata, so that the whole news feature is one module to move.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, func, insert, select, update

from redline.store import audit
from redline.store.database import engine_for, reading
from redline.store.errors import StoreError, UnknownId
from redline.store.schema import audit_log, metadata
from redline.store.stamps import actor as current_actor
from redline.store.stamps import stamp

news_articles = Table(
    "news_articles",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the URL, or of the bytes for a file
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("title", Text, nullable=False),
    Column("published", String(32), nullable=False),
    Column("language", String(12), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("report", Text, nullable=False),  # the JSON of `redline news read`
    Column("read_at", String(32), nullable=False),
    Column("read_by", String(200), nullable=False),
)

news_proposals = Table(
    "news_proposals",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("article_id", String(64), ForeignKey("news_articles.id"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("entity_id", String(100), nullable=False),
    Column("mention", Text, nullable=False),
    Column("date", String(10)),  # YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY; None when the article gives none
    Column("list_id", String(20)),
    Column("court", String(40), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("confidence", String(10), nullable=False),
    Column("state", String(10), nullable=False),  # pending | accepted | rejected
    Column("created_at", String(32), nullable=False),
    Column("decided_at", String(32)),
    Column("decided_by", String(200)),
    Column("comment", Text),
    Column("audit_seq", Integer),
)
Index("ix_news_proposals_state", news_proposals.c.state)

STATES = ("pending", "accepted", "rejected")
DECISIONS = {"accept": "accepted", "reject": "rejected"}


def article_id(url: str | None, sha256: str) -> str:
    return hashlib.sha256((url or f"sha256:{sha256}").encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Proposal:
    id: str
    article_id: str
    kind: str
    entity_id: str
    mention: str
    date: str | None
    list_id: str | None
    court: str
    evidence: str
    confidence: str
    state: str
    created_at: str
    decided_at: str | None
    decided_by: str | None
    comment: str | None
    article_title: str
    article_source: str
    article_url: str | None
    article_sha256: str
    published: str

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Proposal:
        return cls(**{name: row[name] for name in cls.__slots__})

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (`redline news review list --json`, `GET /news/proposals`)."""
        return {
            "id": self.id,
            "state": self.state,
            "kind": self.kind,
            "entity": self.entity_id,
            "mention": self.mention,
            "date": self.date,
            "list": self.list_id,
            "court": self.court or None,
            "evidence": self.evidence,
            "confidence": self.confidence,
            "article": {
                "title": self.article_title,
                "source": self.article_url or self.article_source,
                "sha256": self.article_sha256,
                "published": self.published,
            },
            "decided": (
                {"at": self.decided_at, "by": self.decided_by, "comment": self.comment} if self.decided_at else None
            ),
        }


def _audit_details(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "proposal": row["id"],
        "state": row["state"],
        "kind": row["kind"],
        "entity": row["entity_id"],
        "date": row["date"],
        "list": row["list_id"],
        "article": row["article_id"],
        "comment": row["comment"],
    }


class NewsStore:
    def __init__(self, url: str | None = None) -> None:
        self.engine = engine_for(url)

    def _query(self) -> Any:
        return select(
            news_proposals,
            news_articles.c.title.label("article_title"),
            news_articles.c.source.label("article_source"),
            news_articles.c.url.label("article_url"),
            news_articles.c.sha256.label("article_sha256"),
            news_articles.c.published,
        ).join(news_articles, news_articles.c.id == news_proposals.c.article_id)

    def has_article(self, url: str | None, sha256: str) -> bool:
        with reading(self.engine) as connection:
            found = connection.execute(
                select(news_articles.c.id).where(news_articles.c.id == article_id(url, sha256))
            ).first()
        return found is not None

    def add(
        self, report: Mapping[str, Any], url: str | None, proposals: Sequence[Mapping[str, Any]], who: str | None = None
    ) -> list[str]:
        """Keep an article's report and queue its proposals (each once: reading it again adds nothing)."""
        who = who or current_actor()
        key = article_id(url, report["sha256"])
        queued = []
        with self.engine.begin() as connection:
            if connection.execute(select(news_articles.c.id).where(news_articles.c.id == key)).first() is None:
                connection.execute(
                    insert(news_articles).values(
                        id=key,
                        source=report["source"],
                        url=url,
                        title=report["title"],
                        published=report["published"],
                        language=report["language"],
                        sha256=report["sha256"],
                        report=audit.canonical(report),
                        read_at=stamp(),
                        read_by=who,
                    )
                )
            for event in proposals:
                ident = hashlib.sha256(
                    audit.canonical([key, event["kind"], event["entity"], event["date"]]).encode()
                ).hexdigest()[:16]
                exists = connection.execute(select(news_proposals.c.id).where(news_proposals.c.id == ident)).first()
                if exists is not None:
                    continue
                connection.execute(
                    insert(news_proposals).values(
                        id=ident,
                        article_id=key,
                        kind=event["kind"],
                        entity_id=event["entity"],
                        mention=event.get("mention") or event["entity"],
                        date=event["date"],
                        list_id=event.get("list"),
                        court=event.get("court") or "",
                        evidence=event["evidence"],
                        confidence=event["confidence"],
                        state="pending",
                        created_at=stamp(),
                    )
                )
                queued.append(ident)
        return queued

    def proposals(self, state: str | None = None, limit: int = 200) -> list[Proposal]:
        if state is not None and state not in STATES:
            raise StoreError(f"unknown state {state!r} (use {', '.join(STATES)})")
        query = self._query().order_by(news_proposals.c.created_at.desc(), news_proposals.c.id).limit(limit)
        if state is not None:
            query = query.where(news_proposals.c.state == state)
        with reading(self.engine) as connection:
            return [Proposal.from_row(row._mapping) for row in connection.execute(query)]

    def _resolve_id(self, connection: Any, given: str) -> str:
        given = given.strip()
        if len(given) < 6:
            raise StoreError(f"proposal id {given!r} is too short: give 6 or more characters")
        found = [
            row.id
            for row in connection.execute(
                select(news_proposals.c.id).where(news_proposals.c.id.like(given.replace("%", "") + "%")).limit(2)
            )
        ]
        if not found:
            raise UnknownId(f"no proposal {given!r} (see `redline news review list`)")
        if len(found) > 1:
            raise StoreError(f"proposal id {given!r} is ambiguous: give more characters")
        return str(found[0])

    def proposal(self, given: str) -> Proposal:
        with reading(self.engine) as connection:
            ident = self._resolve_id(connection, given)
            row = connection.execute(self._query().where(news_proposals.c.id == ident)).one()
        return Proposal.from_row(row._mapping)

    def decide(
        self,
        ids: Sequence[str],
        decision: str,
        comment: str,
        who: str | None = None,
        date: str | None = None,
        list_id: str | None = None,
    ) -> list[str]:
        """Accept or reject pending proposals, each with its audit entry, in one transaction. An analyst may fix
        the date or the list on acceptance (the article gave none, or got it wrong)."""
        if decision not in DECISIONS:
            raise StoreError(f"unknown decision {decision!r} (use accept or reject)")
        if not comment.strip():
            raise StoreError("a decision needs a comment saying why")
        who = who or current_actor()
        decided = []
        with self.engine.begin() as connection:
            for given in ids:
                ident = self._resolve_id(connection, given)
                row = dict(
                    connection.execute(select(news_proposals).where(news_proposals.c.id == ident)).one()._mapping
                )
                if row["state"] != "pending":
                    raise StoreError(f"proposal {ident} is already {row['state']}")
                row |= {"state": DECISIONS[decision], "comment": comment}
                if date:
                    row["date"] = date
                if list_id:
                    row["list_id"] = list_id
                if decision == "accept" and (not row["date"] or not row["list_id"]):
                    missing = "a date" if not row["date"] else "a list"
                    raise StoreError(f"proposal {ident} has no {missing[2:]}: accept it with {missing}")
                entry = audit.append(connection, f"news.{decision}", ident, _audit_details(row), who=who)
                connection.execute(
                    update(news_proposals)
                    .where(news_proposals.c.id == ident)
                    .values(
                        state=row["state"],
                        date=row["date"],
                        list_id=row["list_id"],
                        comment=comment,
                        decided_at=entry.at,
                        decided_by=who,
                        audit_seq=entry.seq,
                    )
                )
                decided.append(ident)
        return decided

    def version(self) -> tuple[int, str]:
        """(count, newest decision time) of the accepted proposals: changes whenever one is accepted."""
        with reading(self.engine) as connection:
            count, newest = connection.execute(
                select(func.count(), func.max(news_proposals.c.decided_at)).where(news_proposals.c.state == "accepted")
            ).one()
        return int(count), str(newest or "")

    def accepted(self) -> list[Proposal]:
        with reading(self.engine) as connection:
            query = self._query().where(news_proposals.c.state == "accepted").order_by(news_proposals.c.decided_at)
            return [Proposal.from_row(row._mapping) for row in connection.execute(query)]

    def verify(self) -> list[str]:
        """Every decided proposal checked against the audit entry that recorded it."""
        problems = []
        with reading(self.engine) as connection:
            logged = {
                row.seq: row
                for row in connection.execute(
                    select(audit_log.c.seq, audit_log.c.details, audit_log.c.actor).where(
                        audit_log.c.action.like("news.%")
                    )
                )
            }
            for row in connection.execute(select(news_proposals).where(news_proposals.c.audit_seq.is_not(None))):
                entry = logged.get(row.audit_seq)
                details = audit.canonical(_audit_details(row._mapping))
                if entry is None or entry.actor != row.decided_by or entry.details != details:
                    problems.append(f"news proposal {row.id} differs from its audit entry {row.audit_seq}")
        return problems


def report_of(proposal: Proposal, store: NewsStore) -> dict[str, Any]:
    with reading(store.engine) as connection:
        text = connection.execute(
            select(news_articles.c.report).where(news_articles.c.id == proposal.article_id)
        ).scalar_one()
    loaded: dict[str, Any] = json.loads(text)
    return loaded
