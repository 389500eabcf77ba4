"""Checks on the bundled data that go beyond parsing: check digits, duplicates across lists, sourcing."""

from __future__ import annotations

import re
from collections import defaultdict

from stdnum import cusip, isin, lei
from stdnum.exceptions import ValidationError

from redline.model import IdScheme
from redline.sources.bundled import ReferenceData
from redline.sources.errors import RowProblem

_VALIDATORS = {IdScheme.ISIN: isin, IdScheme.LEI: lei, IdScheme.CUSIP: cusip}
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_KNOWN_BAD = "published with a bad check digit"  # the note that lets an as-published typo stand, flagged


def _normal_name(text: str) -> str:
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", " ", text.casefold()).strip()


def check_identifiers(data: ReferenceData) -> tuple[list[RowProblem], list[RowProblem]]:
    """(errors, warnings) for identifiers: check digits and one identifier claimed by two entities."""
    errors: list[RowProblem] = []
    warnings: list[RowProblem] = []
    owners: dict[tuple[IdScheme, str, str | None], str] = {}
    for ident, entity_id, row in data.identifier_rows:
        validator = _VALIDATORS.get(ident.scheme)
        if validator is not None:
            try:
                validator.validate(ident.value)
            except ValidationError as exc:
                problem = RowProblem(row.file, row.line, "value", f"{ident.label()}: {exc}")
                if _KNOWN_BAD in row.get("note"):
                    warnings.append(problem)
                else:
                    errors.append(problem)
        if ident.scheme is IdScheme.USCC and not _USCC.match(ident.value):
            errors.append(RowProblem(row.file, row.line, "value", f"{ident.label()}: not an 18-character USCC"))
        key = (ident.scheme, ident.value.upper(), ident.exchange)
        other = owners.setdefault(key, entity_id)
        if other != entity_id:
            errors.append(RowProblem(row.file, row.line, "value", f"{ident.label()} also belongs to entity {other!r}"))
    return errors, warnings


def check_duplicate_entities(data: ReferenceData) -> list[RowProblem]:
    """Two entity records whose primary names normalise alike are probably one entity listed twice."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for entity in data.entities.values():
        by_name[_normal_name(entity.name)].append(entity.id)
    return [
        RowProblem("entities.csv", None, "name", f"entities {', '.join(ids)} share the name {name!r}")
        for name, ids in by_name.items()
        if len(ids) > 1
    ]


def check_listed_entities(data: ReferenceData) -> list[RowProblem]:
    """Every entity should be on at least one list, or it is dead weight in the reference data."""
    listed = {event.entity_id for event in data.listings}
    return [
        RowProblem("entities.csv", None, "id", f"entity {entity_id!r} has no listing")
        for entity_id in data.entities
        if entity_id not in listed
    ]
