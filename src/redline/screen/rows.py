"""One input row, read into typed fields, with every problem found in it.

Problems never drop a row: it is screened as far as it can be and carries its errors into the output.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from stdnum import cusip, figi, isin, lei
from stdnum.exceptions import ValidationError

from redline.model.instants import NEW_YORK, InstantError, at_new_york, parse_instant
from redline.resolve.identifiers import parse_ticker
from redline.screen.columns import IDENTIFIER_FIELDS, ColumnMap
from redline.screen.exchanges import exchange_market, infer_market
from redline.screen.numbers import AMBIGUOUS_POINT, parse_number
from redline.sources.errors import shorten

# Holdings and trades older than the first list (2020) or far in the future are typing mistakes, not history.
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)

_AMBIGUOUS_POINT = re.compile(AMBIGUOUS_POINT)
_SIDES = {
    "buy": "buy", "b": "buy", "purchase": "buy", "by": "buy", "cover": "buy", "buy to cover": "buy",
    "sell": "sell", "s": "sell", "sale": "sell", "sell short": "sell", "short": "sell", "ss": "sell",
}  # fmt: skip


def _sedol_valid(value: str) -> bool:
    # python-stdnum has no SEDOL module; the check digit is a weighted sum mod 10 (LSE SEDOL Masterfile spec).
    if not re.fullmatch(r"[0-9B-DF-HJ-NP-TV-Z]{6}[0-9]", value):
        return False
    weights = (1, 3, 1, 7, 3, 9)
    total = sum(int(char, 36) * weight for char, weight in zip(value[:6], weights, strict=True))
    return (10 - total % 10) % 10 == int(value[6])


_CHECKS = {
    "isin": (isin.validate, "ISIN"),
    "cusip": (cusip.validate, "CUSIP"),
    "lei": (lei.validate, "LEI"),
    "figi": (figi.validate, "FIGI"),
}


@lru_cache(maxsize=1 << 18)  # books repeat identifiers; validating each distinct one once is enough
def _check_identifier(scheme: str, value: str) -> str | None:
    """The problem with an identifier's format or check digit, or None when it is valid."""
    if scheme == "sedol":
        return None if _sedol_valid(value) else f"sedol {shorten(value)} is not a valid SEDOL (format or check digit)"
    if scheme not in _CHECKS:
        return None
    validate, label = _CHECKS[scheme]
    try:
        validate(value)
    except ValidationError as exc:
        return f"{scheme} {shorten(value)} is not a valid {label}: {exc}"
    return None


def _text(value: Any) -> str:
    if type(value) is str:  # the common case (CSV): no conversion
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheets turn codes like 1810 into 1810.0
    return str(value).strip()


def _number(column: str, value: Any, problems: list[str], warnings: list[str]) -> float | None:
    if value is None or value == "":
        return None
    number: float | None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str | bytes | Decimal):
        number = _parse_number(column, value, warnings)
    else:  # a date, a time, a boolean, a list... in a number column (Parquet and XLSX cells are typed)
        problems.append(f"{column} {shorten(value)} is not a number (a {type(value).__name__})")
        return None
    if number is None:
        problems.append(f"{column} {shorten(str(value))} is not a number")
    elif math.isnan(number):
        return None  # how pandas writes a missing number
    elif math.isinf(number):
        problems.append(f"{column} {shorten(str(value))} is not a finite number")
        return None
    return number


def _parse_number(column: str, value: str | bytes | Decimal, warnings: list[str]) -> float | None:
    try:
        number = float(value)  # plain numbers, the common case
    except ValueError:
        pass
    else:
        if not isinstance(value, str) or not _AMBIGUOUS_POINT.match(value.strip()):
            return number
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    if len(text) > 64:  # no number is that long; the message quotes a prefix only
        return None
    parsed = parse_number(text)
    if parsed is None:
        return None
    if parsed.ambiguous and parsed.other is not None and column == "weight":
        # A weight (percent or fraction) is at most 100: of "1,234" and "1.234" only the decimal reading is one.
        return min(parsed.value, parsed.other, key=abs)
    if parsed.ambiguous:
        warnings.append(f"{column} {parsed.ambiguous}: read as {parsed.value:g}")
    return parsed.value


def _instant(column: str, value: Any, problems: list[str]) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        # Spreadsheet dates come as midnight datetimes: a date alone means noon New York (project convention).
        moment = at_new_york(value.date()) if value.time() == time(0) and value.tzinfo is None else value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=NEW_YORK)
    elif isinstance(value, date):
        moment = at_new_york(value)
    else:
        text = str(value)
        if len(text) > 64:  # no date is that long; and the message quotes a prefix only
            problems.append(f"{column} {shorten(text)} is not a date")
            return None
        try:
            moment = parse_instant(text)
        except InstantError as exc:
            problems.append(f"{column}: {exc}")
            return None
    if not EARLIEST <= moment.date() <= LATEST:
        problems.append(f"{column} {moment.date().isoformat()} is out of range ({EARLIEST} to {LATEST})")
        return None
    return moment


