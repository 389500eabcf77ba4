"""The resolver: from a query (a name in any script, or an identifier) to ranked list entities.

    resolver = current_catalog().resolver     # redline.catalog builds it over every entity it holds
    resolver.resolve("小米集团")          # -> [Candidate(entity_id="xiaomi", score=0.87, match=True, ...)]
    resolver.match("1810.HK")             # -> {"query": ..., "candidates": [...]} (the CLI's JSON form)

Scores are in [0, 1]; `match` is score >= threshold (DEFAULT_THRESHOLD unless configured). An identifier
hit scores 1.0 and is flagged `decisive`. Candidates below the threshold but above REVIEW_FLOOR are still
returned, marked `match: false`, as leads for a reviewer (e.g. a dictionary-gloss translation).
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from redline.model import Entity, Identifier, saved
from redline.resolve.compare import COVER_SIMILARITY, TOKEN_FLOOR, NameScore, WordHits, compare, token_similarity
from redline.resolve.errors import QueryError
from redline.resolve.forms import NameForm, Token, prepare
from redline.resolve.identifiers import VERBATIM, IdKey, checksum_note, keys_of, parse_query, printed_value
from redline.resolve.index import NUMPY_RANKING_MIN, NameIndex
from redline.resolve.legal_forms import adopt_legal_forms, legal_forms
from redline.resolve.persons import BirthDate, compare_birth_dates, parse_birth_date, roles_agree
from redline.resolve.printed import printed_names
from redline.resolve.text import clean
from redline.resolve.thresholds import DEFAULT_THRESHOLD

if TYPE_CHECKING:  # imported list files' records: a name query over a saved index never makes one
    from redline.model.records import SourceRecord
    from redline.resolve.bounds import FormBounds, FormTable

_SAVE_FORMAT = "redline-resolver-4"  # bump when Resolver, Record or NameForm change shape
REVIEW_FLOOR = 0.50
CANDIDATE_POOL = 20  # entities scored in full per query
# Queries `resolve_many` ranks and bounds together: the bounds' tables of a batch are held until its queries are
# scored (a few MB), and numpy's per-call cost is shared by 256 queries (FormBounds.many: BATCH at a time).
RESOLVE_BATCH = 256
# "CATL Logistics Services" vs the alias "CATL": a brand plus lines of business no listed name of the entity
# mentions is a different firm as often as not, so it stays below the threshold, for review.
UNSUPPORTED_BRAND = 0.75
# A firm's name with a distinctive word the entity never carries is usually another firm (a subsidiary, a
# look-alike): shown for review, below the threshold.
EXTRA_WORD_CAP = 0.78
# A person's name contained word for word in the other ("NAZARENKO, Yuri" / "NAZARENKO, Yuriy Gennadievich").
PERSON_COVERED = 0.82
# Persons whose family and first given names do not meet each other (a son's name holds his father's): a lead.
PERSON_ROLES_CAP = 0.78
# Words that name a group or holding company rather than its operating subsidiaries (集团 and 控股 read as these).
GROUP_WORDS = frozenset(["group", "holding", "holdings"])
GROUP_MISMATCH = 0.06
# "Foo Industries (China Mobile)": the short name alone meets an entity the full name does not; for review.
SHORT_ONLY_CAP = 0.78
_ORG_SCHEMAS = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})


@dataclass(frozen=True, slots=True)
class Record:
    """One matchable list entity: bundled reference data or a record from an imported snapshot."""

    entity_id: str
    caption: str
    schema: str = "Company"
    names: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    birth_dates: tuple[str, ...] = ()

    @classmethod
    def from_entity(cls, entity: Entity, lists: Iterable[str] = ()) -> Record:
        return cls(entity.id, entity.name, entity.schema, entity.all_names(), tuple(lists), entity.identifiers)

    @classmethod
    def from_source_record(cls, record: SourceRecord, list_label: str, prefix: str = "") -> Record:
        """A record from an imported list file; weak aliases (OFAC weak a.k.a., UN "Low") are not matched on."""
        names = tuple(dict.fromkeys([record.name, *(n.text for n in record.names if not n.weak)]))
        births: list[str] = []
        for day in record.birth_dates():
            if day.earliest and day.latest and day.earliest == day.latest:
                births.append(day.earliest.isoformat())
            elif day.earliest and day.latest:
                births += [
                    str(year) for year in range(day.earliest.year, min(day.latest.year, day.earliest.year + 12) + 1)
                ]
        identifiers = tuple(i.as_identifier() for i in record.identifiers)
        lists = tuple(dict.fromkeys([list_label, *record.lists]))
        return cls(
            prefix + record.source_id, record.name, record.schema.value, names, lists, identifiers, tuple(births)
        )


@dataclass(frozen=True, slots=True)
class Explanation:
    query_name: str
    list_name: str
    route: str
    features: tuple[str, ...]
    identifier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query_name": self.query_name,
            "list_name": self.list_name,
            "route": self.route,
            "features": list(self.features),
            "identifier": self.identifier,
        }

    def text(self) -> str:
        if self.identifier:
            return "; ".join([f"identifier {self.identifier}", *self.features[1:]])
        return f"{self.query_name!r} ~ {self.list_name!r}: " + "; ".join(self.features)


@dataclass(frozen=True, slots=True)
class Candidate:
    entity_id: str
    name: str
    schema: str
    score: float
    match: bool
    decisive: bool
    lists: tuple[str, ...]
    explanation: Explanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "schema": self.schema,
            "score": round(self.score, 4),
            "match": self.match,
            "decisive": self.decisive,
            "lists": list(self.lists),
            "explanation": self.explanation.to_dict(),
        }


# FtM schemata whose kind is known without loading the FtM model (which takes seconds to import)
_KINDS = {
    "Person": "person",
    "LegalEntity": "any",  # a person or an organisation
    **dict.fromkeys(_ORG_SCHEMAS - {"LegalEntity"}, "org"),
    **dict.fromkeys(["Vessel", "Airplane", "Vehicle", "Security"], "thing"),
}


@lru_cache(maxsize=256)
def schema_kind(schema: str) -> str:
    """ "person", "org", "any" (LegalEntity) or "thing" for any FollowTheMoney schema; ValueError for others."""
    if schema in _KINDS:
        return _KINDS[schema]
    from followthemoney import model

    found = model.get(schema)
    if found is None:
        raise ValueError(f"{schema!r} is not a FollowTheMoney schema (e.g. Company, Person, LegalEntity, Vessel)")
    if found.is_a("Person"):
        return "person"
    if found.is_a("Organization"):
        return "org"
    return "any" if found.is_a("LegalEntity") else "thing"


def _person_flag(schema: str | None) -> bool | None:
    if schema is None:
        return None
    kind = schema_kind(schema)
    return None if kind == "any" else kind == "person"


def _compatible(query_schema: str | None, record_schema: str) -> bool:
    if query_schema is None or query_schema == record_schema:
        return True
    kinds = {schema_kind(query_schema), _KINDS.get(record_schema, "thing")}
    return kinds == {"org"} or ("any" in kinds and not kinds & {"thing"})


def name_forms(name: str, person: bool | None) -> list[NameForm]:
    """The forms of every name a printed name stands for ("Full (Short)" gives both), tagged with the part."""
    forms: list[NameForm] = []
    for printed in printed_names(name):
        for form in prepare(printed.text, person):
            if form.tokens and (printed.part or printed.note):
                forms.append(replace(form, part=printed.part, note=printed.note))
            elif form.tokens:
                forms.append(form)
    return forms


def _verbatim_note(record: Record, value: str) -> str:
    """Which listed identifier a verbatim hit met, and whether it fails its check digit as printed."""
    for identifier in record.identifiers:
        if printed_value(identifier.value) == value:
            return checksum_note(identifier.scheme.value, value) or f"listed as {identifier.scheme.value} {value}"
    return ""


def query_forms(query: str, schema: str | None = None) -> list[NameForm]:
    """The comparable forms of a query; QueryError when nothing matchable is left."""
    if not clean(query):
        raise QueryError("the query is empty: give a name or an identifier")
    forms = name_forms(query, _person_flag(schema))
    if not forms:
        raise QueryError(f"the query {query[:40]!r} has no letters or digits to match")
    return forms


def best_name_score(
    queries: list[NameForm],
    targets: list[NameForm],
    explain: bool = True,
    hits: WordHits | None = None,
    bounds: list[float] | None = None,
    floor: float | None = None,
) -> tuple[NameScore, NameForm, NameForm] | None:
    """The best-scoring pair of forms (the first of equal scores, query form after query form); `explain=False`
    leaves the word lists out of its features; `hits`: the query's word pairs when they were found for many
    candidates at once (see `compare`).

    `bounds` (`FormBounds.block`): an upper bound of each pair's score, in the same order. Pairs are then compared
    best bound first, and no further once no bound left can beat the best score found; with `floor`, also once no
    bound left reaches `floor` while the best found is below it and not a covered name (`person_score` could
    raise it): the pair returned then scores below `floor`, as the best pair does, but may not be the best pair."""
    n = len(targets)
    if bounds is None:
        bounds = [1.0] * (len(queries) * n)  # `compare` scores at most 1.0
        order: Iterable[int] = range(len(bounds))
    else:
        order = sorted(range(len(bounds)), key=lambda k: (-bounds[k], k))
    best: tuple[NameScore, NameForm, NameForm] | None = None
    first = 0  # the pair number of `best`
    for k in order:
        bound = bounds[k]
        if best is not None:
            top = best[0].score
            # bounds come in decreasing order: once a pair cannot win (a later pair of equal score loses), no
            # pair after it can
            if bound < top or (bound <= top and k > first):
                break
            if floor is not None and bound < floor and top < floor and not best[0].covered:
                break
        q, t = queries[k // n], targets[k % n]
        result = compare(q, t, explain=False, hits=hits)
        if best is None or result.score > best[0].score or (result.score == best[0].score and k < first):
            best, first = (result, q, t), k
    if best is None or not explain:
        return best
    _, q, t = best
    return compare(q, t, hits=hits), q, t


def _near(a: Token, b: Token) -> bool:
    """Two words that count as one name's word for the covered-person rule (as `compare` counts them)."""
    return a.key == b.key or token_similarity(a, b) >= COVER_SIMILARITY


