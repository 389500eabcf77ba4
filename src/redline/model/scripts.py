"""Which writing system a name is in, as an ISO 15924 code (Latn, Hani, Cyrl, Hang, Arab, ...)."""

from __future__ import annotations

import unicodedata

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("CJK", "Hani"),
    ("LATIN", "Latn"),
    ("CYRILLIC", "Cyrl"),
    ("HANGUL", "Hang"),
    ("ARABIC", "Arab"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("GREEK", "Grek"),
    ("HEBREW", "Hebr"),
    ("THAI", "Thai"),
    ("DEVANAGARI", "Deva"),
)


def char_script(char: str) -> str | None:
    """The script of one letter, or None for digits, punctuation and symbols."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for prefix, code in _PREFIXES:
        if name.startswith(prefix):
            return code
    return "Zyyy"


def detect_script(text: str) -> str:
    """The dominant script of `text`; "Zyyy" (common) when it has no letters."""
    counts: dict[str, int] = {}
    for char in text:
        code = char_script(char)
        if code is not None:
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return "Zyyy"
    return max(counts.items(), key=lambda item: item[1])[0]
