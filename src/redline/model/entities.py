"""Entities (companies and other organisations) with their names, identifiers and relations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from redline.model.scripts import detect_script


class NameKind(StrEnum):
    PRIMARY = "primary"  # the legal or best-known name
    ALIAS = "alias"  # an a.k.a. given by a list or the company
    LISTED = "listed"  # the name exactly as one list printed it
    FORMER = "former"  # a previous legal name
    MISSPELLING = "misspelling"  # an erroneous form an agency or the press used (e.g. "Luokong")
    ACRONYM = "acronym"
    BRAND = "brand"
    TRANSLATION = "translation"  # a literal translation (e.g. "Basket Technologies" for 箩筐技术)


@dataclass(frozen=True, slots=True)
class Name:
    text: str
    kind: NameKind = NameKind.ALIAS
    lang: str | None = None  # BCP 47 tag when known: en, zh-Hans, zh-Hant

    @property
    def script(self) -> str:
        return detect_script(self.text)


class IdScheme(StrEnum):
    ISIN = "isin"
    LEI = "lei"
    CUSIP = "cusip"
    SEDOL = "sedol"
    FIGI = "figi"
    TICKER = "ticker"
    USCC = "uscc"  # PRC Unified Social Credit Code
    # Identifiers official lists print for people, vessels and non-listed companies (see model/records.py).
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TAX_ID = "tax_id"
    REGISTRATION = "registration"  # company or business registration number
    SWIFT_BIC = "swift_bic"
    IMO = "imo"  # IMO ship or company number
    OTHER = "other"  # any other printed identifier; `RecordIdentifier.label` says what


@dataclass(frozen=True, slots=True)
class Identifier:
    scheme: IdScheme
    value: str
    exchange: str | None = None  # for tickers: HK, US, CN, ... (Bloomberg-style market code)

    def label(self) -> str:
        suffix = f" {self.exchange}" if self.exchange else ""
        return f"{self.scheme.value.upper()} {self.value}{suffix}"


class RelationKind(StrEnum):
    SUBSIDIARY_OF = "subsidiary_of"
    SAME_AS = "same_as"  # the same legal person under a different list entry


@dataclass(frozen=True, slots=True)
class Relation:
    kind: RelationKind
    target_id: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    schema: str = "Company"  # FollowTheMoney schema name: Company, Organization, Person, ...
    country: str | None = None
    names: tuple[Name, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    relations: tuple[Relation, ...] = field(default=())

    def all_names(self) -> tuple[str, ...]:
        seen: dict[str, None] = {self.name: None}
        for name in self.names:
            seen.setdefault(name.text, None)
        return tuple(seen)

    def identifiers_of(self, scheme: IdScheme) -> tuple[Identifier, ...]:
        return tuple(ident for ident in self.identifiers if ident.scheme is scheme)
