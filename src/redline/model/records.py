"""Source records: one entry of an official list file, in a form common to every list format.

A `SourceRecord` is what a list said, not what Redline concluded: its names, identifiers, programs, addresses,
dates and remarks exactly as printed, plus the structured facts parsed out of the remarks (OFAC puts ISINs,
tickers and the CMIC listing dates there). The resolver matches records to entities; the status engine reads
their dated facts. Plain frozen dataclasses with no I/O; `to_json`/`from_json` give the stored form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from redline.model.entities import Identifier, IdScheme, NameKind
from redline.model.scripts import detect_script


class RecordSchema(StrEnum):
    """The kind of thing a record lists, named after the FollowTheMoney schema it maps to."""

    PERSON = "Person"
    COMPANY = "Company"
    ORGANIZATION = "Organization"
    VESSEL = "Vessel"
    AIRPLANE = "Airplane"
    LEGAL_ENTITY = "LegalEntity"  # a list entry whose kind the file does not say


class DateKind(StrEnum):
    BIRTH = "birth"
    LISTED = "listed"  # when the list added the entry (UN LISTED_ON, CSL start_date)
    UPDATED = "updated"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class RecordName:
    text: str
    kind: NameKind = NameKind.ALIAS
    # OFAC "weak" a.k.a.s and UN "Low" quality aliases are too vague to match on alone.
    weak: bool = False
    lang: str | None = None
    script: str = ""  # ISO 15924; filled from the text when not given

    def __post_init__(self) -> None:
        if not self.script:
            # Most listed names are ASCII: Latin when they have a letter, else common (same as detect_script).
            if self.text.isascii():
                script = "Latn" if any(char.isalpha() for char in self.text) else "Zyyy"
            else:
                script = detect_script(self.text)
            object.__setattr__(self, "script", script)


@dataclass(frozen=True, slots=True)
class RecordIdentifier:
    scheme: IdScheme
    value: str
    label: str = ""  # the list's own name for it: "Passport", "Equity Ticker", "Tax ID No."
    country: str | None = None  # issuing country as printed
    exchange: str | None = None  # tickers: the market code printed after the symbol (HK, US, CN)

    def as_identifier(self) -> Identifier:
        return Identifier(self.scheme, self.value, self.exchange)


@dataclass(frozen=True, slots=True)
class RecordAddress:
    text: str  # the whole address as one line
    country: str | None = None
    city: str | None = None


@dataclass(frozen=True, slots=True)
class RecordDate:
    """A date as printed, with the range of calendar days it can mean.

    "DOB 1962" means any day of 1962, "DOB circa 1960" a few years either side, "1960 to 1965" the whole span:
    the resolver compares ranges, so a birth date within them, or within its tolerance, agrees.
    """

    kind: DateKind
    text: str
    earliest: date | None = None
    latest: date | None = None
    circa: bool = False


class FactKey(StrEnum):
    """Structured facts a list prints in free text ("Listing Date (CMIC) 03 Jun 2021; ISIN ...")."""

    LISTING_DATE = "listing_date"
    EFFECTIVE_DATE = "effective_date"
    DIVESTMENT_DATE = "divestment_date"  # "Purchase/Sales For Divestment Date (CMIC)", "Divestment Date (CCMC)"
    ISIN = "isin"
    EQUITY_TICKER = "equity_ticker"
    LEI = "lei"
    USCC = "uscc"
    ISSUER_NAME = "issuer_name"
    TARGET_TYPE = "target_type"
    LINKED_TO = "linked_to"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class RecordFact:
    key: FactKey
    label: str  # as printed, e.g. "Listing Date (CMIC)"
    value: str  # as printed, e.g. "03 Jun 2021"
    qualifier: str | None = None  # the parenthesised regime tag: "CMIC", "CCMC", "EO 14024 Directive 3"
    day: date | None = None  # for dates: the calendar date printed


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One list entry. `source_id` is the entry's id in its file (OFAC ent_num, UN DATAID, FtM id)."""

    source_id: str
    schema: RecordSchema
    name: str
    names: tuple[RecordName, ...] = ()
    identifiers: tuple[RecordIdentifier, ...] = ()
    programs: tuple[str, ...] = ()  # sanction programs as printed: "CMIC-EO13959", "SDGT", "DRC"
    lists: tuple[str, ...] = ()  # the list(s) the entry is on within a combined file: "SDN", "NS-CMIC", "EL"
    addresses: tuple[RecordAddress, ...] = ()
    dates: tuple[RecordDate, ...] = ()
    countries: tuple[str, ...] = ()  # nationality, citizenship or jurisdiction, as printed
    remarks: str = ""
    facts: tuple[RecordFact, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # other printed fields kept verbatim: title, gender, vessel flag

    def all_names(self) -> tuple[str, ...]:
        seen: dict[str, None] = {self.name: None}
        for name in self.names:
            seen.setdefault(name.text, None)
        return tuple(seen)

    def birth_dates(self) -> tuple[RecordDate, ...]:
        return tuple(d for d in self.dates if d.kind is DateKind.BIRTH)

    def facts_of(self, key: FactKey, qualifier: str | None = None) -> tuple[RecordFact, ...]:
        return tuple(f for f in self.facts if f.key is key and (qualifier is None or f.qualifier == qualifier))

    def identifiers_of(self, scheme: IdScheme) -> tuple[RecordIdentifier, ...]:
        return tuple(i for i in self.identifiers if i.scheme is scheme)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def to_json(record: SourceRecord) -> dict[str, Any]:
    """The stored form: plain JSON types, stable keys (documented in docs/sources.md)."""
    return {
        "id": record.source_id,
        "schema": record.schema.value,
        "name": record.name,
        "names": [
            {"text": n.text, "kind": n.kind.value, "weak": n.weak, "lang": n.lang, "script": n.script}
            for n in record.names
        ],
        "identifiers": [
            {"scheme": i.scheme.value, "value": i.value, "label": i.label, "country": i.country, "exchange": i.exchange}
            for i in record.identifiers
        ],
        "programs": list(record.programs),
        "lists": list(record.lists),
        "addresses": [{"text": a.text, "country": a.country, "city": a.city} for a in record.addresses],
        "dates": [
            {
                "kind": d.kind.value,
                "text": d.text,
                "earliest": _day(d.earliest),
                "latest": _day(d.latest),
                "circa": d.circa,
            }
            for d in record.dates
        ],
        "countries": list(record.countries),
        "remarks": record.remarks,
        "facts": [
            {"key": f.key.value, "label": f.label, "value": f.value, "qualifier": f.qualifier, "day": _day(f.day)}
            for f in record.facts
        ],
        "extra": [list(pair) for pair in record.extra],
    }


def from_json(data: dict[str, Any]) -> SourceRecord:
    return SourceRecord(
        source_id=str(data["id"]),
        schema=RecordSchema(data["schema"]),
        name=str(data["name"]),
        names=tuple(
            RecordName(n["text"], NameKind(n["kind"]), bool(n["weak"]), n["lang"], n["script"]) for n in data["names"]
        ),
        identifiers=tuple(
            RecordIdentifier(IdScheme(i["scheme"]), i["value"], i["label"], i["country"], i["exchange"])
            for i in data["identifiers"]
        ),
        programs=tuple(data["programs"]),
        lists=tuple(data["lists"]),
        addresses=tuple(RecordAddress(a["text"], a["country"], a["city"]) for a in data["addresses"]),
        dates=tuple(
            RecordDate(DateKind(d["kind"]), d["text"], _parse_day(d["earliest"]), _parse_day(d["latest"]), d["circa"])
            for d in data["dates"]
        ),
        countries=tuple(data["countries"]),
        remarks=str(data["remarks"]),
        facts=tuple(
            RecordFact(FactKey(f["key"]), f["label"], f["value"], f["qualifier"], _parse_day(f["day"]))
            for f in data["facts"]
        ),
        extra=tuple((str(k), str(v)) for k, v in data["extra"]),
    )
