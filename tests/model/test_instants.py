from datetime import UTC, datetime

import pytest

from redline.model import InstantError, at_new_york, iso, parse_instant


def test_bare_date_is_noon_in_new_york_with_the_offset_of_the_day() -> None:
    assert iso(parse_instant("2021-01-15")) == "2021-01-15T12:00:00-05:00"  # EST
    assert iso(parse_instant("2021-07-15")) == "2021-07-15T12:00:00-04:00"  # EDT


def test_offsets_are_kept_and_naive_times_are_new_york() -> None:
    assert parse_instant("2021-03-15T13:30Z") == datetime(2021, 3, 15, 13, 30, tzinfo=UTC)
    assert parse_instant("2021-03-15T09:30") == at_new_york(parse_instant("2021-03-15").date(), 9, 30)
    assert parse_instant("2021-03-15T09:30").utcoffset() is not None


def test_dst_switch_changes_the_utc_instant_of_a_930_start() -> None:
    # 2021-03-14 is the US spring-forward date: 9:30 ET on 03-15 is EDT, on 02-01 EST.
    assert at_new_york(datetime(2021, 3, 15).date(), 9, 30).astimezone(UTC).hour == 13
    assert at_new_york(datetime(2021, 2, 1).date(), 9, 30).astimezone(UTC).hour == 14


@pytest.mark.parametrize("text", ["", "  ", "yesterday", "2021-13-01", "2021-02-30", "15/03/2021"])
def test_bad_dates_raise_a_clear_error(text: str) -> None:
    with pytest.raises(InstantError):
        parse_instant(text)


def test_iso_refuses_naive_datetimes() -> None:
    with pytest.raises(InstantError):
        iso(datetime(2021, 1, 1))


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"])
def test_instants_outside_the_calendar_in_new_york_or_utc_are_refused(text: str) -> None:
    # Found by the API contract tests: these parsed, then overflowed inside the status rules (a 500).
    with pytest.raises(InstantError, match="out of range"):
        parse_instant(text)
    assert parse_instant("9999-12-31").year == 9999 and parse_instant("0001-01-01T12:00").year == 1