def _aligned(a: Token, b: Token) -> bool:
    """Two words that the alignment may pair: one name's word spelled two ways, or an initial."""
    return a.key == b.key or token_similarity(a, b) >= TOKEN_FLOOR


def person_score(result: NameScore, score: float, features: list[str], q: NameForm, t: NameForm) -> float:
    """Persons: family name must meet family name and first given name first given name (`persons.roles_agree`),
    else the pair is a lead for review ("ALI BARZAN IBRAHIM HASAN AL-TIKRITI", the son, vs "BARZAN IBRAHIM HASAN
    AL-TIKRITI"; "EHSAN, Muhammad" vs "MOHAMMADI, Ehsan"); a name whose every word is in the other (middle names,
    patronymic left out) is a match."""
    latin = {q.route, t.route} <= {"latin", "transliterated"} and q.compact != t.compact
    # the same words in another order are one name listed two ways ("KHAN, Nasir Ali" / "NASIR, Khan Ali"); a
    # name that adds a word where the other has its first or family name is another person
    same_words = all(any(_aligned(a, b) for b in t.tokens) for a in q.tokens) and all(
        any(_aligned(b, a) for a in q.tokens) for b in t.tokens
    )
    if latin and score > PERSON_ROLES_CAP and not same_words and not roles_agree(q.name, t.name, _aligned):
        features.append("family and first given names do not meet each other (another member of the family?)")
        return PERSON_ROLES_CAP
    if not result.covered or score >= PERSON_COVERED:
        return score
    if latin and not roles_agree(q.name, t.name, _near):
        features.append("the shorter name's words are in the longer one, but not as its family and first name")
        return score
    features.append("every word of the shorter name is in the longer one (middle names, patronymic)")
    return PERSON_COVERED