@dataclass(slots=True)
class ScreenRow:
    """What screening needs from one input row."""

    line: int  # the line (CSV), row (XLSX) or 1-based record number (Parquet) the user can find it at
    identifiers: dict[str, str] = field(default_factory=dict)
    name: str = ""
    exchange: str | None = None
    quantity: float | None = None
    market_value: float | None = None
    currency: str = ""
    side: str | None = None
    trade_time: datetime | None = None
    account: str = ""
    fund: str = ""
    weight: float | None = None
    problems: list[str] = field(default_factory=list)
    country: str = ""
    exchange_note: str = ""  # how the exchange was inferred when the file gives none for the line
    warnings: list[str] = field(default_factory=list)  # doubts that leave the row screened (an ambiguous number)

    def label(self) -> str:
        """How a person would recognise the row: its identifiers and name as given."""
        parts = [f"{scheme.upper()} {value}" for scheme, value in self.identifiers.items()]
        if self.exchange and "ticker" in self.identifiers:
            parts[list(self.identifiers).index("ticker")] += f" {self.exchange}"
        if self.name:
            parts.append(repr(self.name))
        return " ".join(parts) or "(no identifier or name)"

    def fingerprint(self, kind: str) -> str:
        """Identifies what the row is about (the security or counterparty), not its size or date, so an analyst's
        decision on it carries over to the next day's file."""
        name = " ".join(self.name.casefold().split())
        ids = (f"{scheme}={self.identifiers.get(scheme, '')}" for scheme in IDENTIFIER_FIELDS)
        key = "\x1f".join([kind, *ids, self.exchange or "", name])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


IDENTITY_CACHE = 200_000  # distinct row identities remembered per file: bounds memory
_Identity = tuple[dict[str, str], str, str | None, str | None, datetime | None, tuple[str, ...], str, str]


class RowReader:
    """Types and validates rows of one file; the column positions are looked up once, not per row."""

    def __init__(self, columns: ColumnMap) -> None:
        present = columns.index
        self.identifiers = [(scheme, present[scheme]) for scheme in IDENTIFIER_FIELDS if scheme in present]
        self.numbers = [(name, present[name]) for name in ("quantity", "market_value", "weight") if name in present]
        self.texts = [(name, present[name]) for name in ("currency", "account", "fund") if name in present]
        self.name = present.get("name")
        self.exchange = present.get("exchange")
        self.side = present.get("side")
        self.trade_time = present.get("trade_time")
        self.country = present.get("country")
        self.currency = present.get("currency")
        named = (self.name, self.exchange, self.side, self.trade_time, self.country, self.currency)
        self.identity_positions = [position for _, position in self.identifiers] + [p for p in named if p is not None]
        self._identities: dict[tuple[Any, ...], _Identity] = {}

    def read(self, line: int, values: Sequence[Any]) -> ScreenRow:
        width = len(values)
        # What the row is about (identifiers, name, side, time) repeats across a book; type and validate each
        # distinct combination once. Amounts, currency and account are read on every row.
        key = tuple(values[p] if p < width else None for p in self.identity_positions)
        cacheable = True
        try:
            identity = self._identities.get(key)
        except TypeError:  # an unhashable cell (a list in a Parquet column): no caching for this row
            identity, cacheable = None, False
        if identity is None:
            identity = self._identity(values, width)
            if cacheable:
                if len(self._identities) >= IDENTITY_CACHE:
                    self._identities.clear()
                self._identities[key] = identity
        identifiers, name, exchange, side, trade_time, found, country, note = identity
        row = ScreenRow(line, identifiers, name, exchange, side=side, trade_time=trade_time, problems=list(found))
        row.country, row.exchange_note = country, note
        for text_column, position in self.texts:
            text = _text(values[position]) if position < width else ""
            setattr(row, text_column, text.upper() if text_column == "currency" else text)
        for number_column, position in self.numbers:
            cell = values[position] if position < width else None
            setattr(row, number_column, _number(number_column, cell, row.problems, row.warnings))
        return row

    def _identity(self, values: Sequence[Any], width: int) -> _Identity:
        problems: list[str] = []
        identifiers: dict[str, str] = {}
        for scheme, position in self.identifiers:
            text = _text(values[position]).upper() if position < width else ""
            if not text:
                continue
            if scheme != "ticker":
                text = text.replace(" ", "")
            problem = _check_identifier(scheme, text)
            if problem:
                problems.append(problem)
            else:
                identifiers[scheme] = text
        name = " ".join(_text(values[self.name]).split()) if self.name is not None and self.name < width else ""
        exchange = None
        if self.exchange is not None and self.exchange < width:
            given = _text(values[self.exchange])
            if given:
                exchange = exchange_market(given)
        country = (
            " ".join(_text(values[self.country]).split()) if self.country is not None and self.country < width else ""
        )
        ticker = identifiers.get("ticker")
        note = ""
        if ticker is not None and exchange is None and ticker.isalnum():
            # A bare code and no exchange column: the market from the line's country, currency and the code's shape
            # (redline.screen.exchanges), said in the match explanation. Six digits stay six digits.
            currency = _text(values[self.currency]) if self.currency is not None and self.currency < width else ""
            inferred = infer_market(ticker, country, currency)
            if inferred is not None:
                exchange, note = inferred.market, inferred.reason
        if ticker is not None:
            # "0981.HK", "981 HK Equity", "HKEX:1186": the one ticker reader status uses (resolve/identifiers.py);
            # an exchange in the cell counts when the row has no exchange column of its own
            parsed = parse_ticker(ticker, exchange)
            if parsed is not None:
                identifiers["ticker"] = parsed.code
                exchange = exchange or parsed.market or None
        side = None
        if self.side is not None and self.side < width:
            given = _text(values[self.side])
            if given:
                side = _SIDES.get(given.casefold())
                if side is None:
                    problems.append(f"side {shorten(given)} is neither buy nor sell")
        trade_time = None
        if self.trade_time is not None and self.trade_time < width:
            trade_time = _instant("trade_time", values[self.trade_time], problems)
        return identifiers, name, exchange, side, trade_time, tuple(problems), country, note
