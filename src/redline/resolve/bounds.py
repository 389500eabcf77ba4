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

from bisect import bisect_left
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
# queries bounded together (`FormBounds.many`): numpy's calls are shared by these many, and the padded arrays stay
# small (the similarity matrix is the batch's most query words x its candidates' tokens)
BATCH = 64
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

    Its tokens are every word of every form, form after form; `texts` are their distinct spellings, which the
    query's words are compared with (`cdist`), and `slots` says which spelling each token is: a batch of queries
    spreads the similarities over the tokens with one gather for all of its candidates."""

    forms: tuple[NameForm, ...]
    words: tuple[Token, ...]  # its distinct words (`WordHits` reads them)
    texts: tuple[str, ...]  # its distinct spellings, in the order the tokens first have them
    slots: np.ndarray  # for each token, the number of its spelling in `texts`
    sounds: dict[int, list[int]]  # its spellings of SOUND_KEY_MIN letters or more by (the number of) their sound key
    firsts: dict[str, list[int]]  # its spellings by first letter (a query's initial meets them)
    singles: tuple[tuple[int, str], ...]  # its one-letter spellings (initials), with their letter
    tokens: np.ndarray  # one row per token: _WEIGHT, _CORE
    forms_array: np.ndarray  # one row per form: _LENGTH ... _CORE_COUNT

    @classmethod
    def of(cls, forms: Sequence[NameForm], interned: Interned) -> FormTable:
        every = [t for f in forms for t in f.tokens]  # the tokens, form after form
        numbers: dict[str, int] = {}
        slots = [numbers.setdefault(t.text, len(numbers)) for t in every]
        by_text = {t.text: t for t in every}
        sounds: dict[int, list[int]] = {}
        firsts: dict[str, list[int]] = {}
        for i, text in enumerate(numbers):
            if len(text) >= SOUND_KEY_MIN:
                key = interned.string(by_text[text].key)
                sounds.setdefault(key, []).append(i)
                interned.sounds.setdefault(key, set()).add(text)
            firsts.setdefault(text[0], []).append(i)
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
            tuple(by_text.values()),
            tuple(numbers),
            np.array(slots, dtype=np.intp),
            sounds,
            firsts,
            tuple((i, text) for i, text in enumerate(numbers) if len(text) == 1),
            np.array(tokens, dtype=np.float64).reshape(-1, 2),
            np.array(rows, dtype=np.float64).reshape(-1, 9),
        )


class FormBounds:
    """Upper bounds of the score of every query form against every form of `tables` (one table per entity).

    `covered[k]`: the score the resolver may raise a covered pair of entity k to (PERSON_COVERED for a Person
    record, 0 otherwise). `best(k)` bounds entity k with the largest legal-form bonus and no cap (`_finish` can
    only give less): most entities are left there; `block` applies the forms' own legal signal and caps to the
    few left.

    `FormBounds.many` bounds the queries of a batch (screening's distinct names) with one set of numpy calls for
    them all: numpy's cost per query is the number of its calls, not its arithmetic. `FormBounds.of` is a batch
    of one. Each result reads its rows of the batch's arrays."""

    __slots__ = ("_best", "_coverable", "_covered", "_name", "_offsets", "_queries", "_tables")

    def __init__(
        self,
        item: BoundsQuery,
        best: list[float],
        name: list[list[float]],
        coverable: list[list[bool]],
        first_form: int,
    ) -> None:
        self._queries, self._tables, self._covered = item.queries, item.tables, item.covered
        self._offsets = list(accumulate((len(table.forms) for table in item.tables), initial=first_form))
        self._best, self._name, self._coverable = best, name, coverable

    @classmethod
    def of(
        cls, queries: Sequence[NameForm], tables: Sequence[FormTable], covered: Sequence[float], interned: Interned
    ) -> FormBounds:
        return cls.many([BoundsQuery(queries, tables, covered)], interned)[0]

    @classmethod
    def many(cls, items: Sequence[BoundsQuery], interned: Interned) -> list[FormBounds]:
        """The bounds of each item, computed together, BATCH at a time: the items are grouped by their number of
        query forms and words, since every item of a batch is padded to its widest."""
        if len(items) <= BATCH:
            return cls._batch(items, interned)
        order = sorted(range(len(items)), key=lambda i: (len(items[i].queries), _word_count(items[i].queries)))
        out: dict[int, FormBounds] = {}
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out.update(zip(chunk, cls._batch([items[i] for i in chunk], interned), strict=True))
        return [out[i] for i in range(len(items))]

    @classmethod
    def _batch(cls, items: Sequence[BoundsQuery], interned: Interned) -> list[FormBounds]:
        batch = _Batch(items, interned)
        if not batch.forms:
            return [cls(item, [-np.inf] * len(item.tables), [], [], 0) for item in items]
        name, coverable = _name_bounds(batch)
        # `_finish` at its most generous: the legal-form bonus, no cap
        coarse = np.minimum(name * NAME_SCALE + LEGAL_BONUS, 1.0)
        raised = np.repeat(batch.covered, batch.table_sizes)
        if batch.persons:
            coarse = np.where(coverable, np.maximum(coarse, raised), coarse)
        # the rows past an item's query forms are padding
        coarse = np.where(np.arange(batch.width)[:, None] < batch.query_counts[batch.form_item], coarse, -np.inf)
        column = coarse.max(axis=0)
        best = np.full(len(batch.table_sizes), -np.inf)
        filled = batch.table_sizes > 0  # a table without forms is never bounded above -inf
        if filled.any():
            best[filled] = np.maximum.reduceat(column, batch.table_starts[filled]) + EPSILON
        best_list: list[float] = best.tolist()
        name_list: list[list[float]] = name.tolist()
        coverable_list: list[list[bool]] = coverable.tolist()
        out = []
        for item, first_table, first_form in zip(items, batch.first_tables, batch.first_forms, strict=True):
            best_k = best_list[first_table : first_table + len(item.tables)]
            out.append(cls(item, best_k, name_list, coverable_list, first_form))
        return out

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


@dataclass(frozen=True, slots=True)
class BoundsQuery:
    """One query of a batch: its forms, its candidates' tables, and what each candidate's covered pairs may be
    raised to (`FormBounds`)."""

    queries: Sequence[NameForm]
    tables: Sequence[FormTable]
    covered: Sequence[float]


def _word_count(queries: Sequence[NameForm]) -> int:
    return len({token.text for q in queries for token in q.tokens})


class _Batch:
    """A batch's queries and candidates laid out for numpy.

    Columns: the candidates' forms (and their tokens) of every query, query after query. Rows: query forms, padded
    to the most any query has (`width`); query words likewise (`depth`). A column only meets its own query's rows:
    the similarity matrix holds, in the columns of query i, the similarities of query i's words."""

    def __init__(self, items: Sequence[BoundsQuery], interned: Interned) -> None:
        self.items = items
        self.interned = interned
        self.width = max((len(item.queries) for item in items), default=0)
        self.query_counts = np.array([len(item.queries) for item in items], dtype=np.intp)
        tables = [table for item in items for table in item.tables]
        self.forms: list[NameForm] = [f for table in tables for f in table.forms]
        self.table_sizes = np.array([len(table.forms) for table in tables], dtype=np.intp)
        self.table_starts = np.cumsum(self.table_sizes) - self.table_sizes
        self.covered = np.array([c for item in items for c in item.covered], dtype=np.float64)
        self.persons = bool(self.covered.any())
        self.first_tables = list(accumulate((len(item.tables) for item in items), initial=0))[:-1]
        form_counts = [sum(len(table.forms) for table in item.tables) for item in items]
        self.first_forms = list(accumulate(form_counts, initial=0))[:-1]
        self.form_ends = [first + count for first, count in zip(self.first_forms, form_counts, strict=True)]
        self.form_item = np.repeat(np.arange(len(items)), form_counts)
        self.item_of_form = self.form_item.tolist()
        if not self.forms:
            return
        self.per_form = np.concatenate([t.forms_array for t in tables])
        self.tokens = np.concatenate([t.tokens for t in tables])
        lengths = self.per_form[:, _LENGTH]
        self.starts = (np.cumsum(lengths) - lengths).astype(np.intp)
        # every token's spelling among the batch's spellings (each table's, table after table)
        spellings = np.array([len(t.texts) for t in tables], dtype=np.intp)
        token_counts = [len(t.slots) for t in tables]
        self.slots = np.concatenate([t.slots for t in tables]) + np.repeat(
            np.cumsum(spellings) - spellings, token_counts
        )
        self.spellings = [sum(len(t.texts) for t in item.tables) for item in items]
        self.token_item = np.repeat(np.arange(len(items)), [sum(len(t.slots) for t in item.tables) for item in items])
        # the query words: distinct per query; (query, form, word) counts, weights and distinctive counts
        words: list[list[Token]] = []
        at: list[tuple[int, int]] = []  # (item x query form, word) of each query token
        weights: list[float] = []
        cores: list[bool] = []
        for i, item in enumerate(items):
            rows: dict[str, int] = {}
            mine: list[Token] = []
            for r, q in enumerate(item.queries):
                for token, w in zip(q.tokens, q.weights, strict=True):
                    c = rows.get(token.text)
                    if c is None:
                        c = rows[token.text] = len(mine)
                        mine.append(token)
                    at.append((i * self.width + r, c))
                    weights.append(w)
                    cores.append(token.cls is WordClass.CORE)
            words.append(mine)
        self.words = words
        self.depth = depth = max(len(w) for w in words)
        where = np.array(at, dtype=np.intp).reshape(-1, 2)
        flat = where[:, 0] * depth + where[:, 1]
        shape = (len(items), self.width, depth)
        size = shape[0] * shape[1] * shape[2]
        self.weights = np.bincount(flat, weights=weights, minlength=size).reshape(shape)
        self.counts = np.bincount(flat, minlength=size).reshape(shape)
        self.cores = np.bincount(flat, weights=cores, minlength=size).reshape(shape)

    def per_column(self, values: np.ndarray) -> np.ndarray:
        """(item, query form) values as (query form x candidate form)."""
        return values[self.form_item].T


def _similarities(words: list[Token], tables: Sequence[FormTable], interned: Interned) -> np.ndarray:
    """Upper bounds of `token_similarity` (0 below TOKEN_FLOOR): query words `words` x the tables' spellings."""
    found: np.ndarray = process.cdist(
        [w.text for w in words],
        list(chain.from_iterable(t.texts for t in tables)),
        scorer=OSA.normalized_similarity,
        score_cutoff=_SIMILARITY_CUTOFF,
        dtype=np.float64,
    )
    sounds = []  # the query words some other spelling of the same sound key may meet
    for r, w in enumerate(words):
        key = interned.strings.get(w.key, -1) if len(w.text) >= SOUND_KEY_MIN else -1
        if interned.sounds.get(key, {w.text}) - {w.text}:
            sounds.append((r, key))
    # an initial and a word with its letter: a query initial meets a table's spellings of that first letter, a table's
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
        start += len(table.texts)
    return found


def _name_bounds(batch: _Batch) -> tuple[np.ndarray, np.ndarray]:
    """Upper bounds of `compare`'s `best` (before `_finish`), query form x candidate form (a column meets only its
    own query's rows), and where a person's name may be covered (every word of one side met; computed when the
    batch has persons)."""
    # 1. alignment, over every token of the candidates' forms (a token no query word meets adds 0 to A and B):
    # every form has a token (forms without words are not indexed), so the forms are runs of `lengths` tokens,
    # which `reduceat` folds; nothing is filtered first, since numpy's cost here is its calls, not the arithmetic
    spelled = np.zeros((batch.depth, sum(batch.spellings)))  # query word x spelling
    start = 0
    for item, words, size in zip(batch.items, batch.words, batch.spellings, strict=True):
        if size:
            spelled[: len(words), start : start + size] = _similarities(words, item.tables, batch.interned)
        start += size
    similar = spelled[:, batch.slots]  # query word x token
    per_form, tokens, starts = batch.per_form, batch.tokens, batch.starts
    lengths = per_form[:, _LENGTH]
    m = np.maximum.reduceat(similar, starts, axis=1)  # query word x form: m_i
    if batch.width == 1:  # one query form uses every word of its query
        n = similar.max(axis=0)[None, :]
    else:  # query form x token: the best similarity of the token to a word of that form
        uses = (batch.counts > 0)[batch.token_item]  # token x query form x word
        n = np.where(uses, similar.T[:, None, :], 0.0).max(axis=2).T
    a = _per_form_sum(batch, batch.weights, m)  # >= A
    b = np.add.reduceat(n * tokens[:, _WEIGHT], starts, axis=1)  # >= B
    best = (a + b) / (2 * batch.per_column(batch.weights.sum(axis=2)) + per_form[:, _TOTAL_WEIGHT] - a)

    # brand: every distinctive query word met at BRAND_SIMILARITY, every distinctive list word met
    core_counts = batch.cores.sum(axis=2)
    if core_counts.any():
        counts = batch.per_column(core_counts)
        met = _per_form_sum(batch, batch.cores, (m >= BRAND_SIMILARITY).astype(np.float64))
        brand = (counts > 0) & (per_form[:, _HAS_CORE] > 0) & (met == counts)
        if brand.any():
            met_core = ((tokens[:, _CORE] > 0) & (n >= TOKEN_FLOOR)).astype(np.intp)
            brand &= np.add.reduceat(met_core, starts, axis=1) == per_form[:, _CORE_COUNT]
            best = np.where(brand, np.maximum(best, BRAND_SCORE), best)
    if batch.persons:  # every word of one side has a partner (`person_score` may raise the pair)
        word_counts = batch.per_column(batch.counts.sum(axis=2))
        every_query_word = _per_form_sum(batch, batch.counts, (m > 0).astype(np.float64)) == word_counts
        every_list_word = np.add.reduceat((n > 0).astype(np.intp), starts, axis=1) == lengths
        coverable = (word_counts >= 2) & (lengths >= 2) & (every_query_word | every_list_word)
    else:
        coverable = np.zeros(best.shape, dtype=bool)

    # 2. whole-name rules
    best = np.maximum(best, _whole_name_rules(batch))
    return best, coverable


def _per_form_sum(batch: _Batch, per_word: np.ndarray, values: np.ndarray) -> np.ndarray:
    """sum over query words w of per_word[item, query form, w] * values[w, form], query form x candidate form."""
    if len(per_word) == 1:  # one query (status, the API): a product, without einsum's set-up
        product: np.ndarray = per_word[0] @ values
        return product
    summed: np.ndarray = np.einsum("frw,wf->rf", per_word[batch.form_item], values)
    return summed


def _whole_name_rules(batch: _Batch) -> np.ndarray:
    """The value `best` may be raised to (query form x candidate form) by the whole-name rules of `compare`: same
    compact name, spelling without word breaks, sound key, acronym."""
    interned, forms, per_form = batch.interned, batch.forms, batch.per_form
    queries = [item.queries for item in batch.items]
    padding = [batch.width - len(qs) for qs in queries]
    sizes = batch.per_column(
        np.array([[len(q.compact) for q in qs] + [0] * pad for qs, pad in zip(queries, padding, strict=True)])
    )
    lengths = per_form[:, _COMPACT_LENGTH]
    shorter, longer = np.minimum(lengths, sizes), np.maximum(lengths, sizes)
    keys = [
        [interned.strings.get(q.compact_key, -1) for q in qs] + [-1] * pad
        for qs, pad in zip(queries, padding, strict=True)
    ]
    out = np.where(
        (per_form[:, _KEY] == batch.per_column(np.array(keys))) & (shorter >= SOUND_KEY_MIN), TRANSLIT_SCORE, 0.0
    )
    compacts = [
        [interned.strings.get(q.compact, -1) if q.compact else -2 for q in qs] + [-3] * pad
        for qs, pad in zip(queries, padding, strict=True)
    ]
    out[per_form[:, _COMPACT] == batch.per_column(np.array(compacts))] = 1.0
    at_query, at_form = np.nonzero((shorter >= 4) & (shorter >= COMPACT_FLOOR * longer))
    item_of = batch.item_of_form
    for k, j in zip(at_query.tolist(), at_form.tolist(), strict=True):  # spelling without word breaks
        q, c = queries[item_of[j]][k], forms[j]
        spelled = max(
            OSA.normalized_similarity(q.compact, c.compact, score_cutoff=COMPACT_FLOOR),
            OSA.normalized_similarity(q.sorted_compact, c.sorted_compact, score_cutoff=COMPACT_FLOOR),
        )
        if spelled > out[k, j]:
            out[k, j] = spelled
    single = np.flatnonzero(per_form[:, _LENGTH] == 1).tolist()
    for qs, lo, hi in zip(queries, batch.first_forms, batch.form_ends, strict=True):
        mine = single[bisect_left(single, lo) : bisect_left(single, hi)]
        for k, q in enumerate(qs):
            met = [j for j in mine if forms[j].compact in q.acronyms] if q.acronyms else []
            if len(q.tokens) == 1:
                met += [j for j in range(lo, hi) if q.compact in forms[j].acronyms]
            for j in met:
                value = ACRONYM_SCORE if shorter[k, j] >= SHORT_ACRONYM else SHORT_ACRONYM_SCORE
                out[k, j] = max(out[k, j], value)
    return out