def extra_word_score(result: NameScore, score: float, vocab: frozenset[str], features: list[str]) -> float:
    """A firm's query with a distinctive word that no name of the entity carries (`vocab`) is another firm as often
    as not ("... Group Poly No. 59 ...", "ISLAMIC STATE OF IRAQ AND SYRIA - MOZAMBIQUE"): a lead, not a match."""
    extra = [w for w in result.query_extra if w not in vocab]
    if extra and score > EXTRA_WORD_CAP:
        features.append("the query adds distinctive words no listed name has: " + ", ".join(extra))
        return EXTRA_WORD_CAP
    return score


def entity_score(
    result: NameScore, q: NameForm, t: NameForm, schema: str, vocab: frozenset[str], features: list[str]
) -> float:
    """The name score of query form `q` against an entity's form `t`, adjusted by what the entity's names say
    (`vocab`: every word of every name of the entity)."""
    score = result.score
    if schema == "Person":
        score = person_score(result, score, features, q, t)
    else:
        score = extra_word_score(result, score, vocab, features)
    group = sorted({t.text for t in q.tokens if t.text in GROUP_WORDS} - vocab)
    if group and schema != "Person":
        # "China Mobile Group" names the parent: a listed subsidiary none of whose names says group or
        # holding(s) is another legal person, kept apart from a tie
        score -= GROUP_MISMATCH
        features.append(f"the query says {', '.join(group)}; no name of this entity does (parent vs subsidiary)")
    unsupported = [w for w in result.brand_extra if w not in vocab]
    if unsupported and score > UNSUPPORTED_BRAND:
        score = UNSUPPORTED_BRAND
        features.append("no listed name of this entity has: " + ", ".join(unsupported))
    return score


