"""The one answer to "which entity is this?", for every door (status, match, screening, the API, the pages, impact).

Identifiers first (an ISIN, LEI, ticker in any form: decisive when they name one entity), then names through the
resolver. The policy fails closed: when no entity matches but an entity on a list scored at or above
`REVIEW_FLOOR`, the answer is *undetermined*, with the candidates, never "no match" (docs/status.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from redline.catalog.catalog import Catalog
from redline.model import Entity, ListId
from redline.resolve.errors import QueryError
from redline.resolve.identifiers import IdKey, parse_query

if TYPE_CHECKING:  # the resolver is loaded with the catalog's name index, not for an identifier
    from redline.resolve.resolver import Candidate as ResolverCandidate

# A listed candidate at or above this score keeps a query from being answered "free" when nothing matched: below the
# resolver's match threshold (0.80) but close enough that a person must look (names as the lists print them, with
# acronyms and share classes, score 0.6-0.8 against their own entity when a word or a legal form differs).
REVIEW_FLOOR = 0.60
# Candidates within this score of the best are named as close alternatives.
CLOSE = 0.05


class Outcome(StrEnum):
    MATCHED = "matched"  # one entity, by identifier (decisive) or by name above the threshold
    UNDETERMINED = "undetermined"  # nothing matched, but a listed entity is a plausible lead: review
    NO_MATCH = "no_match"  # nothing plausible on any list: the answer may say "no restriction found"
    INVALID = "invalid"  # nothing in the query to match on


@dataclass(frozen=True, slots=True)
class Candidate:
    entity: Entity
    score: float
    match: bool
    decisive: bool
    explanation: str
    lists: tuple[ListId, ...] = ()  # every list the entity has been on
    route: str = ""  # how the resolver met it: "identifier", "id", or the name route ("gloss", "acronym", ...)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.entity.id,
            "name": self.entity.name,
            "score": round(self.score, 4),
            "match": self.match,
            "decisive": self.decisive,
            "lists": [list_id.value for list_id in self.lists],
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Identification:
    query: str
    outcome: Outcome
    entity: Entity | None
    decisive: bool
    candidates: tuple[Candidate, ...]
    warnings: tuple[str, ...]

    @property
    def leads(self) -> tuple[Candidate, ...]:
        """Candidates worth a person's look: the matches, or the listed ones above the review floor."""
        return tuple(c for c in self.candidates if c.match or c.decisive or (c.lists and c.score >= REVIEW_FLOOR))


def candidates(catalog: Catalog, query: str, limit: int = 10) -> list[Candidate]:
    """Scored candidates, best first; raises QueryError when the query has nothing to match."""
    answer = candidates_many(catalog, [query], limit)[0]
    if isinstance(answer, QueryError):
        raise answer
    return answer


def candidates_many(catalog: Catalog, queries: Sequence[str], limit: int = 10) -> list[list[Candidate] | QueryError]:
    """`candidates` of each query (a QueryError in the place of a query with nothing to match), the names among
    them resolved together (`Resolver.resolve_many`: screening's distinct names)."""
    answers: list[list[Candidate] | QueryError] = []
    names: list[tuple[int, str, list[tuple[IdKey, str]]]] = []  # (answer number, text, parsed identifiers)
    for query in queries:
        text = query.strip()
        if not text:
            answers.append(QueryError("the query is empty: give a name or an identifier"))
            continue
        exact = catalog.data.entities.get(text)
        if exact is not None:
            lists = tuple(catalog.lists_of(exact.id))
            answers.append([Candidate(exact, 1.0, True, True, f"entity id {exact.id}", lists, "id")])
            continue
        keys = parse_query(text)
        hits = catalog.ids_for(key for key, _ in keys)
        if hits:
            why = next(iter(dict(keys).values()), "identifier")
            answers.append(
                [
                    Candidate(
                        catalog.entity(i),
                        1.0,
                        True,
                        True,
                        f"identifier {why}",
                        tuple(catalog.lists_of(i)),
                        "identifier",
                    )
                    for i in hits[:limit]
                ]
            )
            continue
        names.append((len(answers), text, keys))
        answers.append([])
    if names:
        resolved = catalog.resolver.resolve_many(
            [text for _, text, _ in names], limit=limit * 2, identifiers=[keys for _, _, keys in names]
        )  # the identifiers parsed once
        for (number, _, _), found in zip(names, resolved, strict=True):
            answers[number] = found if isinstance(found, QueryError) else _entities(catalog, found, limit)
    return answers


def _entities(catalog: Catalog, found: list[ResolverCandidate], limit: int) -> list[Candidate]:
    """The resolver's candidates that are catalog entities, each once, as the catalog's candidates."""
    out: dict[str, Candidate] = {}
    for c in found:
        if c.entity_id in out or c.entity_id not in catalog.data.entities:
            continue
        entity = catalog.entity(c.entity_id)
        out[c.entity_id] = Candidate(
            entity,
            c.score,
            c.match,
            c.decisive,
            c.explanation.text(),
            tuple(catalog.lists_of(c.entity_id)),
            c.explanation.route,
        )
    return list(out.values())[:limit]


def identify(catalog: Catalog, query: str) -> Identification:
    try:
        found = candidates(catalog, query, limit=5)
    except QueryError as exc:
        return Identification(query, Outcome.INVALID, None, False, (), (str(exc),))
    decisive = [c for c in found if c.decisive]
    if len(decisive) > 1:
        # One identifier naming several entities (a bare ticker on two markets): a person must choose.
        names = ", ".join(f"{c.entity.id} ({c.explanation})" for c in decisive)
        warning = f"{query!r} names several entities: {names}; give the exchange or an ISIN"
        outcome = Outcome.UNDETERMINED if any(c.lists for c in decisive) else Outcome.NO_MATCH
        return Identification(query, outcome, None, False, tuple(found), (warning,))
    matched = [c for c in found if c.match]
    if matched:
        best = matched[0]
        warnings = []
        if not best.decisive:
            warnings.append(f"matched {best.entity.name!r} by name ({best.score:.2f}: {best.explanation})")
            close = [c for c in matched[1:] if not c.decisive and best.score - c.score < CLOSE]
            if close:
                others = ", ".join(f"{c.entity.id} ({c.score:.2f})" for c in close)
                warnings.append(f"{query!r} is ambiguous; answering for {best.entity.id}; also close: {others}")
        return Identification(query, Outcome.MATCHED, best.entity, best.decisive, tuple(found), tuple(warnings))
    leads = [c for c in found if c.lists and c.score >= REVIEW_FLOOR]
    if leads:
        shown = ", ".join(f"{c.entity.name} ({c.score:.2f}: {c.explanation})" for c in leads[:3])
        warning = f"no entity matches {query!r} with confidence, but listed entities come close: {shown}; review"
        return Identification(query, Outcome.UNDETERMINED, None, False, tuple(found), (warning,))
    weak: tuple[str, ...] = ()
    if found:
        shown = ", ".join(f"{c.entity.name} ({c.score:.2f})" for c in found[:3])
        weak = (f"possible matches below the review floor, not on any list or too weak: {shown}",)
    return Identification(query, Outcome.NO_MATCH, None, False, tuple(found), weak)
