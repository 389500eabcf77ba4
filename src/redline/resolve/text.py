"""Text normalisation shared by every matching step: NFKC, control characters, punctuation, casefold.

Folding is deliberately lossy in the same way on both sides of a comparison, so list names and queries
meet in one comparable form. Transliteration and Han handling live in `forms.py` and `chinese.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# A name longer than this is a paste accident or an attack; matching its head keeps time bounded.
MAX_NAME_CHARS = 256
_DROP = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format (ZWJ, BOM), surrogates, private use, unassigned
_SPACE = {"Zs", "Zl", "Zp", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Pc", "Sm", "Sc", "Sk", "So"}
# Apostrophes and dots join: "Sana'a" -> "sanaa", "L.L.C." -> "llc", "NU’AYMI" -> "nuaymi".
_JOINERS = {"'", "’", "‘", "`", "´", "ʼ", "ʻ", ".", "·"}
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """NFKC, without control or format characters, truncated to MAX_NAME_CHARS, whitespace collapsed."""
    if text.isascii() and text.isprintable():  # most names: NFKC and the category filter change nothing
        return " ".join(text[: MAX_NAME_CHARS * 4].split())[:MAX_NAME_CHARS]
    text = unicodedata.normalize("NFKC", text[: MAX_NAME_CHARS * 4])
    return _SPACES.sub(" ", text.translate(_CLEAN)).strip()[:MAX_NAME_CHARS]


def _clean_char(ch: str) -> str | None:
    # whitespace first: a tab or line break separates words even though it is a control character
    if ch.isspace():
        return " "
    return None if unicodedata.category(ch) in _DROP else ch


class _CharTable(dict[int, str | None]):
    """A `str.translate` table filled on first sight of each character by `rule`: one C-level pass over a name
    instead of a Python loop with a Unicode category lookup per character. Bounded: past `_CHAR_TABLE_MAX`
    characters new ones are answered without being kept."""

    def __init__(self, rule: Callable[[str], str | None]) -> None:
        super().__init__()
        self._rule = rule

    def __missing__(self, code: int) -> str | None:
        value = self._rule(chr(code))
        if len(self) < _CHAR_TABLE_MAX:
            self[code] = value
        return value


_CHAR_TABLE_MAX = 1 << 16
_CLEAN = _CharTable(_clean_char)


def _ascii_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(128):
        ch = chr(code)
        if ch.isspace():
            table[code] = " "
        elif ch in _JOINERS or unicodedata.category(ch) in _DROP:
            table[code] = None
        elif unicodedata.category(ch) in _SPACE:
            table[code] = " "
    return table


_ASCII_FOLD = _ascii_table()
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def fold(text: str) -> str:
    """Casefolded, punctuation and symbols as spaces (apostrophes and dots removed), spaces collapsed."""
    if text.isascii():  # most list names: one C-level pass instead of a loop over characters
        return " ".join(text[:MAX_NAME_CHARS].lower().translate(_ASCII_FOLD).split())
    return _SPACES.sub(" ", clean(text).casefold().translate(_FOLD)).strip()


def fold_any(text: str) -> str:
    """`fold` for any text, character by character (the reference the ASCII fast path must agree with)."""
    out: list[str] = []
    for ch in clean(text).casefold():
        if ch in _JOINERS:
            continue
        out.append(" " if unicodedata.category(ch) in _SPACE else ch)
    return _SPACES.sub(" ", "".join(out)).strip()


def _fold_char(ch: str) -> str | None:
    if ch in _JOINERS:
        return None
    return " " if unicodedata.category(ch) in _SPACE else ch


_FOLD = _CharTable(_fold_char)  # `fold_any`'s rule per character, as a translate table


def is_han(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2EBEF or 0xF900 <= code <= 0xFAFF
    )


def is_hangul(ch: str) -> bool:
    return 0xAC00 <= ord(ch) <= 0xD7A3


def split_runs(text: str) -> list[str]:
    """Split a folded string into Han runs and other whitespace-separated tokens, in order."""
    if not has_han(text):
        return text.split()
    out: list[str] = []
    for word in text.split():
        run = ""
        kind: bool | None = None
        for ch in word:
            han = is_han(ch)
            if kind is not None and han != kind:
                out.append(run)
                run = ""
            run += ch
            kind = han
        if run:
            out.append(run)
    return out


_LOOSE_RULES: tuple[tuple[str, str], ...] = (
    ("eo", "o"),
    ("eu", "u"),
    ("ae", "e"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ph", "f"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("sh", "s"),
    ("ch", "c"),
    ("q", "k"),
    ("c", "k"),
    ("g", "k"),
    ("y", "i"),
    ("w", "v"),
    ("z", "s"),
    ("j", "c"),
    ("x", "s"),
    ("h", ""),
)


@lru_cache(maxsize=1 << 16)
def loose(token: str) -> str:
    """A transliteration-tolerant key: romanisation variants (Gim/Kim, Jeong/Jong, Mohammed/Muhammad) meet."""
    head = token[:1] if token[:1] == "h" else ""  # a leading h is heard (Habbash vs Bush)
    for old, new in _LOOSE_PAIRS:
        token = token.replace(old, new)
    # the one-letter rules in one pass (no rule's output is a later rule's input, so the order is kept), and
    # vowels as "a": they carry most transliteration noise; keep only where they are
    token = head + token.translate(_LOOSE_LETTERS)
    out = token[:1]
    for ch in token[1:]:  # repeated letters once
        if ch != out[-1]:
            out += ch
    return out


_LOOSE_PAIRS = tuple((old, new) for old, new in _LOOSE_RULES if len(old) > 1)
_LOOSE_LETTERS = str.maketrans(
    {**{old: new or None for old, new in _LOOSE_RULES if len(old) == 1}, **dict.fromkeys("aeiou", "a"), "y": "a"}
)
