"""Checks on the bundled data that go beyond parsing: check digits, duplicates across lists, sourcing."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from stdnum import cusip, isin, lei
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from redline.model import IdScheme, ListingAction, RelationKind
from redline.sources.bundled import ReferenceData
from redline.sources.errors import RowProblem, SourceError

# The PRC Unified Social Credit Code (GB 32100-2015) carries a mod-31 check character; stdnum.cn.uscc checks it.
_VALIDATORS = {IdScheme.ISIN: isin, IdScheme.LEI: lei, IdScheme.CUSIP: cusip, IdScheme.USCC: uscc}
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


def check_listed_names(data: ReferenceData) -> list[RowProblem]:
    """The same listed name on two entities means one legal person was entered twice (e.g. once per list)."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for event in data.listings:
        by_name[_normal_name(event.listed_name)].add(event.entity_id)
    problems = []
    for name, ids in by_name.items():
        if len(ids) > 1:
            rows = [data.stated_rows[e.id] for e in data.listings if e.entity_id in ids]
            first = min(rows, key=lambda row: row.line)
            problems.append(
                RowProblem(
                    first.file,
                    first.line,
                    "listed_name",
                    f"entities {', '.join(sorted(ids))} share the listed name {name!r}",
                )
            )
    return problems


def check_relations(data: ReferenceData) -> list[RowProblem]:
    """subsidiary_of must not point at the entity itself nor loop back to it."""
    parents: dict[str, set[str]] = defaultdict(set)
    for entity in data.entities.values():
        for relation in entity.relations:
            if relation.kind is RelationKind.SUBSIDIARY_OF:
                parents[entity.id].add(relation.target_id)
    problems = []
    for start in sorted(parents):
        seen: set[str] = set()
        frontier = set(parents[start])
        while frontier:
            if start in frontier:
                problems.append(
                    RowProblem("relations.csv", None, "target_id", f"{start!r} is its own (indirect) parent")
                )
                break
            seen |= frontier
            frontier = {p for node in frontier for p in parents.get(node, ())} - seen
    return problems


def check_event_times(data: ReferenceData) -> list[RowProblem]:
    """A removal must follow a listing on the same list; no fact may be public before every source it cites."""
    problems = []
    listed: set[tuple[str, str]] = set()
    for event in sorted(data.listings, key=lambda e: (e.valid_from, e.known_from)):
        row = data.stated_rows[event.id]
        key = (event.entity_id, event.list_id.value)
        if event.action is ListingAction.REMOVED and key not in listed:
            problems.append(
                RowProblem(row.file, row.line, "action", f"removal of {event.entity_id!r} before any listing")
            )
        listed.add(key)
    rows = [(p.row, p.published, p.citations) for facts in data.provenance.values() for p in facts]
    rows += [(data.stated_rows[e.id], e.known_from, e.citations) for e in data.listings]
    for row, published, citations in rows:
        # A row may cite a later document that repeats the fact (OFAC's 2025 list file), but at least one of its
        # sources must already have been public when we say the fact became known.
        oldest = min(citation.published for citation in citations)
        if published.date() < oldest.date():
            column = "known_from" if row.file == "listings.csv" else "published"
            problems.append(
                RowProblem(
                    row.file, row.line, column, f"public {published.date()} but its oldest source is of {oldest.date()}"
                )
            )
    return problems


def check_list_feeds(data: ReferenceData, directory: Path | None = None) -> list[RowProblem]:
    """list_feeds.yaml: known sources, lists and citation keys (redline.sources.list_feeds)."""
    from importlib import resources

    from redline.sources.list_feeds import FILE, parse_feeds

    path = (directory / FILE) if directory else None
    if path is not None and not path.is_file():
        return [RowProblem(FILE, None, None, "file is missing")]
    text = path.read_text(encoding="utf-8") if path else resources.files("redline.data").joinpath(FILE).read_text()
    try:
        parse_feeds(text, set(data.citations))
    except SourceError as exc:
        return list(exc.problems)
    return []


_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def check_note_dates(data: ReferenceData) -> list[RowProblem]:
    """A note is shown with its fact from the fact's known time on: it may not name a later date.

    Later facts (a vacatur, a correction, an amended complaint) go in rows of their own with their own known
    time, so an answer as known at K never prints them early. The dates a row states itself (stated_effective,
    stated_divest_until) were announced with it and may lie ahead.
    """
    problems = []
    rows = [
        (data.stated_rows[e.id], e.known_from, (e.stated_effective, e.stated_divest_until), e.note)
        for e in data.listings
    ]
    rows += [
        (data.order_rows[o.id], o.known_from, (None, None), o.note)
        for o in data.court_orders
        if o.id in data.order_rows
    ]
    for row, known_from, stated, note in rows:
        ahead = {moment.date().isoformat() for moment in stated if moment is not None}
        for found in _DATE.findall(note):
            if found > known_from.date().isoformat() and found not in ahead:
                problems.append(
                    RowProblem(
                        row.file,
                        row.line,
                        "note",
                        f"names {found}, after the row's known_from {known_from.date()}: "
                        "put the later fact in a row of its own",
                    )
                )
    return problems


def check_fund_rule(data: ReferenceData) -> list[RowProblem]:
    """Look-through cites the fund rule (`cite: funds` in regimes.yaml) in every fund row's reasons: each regime
    that restricts investment must cite it, and each source it cites must exist with an address a reader can open."""
    problems = []
    for regime_id, regime in data.regimes.items():
        cited = regime.cite("funds")
        if not cited and regime_id.value in ("EO13959", "EO14032"):
            problems.append(RowProblem("regimes.yaml", None, regime_id.value, "no `funds` citation (OFAC FAQ 861)"))
        for citation in cited:
            if not citation.url or not citation.url.startswith("https://"):
                message = f"the fund rule's source {citation.key} has no https URL"
                problems.append(RowProblem("sources.yaml", None, citation.key, message))
    return problems
