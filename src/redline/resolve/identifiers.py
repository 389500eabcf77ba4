"""Security and entity identifiers in queries: ISIN, CUSIP, SEDOL, LEI, FIGI (check digits via python-stdnum),
identifiers as the lists print them (verbatim, even with a failing check digit), and tickers in every vendor form.

`parse_ticker` is the one reader of ticker strings: `redline status`, `redline match` and screening's rows all
go through it, so `0981.HK` (Yahoo/Reuters RIC), `981 HK Equity` (Bloomberg), `HKEX:1186` (exchange prefix),
`002415 CH`, `688981.SS` and `CTMA.DE` name the same listings everywhere. A-share codes are six-digit strings
(`000728` is never Hong Kong's 728). A hit on an identifier is decisive: it names the entity regardless of names.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from redline.model import Identifier, IdScheme

# Exchange and market codes as vendors write them (Yahoo and RIC suffixes, Bloomberg exchange codes, MICs,
# names), folded to the market codes the bundled data uses. Bloomberg's `SG` (Singapore in the data) and
# Yahoo's `SG` (Stuttgart) collide; the data's meaning wins.
_MARKETS: dict[str, str] = {
    **dict.fromkeys(["HK", "HKG", "HKEX", "SEHK", "XHKG", "H1", "H2", "HONG KONG"], "HK"),
    **dict.fromkeys(
        [
            *("CN", "CH", "SZ", "SS", "SH", "SHE", "SHA", "SZSE", "SSE", "C1", "C2", "CG", "CS", "XSHG", "XSHE"),
            *("SHANGHAI", "SHENZHEN"),
        ],
        "CN",
    ),
    **dict.fromkeys(
        [
            *("US", "UN", "UW", "UQ", "UA", "UP", "UR", "UV", "PQ", "PK", "OTC", "OTCM", "OTCQX", "OTCQB", "PINK"),
            *("NYSE", "NASDAQ", "XNYS", "XNAS", "ARCX", "N", "O", "OQ", "A", "P", "NB", "OB"),
        ],
        "US",
    ),
    **dict.fromkeys(
        ["DE", "GR", "GY", "GF", "GS", "GB", "GM", "GD", "GH", "GI", "F", "BE", "MU", "DU", "HM", "HA", "XETRA"], "DE"
    ),
    **dict.fromkeys(["XETR", "XFRA", "FRA", "ETR", "XBER", "XMUN", "XSTU", "DEU", "GER"], "DE"),
    **dict.fromkeys(["SG", "SI", "SP", "SGX", "XSES", "SES"], "SG"),
    **dict.fromkeys(["CA", "CN.TO", "TO", "CT", "TSX", "XTSE", "V", "CV"], "CA"),
    **dict.fromkeys(["BR", "BZ", "SA", "BVMF", "B3"], "BR"),
    **dict.fromkeys(["AR", "BA", "AF", "XBUE", "BCBA"], "AR"),
    **dict.fromkeys(["RU", "RX", "RM", "ME", "MM", "MOEX", "MISX"], "RU"),
}
# Bloomberg's yellow key after the exchange code: "981 HK Equity".
_YELLOW_KEY = re.compile(r"\s+(?:EQUITY|EQ)$")
_PREFIXED = re.compile(r"^([A-Z][A-Z0-9 ]{0,9}):\s*([A-Z0-9]{1,8})$")  # HKEX:1186, NASDAQ: BIDU
_SUFFIXED = re.compile(r"^([A-Z0-9]{1,8})(\.|\s+|/|-)([A-Z][A-Z0-9]{0,4})$")  # 0981.HK, 981 HK, CTMA.DE
_BARE = re.compile(r"^[A-Z0-9]{1,8}$")
# (scheme, checker, length): the length first, since a short word can pass a bare mod-97 check ("HUAWEI")
# (python-stdnum module, imported on first use: it loads pydoc and ssl, a fifth of a cold identifier answer)
_CHECKED = (
    (IdScheme.ISIN, "isin", 12),
    (IdScheme.LEI, "lei", 20),
    (IdScheme.FIGI, "figi", 12),
    (IdScheme.CUSIP, "cusip", 9),
    (IdScheme.SEDOL, "gb.sedol", 7),
)
# An ASCII character outside every checked scheme's alphabet (0-9, A-Z, and CUSIP's * @ #) and not whitespace (which
# stdnum strips): no checker can accept the text ("1810.HK"), so it is not asked. stdnum maps some non-ASCII
# characters to ASCII first, so those are asked.
_UNCHECKABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x21\x22\x24-\x29\x2b-\x2f\x3a-\x3f\x5b-\x7f]")
# Identifiers as printed (any scheme) are also found by their characters alone: OFAC prints some ISINs with a
# bad check digit (CND10002K094), passports and registration numbers have no check to run.
VERBATIM = "as-printed"
MIN_PRINTED = 4  # shorter strings are words and codes more often than printed identifiers

IdKey = tuple[str, str, str]  # (scheme, market or "", normalised value)


@dataclass(frozen=True, slots=True)
class Ticker:
    code: str  # normalised: HK codes without leading zeros, A-share codes as six-digit strings
    market: str  # "HK", "CN", "US", "DE" ... or "" when the text did not say
    text: str  # as given


def market(exchange: str | None) -> str:
    """The market code for an exchange code in any vendor's spelling ("" for none; unknown codes as given)."""
    if not exchange:
        return ""
    text = " ".join(exchange.upper().split())
    return _MARKETS.get(text, text)


