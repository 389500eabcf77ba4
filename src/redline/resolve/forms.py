"""A name prepared for comparison: Latin tokens with word classes, legal forms, compact string, acronyms.

One name can give several forms: a Han name is read as romanised company words, as a personal name and
through dictionary glosses; the best-scoring form wins and the explanation names the route taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from redline.resolve import chinese
from redline.resolve.legal_forms import shorten_spelled_forms, split_legal_form
from redline.resolve.text import fold, has_han, is_han, is_hangul, loose, split_runs
from redline.resolve.vocab import KOREAN_SURNAMES, ORGANISATION_WORDS, WordClass, word_class

Words = list[tuple[str, WordClass | None]]  # (word, class or None to classify it from the word)
# module constants: reading an Enum member through its class is an attribute lookup per use in hot loops
_CORE, _STOP = WordClass.CORE, WordClass.STOP
MAX_TOKENS = 24  # a longer name is text, not a name; its head is enough to find candidates
GLOSS_CAP = 0.65  # a dictionary gloss is a lead for review, never a match on its own


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    cls: WordClass
    key: str  # transliteration-tolerant key (`text.loose`)


@dataclass(frozen=True, slots=True)
class NameForm:
    name: str  # the name as given
    route: str  # latin | transliterated | pinyin | pinyin-person | gloss
    tokens: tuple[Token, ...]
    legal: tuple[str, ...]
    compact: str  # non-stop tokens joined, for token-boundary noise ("Hik Vision", "AREFULLAHA REF")
    acronyms: frozenset[str]
    cap: float = 1.0
    # derived once here because every comparison reads them
    compact_key: str = ""  # sound keys joined: "kim jong un" and "gim jeongeun" meet
    sorted_compact: str = ""  # words sorted then joined: word order does not matter
    core_compact: str = ""  # distinctive words only, joined
    has_core: bool = False
    weights: tuple[float, ...] = ()  # per token, from its class (`WEIGHTS`)
    # which part of a printed name this form reads ("" whole, "full"/"short" of "Full (Short)"), and what
    # was set aside from it (a listing suffix): see `printed.py`
    part: str = ""
    note: str = ""


def _singular(token: str) -> str:
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith("ss") and len(token) > 3:
        return token[:-1]
    return token


# Short forms that lists and users write for common words ("Intl", "Tech", "Grp").
ABBREVIATIONS = {
    "tech": "technology", "intl": "international", "int": "international", "ind": "industry", "inds": "industries",
    "grp": "group", "elec": "electronics", "mfg": "manufacturing", "hldgs": "holdings", "hldg": "holding",
    "svcs": "services", "svc": "service", "sys": "systems", "eng": "engineering", "engg": "engineering",
    "natl": "national", "nat": "national", "dev": "development", "info": "information", "comm": "communications",
    "comms": "communications", "sci": "science", "equip": "equipment", "telecomm": "telecommunications",
    "aero": "aerospace", "invest": "investment", "mgmt": "management", "chem": "chemical", "pharma": "pharmaceutical",
    "serv": "services", "servs": "services", "co": "company", "corp": "corporation", "bros": "brothers",
}  # fmt: skip


@lru_cache(maxsize=1 << 16)
def _token(text: str, cls: WordClass | None) -> Token:
    """The token of a word: one per distinct (word, class), shared by every name that has it (tokens are
    immutable), so a word is classified and keyed once, not once per name."""
    text = ABBREVIATIONS.get(text, text) if cls is None else text
    cls = cls or word_class(text)
    if cls is WordClass.GENERIC:
        text = _singular(text)
    return Token(text, cls, loose(text))


def _latin_words(word: str) -> list[str]:
    """Romanise a non-Han word: Hangul syllable by syllable, anything else through anyascii."""
    if word.isascii():
        return [word]
    if any(is_hangul(ch) for ch in word):
        syllables = [anyascii(ch).lower() for ch in word]
        if 2 <= len(word) <= 4 and word[0] in KOREAN_SURNAMES:
            return [KOREAN_SURNAMES[word[0]], "".join(syllables[1:])]
        return ["".join(syllables)]
    return fold(anyascii(word)).split()


def _acronyms(words: list[str], legal: list[str]) -> frozenset[str]:
    """Initials of the name's words (not stop words), alone and with the legal form's."""
    if len(words) < 2:
        return frozenset()
    initials = "".join([w[0] for w in words])
    legal_words = " ".join(legal).split() if legal else ()
    if not legal_words:  # most names: the initials alone
        return frozenset((initials,)) if len(initials) >= 3 else frozenset()
    out = {initials, initials + "".join([w[0] for w in legal_words]), initials + legal_words[-1][0]}
    return frozenset([a for a in out if len(a) >= 3])


def _form(name: str, route: str, words: Words, legal: list[str], cap: float = 1.0) -> NameForm:
    tokens = [_token(text, cls) for text, cls in words if text][:MAX_TOKENS]
    named = [t for t in tokens if t.cls is not _STOP]
    texts = [t.text for t in named]
    core = [t.text for t in named if t.cls is _CORE]
    return NameForm(
        name,
        route,
        tuple(tokens),
        tuple(legal),
        "".join(texts),
        _acronyms(texts, legal) if route in ("latin", "transliterated") else frozenset(),
        cap,
        compact_key="".join([t.key for t in named]),
        sorted_compact="".join(sorted(texts)),
        core_compact="".join(core),
        has_core=bool(core),
        weights=token_weights(tokens, promote=not core),
    )


# A distinctive word counts fully, generic words a third, places a quarter (how they combine: compare.py).
WEIGHTS = {WordClass.CORE: 1.0, WordClass.GENERIC: 0.35, WordClass.LOCATION: 0.25, WordClass.STOP: 0.05}


def token_weights(tokens: list[Token], promote: bool | None = None) -> tuple[float, ...]:
    """Each token's weight; `promote`: whether the name has no distinctive word (computed when not given)."""
    # a name made only of common words must be compared on them: they count fully
    if promote is None:
        promote = not any(t.cls is _CORE for t in tokens)
    if not promote:
        return tuple([WEIGHTS[t.cls] for t in tokens])
    # ... except the words about how it is organised (group, holding): "Aerospace Communications Holdings
    # Group" is still "Aerospace Communications Holdings"
    return tuple(
        1.0
        if promote and t.cls in (WordClass.GENERIC, WordClass.LOCATION) and t.text not in ORGANISATION_WORDS
        else WEIGHTS[t.cls]
        for t in tokens
    )


