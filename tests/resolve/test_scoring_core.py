"""The fast scoring core gives the scores of the per-pair path it replaced.

`Resolver.resolve` finds a query's aligning word pairs for all its candidates at once (`compare.WordHits`, rapidfuzz
`cdist`), ranks index candidates with numpy (`NameIndex.candidates`) and skips candidates that no word and no
whole-name rule can bring near REVIEW_FLOOR (`Resolver._reachable`). Here the same queries run through the
reference path: every word pair scored one by one (`compare(q, c)` without `hits`), every candidate scored, and
the index ranking written as the plain loop it was. Scores must agree within 1e-9 (they are in fact identical),
and so must decisions, order and explanations.

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

from redline.resolve import Record, Resolver
from redline.resolve import resolver as resolver_module
from redline.resolve.compare import WordHits, compare
from redline.resolve.index import MAX_POSTING_SHARE, MIN_POSTING_CAP, NameIndex, keys
from redline.resolve.resolver import query_forms
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


def _queries(resolver: Resolver) -> list[tuple[str, str | None]]:
    rng = random.Random(12)
    names = sorted({n for r in resolver.records for n in r.names})
    out: list[tuple[str, str | None]] = []
    for name in rng.sample(names, 160):
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


def test_resolve_scores_as_the_per_pair_path(resolver: Resolver, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = _queries(resolver)
    fast = _answers(resolver, queries)
    monkeypatch.setattr(resolver_module, "WordHits", lambda *_: None)  # compare() scores word pairs one by one
    monkeypatch.setattr(Resolver, "_reachable", lambda *_: True)  # every candidate scored in full
    monkeypatch.setattr(NameIndex, "candidates", _reference_candidates)
    reference = _answers(resolver, queries)
    assert sum(len(a) for a in reference) > 1000  # the fixture reaches many candidates
    for (query, _), got, want in zip(queries, fast, reference, strict=True):
        assert [(e, m, x) for e, _, m, x in got] == [(e, m, x) for e, _, m, x in want], query
        assert all(abs(g[1] - w[1]) <= TOLERANCE for g, w in zip(got, want, strict=True)), query


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
