"""Errors the CLI reports as one line with exit code 2, and the one place a service's refusal becomes one."""

from __future__ import annotations

from typing import Any

import click
from typer.core import TyperGroup

from redline.services.errors import ServiceError

# The most problems of one file printed; the rest are counted.
MAX_PROBLEMS = 10


class UserError(Exception):
    """Bad input from the user: a date, a query, a file. The message says what and where."""


def refusal(exc: ServiceError) -> UserError:
    """A service's refusal as the CLI prints it: its message, or each problem of a file on its own line (at most
    ten), then what was left undone."""
    lines = exc.problems[:MAX_PROBLEMS] or [str(exc)]
    if len(exc.problems) > MAX_PROBLEMS:
        lines.append(f"... and {len(exc.problems) - MAX_PROBLEMS} more")
    if exc.outcome:
        lines.append(exc.outcome)
    return UserError("\n".join(lines))


class RefusalsAreUserErrors(TyperGroup):
    """The CLI's root group: every command runs inside it, so a ServiceError raised anywhere below is mapped here,
    once, to a UserError (`redline.cli.app.main` prints it as one line and exits 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ServiceError as exc:
            raise refusal(exc) from None
