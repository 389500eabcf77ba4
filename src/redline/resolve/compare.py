"""Scoring one prepared name against another: token alignment, compact strings, brand, acronym, legal form.

Each comparison returns a score in [0, 1] and the features behind it. Token weights follow word classes:
a distinctive word counts fully, generic words (technology, group) a third, locations a quarter, so
"Hikvision" meets "Hangzhou Hikvision Digital Technology" and "Agricultural Bank of China" stays away from
"Industrial and Commercial Bank of China". Words left over on the list side cost half as much as words
left over in the query: list names are often longer legal names of what the user typed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from redline.resolve.forms import NameForm, Token
from redline.resolve.legal_forms import forms_agree
from redline.resolve.vocab import ORGANISATION_WORDS, WordClass

LIST_SIDE_UNMATCHED = 0.5
TOKEN_FLOOR = 0.65  # below this two words are different words
COMPACT_FLOOR = 0.88  # whole-string similarity only counts when nearly identical
BRAND_SCORE = 0.9
TRANSLIT_SCORE = 0.9
ACRONYM_SCORE = 0.88
SHORT_ACRONYM_SCORE = 0.78
NAME_SCALE = 0.97  # a perfect name leaves room for the legal-form signal (+/- 0.03)
SOUND_KEY_MIN = 6  # shorter words are acronyms as often as names: CNOOC and CNECC share a sound key
LEGAL_BONUS = 0.03
LEGAL_CONFLICT = 0.08
# "WAFI"/"NAFI" (0.75) are two names, not one spelled twice; 0.85 chosen on the train split of bench/resolve/pairs.py
COVER_SIMILARITY = 0.85
SHORT_WORD = 3
# Word classes as module constants, and their names for explanations: reading a member through the Enum class, or
# its `.value`, is a Python-level lookup each time, and these are read for every word of every pair.
_CORE, _GENERIC, _LOCATION = WordClass.CORE, WordClass.GENERIC, WordClass.LOCATION
_CLASS_NAME = {cls: cls.value for cls in WordClass}


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float
    features: tuple[str, ...]
    # generic words the query adds when the brand rule fired; the resolver checks the entity's other names
    brand_extra: tuple[str, ...] = ()
    # distinctive query words the list name lacks ("... Group Poly No. 59 ..."): for firms, another firm
    query_extra: tuple[str, ...] = ()
    # every word of the shorter name (two or more) met a word of the longer one: for persons, the longer name
    # adds middle names or a patronymic ("NAZARENKO, Yuri" in "NAZARENKO, Yuriy Gennadievich")
    covered: bool = False


_SIMILARITIES: dict[tuple[str, str], float] = {}  # word pairs recur across names (technology, co, mohammad)
_SIMILARITY_CACHE = 1 << 20


def token_similarity(a: Token, b: Token) -> float:
    if a.text == b.text:
        return 1.0
    pair = (a.text, b.text)
    known = _SIMILARITIES.get(pair)
    if known is None:
        if len(_SIMILARITIES) >= _SIMILARITY_CACHE:
            _SIMILARITIES.clear()
        known = _SIMILARITIES[pair] = _token_similarity(a, b)
    return known


_FLOOR_PERCENT = round(TOKEN_FLOOR * 100)  # in hundredths, so the length test below is exact in integers
assert _FLOOR_PERCENT / 100 == TOKEN_FLOOR, "TOKEN_FLOOR must be a whole number of hundredths"


def _token_similarity(a: Token, b: Token) -> float:
    size_a, size_b = len(a.text), len(b.text)
    if size_a == 1 or size_b == 1:  # an initial meets the word it abbreviates
        return 0.8 if a.text[0] == b.text[0] else 0.0
    if size_a <= SHORT_WORD and size_b <= SHORT_WORD and a.key != b.key:
        return 0.0  # one letter of three is a third of the word: SAM and NAM, KIM and KIN are other names
    # OSA similarity is at most shorter / longer: below TOKEN_FLOOR it is cut to 0 (compared in integers: exact)
    shorter, longer = (size_a, size_b) if size_a < size_b else (size_b, size_a)
    if shorter * 100 < _FLOOR_PERCENT * longer:
        sim = 0.0
    else:
        sim = float(OSA.normalized_similarity(a.text, b.text, score_cutoff=TOKEN_FLOOR))
    if a.key == b.key and size_a >= SOUND_KEY_MIN and size_b >= SOUND_KEY_MIN and sim < 0.85:
        sim = 0.85  # transliteration variants: Mohammed/Muhammad, Jeong/Jong
    return sim


class WordHits:
    """The word pairs of one query that can align (similarity >= TOKEN_FLOOR), found for many list names at once.

    `rapidfuzz.process.cdist` compares every query word with every candidate word in C (OSA, a cutoff below
    TOKEN_FLOOR, so float rounding never loses a pair); the few pairs it keeps, and the pairs that only the rules
    of `_token_similarity` can join (an initial and its word, one sound key), are then scored by
    `token_similarity` itself. Alignment (`_align`) reads these pairs instead of scoring every word pair of every
    candidate in Python: the scores are the same, as tests/resolve/test_scoring_core.py checks against the
    per-pair path. A rule added to `_token_similarity` that joins words OSA does not must be added to `_joinable`.
    """

    __slots__ = ("_by_form", "_similar")

    def __init__(self, queries: Iterable[NameForm], words: Iterable[Token]) -> None:
        query_tokens = {t.text: t for q in queries for t in q.tokens}
        targets = {t.text: t for t in words}
        self._similar: dict[str, dict[str, float]] = {text: {} for text in query_tokens}
        self._by_form: dict[int, tuple[NameForm, dict[str, list[tuple[float, int]]]]] = {}
        if not query_tokens or not targets:
            return
        for a, b in _joinable(list(query_tokens.values()), list(targets.values())):
            sim = token_similarity(a, b)
            if sim >= TOKEN_FLOOR:
                self._similar[a.text][b.text] = sim

    def pairs(self, q: NameForm, c: NameForm) -> list[tuple[float, int, int]]:
        """(similarity, query word, list word) for every pair of words of `q` and `c` that can align."""
        entry = self._by_form.get(id(q))
        if entry is None or entry[0] is not q:
            by_word: dict[str, list[tuple[float, int]]] = {}
            for i, a in enumerate(q.tokens):
                for text, sim in self._similar[a.text].items():
                    by_word.setdefault(text, []).append((sim, i))
            entry = self._by_form[id(q)] = (q, by_word)
        by_word = entry[1]
        out = []
        for j, b in enumerate(c.tokens):
            found = by_word.get(b.text)
            if found:
                out += [(sim, i, j) for sim, i in found]
        return out

    def any_pair(self, q: NameForm, words: frozenset[str]) -> bool:
        """Whether some word of `q` can align with one of `words`."""
        return any(not words.isdisjoint(self._similar[t.text]) for t in q.tokens)


_CDIST_CUTOFF = TOKEN_FLOOR - 0.05  # below TOKEN_FLOOR: cdist's float32 rounding cannot drop a pair at the floor
CDIST_MIN_PAIRS = 20_000  # fewer word pairs are compared in Python when numpy is not loaded yet (`_joinable`)


def _joinable(queries: list[Token], targets: list[Token]) -> set[tuple[Token, Token]]:
    """Every (query word, list word) pair whose `_token_similarity` may reach TOKEN_FLOOR, and some that don't.

    Its branches: an initial meets a word with its letter (0.8), OSA similarity >= TOKEN_FLOOR, one sound key on
    words of SOUND_KEY_MIN letters or more (0.85).

    A few thousand word pairs (a name against the bundled catalog's candidates) are compared one by one: a cold
    `redline status NAME` would spend more importing numpy for `cdist` (0.1 s) than comparing them. Both ways keep
    every pair at or above _CDIST_CUTOFF (tests/resolve/test_cold_paths.py)."""
    if "numpy" in sys.modules or len(queries) * len(targets) >= CDIST_MIN_PAIRS:
        import numpy as np
        from rapidfuzz import process

        matrix = process.cdist(
            [t.text for t in queries],
            [t.text for t in targets],
            scorer=OSA.normalized_similarity,
            score_cutoff=_CDIST_CUTOFF,
            dtype=np.float32,
        )
        out = {(queries[i], targets[j]) for i, j in zip(*np.nonzero(matrix), strict=True)}
    else:
        similar = OSA.normalized_similarity
        out = {(a, b) for a in queries for b in targets if similar(a.text, b.text, score_cutoff=_CDIST_CUTOFF)}
    by_initial: dict[str, list[Token]] = {}
    initials: dict[str, list[Token]] = {}
    by_key: dict[str, list[Token]] = {}
    for b in targets:
        by_initial.setdefault(b.text[:1], []).append(b)
        if len(b.text) == 1:
            initials.setdefault(b.text, []).append(b)
        if len(b.text) >= SOUND_KEY_MIN:
            by_key.setdefault(b.key, []).append(b)
    for a in queries:
        if len(a.text) == 1:
            out.update((a, b) for b in by_initial.get(a.text, ()))
        out.update((a, b) for b in initials.get(a.text[:1], ()))
        if len(a.text) >= SOUND_KEY_MIN:
            out.update((a, b) for b in by_key.get(a.key, ()))
    return out


def _word_pairs(q: NameForm, c: NameForm, hits: WordHits | None = None) -> list[tuple[float, int, int]]:
    """(similarity, query word, list word) for every pair of words that can align (similarity >= TOKEN_FLOOR)."""
    if hits is not None:
        return hits.pairs(q, c)
    pairs = []
    known = _SIMILARITIES
    targets = c.tokens
    for i, a in enumerate(q.tokens):
        text = a.text
        for j, b in enumerate(targets):
            # `token_similarity` inlined for the two common cases (same word, pair seen before): a call per pair
            # is a third of the time of this loop
            if text == b.text:
                pairs.append((1.0, i, j))
                continue
            sim = known.get((text, b.text))
            if sim is None:
                sim = token_similarity(a, b)
            if sim >= TOKEN_FLOOR:
                pairs.append((sim, i, j))
    return pairs


def _best_first(pair: tuple[float, int, int]) -> tuple[float, int, int]:
    return -pair[0], pair[1], pair[2]


def _align(
    q: NameForm, c: NameForm, pairs: list[tuple[float, int, int]]
) -> tuple[float, list[tuple[Token, Token, float]], list[Token], list[Token]]:
    """Greedy one-to-one alignment of `pairs` (best first), and the weighted share of the words it covers."""
    if len(pairs) > 1:
        pairs.sort(key=_best_first)
    q_tokens, c_tokens = q.tokens, c.tokens
    used_q: set[int] = set()
    used_c: set[int] = set()
    matched: list[tuple[Token, Token, float]] = []
    hit = miss_q = miss_c = 0.0
    qw, cw = q.weights, c.weights
    for sim, i, j in pairs:
        if i not in used_q and j not in used_c:
            used_q.add(i)
            used_c.add(j)
            matched.append((q_tokens[i], c_tokens[j], sim))
            wa, wb = qw[i], cw[j]
            hit += sim * (wa + wb) / 2
            miss_q += (1 - sim) * wa
            miss_c += (1 - sim) * wb
    # the weights left are summed in word order either way, so scores stay bit-identical
    if used_q:
        left_q = [t for i, t in enumerate(q_tokens) if i not in used_q]
        left_c = [t for j, t in enumerate(c_tokens) if j not in used_c]
        miss_q += sum([w for i, w in enumerate(qw) if i not in used_q])
        miss_c += sum([w for j, w in enumerate(cw) if j not in used_c])
    else:  # nothing aligned: every word is left over
        left_q, left_c = list(q_tokens), list(c_tokens)
        miss_q += sum(qw)
        miss_c += sum(cw)
    total = hit + miss_q + LIST_SIDE_UNMATCHED * miss_c
    return (hit / total if total else 0.0), matched, left_q, left_c


def _is_brand(
    q: NameForm, c: NameForm, matched: list[tuple[Token, Token, float]], left_q: list[Token], left_c: list[Token]
) -> bool:
    """One name is the other's distinctive words plus only generic words, locations and legal form."""
    if not (q.has_core and c.has_core) or not matched:
        return False
    if any(sim < 0.9 for a, _, sim in matched if a.cls is _CORE):
        return False
    if any(t.cls is _CORE for t in (*left_q, *left_c)):
        return False
    # "Taiwan Mobile" vs "China Mobile": each side names its own place -> two firms
    if any(t.cls is _LOCATION for t in left_q) and any(t.cls is _LOCATION for t in left_c):
        return False
    # "Dahua Bank" vs "Zhejiang Dahua Technology": each side adds its own line of business -> not the same firm
    return not (any(_business(t) for t in left_q) and any(_business(t) for t in left_c))


def _business(token: Token) -> bool:
    """A generic word that says what a firm does (bank, technology), not how it is organised (group)."""
    return token.cls is _GENERIC and token.text not in ORGANISATION_WORDS


def _acronym(q: NameForm, c: NameForm) -> str | None:
    if len(q.tokens) == 1 and q.compact in c.acronyms:
        return f"acronym: {q.compact.upper()} = initials of {c.name!r}"
    if len(c.tokens) == 1 and c.compact in q.acronyms:
        return f"acronym: {c.compact.upper()} = initials of {q.name!r}"
    return None


@lru_cache(maxsize=4096)
def _forms_agree(left: tuple[str, ...], right: tuple[str, ...]) -> bool | None:
    return forms_agree(list(left), list(right))


def whole_name_rules_may_apply(q: NameForm, c: NameForm) -> bool:
    """Whether a rule of `compare` that reads whole names (same compact name, spelling without word breaks, sound
    key, acronym) may fire. When it may not and no word pair aligns (`WordHits.any_pair`), `compare` scores at
    most LEGAL_BONUS: the resolver skips such candidates without scoring them."""
    if not q.compact or not c.compact or q.compact == c.compact:
        return True
    shorter, longer = sorted((len(q.compact), len(c.compact)))
    if (
        shorter >= 4
        and shorter >= COMPACT_FLOOR * longer
        and (
            OSA.normalized_similarity(q.compact, c.compact, score_cutoff=COMPACT_FLOOR)
            or OSA.normalized_similarity(q.sorted_compact, c.sorted_compact, score_cutoff=COMPACT_FLOOR)
        )
    ):
        return True
    if shorter >= SOUND_KEY_MIN and q.compact_key == c.compact_key:
        return True
    return _acronym(q, c) is not None


def compare(q: NameForm, c: NameForm, explain: bool = True, hits: WordHits | None = None) -> NameScore:
    """Score query form `q` against list form `c`, with the features that produced it.

    `explain=False` skips spelling out the word lists (the costly part) when only the score is needed; `hits`, the
    query's word pairs found for many list names at once (`WordHits`), saves scoring word pairs one by one."""
    features: list[str] = []
    brand_extra: tuple[str, ...] = ()
    query_extra: tuple[str, ...] = ()
    covered = False
    if q.compact and q.compact == c.compact:
        best, features = 1.0, ["same name after normalisation"]
    else:
        pairs = _word_pairs(q, c, hits)
        if not pairs and not explain and not whole_name_rules_may_apply(q, c):
            # no word aligns and no whole-name rule applies: only the legal form and caps are left to score
            query_extra = tuple([t.text for t in q.tokens if t.cls is _CORE and len(t.text) >= 3])
            return _finish(q, c, 0.0, features, brand_extra, query_extra, covered)
        best, matched, left_q, left_c = _align(q, c, pairs)
        query_extra = tuple([t.text for t in left_q if t.cls is _CORE and len(t.text) >= 3])
        shorter_side = min(len(q.tokens), len(c.tokens))
        covered = (
            shorter_side >= 2
            and (not left_q or not left_c)
            and sum(1 for a, b, sim in matched if sim >= COVER_SIMILARITY or a.key == b.key) == shorter_side
        )
        if matched and explain:
            features.append("words: " + ", ".join(f"{a.text}~{b.text} {sim:.2f}" for a, b, sim in matched))
        if left_q and explain:
            features.append("query only: " + ", ".join(f"{t.text} ({_CLASS_NAME[t.cls]})" for t in left_q))
        if left_c and explain:
            features.append("list only: " + ", ".join(f"{t.text} ({_CLASS_NAME[t.cls]})" for t in left_c))
        shorter, longer = len(q.compact), len(c.compact)
        if shorter > longer:
            shorter, longer = longer, shorter
        # whole strings can only add something when the words did not already say it, and when their lengths
        # leave room for a similarity of COMPACT_FLOOR (OSA similarity <= shorter / longer)
        # ... but not for a word swapped for another: "KIM CHOL SAM" / "KIM CHOL NAM" (as many words, one
        # left over on each side) are two people, however close the letters
        breaks = len(q.tokens) != len(c.tokens) or not (left_q and left_c)
        if best < 0.99 and breaks and shorter >= 4 and shorter >= COMPACT_FLOOR * longer:
            compact = max(
                OSA.normalized_similarity(q.compact, c.compact, score_cutoff=COMPACT_FLOOR),
                OSA.normalized_similarity(q.sorted_compact, c.sorted_compact, score_cutoff=COMPACT_FLOOR),
            )
            if compact and (q.core_compact or c.core_compact):
                # long shared generic words must not carry a different distinctive name ("Moutai" vs "JOUAV")
                core = OSA.normalized_similarity(q.core_compact or q.compact, c.core_compact or c.compact)
                compact = min(compact, core)
            if compact >= COMPACT_FLOOR and compact > best:
                best = compact
                features.append(f"spelling without word breaks {compact:.2f}")
        if best < TRANSLIT_SCORE and shorter >= SOUND_KEY_MIN and q.compact_key == c.compact_key:
            best = TRANSLIT_SCORE
            features.append("transliteration variant (same sound key)")
        if best < BRAND_SCORE and _is_brand(q, c, matched, left_q, left_c):
            best = BRAND_SCORE
            features.append("brand: the same distinctive words, the rest generic or a place")
            brand_extra = tuple(t.text for t in left_q if _business(t))
        acronym = _acronym(q, c) if best < ACRONYM_SCORE else None
        if acronym:
            # three letters name many firms (CTG: China Three Gorges, China Telecom Global): a lead, not a match
            best = ACRONYM_SCORE if min(len(q.compact), len(c.compact)) >= 4 else SHORT_ACRONYM_SCORE
            features.append(acronym)
    return _finish(q, c, best, features, brand_extra, query_extra, covered)


def _finish(
    q: NameForm,
    c: NameForm,
    best: float,
    features: list[str],
    brand_extra: tuple[str, ...],
    query_extra: tuple[str, ...],
    covered: bool,
) -> NameScore:
    """The name score `best` with the legal-form signal and the forms' caps applied."""
    score = best * NAME_SCALE
    agree = _forms_agree(q.legal, c.legal)
    if agree is True or (agree is None and not q.legal and not c.legal):
        score += LEGAL_BONUS
        if q.legal:
            features.append(f"legal form: {' '.join(q.legal)} = {' '.join(c.legal)}")
    elif agree is False:
        # different legal forms on names that are not the same words: often parent and listed arm
        # ("China National Offshore Oil Corporation" vs "CNOOC Limited"), so they count more
        score -= LEGAL_BONUS if best >= 1.0 else LEGAL_CONFLICT
        features.append(f"legal form differs: {' '.join(q.legal)} / {' '.join(c.legal)}")
    if c.route != "latin" or q.route != "latin":
        features.append(f"via {q.route} query / {c.route} list form")
    if score > c.cap or score > q.cap:
        score = min(c.cap, q.cap)
        features.append("dictionary gloss: a lead for review, capped below the match threshold")
    return NameScore(max(0.0, min(1.0, score)), tuple(features), brand_extra, query_extra, covered)
