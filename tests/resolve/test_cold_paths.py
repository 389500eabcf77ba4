"""The paths a cold `redline status NAME` takes instead of the vectorised ones give the same answers.

Over a small catalog (the bundled data) a query's candidates are ranked in Python (`index.ranked_python`) and its
word pairs compared one by one (`compare._joinable`), so the process never imports numpy; over a large one, or once
numpy is loaded, both use numpy and rapidfuzz `cdist`. Legal forms are read from rigour's compiled core
(`legal_forms._org_types`) rather than through `rigour.names`, which loads normality, ICU and chardet.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy  # noqa: F401  (loaded before any path is forced: the numpy path must find it, the Python path hides it)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rigour.names.org_types import extract_org_types

from redline.catalog import Catalog, identify
from redline.catalog.catalog import load_catalog, save_catalog
from redline.model import parse_instant
from redline.resolve import compare, identifiers, index
from redline.resolve.compare import WordHits
from redline.resolve.forms import Token
from redline.resolve.index import _KEY_WEIGHTS, NameIndex, ranked_python
from redline.resolve.legal_forms import _org_types
from redline.resolve.resolver import Resolver, query_forms
from redline.services.status import StatusService
from redline.status.engine import StatusEngine
from redline.store.reference import bundled_store

HELDOUT = Path(__file__).parent / "data" / "heldout_name_pairs.csv"


@contextmanager
def _path(mp: pytest.MonkeyPatch, vectorised: bool) -> Iterator[None]:
    """Force one path: numpy and `cdist` for every query, or Python for every query (numpy hidden)."""
    with mp.context() as m:
        m.setattr(index, "NUMPY_RANKING_MIN", 0 if vectorised else sys.maxsize)
        m.setattr(compare, "CDIST_MIN_PAIRS", 0 if vectorised else sys.maxsize)
        if not vectorised:
            m.delitem(sys.modules, "numpy")  # nothing below may import it: a second import would fail loudly
        yield


def _queries() -> list[str]:
    rng = random.Random(12)
    records = StatusService.bundled().catalog.resolver.records
    names = [n for r in records for n in r.names]
    with HELDOUT.open(encoding="utf-8") as handle:
        heldout = [row["left"] for row in csv.DictReader(handle)]
    mutated = []
    for name in rng.sample(names, 60):
        words = name.split()
        words.insert(rng.randrange(len(words) + 1), rng.choice(["Global", "Holdings", "Trading", "Digital"]))
        mutated.append(" ".join(words))
    return [*rng.sample(names, 60), *mutated, *heldout[:60], "Xiaomi Corporation", "小米集团", "CND10002K094"]


def test_python_and_numpy_ranking_agree_on_random_postings() -> None:
    rng = random.Random(7)
    for _ in range(200):
        built = NameIndex()  # its arrays are kept per key
        built.forms = [None] * 300  # type: ignore[list-item]  # the ranking table's width; nothing else is read
        postings = [sorted(rng.sample(range(300), rng.randrange(1, 60))) for _ in range(rng.randrange(1, 12))]
        shared = [rng.choice([0.5, 0.125, 2.0, 3.0, 0.75, 5.0, 6.0]) for _ in postings]
        found = [(f"k{i}", posting) for i, posting in enumerate(postings)]
        count = rng.randrange(1, 100)
        assert ranked_python(postings, shared, count) == built._ranked_many([(found, shared)], count)[0]
    assert all((weight * 8).is_integer() and (weight / 4 * 8).is_integer() for weight in _KEY_WEIGHTS.values())


def test_queries_ranked_together_rank_as_alone() -> None:
    """`_ranked_many` ranks a batch of queries as rows of one table: each row is the query's ranking alone."""
    rng = random.Random(3)
    built = NameIndex()
    built.forms = [None] * 300  # type: ignore[list-item]  # the ranking table's width; nothing else is read
    batch = []
    for number in range(150):
        postings = [sorted(rng.sample(range(300), rng.randrange(1, 60))) for _ in range(rng.randrange(0, 12))]
        shared = [rng.choice([0.5, 0.125, 2.0, 3.0, 0.75, 5.0, 6.0]) for _ in postings]
        batch.append(([(f"q{number}k{i}", posting) for i, posting in enumerate(postings)], shared))
    together = built._ranked_many(batch, 80)
    assert together == [ranked_python([p for _, p in found], shared, 80) for found, shared in batch]
    assert sum(map(len, together)) > 5000


def test_word_pairs_are_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    resolver = StatusService.bundled().catalog.resolver
    resolver._names()
    words: dict[str, Token] = {}
    for forms in resolver._forms:
        words.update((t.text, t) for form in forms for t in form.tokens)
    for query in _queries()[::4]:
        forms = query_forms(query)
        with _path(monkeypatch, vectorised=True):
            fast = WordHits(forms, words.values())._similar
        with _path(monkeypatch, vectorised=False):
            plain = WordHits(forms, words.values())._similar
        assert plain == fast, query


def test_the_resolver_answers_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    records = StatusService.bundled().catalog.resolver.records
    resolver = Resolver.from_records(records)
    resolver._names()
    for query in _queries():
        with _path(monkeypatch, vectorised=True):
            fast = [c.to_dict() for c in resolver.resolve(query, limit=10)]
        with _path(monkeypatch, vectorised=False):
            plain = [c.to_dict() for c in resolver.resolve(query, limit=10)]
        assert plain == fast, query


@pytest.mark.parametrize(
    "folded",
    [
        "open joint stock company neftegaz",
        "obshchestvo s ogranichennoi otvetstvennostyu romashka",
        "sociedad de responsabilidad limitada de capital variable acme",
        "xiaomi corporation",
        "huawei technologies co ltd",
        "limited liability company omz spetsstal",
        "акционерное общество ромашка",
        "siemens aktiengesellschaft",
        "",
    ],
)
def test_legal_forms_read_from_rigours_core_as_its_public_function_does(folded: str) -> None:
    """`_org_types` calls a private function of rigour (its compiled core); this pins it to the public one."""
    assert _org_types(folded) == extract_org_types(folded)


@given(st.text(alphabet=st.sampled_from("0123456789ABCDEFXYZ*@#.:/()_-,&'é１Ⅸ– \t"), min_size=7, max_size=20))
@settings(max_examples=400, deadline=None)
def test_text_skipped_for_check_digits_fails_every_check(text: str) -> None:
    """`parse_query` does not import python-stdnum for text with an ASCII character outside every alphabet."""
    compact = text.strip().upper().replace(" ", "").replace("-", "")  # as `parse_query` asks
    if identifiers._UNCHECKABLE.search(compact) is not None:
        assert not any(identifiers.checker(name).is_valid(compact) for _, name, _ in identifiers._CHECKED)


def test_a_saved_catalog_loads_equal_to_the_built_one(tmp_path: Path) -> None:
    """Saved without the files' raw rows and with its dataclasses remade by their own `__init__` (`model.saved`)."""
    built = Catalog(bundled_store().data)
    path = tmp_path / "catalog.pickle"
    save_catalog(built, path)
    loaded = load_catalog(path)
    assert loaded is not None
    assert loaded.data == built.data and loaded.bundled == built.bundled
    assert loaded.data.provenance == {} and loaded.data.stated_rows == {}
    for query in ["1810.HK", "xiaomi", "US88557W1018"]:
        assert identify(loaded, query) == identify(built, query)
    on, entity = parse_instant("2021-03-16"), built.entity("xiaomi")
    assert StatusEngine(loaded).status(entity, on, on) == StatusEngine(built).status(entity, on, on)
