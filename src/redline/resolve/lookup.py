"""Interim resolution: by identifier, then by normalised name or alias.

A replaceable component behind the `Lookup` protocol: the fuzzy, cross-script resolver of issue 4 takes its
place without changing the callers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from stdnum import isin as stdnum_isin
from stdnum import lei as stdnum_lei

from redline.model import Entity, IdScheme

# Bloomberg-style and Yahoo-style exchange suffixes mapped to the market codes OFAC uses.
_EXCHANGES = {
    "HK": "HK", "HKG": "HK", "HKEX": "HK",
    "SS": "CN", "SH": "CN", "SZ": "CN", "CH": "CN", "CN": "CN", "SHA": "CN", "SHE": "CN",
    "US": "US", "N": "US", "UN": "US", "UW": "US", "UQ": "US", "OQ": "US", "NYSE": "US", "NASDAQ": "US",
    "PK": "US", "OTC": "US",
}  # fmt: skip
_TICKER = re.compile(r"^([A-Z0-9]{1,12})(?:[ .:]([A-Z]{1,6}))?(?: EQUITY)?$")


@dataclass(frozen=True, slots=True)
class Candidate:
    entity: Entity
    score: float
    decisive: bool  # an identifier hit: no human review needed for the match itself
    explanation: str


class Lookup(Protocol):
    def resolve(self, query: str) -> list[Candidate]: ...


def normalise_name(text: str) -> str:
    """NFKC, casefold, punctuation to spaces, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def _ticker_key(code: str) -> str:
    """Numeric codes lose their leading zeros: 01810, 1810 and 001810 are the same HK code."""
    return (code.lstrip("0") or "0") if code.isdigit() else code


class IdentifierAndNameLookup:
    def __init__(self, entities: Iterable[Entity]) -> None:
        self._ids: dict[tuple[str, str], Entity] = {}
        self._tickers: dict[str, list[tuple[str | None, Entity]]] = {}
        self._names: dict[str, list[Entity]] = {}
        for entity in entities:
            self._names.setdefault(normalise_name(entity.id), []).append(entity)
            for name in entity.all_names():
                key = normalise_name(name)
                if entity not in self._names.setdefault(key, []):
                    self._names[key].append(entity)
            for ident in entity.identifiers:
                if ident.scheme is IdScheme.TICKER:
                    self._tickers.setdefault(_ticker_key(ident.value.upper()), []).append((ident.exchange, entity))
                else:
                    self._ids[(ident.scheme.value, ident.value.upper())] = entity

    def resolve(self, query: str) -> list[Candidate]:
        text = query.strip()
        compact = re.sub(r"\s+", "", text).upper()
        for scheme, module in ((IdScheme.ISIN, stdnum_isin), (IdScheme.LEI, stdnum_lei)):
            if module.is_valid(compact):
                hit = self._ids.get((scheme.value, compact))
                return [Candidate(hit, 1.0, True, f"{scheme.value.upper()} {compact}")] if hit else []
        for scheme in (IdScheme.CUSIP, IdScheme.USCC, IdScheme.FIGI, IdScheme.SEDOL):
            hit = self._ids.get((scheme.value, compact))
            if hit:
                return [Candidate(hit, 1.0, True, f"{scheme.value.upper()} {compact}")]
        ticker = self._ticker(text.upper())
        if ticker:
            return ticker
        hits = self._names.get(normalise_name(text), [])
        return [Candidate(entity, 0.99, False, f"name or alias equals {text!r}") for entity in hits]

    def _ticker(self, text: str) -> list[Candidate]:
        found = _TICKER.match(" ".join(text.split()))
        if not found:
            return []
        code, suffix = found.group(1), found.group(2)
        exchange = _EXCHANGES.get(suffix) if suffix else None
        if suffix and exchange is None:
            return []
        matches = [
            entity
            for listed_exchange, entity in self._tickers.get(_ticker_key(code), [])
            if exchange is None or listed_exchange == exchange
        ]
        unique = list(dict.fromkeys(matches))
        where = f" on {exchange}" if exchange else ""
        decisive = len(unique) == 1
        return [Candidate(e, 1.0 if decisive else 0.9, decisive, f"ticker {code}{where}") for e in unique]