def known_market(exchange: str) -> bool:
    return " ".join(exchange.upper().split()) in _MARKETS


def ticker_code(code: str, mkt: str) -> str:
    """A ticker code as the index keys it. HK codes are written 1810, 01810 or 001810: the number counts.
    A six-digit code without a market is an A-share (HK codes have at most five digits): kept as written."""
    code = code.upper()
    if code.isdigit() and mkt != "CN" and not (mkt == "" and len(code) == 6):
        return str(int(code))
    return code


def parse_ticker(text: str, exchange: str | None = None) -> Ticker | None:
    """A ticker in any vendor form, or None when `text` is not one. `exchange` (a separate column) counts when
    the text itself names no exchange. Lower-case words are names, not tickers, unless an exchange is given."""
    given = " ".join(text.split())
    upper = _YELLOW_KEY.sub("", given.upper())
    if not upper or len(upper) > 20:
        return None
    code, named = upper, ""
    found = _PREFIXED.match(upper)
    if found:
        named, code = found.group(1).strip(), found.group(2)
    else:
        found = _SUFFIXED.match(upper)
        if found:
            code, named = found.group(1), found.group(3)
            if len(named) == 1 and found.group(2) != ".":
                return None  # one-letter codes are Reuters suffixes (BIDU.O); "BYD A" is a share class
        elif not _BARE.match(upper):
            return None
    if named and not known_market(named):
        return None
    if not code.isalnum():
        return None
    if code.isalpha() and not named and not exchange and given != given.upper():
        return None  # "Baidu" is a name; "BIDU" may be a ticker
    mkt = market(named or exchange)
    if not mkt and code.isdigit() and len(code) == 6:
        mkt = "CN"
    return Ticker(ticker_code(code, mkt), mkt, given)


def printed_value(value: str) -> str:
    """An identifier as printed, reduced to its letters and digits ("CND10002K094", "WWWEXAMPLECOM")."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def keys_of(identifier: Identifier) -> list[IdKey]:
    """Lookup keys under which a listed identifier is found."""
    value = identifier.value.strip().upper().replace(" ", "")
    if identifier.scheme is not IdScheme.TICKER:
        keys = [(identifier.scheme.value, "", value)]
        printed = printed_value(value)
        if len(printed) >= MIN_PRINTED:
            keys.append((VERBATIM, "", printed))
        return keys
    mkt = market(identifier.exchange)
    code = ticker_code(value, mkt)
    return [("ticker", mkt, code), ("ticker", "", code)]


def parse_query(query: str) -> list[tuple[IdKey, str]]:
    """Identifier keys a query could be, each with a description; [] when it is not an identifier."""
    text = query.strip()
    compact = text.upper().replace(" ", "").replace("-", "")
    found: list[tuple[IdKey, str]] = []
    checkable = _UNCHECKABLE.search(compact) is None
    for scheme, name, length in _CHECKED:
        if checkable and len(compact) == length and (module := checker(name)).is_valid(compact):
            key = (scheme.value, "", module.compact(compact).upper())
            found.append((key, f"{scheme.value.upper()} {compact} (check digit valid)"))
    ticker = parse_ticker(text) if not found else None
    if ticker is not None:
        where = f" on {ticker.market}" if ticker.market else ""
        found.append((("ticker", ticker.market, ticker.code), f"ticker {text}{where}"))
    # any listed identifier, character for character (a passport "A123456" reads as a ticker too)
    printed = printed_value(text)
    bare = ticker is None or ticker.code.lstrip("0") == printed.lstrip("0")
    if bare and len(printed) >= MIN_PRINTED:
        found.append(((VERBATIM, "", printed), f"{text} as printed on the list"))
    return found


@cache
def checker(name: str) -> ModuleType:
    """The python-stdnum module `name` ("isin", "gb.sedol")."""
    return importlib.import_module(f"stdnum.{name}")


def checksum_note(scheme: str, value: str) -> str:
    """Why a listed identifier that was found verbatim fails its check digit ("" when it passes or has none)."""
    for checked, name, _ in _CHECKED:
        if checked.value == scheme and not checker(name).is_valid(value):
            return f"{scheme.upper()} {value} fails its check digit as the list prints it; matched as printed"
    return ""
