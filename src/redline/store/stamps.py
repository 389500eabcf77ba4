"""Timestamps and actors recorded by the store."""

from __future__ import annotations

from datetime import UTC, datetime

from redline.settings import settings


def stamp(moment: datetime | None = None) -> str:
    """A fixed-width ISO 8601 UTC text, so stored instants sort as text and hash identically on every backend."""
    value = (moment or datetime.now(UTC)).astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def actor() -> str:
    """Who is acting: $REDLINE_USER, or the login name at this host (`Settings.actor`)."""
    return settings().actor
