"""The fast scoring core gives the scores of the per-pair path it replaced.

`Resolver.resolve` bounds every candidate's score from above (`bounds.FormBounds`: numpy over all candidate forms
at once), skips the candidates whose bound is below REVIEW_FLOOR and compares the others' forms best bound first,
stopping when no bound left can win (`best_name_score`); it finds the aligning word pairs of the candidates left
at once (`compare.WordHits`, rapidfuzz `cdist`) and ranks index candidates with numpy (`NameIndex.candidates`).
Here the bounds are checked against the scores they bound, and the same queries run through the reference path:
every candidate and every pair of forms scored (`Resolver._bounds = False`), every word pair scored one by one
(`compare(q, c)` without `hits`), and the index ranking written as the plain loop it was. Scores must agree
within 1e-9 (they are in fact identical), and so must decisions, order and explanations.

The queries come from the bundled data (each listed name as printed, with a word left out, with a word added,
with two letters swapped) and from the committed held-out pairs (whose names are also added as list entries, so
persons and foreign names are scored too).
"""

from __future__ import annotations

import csv
import heapq
import random
from collections import defaultdict
from pathlib import Path

import pytest

from redline.resolve import QueryError, Record, Resolver
from redline.resolve import resolver as resolver_module
from redline.resolve.bounds import BATCH, BoundsQuery, FormBounds, FormTable, Interned
from redline.resolve.compare import LIST_SIDE_UNMATCHED, WordHits, compare
from redline.resolve.index import MAX_POSTING_SHARE, MIN_POSTING_CAP, NameIndex, keys
from redline.resolve.resolver import PERSON_COVERED, query_forms
from redline.store.reference import bundled_store

PAIRS = Path(__file__).parent / "data" / "heldout_name_pairs.csv"
TOLERANCE = 1e-9


def _heldout() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    store = bundled_store()
    records = [Record.from_entity(e, [x.value for x in store.lists_of(e.id)]) for e in store.entities()]
    for number, row in enumerate(_heldout()):
        schema = row["schema"] if row["schema"] == "Person" else "Organization"
        records.append(Record(f"heldout-{number}", row["right"], schema, (row["right"],), ("TEST",)))
    return Resolver.from_records(records)


def _sample(resolver: Resolver, seed: int, count: int) -> tuple[random.Random, list[str]]:
    """`count` listed names drawn with `seed`, and the generator to go on drawing with."""
    rng = random.Random(seed)
    return rng, rng.sample(sorted({n for r in resolver.records for n in r.names}), count)


def _queries(resolver: Resolver) -> list[tuple[str, str | None]]:
    rng, names = _sample(resolver, 12, 160)
    out: list[tuple[str, str | None]] = []
    for name in names:
        words = name.split()
        out.append((name, None))
        if len(words) > 1:
            dropped = rng.randrange(len(words))
            out.append((" ".join(w for i, w in enumerate(words) if i != dropped), None))
        words.insert(rng.randrange(len(words) + 1), rng.choice(["Global", "Holdings", "Trading", "Ltd", "Group"]))
        out.append((" ".join(words), "Company"))
        if len(name) > 4:
            i = rng.randrange(len(name) - 1)
            out.append((name[:i] + name[i + 1] + name[i] + name[i + 2 :], None))
    for row in _heldout():
        out.append((row["left"], row["schema"]))
        out.append((row["left"], None))
    return out


def _reference_candidates(index: NameIndex, queries: list, limit: int) -> list[int]:
    """`NameIndex.candidates` as the plain loop it was before numpy."""
    weights: dict[str, float] = {}
    for form in queries:
        for key, weight in keys(form).items():
            weights[key] = max(weight, weights.get(key, 0.0))
    cap = max(MIN_POSTING_CAP, int(len(index.forms) * MAX_POSTING_SHARE))
    scores: dict[int, float] = defaultdict(float)
    for key, weight in weights.items():
        posting = index.postings.get(key)
        if not posting or (len(posting) > cap and key[0] == "t"):
            continue
        if len(posting) > cap:
            weight /= 4
        for number in posting:
            scores[number] += weight
    best: dict[int, float] = {}
    for number in heapq.nlargest(limit * 4, scores, key=scores.__getitem__):
        owner = index.owners[number]
        if owner not in best:
            best[owner] = scores[number]
            if len(best) == limit:
                break
    return list(best)


