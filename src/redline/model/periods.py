"""Dates known to a precision: a day, an ISO week, a month or a year (as news and some lists give them).

`first` and `last` bound the days the period can mean; `text()` writes it as `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`
or `YYYY`, and `Period.parse` reads that back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Precision(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Period:
    """A day, week, month or year: `first` and `last` are its first and last days."""

    first: date
    last: date
    precision: Precision

    def text(self) -> str:
        if self.precision is Precision.DAY:
            return self.first.isoformat()
        if self.precision is Precision.WEEK:
            year, week, _ = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        if self.precision is Precision.MONTH:
            return f"{self.first.year}-{self.first.month:02d}"
        return str(self.first.year)

    @classmethod
    def parse(cls, text: str) -> Period:
        """The inverse of `text()`. Raises ValueError for anything else."""
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", text):
            first = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return cls(first, first + timedelta(days=6), Precision.WEEK)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            return month(int(m[1]), int(m[2]))
        if re.fullmatch(r"\d{4}", text):
            return cls(date(int(text), 1, 1), date(int(text), 12, 31), Precision.YEAR)
        day = date.fromisoformat(text)
        return cls(day, day, Precision.DAY)


def month(year: int, number: int) -> Period:
    first = date(year, number, 1)
    following = date(year + (number == 12), number % 12 + 1, 1)
    return Period(first, following - timedelta(days=1), Precision.MONTH)