def prepare(name: str, person: bool | None = None) -> list[NameForm]:
    """Every comparable form of `name`. `person` is True/False when the schema is known, None when not."""
    folded = fold(name)
    han = has_han(folded)
    if han:
        folded = chinese.to_simplified(folded)
    runs = split_runs(folded)[: MAX_TOKENS * 2]
    if not han or not any(is_han(run[0]) for run in runs):
        if person is not True:
            runs = shorten_spelled_forms(" ".join(runs)).split()
        if all(run.isascii() for run in runs):  # most names: their words are the runs
            route, words = "latin", runs
        else:
            route, words = "transliterated", [w for run in runs for w in _latin_words(run)]
        rest, legal = split_legal_form(words) if person is not True else (words, [])
        forms = [_form(name, route, [(w, None) for w in rest], legal)]
        if legal and person is None:
            # no schema: "KIM, Chol Sam" and "HLAING, Ko Ko" are persons whose names end like a legal form
            # (SAM, KO); the words stay a name in a second form
            forms.append(_form(name, route, [(w, None) for w in words], []))
        return forms
    forms = _han_forms(name, runs, person)
    latin = [run for run in runs if not is_han(run[0])]
    if latin and len(latin) < len(runs):  # "XIAOMI CORP 小米集团": each script part is also a name on its own
        forms += prepare(" ".join(latin), person)
        forms += _han_forms(name, [run for run in runs if is_han(run[0])], person)
    return forms


def _han_forms(name: str, runs: list[str], person: bool | None) -> list[NameForm]:
    romanised: Words = []
    raw: Words = []
    glossed: Words = []
    legal: list[str] = []
    for run in runs:
        if not is_han(run[0]):
            for word in _latin_words(run):
                romanised.append((word, None))
                raw.append((word, None))
                glossed.append((word, None))
            continue
        core, run_forms = chinese.strip_han_legal_form(run)
        legal += run_forms
        for han_word in chinese.segment(core):
            romanised += [(part, han_word.cls) for part in han_word.latin.split()]
        if not core:
            continue
        raw.append(("".join(chinese.pinyin(core)), WordClass.CORE))
        glossed += [(w, None) for w in chinese.gloss(core)]
    forms: list[NameForm] = [_form(name, "pinyin", romanised, legal)]
    if raw != romanised:
        forms.append(_form(name, "pinyin", raw, legal))
    han = "".join(run for run in runs if is_han(run[0]))
    person_words = chinese.person_tokens(han) if person is not False and not legal and len(runs) == 1 else None
    if person_words and (person or all(cls is WordClass.CORE for _, cls in romanised)):
        forms.append(_form(name, "pinyin-person", [(w, WordClass.CORE) for w in person_words], []))
    whole = chinese.proper_name(han) if han else None
    if whole:  # the dictionary knows the whole name (商汤科技 -> SenseTime)
        forms.append(_form(name, "cedict-name", [(whole, WordClass.CORE)], legal))
    named: Words = []
    for run in runs:
        if is_han(run[0]):
            for han_word in chinese.segment(chinese.strip_han_legal_form(run)[0]):
                found = chinese.named_words(han_word.text) if han_word.cls is WordClass.CORE else None
                named += (
                    [(w, WordClass.CORE) for w in found]
                    if found
                    else [(w, han_word.cls) for w in han_word.latin.split()]
                )
    if named != romanised:
        forms.append(_form(name, "cedict-name", named, legal))
    if glossed and person is not True:
        forms.append(_form(name, "gloss", glossed, legal, cap=GLOSS_CAP))
    return forms
