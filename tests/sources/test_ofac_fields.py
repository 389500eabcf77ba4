from __future__ import annotations

from datetime import date

import pytest

from redline.model import IdScheme
from redline.model.records import FactKey
from redline.sources.ofac_fields import Parsed, parse_remarks
from redline.sources.printed_dates import parse_exact_date, parse_printed_date, parse_us_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03 Jun 2021", (date(2021, 6, 3), date(2021, 6, 3), False)),
        ("Jun 2021", (date(2021, 6, 1), date(2021, 6, 30), False)),
        ("Feb 2020", (date(2020, 2, 1), date(2020, 2, 29), False)),
        ("1962", (date(1962, 1, 1), date(1962, 12, 31), False)),
        ("circa 1960", (date(1960, 1, 1), date(1960, 12, 31), True)),
        ("1960 to 1965", (date(1960, 1, 1), date(1965, 12, 31), False)),
        ("01 Jan 1960 to 31 Dec 1962", (date(1960, 1, 1), date(1962, 12, 31), False)),
        ("2021-06-03", (date(2021, 6, 3), date(2021, 6, 3), False)),
        ("06/03/2021", (date(2021, 6, 3), date(2021, 6, 3), False)),
        ("31 Feb 2021", None),
        ("2021-13-01", None),
        ("Shati", None),
        ("", None),
    ],
)
def test_printed_dates(text: str, expected: tuple[date, date, bool] | None) -> None:
    assert parse_printed_date(text) == expected


def test_exact_and_us_dates() -> None:
    assert parse_exact_date("02 Aug 2021") == date(2021, 8, 2)
    assert parse_exact_date("Aug 2021") is None and parse_exact_date("circa 02 Aug 2021") is None
    assert parse_us_date("06/15/2021") == date(2021, 6, 15) and parse_us_date("2021-06-15") is None


def test_remarks_items() -> None:
    parsed = Parsed()
    parse_remarks(
        "DOB 1960 to 1965; nationality Iran; Digital Currency Address - XBT 1AbCdEf; alt. Digital Currency Address - "
        "ETH 0x12ab; Tax ID No. 7744001497 (Russia); Listing Date (EO 14024 Directive 3): 24 Feb 2022; "
        "Equity Ticker 601800 CN; Some unstructured sentence; Linked To: A, B AND C CO., LTD.",
        parsed,
    )
    assert [(d.earliest, d.latest) for d in parsed.dates] == [(date(1960, 1, 1), date(1965, 12, 31))]
    assert parsed.countries == ["Iran"]
    assert [(i.scheme, i.label, i.value) for i in parsed.identifiers if i.scheme is IdScheme.OTHER] == [
        (IdScheme.OTHER, "Digital Currency Address - XBT", "1AbCdEf"),
        (IdScheme.OTHER, "Digital Currency Address - ETH", "0x12ab"),
    ]
    tax = next(i for i in parsed.identifiers if i.scheme is IdScheme.TAX_ID)
    assert (tax.value, tax.country) == ("7744001497", "Russia")
    ticker = next(i for i in parsed.identifiers if i.scheme is IdScheme.TICKER)
    assert (ticker.value, ticker.exchange) == ("601800", "CN")
    (listing,) = [f for f in parsed.facts if f.key is FactKey.LISTING_DATE]
    assert (listing.qualifier, listing.day) == ("EO 14024 Directive 3", date(2022, 2, 24))
    assert [f.value for f in parsed.facts if f.key is FactKey.LINKED_TO] == ["A, B AND C CO., LTD"]
