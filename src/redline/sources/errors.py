"""Errors that point at the file, line and field at fault."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RowProblem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.message}"


class SourceError(Exception):
    """A file could not be read into the model; `problems` lists every row-level fault found."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def shorten(value: object, limit: int = 60) -> str:
    """A value as quoted in a message: its repr, cut to a short prefix (a huge field is never echoed whole)."""
    shown = repr(value)
    return shown if len(shown) <= limit else f"{shown[:limit]}…({len(str(value)):,} characters)"
