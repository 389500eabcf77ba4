"""Numbers as books write them in any locale: `1,000,000.50`, `1 000 000,50`, `1.000.000,50`, `1'000'000.50`,
`(1,234)` (accounting negative), `-1.234,5`, `12.5%`.

A number whose grouping and decimal marks are clear is read; one that could be read two ways (`1,234` is 1234 in
English and 1.234 in German or French; `1.234` is 1.234 in English and 1234 in German) is read the English way and
reported as ambiguous, with the other reading, so the row's decision is still made and a person can see which value
was summed. `(1,234)` is read as an accounting negative (-1234), an English convention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Grouping marks: spaces of every width and the apostrophe (Swiss); "," and "." are decided per number.
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']")
_DIGITS = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
# The one shape a plain float() reads that is still ambiguous: one to three digits (not 0), a point, three digits.
AMBIGUOUS_POINT = r"^[+-]?[1-9][0-9]{0,2}\.[0-9]{3}$"


@dataclass(frozen=True, slots=True)
class Parsed:
    value: float
    ambiguous: str | None = None  # why the text could also be read otherwise
    other: float | None = None  # the other reading of an ambiguous number


def parse_number(text: str) -> Parsed | None:
    """The number written in `text`, or None when it is not one."""
    body = text.strip()
    negative = accounting = False
    if body.startswith("(") and body.endswith(")"):  # an accounting negative: an English-style convention
        negative = accounting = True
        body = body[1:-1].strip()
    if body.endswith("%"):
        body = body[:-1].strip()
    if body[:1] in "+-":
        negative, body = negative != (body[0] == "-"), body[1:].strip()
    body = _SPACES.sub("", body).replace("_", "")
    if not body or not re.fullmatch(r"[\d.,]+|\d*\.?\d+[eE][+-]?\d+", body):
        return None
    if "e" in body.casefold():
        return _signed(float(body), negative)
    marks = [ch for ch in body if ch in ".,"]
    ambiguous = None
    if not marks:
        number = body
    elif len(set(marks)) == 2:
        decimal = marks[-1]
        group = "," if decimal == "." else "."
        whole, _, fraction = body.rpartition(decimal)
        if marks.count(decimal) != 1 or not (_GROUPED.fullmatch(whole) or whole.isdigit()):
            return None
        number = whole.replace(group, "") + "." + fraction
    elif len(marks) > 1:  # one mark used several times: grouping ("1.000.000", "1,000,000")
        if not _GROUPED.fullmatch(body):
            return None
        number = body.replace(marks[0], "")
    else:
        whole, mark, fraction = body.partition(marks[0])
        either = len(fraction) == 3 and bool(whole) and len(whole) <= 3 and whole != "0"
        if either and accounting and mark == ",":
            number = whole + fraction  # "(1,234)": accounting style, an English convention
        elif either:
            # "1,234": grouping in English, a decimal comma in most of Europe; "1.234" the other way round
            as_grouped, as_decimal = float(whole + fraction), float(whole + "." + fraction)
            if mark == ",":
                reading, other, how = as_grouped, as_decimal, ("grouping comma", "decimal comma")
            else:
                reading, other, how = as_decimal, as_grouped, ("decimal point", "grouping point")
            ambiguous = f"{text.strip()!r} reads as {_plain(reading)} ({how[0]}) or {_plain(other)} ({how[1]})"
            return _signed(reading, negative, ambiguous, other)
        else:
            number = (whole or "0") + "." + fraction
    if not number.replace(".", "", 1).isdigit():
        return None
    return _signed(float(number), negative, ambiguous)


def _signed(value: float, negative: bool, ambiguous: str | None = None, other: float | None = None) -> Parsed:
    if other is not None and negative:
        other = -other
    return Parsed(-value if negative else value, ambiguous, other)


def _plain(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
