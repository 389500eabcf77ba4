"""Blocking index: from a query's forms to the few list entities worth scoring in full.

Keys per name form: distinctive words, their sound keys, the whole name without word breaks, acronyms,
and character trigrams of the compact name (for typos across word breaks). Candidates are ranked by the
weight of shared keys; keys carried by a large share of all names (trigrams of "mohammad") are skipped
because they cannot separate candidates and would cost time.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable

from redline.resolve.forms import NameForm
from redline.resolve.vocab import WordClass

_KEY_WEIGHTS = {"w": 3.0, "k": 2.0, "c": 6.0, "a": 5.0, "t": 0.5}
MAX_POSTING_SHARE = 0.05
MIN_POSTING_CAP = 500


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
    for i in range(len(padded) - 2):
        out.setdefault("t:" + padded[i : i + 3], _KEY_WEIGHTS["t"])
    return out


class NameIndex:
    """Postings from key to form numbers; `owners[form]` is the record number the form belongs to."""

    def __init__(self) -> None:
        self.forms: list[NameForm] = []
        self.owners: list[int] = []
        self.postings: dict[str, list[int]] = defaultdict(list)

    def add(self, owner: int, forms: Iterable[NameForm]) -> None:
        for form in forms:
            number = len(self.forms)
            self.forms.append(form)
            self.owners.append(owner)
            for key in keys(form):
                self.postings[key].append(number)

    def candidates(self, queries: list[NameForm], limit: int) -> list[int]:
        """Up to `limit` owners, best first, by summed weight of the keys their forms share with the query."""
        weights: dict[str, float] = {}
        for form in queries:
            for key, weight in keys(form).items():
                weights[key] = max(weight, weights.get(key, 0.0))
        cap = max(MIN_POSTING_CAP, int(len(self.forms) * MAX_POSTING_SHARE))
        scores: dict[int, float] = defaultdict(float)
        for key, weight in weights.items():
            posting = self.postings.get(key)
            if not posting or (len(posting) > cap and key[0] == "t"):
                continue
            if len(posting) > cap:
                weight /= 4  # a common word still counts, a little
            for number in posting:
                scores[number] += weight
        best: dict[int, float] = {}
        for number in heapq.nlargest(limit * 4, scores, key=scores.__getitem__):
            owner = self.owners[number]
            if owner not in best:
                best[owner] = scores[number]
                if len(best) == limit:
                    break
        return list(best)