def _answers(resolver: Resolver, queries: list[tuple[str, str | None]]) -> list[list[tuple]]:
    return [
        [(c.entity_id, c.score, c.match, c.explanation) for c in resolver.resolve(q, schema=s, limit=30)]
        for q, s in queries
    ]


def _same_answers(queries: list[tuple[str, str | None]], fast: list[list[tuple]], reference: list[list[tuple]]) -> None:
    for (query, _), got, want in zip(queries, fast, reference, strict=True):
        assert [(e, m, x) for e, _, m, x in got] == [(e, m, x) for e, _, m, x in want], query
        assert all(abs(g[1] - w[1]) <= TOLERANCE for g, w in zip(got, want, strict=True)), query


def _more_queries(resolver: Resolver) -> list[tuple[str, str | None]]:
    """Screening-like rows (a listed name with a word and a number added) and the fixture's names as persons."""
    rng, names = _sample(resolver, 5, 120)
    out: list[tuple[str, str | None]] = []
    for name in names:
        words = name.split()
        words.insert(rng.randrange(len(words) + 1), rng.choice(["Apex", "Northern", "Digital", "Blue", "Star"]))
        out.append((" ".join(words) + f" {rng.randrange(1000)}", None))
    out += [(row["right"], "Person") for row in _heldout() if row["schema"] == "Person"]
    return out


def test_bounds_are_at_least_the_scores(resolver: Resolver) -> None:
    """Every query form against every form of its candidates and of a sample of the rest: the bound is never below
    `compare`'s score (the per-pair path), nor below PERSON_COVERED for a covered person, and it leaves room for
    the resolver's own scores of the entity (`_score`, every pair compared)."""
    assert LIST_SIDE_UNMATCHED == 0.5  # the closed form of the alignment score in bounds.py assumes it
    resolver.resolve("warm up")  # builds the name index
    index = resolver._index
    rng = random.Random(11)
    interned = Interned()
    compared = 0
    for query, schema in _queries(resolver)[::2] + _more_queries(resolver):
        forms = query_forms(query, schema)
        numbers = list(dict.fromkeys([*index.candidates(forms, 20), *rng.sample(range(len(resolver.records)), 15)]))
        tables = [FormTable.of(resolver._forms[n], interned) for n in numbers]
        persons = [resolver.records[n].schema == "Person" for n in numbers]
        bounds = FormBounds.of(forms, tables, [PERSON_COVERED if p else 0.0 for p in persons], interned)
        for k, (number, table, person) in enumerate(zip(numbers, tables, persons, strict=True)):
            for i, q in enumerate(forms):
                for bound, t in zip(bounds.block(k, [i]), table.forms, strict=True):
                    result = compare(q, t, explain=False)
                    assert bound >= result.score, (q.name, t.name, bound, result.score)
                    assert not (person and result.covered) or bound >= PERSON_COVERED, (q.name, t.name)
                    compared += 1
            scored = resolver._score(number, forms, None)
            assert scored is None or bounds.best(k) >= scored[0], (query, resolver.records[number].caption)
    assert compared > 20_000


