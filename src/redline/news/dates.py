"""Dates as news gives them ("on Friday", "last week", "in January", "3月12日", "上周"), resolved against the
article's publication time.

A date is kept at the precision the text gives it: a day (`2021-03-12`), an ISO week (`2021-W20`, "last week"),
a month (`2021-03`, "in March", "this month") or a year (`2022`). Relative words count back from the publication
day in the article's own time zone (a Beijing paper's "周五" is Friday in Beijing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from redline.model.periods import Period, Precision, month


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    period: Period
    reported: bool  # dates the report ("said on Thursday"), not the event


def day(value: date) -> Period:
    return Period(value, value, Precision.DAY)


def week_of(value: date) -> Period:
    monday = value - timedelta(days=value.weekday())
    return Period(monday, monday + timedelta(days=6), Precision.WEEK)


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_HAN_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"

# Each pattern names its parts; `_resolve` turns a match into a Period. Longest forms first.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.I)),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})\s+{_MONTH}\s+(?P<y>\d{{4}})\b", re.I)),
    ("my", re.compile(rf"\b{_MONTH}\s+(?P<y>\d{{4}})\b", re.I)),
    ("md", re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*%)", re.I)),
    ("dm", re.compile(rf"\b(?P<d>\d{{1,2}})\s+{_MONTH}\b", re.I)),
    ("m", re.compile(rf"\b(?:in|since|from|during|of|early|late|mid-?)\s+{_MONTH}(?!\s+\d)\b", re.I)),
    ("weekday", re.compile(rf"\b(?P<last>last\s+)?{_WEEKDAY}\b", re.I)),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>today|yesterday|this morning|this week|last week|this month|last month|"
            r"this year|last year|earlier this year|earlier this month)\b",
            re.I,
        ),
    ),
    ("y", re.compile(r"\b(?:in|since|during|of)\s+(?P<y>(?:19|20)\d{2})\b", re.I)),
    ("zh_ymd", re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]")),
    ("zh_md", re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]")),
    ("zh_ym", re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月")),
    ("zh_m", re.compile(r"(?<![\d年])(?P<m>\d{1,2})月(?![\d份]*[日号])")),
    ("zh_weekday", re.compile(r"(?P<last>上)?(?:周|星期|礼拜)(?P<hw>[一二三四五六日天])")),
    (
        "zh_relative",
        re.compile(r"(?P<rel>今天|今日|昨天|昨日|上周|上星期|本周|这周|本月|这个月|上个月|上月|今年|去年)"),
    ),
    ("zh_y", re.compile(r"(?P<y>(?:19|20)\d{2})年(?!\d)")),
]
_RELATIVE = {
    "今天": "today", "今日": "today", "昨天": "yesterday", "昨日": "yesterday", "上周": "last week",
    "上星期": "last week", "本周": "this week", "这周": "this week", "本月": "this month", "这个月": "this month",
    "上个月": "last month", "上月": "last month", "今年": "this year", "去年": "last year",
}  # fmt: skip
# "said on Thursday", "announced Friday", "周三表示": the day of the statement, not of the event it reports.
_REPORTED_BEFORE = re.compile(
    r"\b(?:said|says|announced|told|reported|wrote|stated|confirmed|disclosed|added)\s+(?:on\s+)?$", re.I
)
_REPORTED_AFTER = re.compile(r"^\s*(?:表示|称|宣布|说|透露|证实)")


def _resolve(kind: str, m: re.Match[str], today: date) -> Period | None:
    parts = m.groupdict()
    if kind in ("iso", "mdy", "dmy", "zh_ymd"):
        number = MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["m"])
        return day(date(int(parts["y"]), number, int(parts["d"])))
    if kind in ("md", "dm", "zh_md"):
        number = MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["m"])
        found = date(today.year, number, int(parts["d"]))
        # News speaks of the recent past: a month and day more than a week ahead is last year's.
        return day(found if found <= today + timedelta(days=7) else found.replace(year=today.year - 1))
    if kind in ("my", "zh_ym"):
        number = MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["m"])
        return month(int(parts["y"]), number)
    if kind in ("m", "zh_m"):
        number = MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["m"])
        return month(today.year if number <= today.month else today.year - 1, number)
    if kind in ("weekday", "zh_weekday"):
        weekday = WEEKDAYS[parts["weekday"].lower()] if parts.get("weekday") else _HAN_WEEKDAYS[parts["hw"]]
        if kind == "zh_weekday" and parts.get("last"):  # "上周五": Friday of the week before this one
            back = today.weekday() + 7 - weekday
        else:  # "on Friday" is the latest Friday up to today; "last Friday" one strictly before today
            back = (today.weekday() - weekday) % 7
            if parts.get("last") and back == 0:
                back = 7
        return day(today - timedelta(days=back))
    if kind in ("relative", "zh_relative"):
        rel = parts["rel"].lower()
        rel = _RELATIVE.get(rel, rel)
        if rel in ("today", "this morning"):
            return day(today)
        if rel == "yesterday":
            return day(today - timedelta(days=1))
        if rel == "this week":
            return week_of(today)
        if rel == "last week":
            return week_of(today - timedelta(days=7))
        if rel in ("this month", "earlier this month"):
            return month(today.year, today.month)
        if rel == "last month":
            previous = today.replace(day=1) - timedelta(days=1)
            return month(previous.year, previous.month)
        year = today.year - (rel == "last year")
        return Period(date(year, 1, 1), date(year, 12, 31), Precision.YEAR)
    if kind in ("y", "zh_y"):
        year = int(parts["y"])
        return Period(date(year, 1, 1), date(year, 12, 31), Precision.YEAR)
    return None


def find_dates(text: str, published: datetime) -> list[DateMention]:
    """Every date expression in `text`, non-overlapping, in order, resolved against `published`."""
    today = published.date()  # the publication's own zone: its "Friday" is the writer's
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            try:
                period = _resolve(kind, m, today)
            except (ValueError, KeyError):  # "February 30": not a date
                continue
            if period is None:
                continue
            reported = bool(_REPORTED_BEFORE.search(text[max(0, m.start() - 30) : m.start()])) or bool(
                _REPORTED_AFTER.match(text[m.end() : m.end() + 4])
            )
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), period, reported))
    return sorted(found, key=lambda d: d.start)
