"""Dates as official lists print them: "03 Jun 2021", "Jun 2021", "1962", "circa 1960", "1960 to 1965", ISO.

Each printed date becomes the range of calendar days it can mean, so a partial date keeps its uncertainty.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_ONE = (
    r"(?:(?P<d>\d{1,2})\s+)?(?:(?P<m>[A-Za-z]{3})[a-z]*\.?\s+)?(?P<y>\d{4})"  # 03 Jun 2021 / Jun 2021 / 2021
    r"|(?P<iy>\d{4})-(?P<im>\d{2})(?:-(?P<id>\d{2}))?"  # 2021-06-03 / 2021-06
    r"|(?P<um>\d{1,2})/(?P<ud>\d{1,2})/(?P<uy>\d{4})"  # US style 06/03/2021
)
_ONE_RE = re.compile(rf"^(?:{_ONE})$")
_CIRCA = re.compile(r"^(?:circa|approximately|approx\.?|ca\.?|about)\s+", re.IGNORECASE)
_RANGE = re.compile(r"\s+(?:to|-|–)\s+")


def _bounds(text: str) -> tuple[date, date] | None:
    match = _ONE_RE.match(text.strip())
    if not match:
        return None
    groups = match.groupdict()
    try:
        if groups["y"]:
            year = int(groups["y"])
            month = _MONTHS.get(groups["m"].lower()) if groups["m"] else None
            if groups["m"] and month is None:
                return None
            day = int(groups["d"]) if groups["d"] else None
        elif groups["iy"]:
            year, month = int(groups["iy"]), int(groups["im"])
            day = int(groups["id"]) if groups["id"] else None
        else:
            year, month, day = int(groups["uy"]), int(groups["um"]), int(groups["ud"])
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        exact = date(year, month, day)
    except ValueError:
        return None
    return exact, exact


def parse_printed_date(text: str) -> tuple[date, date, bool] | None:
    """(earliest, latest, circa) for a printed date or date range; None when the text is not a date."""
    value = text.strip().rstrip(".")
    circa = bool(_CIRCA.match(value))
    value = _CIRCA.sub("", value)
    parts = _RANGE.split(value, maxsplit=1)
    if len(parts) == 2:
        first, last = _bounds(parts[0]), _bounds(parts[1])
        if first is None or last is None:
            return None
        return first[0], last[1], circa
    single = _bounds(value)
    if single is None:
        return None
    return single[0], single[1], circa


def parse_exact_date(text: str) -> date | None:
    """A printed date that names one calendar day, else None."""
    parsed = parse_printed_date(text)
    if parsed is None or parsed[0] != parsed[1] or parsed[2]:
        return None
    return parsed[0]


def parse_us_date(text: str) -> date | None:
    """OFAC XML's Publish_Date, MM/DD/YYYY."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None
