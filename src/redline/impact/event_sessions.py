"""Event dates from Redline's own timeline, mapped to the first trading session that could react.

Rule (docs/impact.md): an event is dated by the instant it became public (`known_from`; for an effective
date, the instant the restriction starts). Converted to the exchange's time zone, an instant before that
day's close belongs to that day's session; at or after the close, to the next calendar day. The study's
day-0 rule then moves a day without trading to the security's next session. So a US announcement at noon
New York on 2021-01-14 (01:00 on 2021-01-15 in Hong Kong, after the 16:00 close of the 14th) maps to the Hong
Kong session of Friday 2021-01-15, and the Xiaomi injunction of Friday 2021-03-12 to Monday 2021-03-15.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from redline.catalog import Catalog, identify
from redline.impact.errors import ImpactInputError
from redline.model import CourtEffect, Entity, IdScheme, ListId, ListingAction, RelationKind, iso
from redline.model.regimes import regime_for_list
from redline.status.clocks import clocks_for
from redline.status.orders import orders_in_force
from redline.store.reference import ReferenceStore


@dataclass(frozen=True)
class Exchange:
    code: str
    zone: ZoneInfo
    close: time  # regular session close, local time

    def describe(self) -> str:
        return f"{self.code} (close {self.close:%H:%M} {self.zone.key})"


# Regular closes: HKEX 16:00 HKT; NYSE/Nasdaq 16:00 ET; Shanghai/Shenzhen 15:00 CST.
EXCHANGES: dict[str, Exchange] = {
    "HK": Exchange("HK", ZoneInfo("Asia/Hong_Kong"), time(16, 0)),
    "US": Exchange("US", ZoneInfo("America/New_York"), time(16, 0)),
    "CN": Exchange("CN", ZoneInfo("Asia/Shanghai"), time(15, 0)),
}
# Yahoo-style suffixes of the exchanges above.
SUFFIXES = {"HK": "HK", "SS": "CN", "SZ": "CN", "US": "US"}


@dataclass(frozen=True)
class TimelineEvent:
    kind: str  # listed, corrected, removed, effective, preliminary_injunction, vacatur, ...
    list_id: str
    instant: datetime  # when the market could first know (or, for "effective", when the ban starts)
    source: str  # the listing event or court order id
    note: str = ""

    def session(self, exchange: Exchange) -> date:
        """The first calendar date whose session on `exchange` could react (before the day-0 rule)."""
        local = self.instant.astimezone(exchange.zone)
        return local.date() if local.time() < exchange.close else local.date() + timedelta(days=1)

    def as_json(self, exchange: Exchange) -> dict[str, str]:
        return {
            "kind": self.kind,
            "list": self.list_id,
            "instant": iso(self.instant),
            "local": iso(self.instant.astimezone(exchange.zone)),
            "session_from": self.session(exchange).isoformat(),
            "source": self.source,
            "note": self.note,
        }


def find_entity(catalog: Catalog, query: str) -> Entity:
    """The entity a query names, asked of the catalog like every other door (any ticker form, name or id)."""
    found = identify(catalog, query)
    if found.entity is not None:
        return found.entity
    leads = ", ".join(f"{c.entity.id} ({c.score:.2f})" for c in found.candidates[:5])
    detail = "; ".join(found.warnings) or "nothing close"
    raise ImpactInputError(
        f"{query!r} does not name one entity ({detail})" + (f"; candidates: {leads}" if leads else "")
    )


def entity_events(store: ReferenceStore, entity_id: str) -> list[TimelineEvent]:
    """Listings, corrections, removals, effective dates and court orders of one entity, in time order.

    The rules are the status engine's: an effective date is the one the regime's clocks compute, left out when a
    correction or removal replaced the listing first, or when a court order known before it suspended the
    designation (Xiaomi, enjoined 2021-03-12 before the 2021-03-15 start; a later dissolution counts). Court
    orders are events when their regime gives them an effect (regimes.yaml `court_orders:`).
    """
    regimes = store.data.regimes
    orders = store.court_orders(entity_id)
    listings = store.listings(entity_id)
    events: list[TimelineEvent] = []
    for index, listing in enumerate(listings):
        events.append(TimelineEvent(listing.action.value, listing.list_id.value, listing.known_from, listing.id))
        regime = regime_for_list(regimes, listing.list_id)
        if listing.action is ListingAction.REMOVED or not regime.investment_ban:
            continue
        start = clocks_for(regime, listing).effective_from
        ends = next((e.valid_from for e in listings[index + 1 :] if e.list_id == listing.list_id), None)
        if start is None or (ends is not None and ends <= start):
            continue
        known = [order for order in orders if order.known_from < start]
        if not orders_in_force(regime, known, listing.valid_from, start).suspended:
            events.append(TimelineEvent("effective", listing.list_id.value, start, listing.id))
    for order in orders:
        regime = regime_for_list(regimes, order.lists[0])
        if regime.court_effects.get(order.kind, CourtEffect.NONE) is not CourtEffect.NONE:
            lists = "+".join(item.value for item in order.lists)
            events.append(TimelineEvent(order.kind.value, lists, order.known_from, order.id, order.case))
    return sorted(events, key=lambda e: e.instant)


def entity_exchange(entity: Entity, code: str | None) -> Exchange:
    """The exchange named by `code`, else the entity's home market: the first of its tickers on a known exchange,
    US tickers last for a non-US company (an OTC line such as XIACF trades after the home market has reacted)."""
    if code:
        try:
            return EXCHANGES[code.upper()]
        except KeyError:
            raise ImpactInputError(f"unknown exchange {code!r}; known: {', '.join(EXCHANGES)}") from None
    tickers = sorted(
        entity.identifiers_of(IdScheme.TICKER),
        key=lambda ident: (ident.exchange or "").upper() == "US" and (entity.country or "").lower() != "us",
    )
    for ident in tickers:
        if ident.exchange and ident.exchange.upper() in EXCHANGES:
            return EXCHANGES[ident.exchange.upper()]
    raise ImpactInputError(f"{entity.id} has no ticker on a known exchange: give --exchange HK|US|CN")


def security_label(entity: Entity, exchange: Exchange) -> str:
    """A readable name for a single-security price file: the Yahoo symbol of the entity's ticker there."""
    for ident in entity.identifiers_of(IdScheme.TICKER):
        if (ident.exchange or "").upper() == exchange.code:
            if exchange.code == "HK":
                return f"{ident.value.lstrip('0').zfill(4)}.HK"
            if exchange.code == "US":
                return ident.value
    return entity.id


