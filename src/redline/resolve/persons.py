"""Dates of birth as a qualifier for person matches.

Lists and queries disagree on birth dates in predictable ways: a year off by one (age-derived dates,
calendar conversions), day and month swapped (US vs other conventions), a year without day and month.
Those cost nothing; a date that is plainly different weighs against the match. logic-v2's rigid penalty
for a one-year gap causes 36 of its 42 misses on yente's UN fixture (../shared/reference/anchors).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from redline.resolve.forms import Token, prepare
from redline.resolve.text import loose
from redline.resolve.vocab import WordClass

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


# ---- Name roles: which words are the family name and which the first given name ----------------------------
# A person's name covered word for word by a longer one ("NAZARENKO, Yuri" in "NAZARENKO, Yuriy Gennadievich")
# is the same person when the longer name only adds words after the given name (middle names, a patronymic, more
# ancestors). When the words met play other parts, it is usually someone else: "BARZAN IBRAHIM HASAN AL-TIKRITI"
# in "ALI BARZAN IBRAHIM HASAN AL-TIKRITI" (a first name added before: Ali, son of Barzan), "HAMSHO, Muhammad" in
# "HAMSHO, Ali Muhammad", "SAEED, Hafiz" in "KHAN, Hafiz Saeed" (a family name met by a given name). Lists print
# "FAMILY, Given ..." (OFAC); without a comma a name reads either way round ("Given ... FAMILY" or "FAMILY Given").
Roles = tuple[tuple[Token, ...], tuple[Token, ...]]  # (family-name words, given-name words in order)


@lru_cache(maxsize=1)
def _rigour_names() -> tuple[Callable[[str], str], Callable[[str], bool]]:
    """rigour's person-prefix removal and generic-given-name test, imported on first use (not with the resolver)
    and then read from here rather than through an import statement per name."""
    from rigour.names import remove_person_prefixes
    from rigour.names.check import is_generic_person_name

    return remove_person_prefixes, is_generic_person_name


def _role_words(text: str) -> tuple[Token, ...]:
    remove_person_prefixes = _rigour_names()[0]
    forms = prepare(remove_person_prefixes(text.strip()), True)  # honorifics from rigour's list: "Dr.", "Colonel"
    return tuple(t for t in forms[0].tokens if t.cls is not WordClass.STOP) if forms else ()


@lru_cache(maxsize=4096)
def name_roles(name: str) -> tuple[Roles, ...]:
    """The readings of a printed person name as (family words, given words); [] when there is no telling."""
    if "," in name:
        family, given = name.split(",", 1)
        roles = (_role_words(family), _role_words(given))
        return (roles,) if roles[0] and roles[1] else ()
    words = _role_words(name)
    return ((words[-1:], words[:-1]), (words[:1], words[1:])) if len(words) >= 2 else ()


def _joined(words: tuple[Token, ...]) -> str:
    """Names as one word's sound key: "Jong Un" and "Jeongeun" (김정은), "JASHN SAZ" and "JASHNSAZ" are one name."""
    return loose("".join(t.text for t in words))


def _first(given: tuple[Token, ...]) -> Token:
    """The first given name that is not a generic one, as rigour lists them (Muhammad, Hassan, Abdullah...):
    "NASRALLAH, Mohammad Jawad" is Jawad NASRALLAH."""
    is_generic_person_name = _rigour_names()[1]
    return next((t for t in given if not is_generic_person_name(t.text)), given[0])


def roles_agree(left: str, right: str, near: Callable[[Token, Token], bool]) -> bool:
    """Whether some reading of the two names meets the family words of one with family words of the other and
    the first given names with each other; True when a name has no readable roles (one word), so nothing is lost."""
    left_roles, right_roles = name_roles(left), name_roles(right)
    if not left_roles or not right_roles:
        return True
    return any(
        (near(given_a[0], given_b[0]) or near(_first(given_a), _first(given_b)) or _joined(given_a) == _joined(given_b))
        and (all(any(near(x, y) for y in family_b) for x in family_a) or _joined(family_a) == _joined(family_b))
        for roles_a, roles_b in ((left_roles, right_roles), (right_roles, left_roles))
        for family_a, given_a in roles_a
        for family_b, given_b in roles_b
    )
