"""Dates of birth as a qualifier for person matches.

Lists and queries disagree on birth dates in predictable ways: a year off by one (age-derived dates,
calendar conversions), day and month swapped (US vs other conventions), a year without day and month.
Those cost nothing; a date that is plainly different weighs against the match. logic-v2's rigid penalty
for a one-year gap causes 36 of its 42 misses on yente's UN fixture (../shared/reference/anchors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DATE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*$")
DIFFERENT_DOB_PENALTY = 0.25
NEAR_DOB_PENALTY = 0.02


@dataclass(frozen=True, slots=True)
class BirthDate:
    year: int
    month: int | None = None
    day: int | None = None


def parse_birth_date(text: str) -> BirthDate | None:
    """`1958`, `1958-01-06` or `1958-1-6`; None for anything else (it is then simply not used)."""
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    return BirthDate(year, month, day)


def compare_birth_dates(query: BirthDate, listed: list[BirthDate]) -> tuple[float, str]:
    """(score adjustment, reason) for the best agreement between the query date and any listed date."""
    best: tuple[float, str] = (-DIFFERENT_DOB_PENALTY, "birth dates differ")
    for date in listed:
        result = _compare(query, date)
        if result[0] > best[0]:
            best = result
    return best


def _compare(a: BirthDate, b: BirthDate) -> tuple[float, str]:
    if a.year == b.year:
        if (
            a.month is None
            or b.month is None
            or (a.month == b.month and (a.day is None or b.day is None or a.day == b.day))
        ):
            return 0.0, "birth date agrees"
        if a.month == b.day and a.day == b.month:
            return 0.0, "birth date agrees with day and month swapped"
        return -NEAR_DOB_PENALTY, "birth year agrees, day or month differs"
    if abs(a.year - b.year) == 1:
        return -NEAR_DOB_PENALTY, "birth year within one year"
    return -DIFFERENT_DOB_PENALTY, "birth dates differ"
