"""Parsing of common CLI options into model values, with one-line errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from redline.cli.errors import UserError
from redline.model import InstantError, parse_instant


def instant_option(text: str | None, option: str, default: datetime | None = None) -> datetime:
    """An ISO 8601 date or date-time; a bare date is 12:00 noon New York time. Defaults to now."""
    if text is None:
        return default or datetime.now(UTC)
    try:
        return parse_instant(text)
    except InstantError as exc:
        raise UserError(f"{option}: {exc}") from None


def query_argument(text: str) -> str:
    query = text.strip()
    if not query:
        raise UserError("QUERY is empty: give an ISIN, LEI, ticker or name")
    if len(query) > 1000:
        raise UserError(f"QUERY is {len(query)} characters long; at most 1000 are accepted")
    return query


def write_output(path: Path, data: bytes, what: str) -> None:
    """An output file written atomically; a folder that is not there is the user's error (exit 2)."""
    from redline.atomic import write_bytes_atomically

    try:
        write_bytes_atomically(path, data)
    except OSError as exc:
        raise UserError(f"{path}: cannot write the {what} ({exc.strerror or exc})") from None