def test_resolve_with_and_without_bounds(resolver: Resolver, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same candidates, order, decisions, explanations and scores, whether the bounds skip work or not."""
    queries = _queries(resolver)[1::2] + _more_queries(resolver)
    fast = _answers(resolver, queries)
    monkeypatch.setattr(Resolver, "_bounds", False)
    reference = _answers(resolver, queries)
    assert sum(len(a) for a in reference) > 500
    _same_answers(queries, fast, reference)


def test_resolve_scores_as_the_per_pair_path(resolver: Resolver, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = _queries(resolver)
    fast = _answers(resolver, queries)
    monkeypatch.setattr(resolver_module, "WordHits", lambda *_: None)  # compare() scores word pairs one by one
    monkeypatch.setattr(Resolver, "_bounds", False)  # every pair of forms of every candidate scored
    monkeypatch.setattr(
        NameIndex,
        "candidates_many",
        lambda index, queries, limit: [_reference_candidates(index, q, limit) for q in queries],
    )
    reference = _answers(resolver, queries)
    assert sum(len(a) for a in reference) > 1000  # the fixture reaches many candidates
    _same_answers(queries, fast, reference)


def test_word_hits_give_the_same_name_scores(resolver: Resolver) -> None:
    """Every query form against every list form of its candidates and of a sample of the rest (most score low)."""
    resolver.resolve("warm up")  # builds the name index
    index = resolver._index
    rng = random.Random(7)
    compared = 0
    for query, schema in _queries(resolver)[::3]:
        forms = query_forms(query, schema)
        targets = [index.forms[n] for n in rng.sample(range(len(index.forms)), 40)]
        targets += [f for n in index.candidates(forms, 20) for f in resolver._forms[n]]
        hits = WordHits(forms, (t for f in targets for t in f.tokens))
        for q in forms:
            for t in targets:
                for explain in (False, True):
                    got, want = compare(q, t, explain, hits), compare(q, t, explain)
                    assert abs(got.score - want.score) <= TOLERANCE, (q.name, t.name)
                    assert (got.features, got.brand_extra, got.query_extra, got.covered) == (
                        want.features,
                        want.brand_extra,
                        want.query_extra,
                        want.covered,
                    ), (q.name, t.name)
                compared += 1
    assert compared > 10_000


def test_bounds_of_a_batch_are_those_of_each_query(resolver: Resolver) -> None:
    """`FormBounds.many` pads its queries to the widest of a batch and shares numpy's calls: each query's bounds
    are those it gets alone (mixed widths: Chinese names have several forms, "Full (Short)" two parts)."""
    resolver.resolve("warm up")
    index = resolver._index
    items = []
    chinese = ["中国移动通信集团有限公司", "小米集团", "华为技术有限公司", "Hikvision (海康威视)"]
    for query, schema in _more_queries(resolver)[::3] + [(q, None) for q in chinese]:
        forms = query_forms(query, schema)
        numbers = index.candidates(forms, 20)
        tables = [index.table(n, resolver._forms[n]) for n in numbers]
        covered = [PERSON_COVERED if resolver.records[n].schema == "Person" else 0.0 for n in numbers]
        items.append(BoundsQuery(forms, tables, covered))
    assert len({len(item.queries) for item in items}) > 1 and len(items) > BATCH
    together = FormBounds.many(items, index.interned)
    for item, bounds in zip(items, together, strict=True):
        alone = FormBounds.of(item.queries, item.tables, item.covered, index.interned)
        rows = range(len(item.queries))
        for k in range(len(item.tables)):
            assert abs(bounds.best(k) - alone.best(k)) <= 1e-12
            assert bounds.block(k, rows) == pytest.approx(alone.block(k, rows), abs=1e-12)


def test_resolve_many_answers_as_resolve(resolver: Resolver) -> None:
    """Screening resolves a book's distinct names together: the same candidates, scores and explanations as one
    by one, and a query with nothing to match is an error in its place, not a failed batch."""
    queries = [q for q, _ in _queries(resolver)[::4] + _more_queries(resolver)[::2]]
    queries += ["", "!!!", "0981.HK", "小米集团", "Semiconductor Manufacturing International Corporation (SMIC)"]
    together = resolver.resolve_many(queries, limit=30)
    compared = 0
    for query, got in zip(queries, together, strict=True):
        try:
            alone = resolver.resolve(query, limit=30)
        except QueryError as exc:
            assert isinstance(got, QueryError) and str(got) == str(exc)
            continue
        assert not isinstance(got, QueryError)
        assert [(c.entity_id, c.match, c.explanation) for c in got] == [
            (c.entity_id, c.match, c.explanation) for c in alone
        ], query
        assert [c.score for c in got] == pytest.approx([c.score for c in alone], abs=TOLERANCE)
        compared += len(alone)
    assert compared > 300
