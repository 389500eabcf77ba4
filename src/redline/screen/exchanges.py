"""Which market a bare ticker trades on, inferred from what the line gives when the file has no exchange column.

Issuers' holdings files often give a ticker without its exchange ("1766", "601766", "BABA") but with a country or
"location" and a currency. A ticker code means nothing without its market: "728" is China Telecom on the Hong Kong
exchange, "000728" a Shenzhen A-share, "005930" a Korean one. The inference is stated in the match explanation, so a
reader can see it was inferred and from what.

Rules, in order (each says why):
- a six-digit code: an A-share (CN) when the line's country or currency is China's or unstated; otherwise the
  market of the stated country (Korean and Taiwanese codes are numeric too);
- currency HKD, or a country of China or Hong Kong with a numeric code of at most five digits: Hong Kong (H shares
  and red chips; A-shares always have six digits);
- country China with a code of letters and currency USD or none: a US listing (ADRs of Chinese issuers);
- otherwise the stated country's own market, or the currency's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rigour.territories import lookup_territory

from redline.resolve.identifiers import known_market, market

# Markets the bundled identifiers use, by ISO 3166 alpha-2 country (redline.resolve.identifiers' market codes).
DATA_MARKETS = {
    "cn": "CN",
    "hk": "HK",
    "us": "US",
    "de": "DE",
    "sg": "SG",
    "ca": "CA",
    "br": "BR",
    "ar": "AR",
    "ru": "RU",
}
CURRENCY_MARKETS = {"HKD": "HK", "CNY": "CN", "CNH": "CN", "USD": "US", "SGD": "SG", "CAD": "CA", "BRL": "BR"}
GREATER_CHINA = {"cn", "hk"}


@dataclass(frozen=True, slots=True)
class Inference:
    market: str  # a market code the resolver keys tickers by (HK, CN, US...) or a country's name for other markets
    reason: str  # "exchange HK inferred from currency HKD and the code's shape (1-5 digits)"


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """ISO 3166 alpha-2 (lower case) of a country as files write it ("China", "CN", "Korea (South)"), or None."""
    text = " ".join(text.split())
    if not text:
        return None
    territory = lookup_territory(text)
    return territory.code if territory is not None and len(territory.code) == 2 else None


@lru_cache(maxsize=4096)
def _market_of_country(code: str) -> str:
    """The market for a country: the data's code, or the country's name (never a two-letter code, because vendors'
    exchange codes reuse country codes: Bloomberg's CH is China, GB Berlin, SA São Paulo)."""
    if code in DATA_MARKETS:
        return DATA_MARKETS[code]
    territory = lookup_territory(code)
    return (territory.name if territory is not None else code).upper()


def infer_market(code: str, country: str, currency: str) -> Inference | None:
    """The market of a bare ticker `code` from the line's country and currency, or None when nothing points to one."""
    code = code.strip().upper()
    if not code.isalnum():
        return None
    where = country_code(country) if country else None
    ccy = currency.strip().upper()
    evidence = [f"country {country.strip()}" if where else "", f"currency {ccy}" if ccy else ""]
    said = ", ".join(part for part in evidence if part)
    if code.isdigit() and len(code) == 6:
        if where in (None, "cn") and ccy in ("", "CNY", "CNH", "USD"):
            return Inference("CN", _reason("CN", said, "a six-digit code (A-share)"))
        if where is not None:
            return Inference(_market_of_country(where), _reason(_market_of_country(where), said, "a six-digit code"))
    if code.isdigit() and len(code) <= 5 and (ccy == "HKD" or (where in GREATER_CHINA and ccy in ("", "HKD"))):
        return Inference("HK", _reason("HK", said, "a code of at most five digits"))
    if code.isalpha() and where in GREATER_CHINA and ccy in ("", "USD"):
        return Inference("US", _reason("US", said, "a code of letters (an ADR)"))
    if where is not None and (ccy == "" or CURRENCY_MARKETS.get(ccy) in (None, DATA_MARKETS.get(where))):
        return Inference(_market_of_country(where), _reason(_market_of_country(where), said, ""))
    if ccy in CURRENCY_MARKETS and where is None:
        return Inference(CURRENCY_MARKETS[ccy], _reason(CURRENCY_MARKETS[ccy], said, ""))
    return None


def _reason(market: str, said: str, shape: str) -> str:
    basis = ", ".join(part for part in (said, shape) if part)
    return f"exchange {market} inferred from {basis} (the file has no exchange for this line)"


def countries_conflict(row_country: str, entity_country: str | None) -> bool:
    """True when a line's country rules the entity out: both known, and the line is from another country than the
    entity's, outside the places a company of that country lists or incorporates (greater China and the offshore
    centres its groups use, the US and Singapore for listings)."""
    if not entity_country or not row_country:
        return False
    line = country_code(row_country)
    if line is None:
        return False
    entity = entity_country.casefold()
    if entity == "cn":
        return line not in {"cn", "hk", "mo", "ky", "bm", "vg", "us", "sg", "gb"}
    return line != entity


# Exchanges as issuers' files name them in full ("Hong Kong Exchanges And Clearing Ltd", "Shenzhen Stock Exchange",
# "NASDAQ", "New York Stock Exchange Inc."): a word of the name that says the market.
_EXCHANGE_WORDS = (
    ("HONG KONG", "HK"),
    ("SHANGHAI", "CN"),
    ("SHENZHEN", "CN"),
    ("NEW YORK", "US"),
    ("NASDAQ", "US"),
    ("NYSE", "US"),
    ("XETRA", "DE"),
    ("FRANKFURT", "DE"),
    ("SINGAPORE", "SG"),
    ("TORONTO", "CA"),
)


def exchange_market(text: str) -> str:
    """The market code for an exchange in any spelling: vendor codes and MICs (redline.resolve.identifiers.market),
    or an exchange's full name; other names as given (they then match no listed ticker)."""
    if known_market(text):
        return market(text)
    upper = " ".join(text.upper().split())
    for word, code in _EXCHANGE_WORDS:
        if word in upper:
            return code
    return market(text)
