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
from itertools import pairwise

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

# columns of `FormTable.tokens`, `.forms_array` and `.words_array` (float arrays, so that a query joins its
# candidates' tables with one concatenation apiece)
_WORD, _WEIGHT, _CORE = range(3)
_LENGTH, _COMPACT_LENGTH, _CAP, _HAS_CORE, _COMPACT, _KEY, _LEGAL, _TOTAL_WEIGHT = range(8)
_FIRST, _LETTERS, _SOUND = range(3)


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

    __slots__ = ("legal", "legal_ids", "strings")

    def __init__(self) -> None:
        self.strings: dict[str, int] = {}
        self.legal_ids: dict[tuple[str, ...], int] = {}
        self.legal: list[tuple[str, ...]] = []

    def string(self, text: str) -> int:
        return self.strings.setdefault(text, len(self.strings))

    def legal_id(self, legal: tuple[str, ...]) -> int:
        found = self.legal_ids.get(legal)
        if found is None:
            found = self.legal_ids[legal] = len(self.legal)
            self.legal.append(legal)
        return found


def _word_row(text: str, key: str, interned: Interned) -> tuple[float, float, float]:
    return ord(text[0]), len(text), interned.strings.get(key, -1) if len(text) >= SOUND_KEY_MIN else -2


@dataclass(frozen=True, slots=True)
class FormTable:
    """One entity's name forms laid out for numpy; made once per entity (`NameIndex.table`)."""

    forms: tuple[NameForm, ...]
    words: tuple[Token, ...]  # its distinct words
    tokens: np.ndarray  # one row per word of every form, form after form: _WORD (in `words`), _WEIGHT, _CORE
    forms_array: np.ndarray  # one row per form: _LENGTH ... _TOTAL_WEIGHT
    words_array: np.ndarray  # one row per distinct word: _FIRST letter, _LETTERS, _SOUND key (long words only)

    @classmethod
    def of(cls, forms: Sequence[NameForm], interned: Interned) -> FormTable:
        words = {t.text: t for f in forms for t in f.tokens}
        number = {text: i for i, text in enumerate(words)}
        for t in words.values():
            interned.string(t.key)
        tokens = [
            (number[t.text], w, t.cls is WordClass.CORE)
            for f in forms
            for t, w in zip(f.tokens, f.weights, strict=True)
        ]
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
            )
            for f in forms
        ]
        return cls(
            tuple(forms),
            tuple(words.values()),
            np.array(tokens, dtype=np.float64).reshape(-1, 3),
            np.array(rows, dtype=np.float64).reshape(-1, 8),
            np.array([_word_row(t.text, t.key, interned) for t in words.values()], dtype=np.float64).reshape(-1, 3),
        )


class FormBounds:
    """Upper bounds of the score of every query form against every form of `tables` (one table per entity).

    `covered[k]`: the score the resolver may raise a covered pair of entity k to (PERSON_COVERED for a Person
    record, 0 otherwise)."""

    __slots__ = ("_best", "_offsets", "_rows")

    def __init__(
        self, queries: Sequence[NameForm], tables: Sequence[FormTable], covered: Sequence[float], interned: Interned
    ) -> None:
        offsets = [0]
        for table in tables:
            offsets.append(offsets[-1] + len(table.forms))
        self._offsets = offsets
        if offsets[-1] and queries:
            matrix = _bounds(queries, tables, covered, interned)
            self._rows: list[list[float]] = matrix.tolist()
            best = matrix.max(axis=0).tolist()
        else:
            self._rows, best = [[] for _ in queries], []
        self._best = [max(best[a:b], default=-np.inf) for a, b in pairwise(offsets)]

    def best(self, k: int) -> float:
        """The highest bound of entity k: no query form scores more against any of its forms."""
        return float(self._best[k])

    def block(self, k: int, rows: Iterable[int]) -> list[float]:
        """The bounds of query forms `rows` against each form of entity k, in `best_name_score`'s order (query
        form after query form)."""
        a, b = self._offsets[k], self._offsets[k + 1]
        return [x for r in rows for x in self._rows[r][a:b]]


