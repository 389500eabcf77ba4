"""Where a fact comes from and how sure we are of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Confidence(StrEnum):
    """high: primary or official text; medium: one reliable secondary source; low: inference (flagged)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Citation:
    """One source document: an order, a Federal Register notice, a release, a docket entry, a list file."""

    key: str
    title: str
    published: datetime
    url: str | None = None
    publisher: str | None = None

    def label(self) -> str:
        """The short form printed next to an answer: title, date and address."""
        day = self.published.date().isoformat()
        return f"{self.title} ({day})" + (f" <{self.url}>" if self.url else "")
