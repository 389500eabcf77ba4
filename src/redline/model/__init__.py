"""The domain model: entities, lists, regimes, listing events, court orders and instants.

Plain frozen dataclasses with no I/O, so every other layer can depend on them.
"""

from redline.model.citations import Citation, Confidence
from redline.model.entities import Entity, Identifier, IdScheme, Name, NameKind, Relation, RelationKind
from redline.model.events import CourtEffect, CourtOrder, CourtOrderKind, ListingAction, ListingBasis, ListingEvent
from redline.model.instants import NEW_YORK, Instant, InstantError, at_new_york, iso, or_now, parse_instant
from redline.model.regimes import (
    AfterWindow,
    Clock,
    DecisionTable,
    Doubt,
    ListId,
    ProcurementBan,
    Regime,
    RegimeId,
    RegimeNote,
    StateRule,
)

__all__ = [
    "NEW_YORK",
    "AfterWindow",
    "Citation",
    "Clock",
    "Confidence",
    "CourtEffect",
    "CourtOrder",
    "CourtOrderKind",
    "DecisionTable",
    "Doubt",
    "Entity",
    "IdScheme",
    "Identifier",
    "Instant",
    "InstantError",
    "ListId",
    "ListingAction",
    "ListingBasis",
    "ListingEvent",
    "Name",
    "NameKind",
    "ProcurementBan",
    "Regime",
    "RegimeId",
    "RegimeNote",
    "Relation",
    "RelationKind",
    "StateRule",
    "at_new_york",
    "iso",
    "or_now",
    "parse_instant",
]