def _similarities(words: list[Token], tables: Sequence[FormTable], interned: Interned) -> np.ndarray:
    """Upper bounds of `token_similarity` (0 below TOKEN_FLOOR): query words `words` x the tables' words."""
    texts = [t.text for table in tables for t in table.words]
    found = process.cdist(
        [w.text for w in words],
        texts,
        scorer=OSA.normalized_similarity,
        score_cutoff=_SIMILARITY_CUTOFF,
        dtype=np.float64,
    )
    listed = np.concatenate([t.words_array for t in tables])
    query = np.array([_word_row(w.text, w.key, interned) for w in words], dtype=np.float64)
    same_first = query[:, _FIRST, None] == listed[None, :, _FIRST]
    initial = same_first & ((query[:, _LETTERS, None] == 1) | (listed[None, :, _LETTERS] == 1))
    # a short word (-2) or a key no candidate word has (-1) meets nothing
    sound = (query[:, _SOUND, None] == listed[None, :, _SOUND]) & (query[:, _SOUND, None] >= 0)
    bounded: np.ndarray = np.maximum(
        found, np.where(sound, SOUND_KEY_SIMILARITY, np.where(initial, INITIAL_SIMILARITY, 0.0))
    )
    return bounded


def _bounds(
    queries: Sequence[NameForm], tables: Sequence[FormTable], covered: Sequence[float], interned: Interned
) -> np.ndarray:
    """The (query forms x candidate forms) matrix of bounds (the module docstring derives each term)."""
    tokens = np.concatenate([t.tokens for t in tables])
    per_form = np.concatenate([t.forms_array for t in tables])
    weights, core = tokens[:, _WEIGHT], tokens[:, _CORE] > 0
    lengths = per_form[:, _LENGTH].astype(np.intp)
    starts = np.zeros(len(lengths), dtype=np.intp)
    np.cumsum(lengths[:-1], out=starts[1:])
    word_starts = np.cumsum([0, *(len(t.words) for t in tables[:-1])])
    column_of = tokens[:, _WORD].astype(np.intp) + np.repeat(word_starts, [len(t.tokens) for t in tables])

    # 1. alignment: m_i (query word x candidate form), n_j (query form x candidate word), then A and B bounded
    rows: dict[str, int] = {}
    words: list[Token] = []
    for q in queries:
        for token in q.tokens:
            if token.text not in rows:
                rows[token.text] = len(words)
                words.append(token)
    per_word = _similarities(words, tables, interned)[:, column_of]
    m = np.maximum.reduceat(per_word, starts, axis=1)
    shape = (len(queries), len(rows))
    weight_rows, word_rows, core_rows = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for k, q in enumerate(queries):
        for token, w in zip(q.tokens, q.weights, strict=True):
            r = rows[token.text]
            weight_rows[k, r] += w
            word_rows[k, r] += 1
            if token.cls is WordClass.CORE:
                core_rows[k, r] += 1
    a = weight_rows @ m  # >= A
    used = word_rows > 0
    if len(queries) == 1:  # one query form uses every query word
        n = per_word.max(axis=0)[None, :]
    else:
        n = np.stack([per_word[np.flatnonzero(row)].max(axis=0) for row in used])
    b = np.add.reduceat(n * weights, starts, axis=1)  # >= B
    best = (a + b) / (2 * weight_rows.sum(axis=1)[:, None] + per_form[:, _TOTAL_WEIGHT][None, :] - a)

    # 2. whole-name rules
    core_counts = core_rows.sum(axis=1)[:, None]
    brand = (
        (core_counts > 0) & (per_form[:, _HAS_CORE] > 0)[None, :] & (core_rows @ (m >= BRAND_SIMILARITY) == core_counts)
    )
    if brand.any():
        brand &= np.add.reduceat((core & (n < TOKEN_FLOOR)).astype(np.intp), starts, axis=1) == 0
        best = np.where(brand, np.maximum(best, BRAND_SCORE), best)
    best = np.maximum(best, _whole_name_rules(queries, [f for t in tables for f in t.forms], per_form, interned))

    # 3. `_finish`: legal-form signal, caps, clamp
    legal_of = per_form[:, _LEGAL].astype(np.intp)
    legal = sorted(set(legal_of.tolist()))
    signals = np.zeros((len(queries), legal[-1] + 1, 2))
    for k, q in enumerate(queries):
        signals[k, legal] = [_legal_signal(q.legal, interned.legal[i]) for i in legal]
    scaled = best * NAME_SCALE
    score = np.where(
        signals[:, legal_of, 1] > 0,
        scaled - np.where(best >= 1.0, LEGAL_BONUS, LEGAL_CONFLICT),
        scaled + signals[:, legal_of, 0],
    )
    caps = np.minimum(per_form[:, _CAP][None, :], np.array([q.cap for q in queries])[:, None])
    score = np.clip(np.minimum(score, caps), 0.0, 1.0)

    if any(covered):  # persons: a covered pair may be raised (`person_score`)
        word_counts = word_rows.sum(axis=1)[:, None]
        coverable = (
            (word_counts >= 2)
            & (lengths >= 2)[None, :]
            & ((word_rows @ (m > 0) == word_counts) | (np.add.reduceat((n == 0).astype(np.intp), starts, axis=1) == 0))
        )
        raised = np.repeat(np.asarray(covered, dtype=np.float64), [len(t.forms) for t in tables])
        score = np.where(coverable, np.maximum(score, raised[None, :]), score)
    bounded: np.ndarray = score + EPSILON
    return bounded


