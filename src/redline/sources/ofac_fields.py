"""OFAC's printed identifier types and remarks, read into identifiers, names, dates and facts.

The legacy CSV puts everything in one remarks field ("DOB 1962; POB Shati; Passport A1 (Iran); ISIN X;
Listing Date (CMIC) 03 Jun 2021; Linked To: Y."); the XML has the same labels as `idType` values. Both go
through `classify_id`, so the two formats give the same record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from redline.model import IdScheme, NameKind
from redline.model.records import (
    DateKind,
    FactKey,
    RecordDate,
    RecordFact,
    RecordIdentifier,
    RecordName,
)
from redline.sources.printed_dates import parse_exact_date, parse_printed_date

# idType labels as OFAC prints them -> our scheme. Longest labels are tried first.
_SCHEMES: dict[str, IdScheme] = {
    "ISIN": IdScheme.ISIN,
    "Equity Ticker": IdScheme.TICKER,
    "Legal Entity Number": IdScheme.LEI,
    "Unified Social Credit Code (USCC)": IdScheme.USCC,
    "Passport": IdScheme.PASSPORT,
    "Diplomatic Passport": IdScheme.PASSPORT,
    "Stateless Person Passport": IdScheme.PASSPORT,
    "National ID No.": IdScheme.NATIONAL_ID,
    "National Foreign ID Number": IdScheme.NATIONAL_ID,
    "Cedula No.": IdScheme.NATIONAL_ID,
    "D.N.I.": IdScheme.NATIONAL_ID,
    "C.U.R.P.": IdScheme.NATIONAL_ID,
    "Personal ID Card": IdScheme.NATIONAL_ID,
    "Identification Number": IdScheme.NATIONAL_ID,
    "Citizen's Card Number": IdScheme.NATIONAL_ID,
    "SSN": IdScheme.NATIONAL_ID,
    "Residency Number": IdScheme.NATIONAL_ID,
    "Tax ID No.": IdScheme.TAX_ID,
    "NIT #": IdScheme.TAX_ID,
    "R.F.C.": IdScheme.TAX_ID,
    "RFC": IdScheme.TAX_ID,
    "RUC #": IdScheme.TAX_ID,
    "RIF #": IdScheme.TAX_ID,
    "V.A.T. Number": IdScheme.TAX_ID,
    "C.U.I.T.": IdScheme.TAX_ID,
    "Registration Number": IdScheme.REGISTRATION,
    "Registration ID": IdScheme.REGISTRATION,
    "Business Registration Number": IdScheme.REGISTRATION,
    "Business Registration Document #": IdScheme.REGISTRATION,
    "Company Number": IdScheme.REGISTRATION,
    "Commercial Registry Number": IdScheme.REGISTRATION,
    "Government Gazette Number": IdScheme.REGISTRATION,
    "Trade License No.": IdScheme.REGISTRATION,
    "Matricula Mercantil No": IdScheme.REGISTRATION,
    "Folio Mercantil No.": IdScheme.REGISTRATION,
    "Chamber of Commerce Number": IdScheme.REGISTRATION,
    "Certificate of Incorporation Number": IdScheme.REGISTRATION,
    "D-U-N-S Number": IdScheme.REGISTRATION,
    "C.R. No.": IdScheme.REGISTRATION,
    "SWIFT/BIC": IdScheme.SWIFT_BIC,
    "Vessel Registration Identification": IdScheme.IMO,
    "MMSI": IdScheme.OTHER,
    "Email Address": IdScheme.OTHER,
    "Website": IdScheme.OTHER,
    "Phone Number": IdScheme.OTHER,
    "Aircraft Manufacturer's Serial Number (MSN)": IdScheme.OTHER,
    "Aircraft Tail Number": IdScheme.OTHER,
}
# Labels that carry a fact, not an identifier.
_FACTS: dict[str, FactKey] = {
    "Issuer Name": FactKey.ISSUER_NAME,
    "Target Type": FactKey.TARGET_TYPE,
}
_FACT_OF_SCHEME = {
    IdScheme.ISIN: FactKey.ISIN,
    IdScheme.TICKER: FactKey.EQUITY_TICKER,
    IdScheme.LEI: FactKey.LEI,
    IdScheme.USCC: FactKey.USCC,
}
_LABELS = sorted([*_SCHEMES, *_FACTS], key=len, reverse=True)
_DATED = re.compile(
    r"^(?P<label>(?P<what>Listing Date|Effective Date|Purchase/Sales For Divestment Date|Divestment Date)"
    r" \((?P<qualifier>[^)]+)\)):?\s+(?P<value>.+)$"
)
_DATE_KEYS = {
    "Listing Date": FactKey.LISTING_DATE,
    "Effective Date": FactKey.EFFECTIVE_DATE,
    "Purchase/Sales For Divestment Date": FactKey.DIVESTMENT_DATE,
    "Divestment Date": FactKey.DIVESTMENT_DATE,
}
_COUNTRY_SUFFIX = re.compile(r"^(?P<value>.*?)\s*\((?P<country>[^()]+)\)$")
_ISSUED = re.compile(r"\s+(?:issued|expires)\b.*$", re.IGNORECASE)
_QUOTED = re.compile(r"'([^']+)'")
_TICKER = re.compile(r"^(?P<symbol>\S+)\s+(?P<exchange>[A-Z]{2})$")


@dataclass
class Parsed:
    """What remarks or an idList add to a record."""

    identifiers: list[RecordIdentifier] = field(default_factory=list)
    names: list[RecordName] = field(default_factory=list)
    dates: list[RecordDate] = field(default_factory=list)
    facts: list[RecordFact] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)


def classify_id(label: str, number: str, country: str | None, out: Parsed) -> bool:
    """Add one printed (idType, idNumber, idCountry); False when the label is not one we know."""
    label, number = label.strip(), number.strip()
    dated = _DATED.match(f"{label} {number}")
    if dated:
        value = dated.group("value").strip()
        out.facts.append(
            RecordFact(
                _DATE_KEYS[dated.group("what")],
                dated.group("label"),
                value,
                dated.group("qualifier"),
                parse_exact_date(value),
            )
        )
        return True
    if label in _FACTS:
        key = _FACTS[label]
        out.facts.append(RecordFact(key, label, number))
        if key is FactKey.ISSUER_NAME:
            out.names.append(RecordName(number, NameKind.ALIAS))
        return True
    scheme = _SCHEMES.get(label)
    if scheme is None and label.startswith("Digital Currency Address"):
        scheme = IdScheme.OTHER  # "Digital Currency Address - XBT": the currency is in the label
    if scheme is None:
        return False
    exchange = None
    value = number
    if scheme is IdScheme.TICKER:
        ticker = _TICKER.match(number)
        if ticker:
            value, exchange = ticker.group("symbol"), ticker.group("exchange")
    elif scheme is IdScheme.IMO:
        value = re.sub(r"^IMO\s*", "", number)
    out.identifiers.append(RecordIdentifier(scheme, value, label, country or None, exchange))
    fact_key = _FACT_OF_SCHEME.get(scheme)
    if fact_key is not None:
        out.facts.append(RecordFact(fact_key, label, number))
    return True


_DIGITAL_CURRENCY = re.compile(r"^(Digital Currency Address - [A-Z0-9]+)\s+(.+)$")


# One alternation, longest labels first, so "Diplomatic Passport" wins over "Passport".
_LABEL = re.compile("^(" + "|".join(re.escape(label) for label in _LABELS) + r")[ :]\s*(.+)$", re.DOTALL)


def _split_label(item: str) -> tuple[str, str] | None:
    digital = _DIGITAL_CURRENCY.match(item)
    if digital:
        return digital.group(1), digital.group(2)
    labelled = _LABEL.match(item)
    return (labelled.group(1), labelled.group(2)) if labelled else None


def parse_remarks(remarks: str, out: Parsed) -> None:
    """Read the `;`-separated items of an OFAC remarks field; unknown items stay only in the remarks text."""
    text = remarks.strip()
    if text.endswith("."):
        text = text[:-1]
    for raw in text.split("; "):
        item = raw.strip()
        if item.startswith("(") and item.endswith(")"):
            item = item[1:-1]
        if item.startswith("alt. "):
            item = item[5:]
        if not item:
            continue
        if item.startswith("Linked To:"):
            target = item[len("Linked To:") :].strip().rstrip(".")
            out.facts.append(RecordFact(FactKey.LINKED_TO, "Linked To", target))
            continue
        if item.startswith(("a.k.a.", "f.k.a.", "n.k.a.")):
            kind = NameKind.FORMER if item.startswith("f.k.a.") else NameKind.ALIAS
            # Names in remarks are OFAC's "weak" aliases (short or common forms).
            out.names.extend(RecordName(name.strip(), kind, weak=True) for name in _QUOTED.findall(item))
            continue
        if item.startswith("DOB "):
            add_birth_date(item[4:], out)
            continue
        if item.startswith("POB "):
            out.extra.append(("place_of_birth", item[4:].strip()))
            continue
        if item.startswith(("nationality ", "citizen ")):
            out.countries.append(item.split(" ", 1)[1].strip())
            continue
        if item.startswith("Gender "):
            out.extra.append(("gender", item[7:].strip()))
            continue
        dated = _DATED.match(item)
        if dated:
            classify_id(dated.group("label"), dated.group("value"), None, out)
            continue
        split = _split_label(item)
        if split is None:
            continue
        label, rest = split
        rest = _ISSUED.sub("", rest)
        country: str | None = None
        suffix = _COUNTRY_SUFFIX.match(rest)
        if suffix and label not in _FACTS:
            rest, country = suffix.group("value"), suffix.group("country")
        classify_id(label, rest, country, out)


def add_birth_date(text: str, out: Parsed) -> None:
    parsed = parse_printed_date(text)
    if parsed is None:
        out.dates.append(RecordDate(DateKind.BIRTH, text.strip()))
    else:
        earliest, latest, circa = parsed
        out.dates.append(RecordDate(DateKind.BIRTH, text.strip(), earliest, latest, circa))