def list_members(store: ReferenceStore, list_id: ListId, on: date) -> list[tuple[Entity, TimelineEvent]]:
    """Entities added to `list_id` on the New York date `on` (a tranche), with their listing events."""
    members = []
    for entity in store.entities():
        for listing in store.listings(entity.id):
            added = listing.action in (ListingAction.LISTED, ListingAction.CORRECTED)
            if added and listing.list_id is list_id and iso(listing.valid_from)[:10] == on.isoformat():
                event = TimelineEvent(listing.action.value, list_id.value, listing.known_from, listing.id)
                members.append((entity, event))
    return members


def traded_tickers(store: ReferenceStore, entity: Entity) -> list[tuple[str, str | None]]:
    """Tickers of the entity and of its listed subsidiaries (a parent's listing moves its subsidiaries)."""
    related = [entity] + [
        other
        for other in store.entities()
        if any(r.kind is RelationKind.SUBSIDIARY_OF and r.target_id == entity.id for r in other.relations)
    ]
    return [(i.value, i.exchange) for e in related for i in e.identifiers_of(IdScheme.TICKER)]


def match_column(columns: Iterable[str], entity_id: str, tickers: list[tuple[str, str | None]]) -> tuple[str, str]:
    """The price column for an entity, and its exchange code; ('', '') when none matches.

    A column matches its entity id or a ticker, leading zeros and case ignored, with an optional Yahoo
    suffix that must agree with the ticker's exchange: `0981.HK` matches HK ticker `00981`.
    """
    for column in columns:
        base, _, suffix = column.strip().upper().rpartition(".")
        if not base:
            base, suffix = suffix, ""
        if column.strip().casefold() == entity_id.casefold():
            return column, ""
        for value, exchange in tickers:
            same = base.lstrip("0") == value.upper().lstrip("0")
            place = SUFFIXES.get(suffix, "?") if suffix else (exchange or "").upper()
            if same and (not exchange or place == exchange.upper()):
                return column, (exchange or "").upper()
    return "", ""
