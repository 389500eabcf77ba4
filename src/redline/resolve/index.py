"""Blocking index: from a query's forms to the few list entities worth scoring in full.

Keys per name form: distinctive words, their sound keys, the whole name without word breaks, acronyms,
and character trigrams of the compact name (for typos across word breaks). Candidates are ranked by the
weight of shared keys; keys carried by a large share of all names (trigrams of "mohammad") are skipped
because they cannot separate candidates and would cost time.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from redline.resolve.forms import NameForm
from redline.resolve.vocab import WordClass

if TYPE_CHECKING:  # numpy (and `bounds`, which needs it) are imported where a large index ranks its candidates
    import numpy as np

    from redline.resolve.bounds import FormTable, Interned

_KEY_WEIGHTS = {"w": 3.0, "k": 2.0, "c": 6.0, "a": 5.0, "t": 0.5}
MAX_POSTING_SHARE = 0.05
MIN_POSTING_CAP = 500
# Below this many postings reached by one query, candidates are ranked in Python: the bundled catalog's queries reach
# a few hundred, and a cold `redline status NAME` would spend more importing numpy (0.1 s) than ranking.
NUMPY_RANKING_MIN = 5000
# (query x form) cells ranked at once by `NameIndex._ranked_many`: 64 queries over the bundled catalog's forms, a few
# over an imported SDN list's, and a few tens of MB at most
RANKING_CELLS = 2_000_000
_UNREACHED = 2**62  # the sort key of a form no key of the query reached


def load_vectorised_paths() -> None:
    """For a caller that resolves many names (screening): numpy loaded now, so candidate ranking and the score
    bounds take their vectorised paths, which pay back the import over many queries. A one-off cold query does not
    call this and stays on the pure-Python paths (same answers, tests/resolve/test_cold_paths.py)."""
    import numpy  # noqa: F401


def keys(form: NameForm) -> dict[str, float]:
    """The blocking keys of one form with their weights."""
    out: dict[str, float] = {}
    distinctive = [t for t in form.tokens if t.cls is WordClass.CORE] or [
        t for t in form.tokens if t.cls is not WordClass.STOP
    ]
    for token in distinctive:
        out["w:" + token.text] = _KEY_WEIGHTS["w"]
        if len(token.key) >= 3:
            out["k:" + token.key] = _KEY_WEIGHTS["k"]
    if form.compact:
        out["c:" + form.compact] = _KEY_WEIGHTS["c"]
        if len(form.compact_key) >= 3:
            out["k:" + form.compact_key] = _KEY_WEIGHTS["k"]
    for acronym in form.acronyms:
        out["a:" + acronym] = _KEY_WEIGHTS["a"]
    if len(form.tokens) == 1 and 2 <= len(form.compact) <= 8:
        out["a:" + form.compact] = _KEY_WEIGHTS["a"]
    padded = f" {form.compact[:64]} "
    # trigram keys come last, each once, in the order of the name (their prefix is theirs alone)
    out.update(dict.fromkeys(["t:" + padded[i : i + 3] for i in range(len(padded) - 2)], _KEY_WEIGHTS["t"]))
    return out


class NameIndex:
    """Postings from key to form numbers; `owners[form]` is the record number the form belongs to."""

    def __init__(self) -> None:
        self.forms: list[NameForm] = []
        self.owners: list[int] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        # postings as arrays, made on first use after the last `add`
        self._arrays: dict[str, np.ndarray] = {}
        self._tables: dict[int, FormTable] = {}  # owners' forms laid out for `bounds`, made on first use
        self._interned: Interned | None = None  # the strings of those tables

    def __getstate__(self) -> dict[str, Any]:
        return {"forms": self.forms, "owners": self.owners, "postings": self.postings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._arrays = {}
        self._tables = {}
        self._interned = None

    @property
    def interned(self) -> Interned:
        """The strings of the bound tables; made on first use, so a cold query that never bounds skips numpy."""
        if self._interned is None:
            from redline.resolve.bounds import Interned

            self._interned = Interned()
        return self._interned

    def table(self, owner: int, forms: list[NameForm]) -> FormTable:
        """`owner`'s forms (the ones `add` was given) as `bounds.FormTable`, made once: candidates recur."""
        found = self._tables.get(owner)
        if found is None:
            from redline.resolve.bounds import FormTable

            found = self._tables[owner] = FormTable.of(forms, self.interned)
        return found

    def add(self, owner: int, forms: Iterable[NameForm]) -> None:
        for form in forms:
            number = len(self.forms)
            self.forms.append(form)
            self.owners.append(owner)
            for key in keys(form):
                self.postings[key].append(number)
        self._arrays.clear()

    def _array(self, key: str, posting: list[int]) -> np.ndarray:
        """`key`'s posting as an array, made once after the last `add`: keys recur across queries."""
        found = self._arrays.get(key)
        if found is None:
            import numpy as np

            found = self._arrays[key] = np.array(posting, dtype=np.int64)
        return found

    def candidates(self, queries: list[NameForm], limit: int) -> list[int]:
        """Up to `limit` owners, best first, by summed weight of the keys their forms share with the query.

        Forms of equal weight keep the order in which the query's keys first reached them."""
        return self.candidates_many([queries], limit)[0]

    def candidates_many(self, queries: Sequence[list[NameForm]], limit: int) -> list[list[int]]:
        """`candidates` of each query (its forms); with numpy, the queries are ranked together (`_ranked_many`)."""
        reached = [self._postings(forms) for forms in queries]
        # Both rankings give the same order (tests/resolve/test_cold_paths.py); numpy only pays once it is loaded
        # (a server, screening) or a query reaches many forms (an imported SDN list).
        if "numpy" in sys.modules or any(
            sum(len(posting) for _, posting in postings) >= NUMPY_RANKING_MIN for postings, _ in reached
        ):
            ranked = self._ranked_many(reached, limit * 4)
        else:
            ranked = [ranked_python([p for _, p in postings], shared, limit * 4) for postings, shared in reached]
        out = []
        owners = self.owners
        for numbers in ranked:
            best: dict[int, None] = {}
            for number in numbers:
                best.setdefault(owners[number])
                if len(best) == limit:
                    break
            out.append(list(best))
        return out

    def _postings(self, queries: list[NameForm]) -> tuple[list[tuple[str, list[int]]], list[float]]:
        """The query's keys with their postings, and the weight each adds to the forms it holds."""
        weights: dict[str, float] = keys(queries[0]) if len(queries) == 1 else {}
        for form in queries if len(queries) > 1 else ():
            for key, weight in keys(form).items():
                weights[key] = max(weight, weights.get(key, 0.0))
        cap = max(MIN_POSTING_CAP, int(len(self.forms) * MAX_POSTING_SHARE))
        found: list[tuple[str, list[int]]] = []
        shared: list[float] = []
        postings = self.postings
        for key, weight in weights.items():
            posting = postings.get(key)
            if not posting or (len(posting) > cap and key[0] == "t"):
                continue
            found.append((key, posting))
            shared.append(weight / 4 if len(posting) > cap else weight)  # a common word still counts, a little
        return found, shared

    def _ranked_many(
        self, reached: list[tuple[list[tuple[str, list[int]]], list[float]]], take: int
    ) -> list[list[int]]:
        """`ranked_python`'s answer for each query, vectorised over a batch of queries at once: each query's
        summed weights and first-reached positions are a row of a (query x form) table."""
        import numpy as np

        size = len(self.forms)
        out: list[list[int]] = []
        rows = max(1, RANKING_CELLS // max(size, 1))  # queries per table
        for start in range(0, len(reached), rows):
            batch = reached[start : start + rows]
            arrays = [self._array(key, posting) for postings, _ in batch for key, posting in postings]
            if not arrays:
                out += [[] for _ in batch]
                continue
            numbers = np.concatenate(arrays)
            width = int(numbers.max()) + 1  # the forms past the last one reached need no column
            per_query = [sum(len(posting) for _, posting in postings) for postings, _ in batch]
            cells = numbers + np.repeat(np.arange(len(batch)) * width, per_query)
            weights = np.repeat(np.concatenate([shared for _, shared in batch]), [len(a) for a in arrays])
            # summed in the order of the keys, as a loop over them would (np.bincount adds in array order)
            totals = np.bincount(cells, weights=weights, minlength=len(batch) * width)
            first = np.full(len(batch) * width, len(numbers))  # where the keys first reached each form
            np.minimum.at(first, cells, np.arange(len(numbers)))
            # one sort key: more weight first, then first reached (weights are multiples of 1/8, so exact)
            order_key = np.where(
                first < len(numbers), -np.rint(totals * 8).astype(np.int64) * (len(numbers) + 1) + first, _UNREACHED
            ).reshape(len(batch), width)
            count = min(take, width)
            top = (
                np.argpartition(order_key, count - 1, axis=1)[:, :count]
                if count < width
                else np.argsort(order_key, axis=1)
            )
            top_keys = np.take_along_axis(order_key, top, axis=1)
            order = np.argsort(top_keys, axis=1, kind="stable")
            ranked = np.take_along_axis(top, order, axis=1)
            kept = np.take_along_axis(top_keys, order, axis=1) < _UNREACHED
            out += [row[: int(n)] for row, n in zip(ranked.tolist(), kept.sum(axis=1).tolist(), strict=True)]
        return out


def ranked_python(postings: list[list[int]], shared: list[float], count: int) -> list[int]:
    """The `count` form numbers of most summed weight (posting i adds shared[i] to each of its forms), ties in the
    order the postings first reached them."""
    totals: dict[int, float] = {}
    for posting, weight in zip(postings, shared, strict=True):
        for number in posting:  # summed in the order of the keys, as np.bincount adds in array order
            totals[number] = totals.get(number, 0.0) + weight
    # a stable sort on the weight alone keeps first-reached order (dict insertion order) among ties
    return sorted(totals, key=lambda number: -totals[number])[:count]
