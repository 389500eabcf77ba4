"""Errors in event-study input: each names the file, line and column so the user can fix the cell."""

from __future__ import annotations

from pathlib import Path


class ImpactInputError(ValueError):
    """Bad input to an event study. `str()` is one line: where, then what."""

    def __init__(
        self, message: str, *, file: str | Path | None = None, line: int | None = None, column: str | None = None
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [part for part in (self.file, f"line {self.line}" if self.line else None) if part]
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message
