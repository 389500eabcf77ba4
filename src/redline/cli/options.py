"""Parsing of common CLI options into model values, with one-line errors."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import click

from redline.cli.errors import UserError
from redline.model import InstantError, parse_instant
from redline.model.vocabulary import ChoiceError, choice


class InstantType(click.ParamType[datetime]):
    """The model's `Instant` as an option (`typer.Option(..., click_type=INSTANT)`): read by `parse_instant`, a
    refusal is one line naming the option (`--on: not a valid date: ...`), exit 2."""

    name = "instant"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return parse_instant(value)
        except InstantError as exc:
            raise click.UsageError(f"{_name(param)}: {exc}", ctx) from None


class VocabularyType(click.ParamType[StrEnum]):
    """An enum of the model's vocabulary as an option: its values in --help, one line for any other value."""

    def __init__(self, enum: type[StrEnum]) -> None:
        self.enum = enum
        self.name = enum.__name__

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(member.value for member in self.enum) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> StrEnum:
        if isinstance(value, self.enum):
            return value
        try:
            return choice(self.enum, str(value), _name(param))
        except ChoiceError as exc:
            raise click.UsageError(str(exc), ctx) from None


def _name(param: click.Parameter | None) -> str:
    return param.opts[0] if param is not None and param.opts else "value"


INSTANT = InstantType()


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
