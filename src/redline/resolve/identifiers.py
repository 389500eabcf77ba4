"""Security and entity identifiers in queries: ISIN, CUSIP, SEDOL, LEI, FIGI (check digits via
python-stdnum) and tickers in the forms people type them (`1810.HK`, `1810 HK`, `01810`, `002415.SZ`,
`002415 CH`, `XIACF`). A hit on an identifier is decisive: it names the entity regardless of names.
"""

from __future__ import annotations

import re

from stdnum import cusip, figi, isin, lei
from stdnum.gb import sedol

from redline.model import Identifier, IdScheme

# Exchange and market codes (Yahoo, Bloomberg, MIC-like) folded to the market the bundled data uses.
_MARKETS: dict[str, str] = {
    **dict.fromkeys(["HK", "HKG", "HKEX", "SEHK", "XHKG"], "HK"),
    **dict.fromkeys(["CN", "CH", "SZ", "SS", "SH", "SHE", "SHA", "SZSE", "SSE", "C1", "C2", "XSHG", "XSHE"], "CN"),
    **dict.fromkeys(["US", "UN", "UW", "UQ", "UA", "UP", "UR", "PK", "OTC", "NYSE", "NASDAQ", "XNYS", "XNAS"], "US"),
}
_TICKER = re.compile(r"^(?:([A-Z]{2,6}):)?([A-Z0-9]{1,6})(?:[ .:/-]([A-Z0-9]{1,6}))?$")
_CHECKED = (
    (IdScheme.ISIN, isin),
    (IdScheme.LEI, lei),
    (IdScheme.FIGI, figi),
    (IdScheme.CUSIP, cusip),
    (IdScheme.SEDOL, sedol),
)

IdKey = tuple[str, str, str]  # (scheme, market or "", normalised value)


def market(exchange: str | None) -> str:
    if not exchange:
        return ""
    return _MARKETS.get(exchange.upper(), exchange.upper())


def _ticker_value(code: str, mkt: str) -> str:
    # HK codes are written 1810, 01810 or 001810; A-share codes always have six digits.
    if code.isdigit() and mkt != "CN":
        return str(int(code))
    return code


def keys_of(identifier: Identifier) -> list[IdKey]:
    """Lookup keys under which a listed identifier is found."""
    value = identifier.value.strip().upper().replace(" ", "")
    if identifier.scheme is not IdScheme.TICKER:
        return [(identifier.scheme.value, "", value)]
    mkt = market(identifier.exchange)
    code = _ticker_value(value, mkt)
    return [("ticker", mkt, code), ("ticker", "", code)]


def parse_query(query: str) -> list[tuple[IdKey, str]]:
    """Identifier keys a query could be, each with a description; [] when it is not an identifier."""
    text = query.strip()
    compact = text.upper().replace(" ", "").replace("-", "")
    found: list[tuple[IdKey, str]] = []
    for scheme, module in _CHECKED:
        if module.is_valid(compact):
            found.append(
                (
                    (scheme.value, "", module.compact(compact).upper()),
                    f"{scheme.value.upper()} {compact} (check digit valid)",
                )
            )
    if found:
        return found
    match = _TICKER.match(text.upper()) if len(text) <= 16 else None
    if not match:
        return []
    prefix, code, suffix = match.groups()
    exchange = prefix or suffix
    if exchange and exchange not in _MARKETS:
        return []
    if code.isalpha() and (not exchange and text != text.upper()):
        return []  # a lower-case word is a name, not a ticker
    if not code.isalnum() or (exchange and not (code.isdigit() or code.isalpha())):
        return []
    mkt = market(exchange)
    if not mkt and code.isdigit():
        mkt = "CN" if len(code) == 6 else "HK"
    return [(("ticker", mkt, _ticker_value(code, mkt)), f"ticker {text}")]
