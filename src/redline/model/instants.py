"""Timezone-aware instants.

Legal deadlines in these orders are stated in Eastern Time, so `America/New_York` is the reference zone and
EST/EDT follow the calendar. A bare date means 12:00 noon New York time (project convention: the middle of the
US business day, so a date never slides to the previous or next day in any US zone).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Annotated, Any
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
NOON = time(12, 0)
# The fixed Eastern offsets an order may name literally ("9:30 a.m. eastern standard time"), whatever the season.
FIXED_ZONES = {"EST": timezone(timedelta(hours=-5), "EST"), "EDT": timezone(timedelta(hours=-4), "EDT")}

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InstantError(ValueError):
    """A text that is not an ISO 8601 date or date-time."""


def at_new_york(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """The wall-clock time `hour:minute` on `day` in New York, with the EST/EDT offset in force then."""
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 date or date-time into an aware datetime.

    - `2021-03-15` -> 2021-03-15 12:00 America/New_York.
    - `2021-03-15T09:30-04:00` or `...Z` -> that instant.
    - A date-time without an offset is read as New York wall-clock time, because every deadline in these
      regimes is stated in Eastern Time.
    """
    value = text.strip()
    if not value:
        raise InstantError("empty date")
    if _DATE_ONLY.match(value):
        try:
            return at_new_york(date.fromisoformat(value))
        except ValueError as exc:
            raise InstantError(f"not a valid date: {text!r} ({exc})") from None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise InstantError(
            f"not an ISO 8601 date or date-time: {text!r} (e.g. 2021-03-15 or 2021-03-15T09:30-04:00)"
        ) from None
    moment = parsed.replace(tzinfo=NEW_YORK) if parsed.tzinfo is None else parsed
    try:
        # Every rule reads the instant in New York and in UTC; at the ends of year 1 and year 9999 one of them
        # falls outside the calendar, so refuse it here rather than fail inside the rules.
        moment.astimezone(NEW_YORK)
        moment.astimezone(UTC)
    except OverflowError:
        raise InstantError(f"out of range: {text!r} is not a date in years 1 to 9999 in New York and UTC") from None
    return moment


def _validated(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InstantError("naive datetime: every instant in Redline carries a zone")
        return value
    if isinstance(value, str):
        # Empty is absent (a form's blank field, `?on=`): the parameter's default, usually now.
        return parse_instant(value) if value else None
    raise InstantError("not an ISO 8601 date or date-time (e.g. 2021-03-15 or 2021-03-15T09:30-04:00)")


class _InstantHook:
    """Pydantic's hook (the API's query, form and body fields): parsed by `parse_instant`, written as `iso`,
    documented as a date or a date-time. Imports pydantic only when a model or a route asks for a schema."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _validated,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda moment: iso(moment) if isinstance(moment, datetime) else moment, when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
                {"type": "string", "maxLength": 0},
            ],
            "description": INSTANT_HELP,
        }


INSTANT_HELP = "ISO 8601: a bare date is 12:00 noon New York; a date-time without an offset is New York time"
# The one instant type of every face: the API's parameters (this hook), the CLI's options (`parser=parse_instant`),
# the MCP tools. A value is an aware datetime; text is read by `parse_instant`, and a refusal is an InstantError.
Instant = Annotated[datetime, _InstantHook()]


def or_now(moment: datetime | None) -> datetime:
    """An optional instant's default: now (UTC)."""
    return moment if moment is not None else datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO 8601 with the offset, to the second (what the JSON contract prints)."""
    if moment.tzinfo is None:
        raise InstantError("naive datetime: every instant in Redline carries a zone")
    return moment.isoformat(timespec="seconds")


def new_york_date(moment: datetime) -> date:
    """The calendar date in New York at `moment`."""
    return moment.astimezone(NEW_YORK).date()


def days_after(day: date, days: int) -> date:
    return day + timedelta(days=days)
