"""Upper bounds of the name score, for every query form against every form of the candidates at once.

`Resolver.resolve` scores about twenty candidate entities per query, most of which share a generic word or two
with it and score far below the review floor. `FormBounds` computes, with a few numpy operations over all
(query form, candidate form) pairs, a number that is never below `compare(q, t).score`, nor below the score the
resolver's rules give that pair (see "Persons" below). The resolver then skips an entity whose every bound is
below the review floor, and `best_name_score` compares an entity's pairs in decreasing bound order and stops as
soon as no bound left can beat the best score found. Scores, decisions and explanations stay those of comparing
every pair (tests/resolve/test_scoring_core.py checks both).

Derivation, from how `compare.py` scores (`compare`, `_align`, `_finish`):

1. Word alignment (`_align`). For the one-to-one matching it finds (pairs of similarity s >= TOKEN_FLOOR), with
   query word weights w_i (summing to Wq), list word weights v_j (summing to Wc), A = sum s w_i and
   B = sum s v_j over the matched pairs:
       hit    = sum s (w_i + v_j) / 2                                  = (A + B) / 2
       miss_q = sum over matched (1 - s) w_i + unmatched query weight  = Wq - A
       miss_c = the same on the list side                              = Wc - B
       total  = hit + miss_q + LIST_SIDE_UNMATCHED miss_c              = Wq + Wc / 2 - A / 2
       score  = hit / total                                            = (A + B) / (2 Wq + Wc - A)
   (LIST_SIDE_UNMATCHED = 1/2, which tests/resolve/test_scoring_core.py asserts). The score grows with A and
   with B (A <= Wq keeps the denominator >= Wq + Wc > 0). A query word is matched at most once, with a
   similarity at most m_i, its best similarity to any word of the list form (0 when none reaches TOKEN_FLOOR),
   so A <= sum w_i m_i; likewise B <= sum v_j n_j with n_j list word j's best similarity to any word of the
   query form. The similarities are bounded too, so that only the few candidates left need `WordHits`: for
   each query word and candidate word, the largest value a branch of `_token_similarity` may give, OSA
   similarity (`rapidfuzz.process.cdist`, in float64), 0.8 for an initial and a word with its letter, 0.85 for
   one sound key on words of SOUND_KEY_MIN letters or more (the three-letter rule only lowers); 0 below
   TOKEN_FLOOR, where `compare` aligns nothing.
2. Whole-name rules, which can only raise `best` to a value:
   - the same compact name: 1.0;
   - spelling without word breaks: at most max(OSA(compact), OSA(sorted compact)) at cutoff COMPACT_FLOOR (the
     same calls, under the same length condition; the distinctive-word similarity only lowers it);
   - the same sound key (compact names of SOUND_KEY_MIN letters or more): TRANSLIT_SCORE;
   - brand (`_is_brand`): needs both names to have distinctive words, every distinctive query word matched at
     >= 0.9 (so m_i >= 0.9) and no distinctive list word left over (so n_j >= TOKEN_FLOOR): BRAND_SCORE;
   - acronym (`_acronym`): ACRONYM_SCORE, SHORT_ACRONYM_SCORE when a compact name has under four letters.
   So best <= the largest of the alignment bound and the values of the rules that may apply.
3. `_finish` maps best to clamp(min(NAME_SCALE best + legal, caps), 0, 1), legal being +LEGAL_BONUS (the forms
   agree, or neither name has one), 0 (one side only) or, when the forms differ, -LEGAL_BONUS if best >= 1 and
   -LEGAL_CONFLICT below: nondecreasing in best in each case, so applied to the bound of best it bounds the score.

Persons. The resolver's rules after `compare` (`entity_score`: extra words, group words, brand support; birth
dates; the short-name cap) only lower a score, except `person_score`, which raises a covered person's name (the
shorter name has two words or more, all matched) to PERSON_COVERED. For a Person record, a pair where that may
happen (both forms have two words or more, and every word of one of them has a partner >= TOKEN_FLOOR in the
other) is bounded by at least that score (`covered`, given per candidate entity).

EPSILON covers floating-point rounding: the bound sums in another order than `compare` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from redline.resolve.compare import (
    ACRONYM_SCORE,
    BRAND_SCORE,
    COMPACT_FLOOR,
    LEGAL_BONUS,
    LEGAL_CONFLICT,
    NAME_SCALE,
    SHORT_ACRONYM_SCORE,
    SOUND_KEY_MIN,
    TOKEN_FLOOR,
    TRANSLIT_SCORE,
)
from redline.resolve.forms import NameForm, Token
from redline.resolve.legal_forms import forms_agree
from redline.resolve.vocab import WordClass

EPSILON = 1e-9
BRAND_SIMILARITY = 0.9  # `_is_brand`: a distinctive query word met below this is not the same brand
SHORT_ACRONYM = 4  # `compare`: an acronym of fewer letters scores SHORT_ACRONYM_SCORE
INITIAL_SIMILARITY = 0.8  # `_token_similarity`: an initial and a word with its letter
SOUND_KEY_SIMILARITY = 0.85  # `_token_similarity`: one sound key, words of SOUND_KEY_MIN letters or more
# kept below TOKEN_FLOOR: a similarity at the floor is never dropped for rounding (a lower one only loosens)
_SIMILARITY_CUTOFF = TOKEN_FLOOR - 1e-6

# columns of `FormTable.tokens` and `.forms_array` (float arrays, so that a query joins its candidates' tables with
# one concatenation apiece)
_WEIGHT, _CORE = range(2)
_LENGTH, _COMPACT_LENGTH, _CAP, _HAS_CORE, _COMPACT, _KEY, _LEGAL, _TOTAL_WEIGHT, _CORE_COUNT = range(9)


@lru_cache(maxsize=4096)
def _legal_signal(query: tuple[str, ...], listed: tuple[str, ...]) -> tuple[float, float]:
    """(`_finish`'s legal-form bonus, 1.0 when the forms conflict) for two forms' legal words."""
    agree = forms_agree(list(query), list(listed))
    if agree is True or (agree is None and not query and not listed):
        return LEGAL_BONUS, 0.0
    return 0.0, 1.0 if agree is False else 0.0


class Interned:
    """Numbers for strings (compact names, sound keys) and legal forms, shared by the tables of one index: equal
    strings get equal numbers, which numpy compares.

    Two threads interning at once may give two strings one number; that only makes strings look equal, which
    raises a bound (a whole-name rule that may apply), never lowers it."""

    __slots__ = ("legal", "legal_ids", "sounds", "strings")

    def __init__(self) -> None:
        self.strings: dict[str, int] = {}
        self.legal_ids: dict[tuple[str, ...], int] = {}
        self.legal: list[tuple[str, ...]] = []
        # the words of SOUND_KEY_MIN letters or more of the tables, by sound key: a query word whose key only its
        # own spelling carries needs no sound-key rule
        self.sounds: dict[int, set[str]] = {}

    def string(self, text: str) -> int:
        return self.strings.setdefault(text, len(self.strings))

    def legal_id(self, legal: tuple[str, ...]) -> int:
        found = self.legal_ids.get(legal)
        if found is None:
            found = self.legal_ids[legal] = len(self.legal)
            self.legal.append(legal)
        return found


@dataclass(frozen=True, slots=True)
class FormTable:
    """One entity's name forms laid out for numpy; made once per entity (`NameIndex.table`).

    The bounds compare the query's words with the entity's tokens (every word of every form, form after form), not
    with its distinct words: the similarity matrix then needs no column map. numpy's cost per query is in its
    calls, not in the arithmetic, and the map cost more calls than the repeated words cost `cdist`."""

    forms: tuple[NameForm, ...]
    words: tuple[Token, ...]  # its distinct words (`WordHits` reads them)
    token_texts: tuple[str, ...]  # the text of each token, form after form
    sounds: dict[int, list[int]]  # its tokens of SOUND_KEY_MIN letters or more by (the number of) their sound key
    firsts: dict[str, list[int]]  # its tokens by first letter (a query's initial meets them)
    singles: tuple[tuple[int, str], ...]  # its one-letter tokens (initials), with their letter
    tokens: np.ndarray  # one row per token: _WEIGHT, _CORE
    forms_array: np.ndarray  # one row per form: _LENGTH ... _CORE_COUNT

    @classmethod
    def of(cls, forms: Sequence[NameForm], interned: Interned) -> FormTable:
        every = [t for f in forms for t in f.tokens]  # the tokens, form after form
        texts = [t.text for t in every]
        sounds: dict[int, list[int]] = {}
        firsts: dict[str, list[int]] = {}
        for i, t in enumerate(every):
            if len(t.text) >= SOUND_KEY_MIN:
                key = interned.string(t.key)
                sounds.setdefault(key, []).append(i)
                interned.sounds.setdefault(key, set()).add(t.text)
            firsts.setdefault(t.text[0], []).append(i)
        tokens = [(w, t.cls is WordClass.CORE) for f in forms for t, w in zip(f.tokens, f.weights, strict=True)]
        rows = [
            (
                len(f.tokens),
                len(f.compact),
                f.cap,
                f.has_core,
                interned.string(f.compact),
                interned.string(f.compact_key),
                interned.legal_id(f.legal),
                sum(f.weights),
                sum(t.cls is WordClass.CORE for t in f.tokens),
            )
            for f in forms
        ]
        return cls(
            tuple(forms),
            tuple({t.text: t for t in every}.values()),
            tuple(texts),
            sounds,
            firsts,
            tuple((i, text) for i, text in enumerate(texts) if len(text) == 1),
            np.array(tokens, dtype=np.float64).reshape(-1, 2),
            np.array(rows, dtype=np.float64).reshape(-1, 9),
        )


class FormBounds:
    """Upper bounds of the score of every query form against every form of `tables` (one table per entity).

    `covered[k]`: the score the resolver may raise a covered pair of entity k to (PERSON_COVERED for a Person
    record, 0 otherwise). `best(k)` bounds entity k with the largest legal-form bonus and no cap (`_finish` can
    only give less): most entities are left there; `block` applies the forms' own legal signal and caps to the
    few left."""

    __slots__ = ("_best", "_coverable", "_covered", "_name", "_offsets", "_queries", "_tables")

    def __init__(
        self, queries: Sequence[NameForm], tables: Sequence[FormTable], covered: Sequence[float], interned: Interned
    ) -> None:
        offsets = list(accumulate((len(table.forms) for table in tables), initial=0))
        self._offsets, self._queries, self._tables, self._covered = offsets, queries, tables, covered
        if offsets[-1] and queries:
            name, coverable = _name_bounds(queries, tables, interned, any(covered))
            # `_finish` at its most generous: the legal-form bonus, no cap
            coarse = np.minimum(name * NAME_SCALE + LEGAL_BONUS, 1.0)
            if any(covered):
                raised = np.repeat(np.asarray(covered, dtype=np.float64), [len(t.forms) for t in tables])
                coarse = np.where(coverable, np.maximum(coarse, raised), coarse)
            self._best = (np.maximum.reduceat(coarse.max(axis=0), offsets[:-1]) + EPSILON).tolist()
            self._name: list[list[float]] = name.tolist()
            self._coverable: list[list[bool]] = coverable.tolist()
        else:
            self._best = [-np.inf] * len(tables)
            self._name, self._coverable = [[] for _ in queries], [[] for _ in queries]

    def best(self, k: int) -> float:
        """An upper bound of entity k's score: no query form scores more against any of its forms."""
        return float(self._best[k])

    def block(self, k: int, rows: Iterable[int]) -> list[float]:
        """The bounds of query forms `rows` against each form of entity k, in `best_name_score`'s order (query
        form after query form)."""
        a, b = self._offsets[k], self._offsets[k + 1]
        forms = self._tables[k].forms
        raised = self._covered[k]
        out = []
        for r in rows:
            q = self._queries[r]
            name, coverable = self._name[r], self._coverable[r]
            for j, t in zip(range(a, b), forms, strict=True):
                best = name[j]
                bonus, conflict = _legal_signal(q.legal, t.legal)
                score = (
                    best * NAME_SCALE - (LEGAL_BONUS if best >= 1.0 else LEGAL_CONFLICT)
                    if conflict
                    else best * NAME_SCALE + bonus
                )
                score = max(0.0, min(score, q.cap, t.cap, 1.0))
                if raised and coverable[j]:
                    score = max(score, raised)
                out.append(score + EPSILON)
        return out


def _similarities(words: list[Token], tables: Sequence[FormTable], interned: Interned) -> np.ndarray:
    """Upper bounds of `token_similarity` (0 below TOKEN_FLOOR): query words `words` x the tables' tokens."""
    found: np.ndarray = process.cdist(
        [w.text for w in words],
        list(chain.from_iterable(t.token_texts for t in tables)),
        scorer=OSA.normalized_similarity,
        score_cutoff=_SIMILARITY_CUTOFF,
        dtype=np.float64,
    )
    sounds = []  # the query words some other spelling of the same sound key may meet
    for r, w in enumerate(words):
        key = interned.strings.get(w.key, -1) if len(w.text) >= SOUND_KEY_MIN else -1
        if interned.sounds.get(key, {w.text}) - {w.text}:
            sounds.append((r, key))
    # an initial and a word with its letter: a query initial meets a table's tokens of that first letter, a table's
    # initial the query words of its letter
    initials = [(r, w.text) for r, w in enumerate(words) if len(w.text) == 1]
    if not (sounds or initials or any(t.singles for t in tables)):
        return found
    by_first: dict[str, list[int]] = {}
    for r, w in enumerate(words):
        by_first.setdefault(w.text[0], []).append(r)
    start = 0
    for table in tables:
        for r, key in sounds:  # one sound key
            for i in table.sounds.get(key, ()):
                found[r, start + i] = max(found[r, start + i], SOUND_KEY_SIMILARITY)
        for r, letter in initials:
            for i in table.firsts.get(letter, ()):
                found[r, start + i] = max(found[r, start + i], INITIAL_SIMILARITY)
        for i, letter in table.singles:
            for r in by_first.get(letter, ()):
                found[r, start + i] = max(found[r, start + i], INITIAL_SIMILARITY)
        start += len(table.token_texts)
    return found


def _name_bounds(
    queries: Sequence[NameForm], tables: Sequence[FormTable], interned: Interned, persons: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Upper bounds of `compare`'s `best` (before `_finish`), query form x candidate form, and where a person's
    name may be covered (every word of one side met; computed when `persons`)."""
    per_form = np.concatenate([t.forms_array for t in tables])
    rows: dict[str, int] = {}  # the query's distinct words
    words: list[Token] = []
    for q in queries:
        for token in q.tokens:
            if token.text not in rows:
                rows[token.text] = len(words)
                words.append(token)
    weight_list = [[0.0] * len(words) for _ in queries]
    word_list = [[0] * len(words) for _ in queries]
    core_list = [[0] * len(words) for _ in queries]
    for k, q in enumerate(queries):
        for token, w in zip(q.tokens, q.weights, strict=True):
            r = rows[token.text]
            weight_list[k][r] += w
            word_list[k][r] += 1
            core_list[k][r] += token.cls is WordClass.CORE
    weight_rows = np.array(weight_list)

    # 1. alignment, over every token of the candidates' forms (a token no query word meets adds 0 to A and B):
    # every form has a token (forms without words are not indexed), so the forms are runs of `lengths` tokens,
    # which `reduceat` folds; nothing is filtered first, since numpy's cost here is its calls, not the arithmetic
    similar = _similarities(words, tables, interned)  # query word x token
    tokens = np.concatenate([t.tokens for t in tables])
    lengths = per_form[:, _LENGTH]
    starts = (np.cumsum(lengths) - lengths).astype(np.intp)
    m = np.maximum.reduceat(similar, starts, axis=1)  # query word x form: m_i
    if len(queries) == 1:  # one query form uses every query word
        n = similar.max(axis=0)[None, :]
    else:
        n = np.stack([similar[[r for r, count in enumerate(row) if count]].max(axis=0) for row in word_list])
    a = weight_rows @ m  # >= A
    b = np.add.reduceat(n * tokens[:, _WEIGHT], starts, axis=1)  # >= B
    best = (a + b) / (np.array([[2 * sum(row)] for row in weight_list]) + per_form[:, _TOTAL_WEIGHT] - a)

    # brand: every distinctive query word met at BRAND_SIMILARITY, every distinctive list word met
    core_counts = [sum(row) for row in core_list]
    if any(core_counts):
        counts = np.array(core_counts)[:, None]
        brand = (counts > 0) & (per_form[:, _HAS_CORE] > 0) & (np.array(core_list) @ (m >= BRAND_SIMILARITY) == counts)
        if brand.any():
            met_core = ((tokens[:, _CORE] > 0) & (n >= TOKEN_FLOOR)).astype(np.intp)
            brand &= np.add.reduceat(met_core, starts, axis=1) == per_form[:, _CORE_COUNT]
            best = np.where(brand, np.maximum(best, BRAND_SCORE), best)
    if persons:  # every word of one side has a partner (`person_score` may raise the pair)
        word_rows = np.array(word_list)
        word_counts = word_rows.sum(axis=1)[:, None]
        every_query_word = word_rows @ (m > 0) == word_counts
        every_list_word = np.add.reduceat((n > 0).astype(np.intp), starts, axis=1) == lengths
        coverable = (word_counts >= 2) & (lengths >= 2) & (every_query_word | every_list_word)
    else:
        coverable = np.zeros(best.shape, dtype=bool)

    # 2. whole-name rules
    best = np.maximum(best, _whole_name_rules(queries, tables, per_form, interned))
    return best, coverable


def _whole_name_rules(
    queries: Sequence[NameForm], tables: Sequence[FormTable], per_form: np.ndarray, interned: Interned
) -> np.ndarray:
    """The value `best` may be raised to (query form x candidate form) by the whole-name rules of `compare`: same
    compact name, spelling without word breaks, sound key, acronym."""
    forms = [f for t in tables for f in t.forms]
    sizes = np.array([len(q.compact) for q in queries], dtype=np.float64)[:, None]
    lengths = per_form[:, _COMPACT_LENGTH]
    shorter, longer = np.minimum(lengths, sizes), np.maximum(lengths, sizes)
    keys = np.array([interned.strings.get(q.compact_key, -1) for q in queries], dtype=np.float64)[:, None]
    out = np.where((per_form[:, _KEY] == keys) & (shorter >= SOUND_KEY_MIN), TRANSLIT_SCORE, 0.0)
    compacts = np.array([interned.strings.get(q.compact, -1) if q.compact else -2 for q in queries])[:, None]
    out[per_form[:, _COMPACT] == compacts] = 1.0
    at_query, at_form = np.nonzero((shorter >= 4) & (shorter >= COMPACT_FLOOR * longer))
    for k, j in zip(at_query.tolist(), at_form.tolist(), strict=True):  # spelling without word breaks
        q, c = queries[k], forms[j]
        spelled = max(
            OSA.normalized_similarity(q.compact, c.compact, score_cutoff=COMPACT_FLOOR),
            OSA.normalized_similarity(q.sorted_compact, c.sorted_compact, score_cutoff=COMPACT_FLOOR),
        )
        if spelled > out[k, j]:
            out[k, j] = spelled
    single = np.flatnonzero(per_form[:, _LENGTH] == 1).tolist()
    for k, q in enumerate(queries):
        met = [j for j in single if forms[j].compact in q.acronyms] if q.acronyms else []
        if len(q.tokens) == 1:
            met += [j for j, f in enumerate(forms) if q.compact in f.acronyms]
        for j in met:
            value = ACRONYM_SCORE if shorter[k, j] >= SHORT_ACRONYM else SHORT_ACRONYM_SCORE
            out[k, j] = max(out[k, j], value)
    return out
