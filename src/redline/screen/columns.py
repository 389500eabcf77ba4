"""Which input column holds what: detected from the header with synonyms, or mapped by hand.

Headers are compared after case-folding and dropping everything but letters and digits, so "Market Value (USD)",
"market_value_usd" and "MARKET VALUE USD" are the same header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FIELDS: dict[str, tuple[str, ...]] = {
    "isin": ("isin", "isin code", "security isin", "isin number"),
    "cusip": ("cusip", "cusip9", "cusip code"),
    "sedol": ("sedol", "sedol code"),
    "lei": ("lei", "legal entity identifier", "lei code", "issuer lei"),
    "figi": ("figi", "bbg figi", "bloomberg figi", "composite figi", "figi code"),
    "ticker": ("ticker", "symbol", "ticker symbol", "bbg ticker", "bloomberg ticker", "local ticker", "code"),
    "exchange": ("exchange", "exch", "exchange code", "market", "mic", "listing exchange", "venue"),
    "name": (
        "name", "security name", "issuer", "issuer name", "security", "description", "security description",
        "company", "company name", "counterparty", "counterparty name", "legal name", "entity name", "holding name",
    ),
    "quantity": ("quantity", "qty", "shares", "units", "position", "nominal", "holding", "shares held"),
    "market_value": (
        "market value", "mv", "mkt value", "market value usd", "base market value", "notional", "value",
        "market value base", "mkt val",
    ),
    "currency": ("currency", "ccy", "curr", "currency code", "market currency", "local currency", "trading currency"),
    "country": (
        "country", "location", "country of risk", "location of risk", "domicile", "country code", "country of domicile",
        "issuer country", "country of incorporation",
    ),
    "side": ("side", "buy sell", "buy/sell", "direction", "b/s", "transaction type", "action"),
    "trade_time": (
        "trade time", "trade date", "trade datetime", "trade date time", "execution time", "exec time", "timestamp",
        "date", "time",
    ),
    "account": ("account", "account id", "account number", "acct", "account code"),
    "fund": ("fund", "portfolio", "fund name", "fund code", "book"),
    "weight": (
        "weight", "weight %", "weighting", "% of net assets", "percent of fund", "pct", "allocation", "% weight",
        "weight (%)", "% of fund", "% of funds", "percentage of fund", "portfolio weight", "% net assets", "weight pct",
        "% of market value", "index weight",
    ),
}  # fmt: skip

IDENTIFIER_FIELDS = ("isin", "cusip", "sedol", "lei", "figi", "ticker")


def normalise_header(text: str) -> str:
    return re.sub(r"[^0-9a-z%]+", "", text.casefold())


_SYNONYMS: dict[str, str] = {normalise_header(s): name for name, synonyms in FIELDS.items() for s in synonyms}


class MappingError(ValueError):
    """A hand mapping that names an unknown field or a column the file does not have."""


@dataclass(frozen=True)
class ColumnMap:
    """Field name -> column index, plus the columns nobody claimed (passed through and reported)."""

    header: tuple[str, ...]
    index: dict[str, int] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()  # columns that matched a field another column already holds

    def column(self, name: str) -> str | None:
        position = self.index.get(name)
        return None if position is None else self.header[position]


def parse_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """`--map isin="Security ID"` options into {field: header}."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or not value.strip():
            raise MappingError(f"--map {pair!r}: write FIELD=COLUMN, e.g. --map isin='Security ID'")
        if key not in FIELDS:
            raise MappingError(f"--map {pair!r}: unknown field {key!r} (known: {', '.join(FIELDS)})")
        mapping[key] = value.strip()
    return mapping


def detect_columns(header: Sequence[str], manual: Mapping[str, str] | None = None) -> ColumnMap:
    names = tuple(str(cell).strip() if cell is not None else "" for cell in header)
    index: dict[str, int] = {}
    claimed: set[int] = set()
    for field_name, column in (manual or {}).items():
        matches = [i for i, name in enumerate(names) if name == column] or [
            i for i, name in enumerate(names) if normalise_header(name) == normalise_header(column)
        ]
        if not matches:
            raise MappingError(f"--map {field_name}={column!r}: the file has no column {column!r}")
        index[field_name] = matches[0]
        claimed.add(matches[0])
    unknown: list[str] = []
    duplicates: list[str] = []
    for position, name in enumerate(names):
        if position in claimed:
            continue
        detected = _SYNONYMS.get(normalise_header(name))
        if detected is None:
            unknown.append(name)
        elif detected in index:
            duplicates.append(name)
        else:
            index[detected] = position
    return ColumnMap(names, index, tuple(unknown), tuple(duplicates))
