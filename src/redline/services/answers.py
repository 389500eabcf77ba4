"""The questions a certificate can record, asked of a catalog: the one code path for answering them when a
certificate is issued and when it is replayed (redline.services.certificates, redline.services.replay)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from redline.model import Entity, iso, parse_instant
from redline.resolve import DEFAULT_THRESHOLD
from redline.services.errors import NotFound
from redline.services.status import StatusService

ASKED = ("status", "match", "timeline")  # kinds answered from a question alone (a screening needs its file)


class NotIdentified(NotFound, LookupError):
    """A timeline's query names no entity (the CLI's exit 2, the API's 404)."""


def normalised(value: Any) -> Any:
    """`value` as it reads back from its canonical JSON (tuples become lists), so answers compare equal."""
    # Imported here: `redline status` imports this module, and only a certificate needs the signing library.
    from redline.certificates.document import canonical_bytes

    return json.loads(canonical_bytes(value))


def instant_text(moment: datetime) -> str:
    """An instant as a question records it: ISO 8601 with its offset and, when it was given in a named zone (a
    bare date is noon New York), that zone in brackets (RFC 9557: `2021-03-16T12:00:00-04:00[America/New_York]`),
    because answers word an instant in the zone it was asked in."""
    zone = getattr(moment.tzinfo, "key", None)
    return f"{iso(moment)}[{zone}]" if zone else iso(moment)


def read_instant(text: str) -> datetime:
    """The instant `instant_text` wrote, in the same zone."""
    if text.endswith("]") and "[" in text:
        base, zone = text[:-1].split("[", 1)
        return parse_instant(base).astimezone(ZoneInfo(zone))
    return parse_instant(text)


def status_question(query: str, on: datetime, known_at: datetime) -> dict[str, Any]:
    return {"query": query, "on": instant_text(on), "known_at": instant_text(known_at)}


def match_question(
    query: str,
    schema: str | None = None,
    birth_date: str | None = None,
    limit: int = 10,
    threshold: float | None = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    return {"query": query, "schema": schema, "birth_date": birth_date, "limit": limit, "threshold": threshold}


def timeline_question(query: str, known_at: datetime | None) -> dict[str, Any]:
    return {"query": query, "known_at": instant_text(known_at) if known_at else None}


def identified(service: StatusService, query: str) -> tuple[Entity, list[str]]:
    """The entity `query` names, with the identification's warnings; NotIdentified when it names none."""
    entity, warnings = service.resolve(query)
    if entity is None:
        raise NotIdentified(f"no listed entity matches {query!r}")
    return entity, warnings


def timeline_answer(service: StatusService, query: str, known: datetime | None) -> dict[str, Any]:
    """`redline timeline --json`: the entity's dated, sourced history as known at `known` (None: everything)."""
    entity, warnings = identified(service, query)
    return {
        "query": query,
        "known_at": iso(known) if known else None,
        "entity": {"id": entity.id, "name": entity.name},
        "events": [entry.to_json() for entry in service.timeline(entity, known)],
        "warnings": warnings,
    }


def answer(kind: str, question: dict[str, Any], service: StatusService) -> dict[str, Any]:
    """The stable JSON answer to `question` (a `kind` in ASKED) from `service`'s catalog."""
    if kind == "status":
        report = service.status(question["query"], read_instant(question["on"]), read_instant(question["known_at"]))
        result: dict[str, Any] = report.to_json()
    elif kind == "match":
        result = service.catalog.resolver.match(
            question["query"],
            schema=question["schema"],
            birth_date=question["birth_date"],
            limit=question["limit"],
            threshold=question["threshold"],
        )
    elif kind == "timeline":
        known = read_instant(question["known_at"]) if question["known_at"] else None
        result = timeline_answer(service, question["query"], known)
    else:
        raise ValueError(f"a {kind} certificate cannot be answered from its question alone")
    normal: dict[str, Any] = normalised(result)
    return normal
