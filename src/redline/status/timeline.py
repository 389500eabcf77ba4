"""An entity's whole history across regimes and courts, dated and sourced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redline.model import Citation, Entity, ListingAction, iso
from redline.model.regimes import regime_for_list
from redline.status.clocks import clocks_for
from redline.store.reference import ReferenceStore


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    known_from: datetime
    kind: str  # listed, corrected, removed, effective, divestment_window_ends, or a court docket kind
    regime: str
    list_id: str | None
    text: str
    sources: tuple[Citation, ...]
    derived: bool = False  # computed by the rules rather than published

    def to_json(self) -> dict[str, Any]:
        return {
            "at": iso(self.at),
            "known_from": iso(self.known_from),
            "kind": self.kind,
            "regime": self.regime,
            "list": self.list_id,
            "text": self.text,
            "derived": self.derived,
            "sources": [c.label() for c in self.sources],
        }


def _known(citations: tuple[Citation, ...], known_at: datetime | None) -> tuple[Citation, ...]:
    return citations if known_at is None else tuple(c for c in citations if c.published <= known_at)


def timeline(store: ReferenceStore, entity: Entity, known_at: datetime | None = None) -> list[TimelineEntry]:
    """Every dated fact and derived deadline of the entity; as known at `known_at`, nothing published later."""
    regimes = store.data.regimes
    entries: list[TimelineEntry] = []
    listings = store.listings(entity.id, known_at)
    for index, event in enumerate(listings):
        regime = regime_for_list(regimes, event.list_id)
        # A listing's own clocks stop mattering once a correction or a removal on the same list replaces it.
        ends = next((later.valid_from for later in listings[index + 1 :] if later.list_id == event.list_id), None)
        entries.append(
            TimelineEntry(
                at=event.valid_from,
                known_from=event.known_from,
                kind=event.action.value,
                regime=regime.id.value,
                list_id=event.list_id.value,
                text=f"{event.action.value} on {event.list_id.value} as '{event.listed_name}'"
                + (f" ({event.note})" if event.note else ""),
                sources=_known(event.citations, known_at),
            )
        )
        if event.action is ListingAction.REMOVED:
            continue
        for ban in regime.procurement:
            # FY2024 NDAA s.805: a dated procurement ban on listed names, shown as what it is (not an investment ban).
            public = max([event.known_from, *(c.published for c in ban.citations)])
            if (
                (known_at is None or public <= known_at)
                and ban.starts >= event.valid_from
                and (ends is None or ban.starts < ends)
            ):
                entries.append(
                    TimelineEntry(
                        at=ban.starts,
                        known_from=public,
                        kind="procurement_ban",
                        regime=regime.id.value,
                        list_id=event.list_id.value,
                        text=ban.text,
                        sources=ban.citations,
                        derived=True,
                    )
                )
        if not regime.investment_ban:
            continue
        clocks = clocks_for(regime, event)
        for at, kind, text in (
            (clocks.effective_from, "effective", "prohibitions take effect"),
            (clocks.window_ends, "divestment_window_ends", "divestment window ends"),
        ):
            if at is not None and (ends is None or at < ends):
                entries.append(
                    TimelineEntry(
                        at=at,
                        known_from=event.known_from,
                        kind=kind,
                        regime=regime.id.value,
                        list_id=event.list_id.value,
                        text=f"{text} under {regime.id.value} ({clocks.rule} rule) for the listing of "
                        f"{event.valid_from.date().isoformat()}",
                        sources=_known(regime.cite(clocks.rule), known_at),
                        derived=True,
                    )
                )
    for order in store.court_orders(entity.id, known_at):
        regime = regime_for_list(regimes, order.lists[0])
        entries.append(
            TimelineEntry(
                at=order.issued_at,
                known_from=order.known_from,
                kind=order.kind.value,
                regime=regime.id.value,
                list_id=order.lists[0].value,
                text=f"{order.kind.value.replace('_', ' ')}: {order.case} ({order.court} No. {order.docket})"
                + (f"; {order.note}" if order.note else ""),
                sources=_known(order.citations, known_at),
            )
        )
    return sorted(entries, key=lambda entry: (entry.at, entry.kind))