def _whole_name_rules(
    queries: Sequence[NameForm], forms: list[NameForm], per_form: np.ndarray, interned: Interned
) -> np.ndarray:
    """The value `best` may be raised to (query form x candidate form) by the whole-name rules of `compare`: same
    compact name, spelling without word breaks, sound key, acronym."""
    sizes = np.array([len(q.compact) for q in queries], dtype=np.float64)[:, None]
    lengths = per_form[:, _COMPACT_LENGTH][None, :]
    shorter, longer = np.minimum(lengths, sizes), np.maximum(lengths, sizes)
    keys = np.array([interned.strings.get(q.compact_key, -1) for q in queries], dtype=np.float64)[:, None]
    out = np.where((per_form[:, _KEY][None, :] == keys) & (shorter >= SOUND_KEY_MIN), TRANSLIT_SCORE, 0.0)
    compacts = np.array([interned.strings.get(q.compact, -1) if q.compact else -2 for q in queries])[:, None]
    out[per_form[:, _COMPACT][None, :] == compacts] = 1.0
    at_query, at_form = np.nonzero((shorter >= 4) & (shorter >= COMPACT_FLOOR * longer))
    for k, j in zip(at_query.tolist(), at_form.tolist(), strict=True):
        q, c = queries[k], forms[j]
        spelled = max(
            OSA.normalized_similarity(q.compact, c.compact, score_cutoff=COMPACT_FLOOR),
            OSA.normalized_similarity(q.sorted_compact, c.sorted_compact, score_cutoff=COMPACT_FLOOR),
        )
        if spelled > out[k, j]:
            out[k, j] = spelled
    acronym = np.where(shorter >= SHORT_ACRONYM, ACRONYM_SCORE, SHORT_ACRONYM_SCORE)
    single = np.flatnonzero(per_form[:, _LENGTH] == 1).tolist()
    for k, q in enumerate(queries):
        met = [j for j in single if forms[j].compact in q.acronyms] if q.acronyms else []
        if len(q.tokens) == 1:
            met += [j for j, f in enumerate(forms) if q.compact in f.acronyms]
        for j in met:
            out[k, j] = max(out[k, j], acronym[k, j])
    return out
