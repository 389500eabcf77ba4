"""Formula neutralisation for every CSV and XLSX cell Redline writes (OWASP "CSV Injection").

A spreadsheet treats a cell whose text starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
importers strip first) as a formula: `=HYPERLINK(...)` or `+cmd|' /C calc'!A0` in a screened file would run on
the reader's machine. Such text gets a leading apostrophe, which spreadsheets show as text and do not evaluate.
Text that is a plain number (`-5`, `+1.5e3`) is left as it is, and numeric cells stay numeric: only text that
could be a formula changes. Parquet output is typed data for programs, not a spreadsheet, and is not changed.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)*|\.\d+)(?:[eE][+-]?\d+)?%?")


def neutralise(value: Any) -> Any:
    """`value` as it is, unless it is text a spreadsheet would run: then the text with a leading apostrophe."""
    if not isinstance(value, str) or not value:
        return value
    stripped = value.lstrip(" \u00a0")  # " =1+1" is still a formula to some importers
    if not stripped.startswith(FORMULA_STARTS):
        return value
    if _NUMBER.fullmatch(stripped.strip()):
        return value  # a signed number written as text is data, not a formula
    return "'" + value


def neutralise_row(values: list[Any]) -> list[Any]:
    return [neutralise(value) for value in values]
