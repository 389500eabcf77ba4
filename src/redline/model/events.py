"""Dated facts: listing events and court orders, each with a valid time and a known time.

Valid time is when the fact is true in the world (a designation made on a date); known time is when it became
public, so that a question "as known at K" can exclude what had not yet been published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from redline.model.citations import Citation, Confidence
from redline.model.regimes import ListId


class ListingAction(StrEnum):
    LISTED = "listed"
    # A designation re-made under a corrected name; it replaces the earlier entry and restarts its clocks
    # (Luokung: DoD relisted on 2021-03-09, OFAC FAQ 881 dates the restrictions from 2021-05-08).
    CORRECTED = "corrected"
    REMOVED = "removed"


class ListingBasis(StrEnum):
    """Why the entity is on the list; the clocks of EO 13959 and EO 14032 depend on it."""

    ANNEX = "annex"  # named in the order's own Annex
    DETERMINATION = "determination"  # determined later by DoD or Treasury
    SUBSIDIARY = "subsidiary"  # publicly listed by Treasury as a subsidiary (EO 13959 s.4(a)(iii))
    EDITION = "edition"  # appears in an edition of a periodic list (1260H)


@dataclass(frozen=True, slots=True)
class ListingEvent:
    id: str
    entity_id: str
    list_id: ListId
    action: ListingAction
    valid_from: datetime
    known_from: datetime
    listed_name: str
    basis: ListingBasis
    citations: tuple[Citation, ...]
    confidence: Confidence
    # Dates the listing authority itself printed (e.g. OFAC's "Effective Date (CMIC)"); the rules compute the
    # clocks and `redline data check` compares them with these.
    stated_effective: datetime | None = None
    stated_divest_until: datetime | None = None
    note: str = ""


class CourtOrderKind(StrEnum):
    """A docket event. Only injunctions and vacaturs change what a US person may do; the rest is history."""

    COMPLAINT = "complaint"
    PRELIMINARY_INJUNCTION = "preliminary_injunction"
    VACATUR = "vacatur"
    DISMISSAL = "dismissal"
    JUDGMENT_FOR_GOVERNMENT = "judgment_for_government"
    APPEAL = "appeal"


@dataclass(frozen=True, slots=True)
class CourtOrder:
    id: str
    entity_id: str
    case: str
    docket: str
    court: str
    kind: CourtOrderKind
    issued_at: datetime
    known_from: datetime
    lists: tuple[ListId, ...]  # the designations the order is about
    citations: tuple[Citation, ...]
    confidence: Confidence
    judge: str = ""
    note: str = ""


@dataclass
class Designation:
    """The designation in force on one list (or one regime's lists) at an instant, with the history before it."""

    current: ListingEvent | None = None
    replaced: list[ListingEvent] = field(default_factory=list)
    removal: ListingEvent | None = None
    first_listed: ListingEvent | None = None


def designation_at(events: list[ListingEvent], on: datetime) -> Designation:
    """Walk `events` (valid-time order, removals first at equal instants) up to `on`."""
    found = Designation()
    for event in events:
        if event.valid_from > on:
            break
        if event.action in (ListingAction.LISTED, ListingAction.CORRECTED):
            if found.current is not None and event.action is ListingAction.CORRECTED:
                found.replaced.append(found.current)
            if found.current is None:
                found.first_listed = found.first_listed or event
            found.current = event
            found.removal = None
        elif event.action is ListingAction.REMOVED and (
            found.current is None or found.current.list_id == event.list_id
        ):
            found.current = None
            found.removal = event
    return found


class CourtEffect(StrEnum):
    """What a kind of court order does to a designation; each regime maps kinds to effects in regimes.yaml."""

    ENJOINS = "enjoins"  # enforcement of the designation is enjoined from the order's issue
    VACATES = "vacates"  # the designation is void
    DISSOLVES = "dissolves"  # ends a preliminary injunction (a final disposition for the government, a dismissal)
    NONE = "none"  # history only (complaint, appeal)
