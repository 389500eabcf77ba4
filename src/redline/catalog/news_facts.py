"""Accepted news proposals as catalog events: low-confidence facts known from the article's publication.

The catalog holds them beside the bundled data and the imported lists (docs/news.md); nothing read from news
changes an answer until an analyst accepts it.

Pure: rows in, `ListingEvent`s and `CourtOrder`s out. A date known only to a week, month or year becomes the
day that fails closed: a listing or a complaint at the period's first day (restrictions never start later than
the article allows), a removal, injunction or vacatur at its last day, capped at the publication (relief never
starts earlier than the article allows, and never after it was reported).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from redline.model import (
    Citation,
    Confidence,
    CourtOrder,
    CourtOrderKind,
    ListId,
    ListingAction,
    ListingBasis,
    ListingEvent,
    at_new_york,
    parse_instant,
)
from redline.model.periods import Period
from redline.store.news import Proposal

RELIEF = ("removed", "preliminary_injunction", "vacatur", "dismissal")


class FactError(ValueError):
    """An accepted proposal that cannot become a catalog event (no date, no list); the message says what to give."""


@dataclass(frozen=True, slots=True)
class AcceptedEvent:
    proposal_id: str
    kind: str
    entity_id: str
    mention: str
    date: str  # YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY
    list_id: str
    evidence: str
    article_title: str
    article_url: str | None
    article_sha256: str
    published: datetime
    court: str = ""


def valid_from(event: AcceptedEvent) -> datetime:
    period = Period.parse(event.date)
    day = period.last if event.kind in RELIEF else period.first
    moment = at_new_york(day)
    return min(moment, event.published) if event.kind in RELIEF else moment


def citation(event: AcceptedEvent) -> Citation:
    """The article as the source: its title, its URL (or, for a file, its SHA-256 in the title) and its date."""
    where = "" if event.article_url else f"; file sha256:{event.article_sha256}"
    return Citation(
        key=f"news-{event.proposal_id}",
        title=f"{event.article_title or 'News article'} (news{where}; accepted by review)",
        published=event.published,
        url=event.article_url,
    )


def catalog_events(accepted: Iterable[AcceptedEvent]) -> tuple[list[ListingEvent], list[CourtOrder]]:
    listings: list[ListingEvent] = []
    orders: list[CourtOrder] = []
    for event in accepted:
        if not event.date:
            raise FactError(f"proposal {event.proposal_id}: no date: accept it with a date")
        try:
            list_id = ListId(event.list_id)
        except ValueError:
            raise FactError(
                f"proposal {event.proposal_id}: no list ({event.list_id!r}): accept it with a list"
            ) from None
        when = valid_from(event)
        source = (citation(event),)
        note = f"from the news: {event.evidence}"
        if event.kind in ("listed", "removed"):
            listings.append(
                ListingEvent(
                    id=f"news-{event.proposal_id}",
                    entity_id=event.entity_id,
                    list_id=list_id,
                    action=ListingAction.LISTED if event.kind == "listed" else ListingAction.REMOVED,
                    valid_from=when,
                    known_from=event.published,
                    listed_name=event.mention,
                    basis=ListingBasis.EDITION if list_id is ListId.DOD_1260H else ListingBasis.DETERMINATION,
                    citations=source,
                    confidence=Confidence.LOW,
                    note=note,
                )
            )
            continue
        try:
            kind = CourtOrderKind(event.kind)
        except ValueError:
            raise FactError(f"proposal {event.proposal_id}: {event.kind} is not a legal event") from None
        orders.append(
            CourtOrder(
                id=f"news-{event.proposal_id}",
                entity_id=event.entity_id,
                case="reported in the news",
                docket="not located",
                court=event.court or "not stated",
                kind=kind,
                issued_at=when,
                known_from=event.published,
                lists=(list_id,),
                citations=source,
                confidence=Confidence.LOW,
                note=note,
            )
        )
    return listings, orders


def accepted_events(proposals: Iterable[Proposal]) -> tuple[list[ListingEvent], list[CourtOrder]]:
    """Accepted proposals (the store's rows) as catalog events."""
    return catalog_events(
        AcceptedEvent(
            proposal_id=p.id,
            kind=p.kind,
            entity_id=p.entity_id,
            mention=p.mention,
            date=p.date or "",
            list_id=p.list_id or "",
            evidence=p.evidence,
            article_title=p.article_title,
            article_url=p.article_url,
            article_sha256=p.article_sha256,
            published=parse_instant(p.published),
            court=p.court,
        )
        for p in proposals
        if p.state == "accepted"
    )
