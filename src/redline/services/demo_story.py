"""`redline demo`: the 2021 story told from the bundled data, each dated event answered as known then and as known
today. The walk is here; the CLI prints the tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from redline.services.status import StatusService
from redline.status.answer import StatusReport

STORY = ("xiaomi", "luokung", "smic", "sensetime")


@dataclass(frozen=True)
class StoryRow:
    moment: datetime
    event: str
    then: str
    today: str


@dataclass(frozen=True)
class StoryEntity:
    entity_id: str
    name: str
    rows: list[StoryRow]


def glance(report: StatusReport) -> str:
    """What a US person may do, and each regime's state other than not listed, on one line."""
    allowed = report.us_person
    states = ", ".join(f"{r.regime.value}: {r.state.value}" for r in report.regimes if r.state.value != "not_listed")
    flags = "".join(
        f"{name}:{'yes' if value else 'NO'} "
        for name, value in (("buy", allowed.may_buy), ("sell", allowed.may_sell), ("hold", allowed.may_hold))
    )
    return f"{flags}| {states}"


def story(service: StatusService, now: datetime, entity_ids: tuple[str, ...] = STORY) -> list[StoryEntity]:
    """Each entity's timeline, every event answered one minute after it (so the event itself is in force)."""
    told = []
    for entity_id in entity_ids:
        entity = service.store.entity(entity_id)
        rows = []
        for entry in service.timeline(entity):
            moment = entry.at + timedelta(minutes=1)
            then = service.status(entity_id, moment, max(moment, entry.known_from))
            today = service.status(entity_id, moment, now)
            rows.append(StoryRow(moment, f"{entry.regime} {entry.kind.replace('_', ' ')}", glance(then), glance(today)))
        told.append(StoryEntity(entity_id, entity.name, rows))
    return told
