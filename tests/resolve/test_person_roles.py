"""Persons: family name meets family name and first given name first given name, or the pair is a lead for review;
firms: a distinctive word the query adds keeps a pair below the threshold. The examples are list names of the
train split of bench/resolve/pairs.py (different entries of one list, or two names of one entry)."""

from __future__ import annotations

import pytest

from redline.resolve import DEFAULT_THRESHOLD, Record, Resolver, score_pair
from redline.resolve.persons import name_roles
from redline.resolve.resolver import PERSON_ROLES_CAP, REVIEW_FLOOR


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        # a first name added before the other's: the son (Ali, son of Barzan) or a brother
        ("ALI BARZAN IBRAHIM HASAN AL-TIKRITI", "BARZAN IBRAHIM HASSAN AL-TIKRITI", False),
        ("AL-TIKRITI, Ali Barzan Ibrahim Hasan", "AL-TIKRITI, Barzan Ibrahim Hasan", False),
        ("HAMSHO, Muhammad", "HAMSHO, Ali Muhammad", False),
        ("SAEED, Hafiz", "KHAN, Hafiz Saeed", False),  # a family name met by a given name
        ("ALI BEN TAHER BEN FALEH OUNI HARZI", "TARAK BEN TAHER BEN FALEH OUNI HARZI", False),
        # the same person: words left out after the first given name, the same words in another order,
        # a generic first name (rigour's list) before the one the person goes by, word breaks
        ("NAZARENKO, Yuriy Gennadievich", "NAZARENKO, Yuri", True),
        ("KHAN, Nasir Ali", "NASIR, Khan Ali", True),
        ("NASRALLAH, Jawad", "NASRALLAH, Mohammad Jawad", True),
        ("JASHN SAZ, Seifollah", "JASHNSAZ, Seifollah", True),
        ("Kim Jong Un", "김정은", True),
        ("Othman al-Ghamdi", "OTHMAN AHMED OTHMAN AL-GHAMDI", True),
    ],
)
def test_person_roles(left: str, right: str, same: bool) -> None:
    assert (score_pair(left, right, "Person").score >= DEFAULT_THRESHOLD) is same


def test_name_roles_read_the_printed_order() -> None:
    (family, given), *_ = name_roles("AL-RAWI, Dr. Ayad Futayyih")  # rigour's honorifics are not names
    assert [t.text for t in family] == ["al", "rawi"] and [t.text for t in given] == ["ayad", "futayyih"]
    assert len(name_roles("Ayad AL-RAWI")) == 2 and name_roles("AYAD") == ()  # either way round; one word: no telling


def test_another_member_of_the_family_stays_a_lead_for_review() -> None:
    """Fail closed: the resolver still returns the listed person, below the threshold, for a reviewer."""
    resolver = Resolver.from_records([Record("p1", "BARZAN IBRAHIM HASSAN AL-TIKRITI", "Person")])
    (candidate,) = resolver.resolve("ALI BARZAN IBRAHIM HASAN AL-TIKRITI", schema="Person")
    assert REVIEW_FLOOR <= candidate.score <= PERSON_ROLES_CAP and not candidate.match
    assert "family and first given names do not meet" in candidate.explanation.text()


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("ISLAMIC STATE OF IRAQ AND SYRIA - MOZAMBIQUE", "ISLAMIC STATE OF IRAQ AND SYRIA", False),  # a branch
        ("IFIC", "IRAN FOREIGN INVESTMENT COMPANY", True),  # initials add no word
        ("OAO Gazprom", "Open Joint Stock Company Gazprom", True),
    ],
)
def test_a_firm_query_adding_a_distinctive_word(left: str, right: str, same: bool) -> None:
    assert (score_pair(left, right, "Organization").score >= DEFAULT_THRESHOLD) is same
