"""Names as lists and vendors print them: "Full Name (ACRONYM)", former names, share-class and listing suffixes.

DoD printed its Section 1237 and 1260H lists as "Dawning Information Industry Co. (Sugon)"; data vendors print
security names with the share class or listing form ("Hangzhou Hikvision Digital Technology Co Ltd-A",
"BYD Co Ltd-H", "Xiaomi Corp Class B", "Baidu Inc - Spon ADR"). Each printed name is split into the parts that
are names on their own: the full name, the short name in the trailing parentheses (also "formerly ..."), each
without the listing suffix, which is kept as a note for the explanation. A parenthesis that only qualifies the
name ("(Group)", "(Hong Kong)", "(Shenzhen)", "(KENYA)") stays part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from redline.resolve.text import clean, fold
from redline.resolve.vocab import LOCATION_WORDS, ORGANISATION_WORDS, STOP_WORDS

# Share-class and listing suffixes at the end of a security name; each pattern's group 1 is what is noted.
_SUFFIXES = (
    # "Co Ltd-A", "XIAOMI-W", "Meituan-SW", "BYD Co Ltd - H"
    re.compile(r"\s*[-–—]\s*((?:A|B|H|N|S|W|SW|U|R|Y|DR)\b)\s*$", re.IGNORECASE),
    # "Class B", "Cl A", "-Class H", "Series A"
    re.compile(r"[\s,-]+((?:class|cl|cls|series|ser)\.?\s+[A-Z0-9]{1,2})\s*$", re.IGNORECASE),
    # "A Shares", "H-Share", "A/H shares", "Ordinary Shares", "Common Stock"
    re.compile(
        r"[\s,-]+((?:(?:A|B|H|N|S)(?:\s*[/+&]\s*(?:A|B|H|N|S))?|ordinary|ord|common|registered|reg)[\s-]*"
        r"(?:shares?|shs|stock|stk))\s*$",
        re.IGNORECASE,
    ),
    # "A/H" on its own: both lines of a dual listing
    re.compile(r"\s+((?:A|B|H|N)\s*[/+]\s*(?:A|B|H|N))\s*$", re.IGNORECASE),
    # "ADR", "- Spon ADR", "Sponsored ADS", "(ADR)", "ADR 1:10"
    re.compile(
        r"(?:[\s,-]+\(?|\s*\()((?:(?:sponsored|spons|spon|unsponsored|unspon)\s+)?(?:ADR|ADS|GDR|GDS)s?"
        r"(?:\s+\d+(?:\s*:\s*\d+)?)?)\)?\s*$",
        re.IGNORECASE,
    ),
)
# A trailing parenthesis: "Full Name (Short)"; the prefixes say how the short name relates to the full one.
_TRAILING = re.compile(r"^(.*?\S)\s*\(([^()]+)\)\s*$")
_RELATION = re.compile(
    r"^(formerly(?:\s+known\s+as)?|previously|former(?:ly)?\s+name:?|f/?k/?a|a\.?k\.?a\.?|also\s+known\s+as|"
    r"d/?b/?a|doing\s+business\s+as|trading\s+as|t/a|now|renamed)\s*:?\s+",
    re.IGNORECASE,
)
# what a parenthesis holds when it qualifies the name: a place or how the firm is organised, not a short name
_QUALIFIERS = LOCATION_WORDS | ORGANISATION_WORDS | STOP_WORDS | frozenset(["holdings"])


@dataclass(frozen=True, slots=True)
class PrintedName:
    text: str  # a name on its own, without listing suffix
    part: str  # "" (the name as given), "full" or "short" (the two parts of "Full Name (Short)")
    note: str = ""  # what was set aside, for the explanation


# Text that every pattern of _SUFFIXES needs (a dash, "/" or "+", or part of one of its words): an ASCII name with
# none of these has no suffix, and the five searches are skipped. Not used on other names: IGNORECASE
# lets some non-ASCII letters match ASCII ones.
_SUFFIX_HINTS = ("-", "/", "+", "cl", "ser", "sha", "shs", "sto", "stk", "adr", "ads", "gdr", "gds")


def strip_listing_suffix(name: str) -> tuple[str, list[str]]:
    """(name without share-class/listing suffixes, the suffixes removed); never strips a name to nothing."""
    if name.isascii():
        lower = name.lower()
        if not any(map(lower.__contains__, _SUFFIX_HINTS)):
            return name, []
    removed: list[str] = []
    changed = True
    while changed:
        changed = False
        for pattern in _SUFFIXES:
            found = pattern.search(name)
            if found and found.start() > 0 and any(ch.isalnum() for ch in name[: found.start()]):
                removed.insert(0, " ".join(found.group(1).split()))
                name = name[: found.start()].rstrip(" ,-–—")
                changed = True
    return name, removed


def _qualifier(text: str, full: str) -> bool:
    """A parenthesis that only qualifies the name: "(Group)", "(Hong Kong)", "(Shenzhen)", "(KENYA)"; a place
    the full name itself carries is the short name ("Inner Mongolia First Machinery Group (Inner Mongolia)")."""
    words = fold(text).split()
    if words and (all(w in _QUALIFIERS for w in words) or "".join(words) in _QUALIFIERS):
        return True
    # a country or territory: "AL-HARAMAYN FOUNDATION (KENYA)" and "(TANZANIA)" are two branches, not one name
    return " ".join(words) in _territories() and " ".join(words) not in fold(full)


@lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    """Folded names of countries and territories (rigour's list; its fuzzy lookup takes seconds to set up).
    Codes are left out: two and three letters read as acronyms too."""
    from rigour.territories import get_territories

    return frozenset(fold(n) for t in get_territories() for n in (t.name, t.full_name) if n and len(n) > 3)


@lru_cache(maxsize=1 << 14)
def printed_names(name: str) -> tuple[PrintedName, ...]:
    """The names a printed name stands for: the name as given (part ""), and its parts when it has them."""
    text = clean(name)
    text, suffixes = strip_listing_suffix(text)
    note = f"listing suffix ignored: {', '.join(suffixes)}" if suffixes else ""
    found = _TRAILING.match(text) if ")" in text else None
    if not found or _qualifier(found.group(2), found.group(1)) or not any(ch.isalnum() for ch in found.group(1)):
        return (PrintedName(text, "", note),)
    full, short = found.group(1).rstrip(" ,;-"), found.group(2).strip()
    relation = _RELATION.match(short)
    label = "former or other name" if relation else "short name"
    if relation:
        short = short[relation.end() :].strip()
    full, more = strip_listing_suffix(full)
    suffixes += more
    note = f"listing suffix ignored: {', '.join(suffixes)}" if suffixes else ""
    # the name as printed stays a candidate too: the parenthesis may be part of the name after all
    parts = [PrintedName(text, "", note), PrintedName(full, "full", note)]
    if any(ch.isalnum() for ch in short):
        short_note = f"{label} in parentheses of {full!r}" + (f"; {note}" if note else "")
        parts.append(PrintedName(short, "short", short_note))
    return tuple(parts)