@dataclass(frozen=True, slots=True)
class _Options:
    """What `resolve` was asked, shared by the queries of one `resolve_many`."""

    schema: str | None
    birth_date: BirthDate | None
    limit: int
    threshold: float | None


@dataclass(slots=True)
class _Pending:
    """A query between `Resolver._start` and `_finish`: its identifier hits, its name forms and candidate entities
    (record numbers), their bound tables and the bounds, when the bounds are used."""

    found: dict[int, Candidate]
    forms: list[NameForm]
    pool: list[int] = field(default_factory=list)
    tables: list[FormTable] = field(default_factory=list)
    bounds: FormBounds | None = None


@dataclass
class Resolver:
    """An index over every loaded name, and the scoring that ranks its candidates."""

    threshold: float = DEFAULT_THRESHOLD
    records: list[Record] = field(default_factory=list)
    _forms: list[list[NameForm]] = field(default_factory=list)
    _birth_dates: list[list[BirthDate]] = field(default_factory=list)
    _vocab: list[frozenset[str]] = field(default_factory=list)
    _index: NameIndex = field(default_factory=NameIndex)
    _ids: dict[IdKey, list[int]] = field(default_factory=dict)
    # compare candidates best bound first and skip those that cannot reach the review floor (`bounds`); False
    # compares every pair of forms (the reference the tests hold the bounds to)
    _bounds: ClassVar[bool] = True

    @classmethod
    def from_records(cls, records: Iterable[Record], threshold: float = DEFAULT_THRESHOLD) -> Resolver:
        resolver = cls(threshold=threshold)
        resolver.add(records)
        return resolver

    def add(self, records: Iterable[Record]) -> None:
        """Index `records`' identifiers now; their names are prepared on the first name query (`_names`), so an
        identifier lookup never pays for pinyin, CC-CEDICT and the name index."""
        for record in records:
            number = len(self.records)
            self.records.append(record)
            for identifier in record.identifiers:
                for key in keys_of(identifier):
                    self._ids.setdefault(key, []).append(number)

    def _names(self) -> NameIndex:
        """The name index, built for every record added since the last name query."""
        for number in range(len(self._forms), len(self.records)):
            record = self.records[number]
            person = _person_flag(record.schema)
            forms = [form for name in record.names or (record.caption,) for form in name_forms(name, person)]
            self._forms.append(forms)
            self._vocab.append(frozenset(t.text for form in forms for t in form.tokens))
            self._birth_dates.append([d for d in map(parse_birth_date, record.birth_dates) if d])
            self._index.add(number, forms)
        return self._index

    def save(self, path: Path) -> None:
        """Write the built resolver (records, identifier and name indexes) to `path`, atomically, for `load`.

        Loading takes a fraction of building (no transliteration, no dictionary); the caller keys the file by a
        hash of what went in and rebuilds when that changes. The file is a pickle: keep it where only Redline
        writes ($REDLINE_HOME)."""
        self._names()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                # the legal forms its names were prepared with: queries read the same, and skip the ELF list
                saved.dump((_SAVE_FORMAT, self, legal_forms()), out)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Resolver:
        """A resolver saved by `save`; ValueError when the file is not one of this version of Redline."""
        with path.open("rb") as handle:
            try:
                data = saved.load(handle)
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError) as exc:
                raise ValueError(f"{path}: not a saved resolver ({exc})") from None
        if not (isinstance(data, tuple) and len(data) == 3 and data[0] == _SAVE_FORMAT and isinstance(data[1], cls)):
            raise ValueError(f"{path}: a resolver saved by another version of Redline; rebuild it")
        adopt_legal_forms(data[2])
        return data[1]

    def resolve(
        self,
        query: str,
        *,
        schema: str | None = None,
        birth_date: str | None = None,
        limit: int = 10,
        threshold: float | None = None,
        identifiers: list[tuple[IdKey, str]] | None = None,
    ) -> list[Candidate]:
        """Candidates for `query`, best first: identifier hits (decisive), then names above REVIEW_FLOOR.

        `identifiers`: `parse_query(query)` when the caller has it already (the catalog looks identifiers up first)."""
        answer = self.resolve_many(
            [query], schema=schema, birth_date=birth_date, limit=limit, threshold=threshold, identifiers=[identifiers]
        )[0]
        if isinstance(answer, QueryError):
            raise answer
        return answer

    def resolve_many(
        self,
        queries: Sequence[str],
        *,
        schema: str | None = None,
        birth_date: str | None = None,
        limit: int = 10,
        threshold: float | None = None,
        identifiers: Sequence[list[tuple[IdKey, str]] | None] | None = None,
    ) -> list[list[Candidate] | QueryError]:
        """`resolve` of each query, with the same options (a QueryError in the place of a query with nothing to
        match): the same answers, but the numpy work of ranking and bounding the candidates is done for
        RESOLVE_BATCH queries at once (`NameIndex.candidates_many`, `FormBounds.many`), which is what a book of
        distinct names (screening) spends most of its time on. Any number of queries: memory stays that of a batch."""
        options = _Options(schema, parse_birth_date(birth_date) if birth_date else None, limit, threshold)
        keys = identifiers or [None] * len(queries)
        answers: list[list[Candidate] | QueryError] = []
        for start in range(0, len(queries), RESOLVE_BATCH):
            end = start + RESOLVE_BATCH
            answers += self._resolve_many(queries[start:end], options, keys[start:end])
        return answers

    def _resolve_many(
        self, queries: Sequence[str], options: _Options, identifiers: Sequence[list[tuple[IdKey, str]] | None]
    ) -> list[list[Candidate] | QueryError]:
        answers: list[list[Candidate] | QueryError | _Pending] = []
        for query, keys in zip(queries, identifiers, strict=True):
            try:
                answers.append(self._start(query, options, keys))
            except QueryError as exc:
                answers.append(exc)
        pending = [a for a in answers if isinstance(a, _Pending)]
        if not pending:  # identifiers answered every query, or none had anything to match
            return [a for a in answers if not isinstance(a, _Pending)]
        index = self._names()
        schema = options.schema
        for p, pool in zip(pending, index.candidates_many([p.forms for p in pending], CANDIDATE_POOL), strict=True):
            p.pool = [n for n in pool if n not in p.found and _compatible(schema, self.records[n].schema)]
        # The bounds need numpy: a cold query over the small bundled catalog scores its ~20 candidates in full
        # rather than import it (same answers: the bounds only skip what cannot win).
        if self._bounds and ("numpy" in sys.modules or len(index.forms) >= NUMPY_RANKING_MIN):
            from redline.resolve.bounds import BoundsQuery, FormBounds

            items = []
            for p in pending:
                p.tables = [index.table(number, self._forms[number]) for number in p.pool]
                covered = [PERSON_COVERED if self.records[n].schema == "Person" else 0.0 for n in p.pool]
                items.append(BoundsQuery(p.forms, p.tables, covered))
            for p, bounds in zip(pending, FormBounds.many(items, index.interned), strict=True):
                p.bounds = bounds
        return [self._finish(a, options) if isinstance(a, _Pending) else a for a in answers]

    def _start(
        self, query: str, options: _Options, identifiers: list[tuple[IdKey, str]] | None
    ) -> list[Candidate] | _Pending:
        """A query's identifier hits, and the answer when they are all it needs; else its name forms, for the
        candidate entities (`pool`) and `_finish`."""
        schema = options.schema
        found: dict[int, Candidate] = {}
        for key, description in parse_query(query) if identifiers is None else identifiers:
            for number in self._ids.get(key, []):
                record = self.records[number]
                if number not in found and _compatible(schema, record.schema):
                    features = [f"{description} is listed for this entity"]
                    if key[0] == VERBATIM:
                        features += [_verbatim_note(record, key[2])]
                    why = Explanation(query, record.caption, "identifier", tuple(f for f in features if f), description)
                    found[number] = Candidate(
                        record.entity_id, record.caption, record.schema, 1.0, True, True, record.lists, why
                    )
        if found and any(ch.isdigit() for ch in query):
            return self._ranked(found, {}, options.limit)  # "0981.HK", an ISIN: the identifier named it; no name search
        return _Pending(found, query_forms(query, schema))

    def _finish(self, pending: _Pending, options: _Options) -> list[Candidate]:
        """Score the candidates of a query left by `_start` (those its bounds, if any, leave) and rank them."""
        cut = self.threshold if options.threshold is None else options.threshold
        forms, pool, found, bounds = pending.forms, pending.pool, pending.found, pending.bounds
        caption_hit: dict[int, bool] = {}
        parts: dict[str, list[int]] = {}  # the query forms of each part of the printed name
        for i, form in enumerate(forms):
            parts.setdefault(form.part, []).append(i)
        # below this score a candidate is dropped, and a part of the query cannot change the outcome
        floor = min(REVIEW_FLOOR, cut)
        kept: Iterable[int] = range(len(pool))
        if bounds is not None:
            kept = [k for k in kept if bounds.best(k) >= floor]  # the others: no pair of forms reaches the floor
            words: Iterable[Token] = (word for k in kept for word in pending.tables[k].words)
        else:
            words = {t.text: t for n in pool for f in self._forms[n] for t in f.tokens}.values()
        hits = WordHits(forms, words)
        for k in kept:
            number = pool[k]
            record = self.records[number]
            scored = [
                s
                for s in (
                    self._score(
                        number,
                        [forms[i] for i in rows],
                        options.birth_date,
                        hits,
                        None if bounds is None else bounds.block(k, rows),
                        floor,
                    )
                    for rows in parts.values()
                )
                if s is not None
            ]
            if not scored:
                continue
            score, features, q, t = max(scored, key=lambda s: s[0])
            if len(parts) > 1:
                # "Full Name (Short)": the full name decides; a short name that meets the entity while the full
                # name does not is a lead (short names are shared: "China Mobile", "CSSC")
                full = max((s[0] for s in scored if s[2].part == "full"), default=0.0)
                if q.part == "short" and full < REVIEW_FLOOR and score > SHORT_ONLY_CAP:
                    score = SHORT_ONLY_CAP
                    features.append(f"only the short name in parentheses meets this entity (full name {full:.2f})")
                elif q.part == "full" and len(scored) > 1 and min(s[0] for s in scored) >= cut:
                    features.append("the short name in parentheses meets it too")
            if score >= REVIEW_FLOOR:
                why = Explanation(q.name, t.name, t.route, tuple(features))
                caption_hit[number] = t.name == record.caption
                found[number] = Candidate(
                    record.entity_id, record.caption, record.schema, score, score >= cut, False, record.lists, why
                )
        return self._ranked(found, caption_hit, options.limit)

    @staticmethod
    def _ranked(found: dict[int, Candidate], caption_hit: dict[int, bool], limit: int) -> list[Candidate]:
        # equal scores: the entity whose own name was met goes first (a group's alias vs the firm itself)
        ranked = sorted(
            found.items(),
            key=lambda i: (not i[1].decisive, -round(i[1].score, 6), not caption_hit.get(i[0]), i[1].entity_id),
        )
        return [candidate for _, candidate in ranked[:limit]]

    def _score(
        self,
        number: int,
        forms: list[NameForm],
        dob: BirthDate | None,
        hits: WordHits | None = None,
        bounds: list[float] | None = None,
        floor: float | None = None,
    ) -> tuple[float, list[str], NameForm, NameForm] | None:
        """The best score of one part of the query against record `number`, with its features; with `bounds` (see
        `best_name_score`), a score below `floor` may be another pair's, also below `floor`."""
        best = best_name_score(forms, self._forms[number], explain=False, hits=hits, bounds=bounds, floor=floor)
        if best is None:
            return None
        result, q, t = best
        score, features = result.score, []
        if q.note:
            features.append(q.note)
        record = self.records[number]
        score = entity_score(result, q, t, record.schema, self._vocab[number], features)
        if dob and self._birth_dates[number]:
            adjust, reason = compare_birth_dates(dob, self._birth_dates[number])
            score = max(0.0, score + adjust)
            features.append(reason)
        if score >= REVIEW_FLOOR:  # a kept candidate: spell out the words behind the score (the costly part)
            features = [*compare(q, t, hits=hits).features, *features]
        return score, features, q, t

    def match(self, query: str, **options: Any) -> dict[str, Any]:
        """The stable JSON form: {"query", "candidates": [...]} (documented in docs/resolve.md)."""
        return match_json(query, self.resolve(query, **options))


def match_json(query: str, candidates: list[Candidate]) -> dict[str, Any]:
    """`Resolver.match`'s answer for `query` resolved to `candidates`."""
    return {"query": query, "candidates": [c.to_dict() for c in candidates]}


@dataclass(frozen=True, slots=True)
class PairScore:
    score: float
    explanation: Explanation


def score_pair(left: str, right: str, schema: str | None = None) -> PairScore:
    """Score two names directly, without an index (`redline match-pairs`, benchmarks)."""
    person = _person_flag(schema)
    targets = name_forms(right, person)
    best = best_name_score(query_forms(left, schema), targets)
    if best is None:
        return PairScore(0.0, Explanation(left, right, "none", ("nothing to compare",)))
    result, q, t = best
    features = list(result.features)
    score = result.score
    if person:
        score = person_score(result, score, features, q, t)
    elif person is False:
        # the other name's words and initials: "IFIC" adds no word to "IRAN FOREIGN INVESTMENT COMPANY"
        vocab = frozenset(w for form in targets for w in (*(token.text for token in form.tokens), *form.acronyms))
        score = extra_word_score(result, score, vocab, features)
    return PairScore(score, Explanation(q.name, t.name, t.route, tuple(features)))
