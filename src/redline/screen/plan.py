"""The columnar screening plan: one Arrow batch of input rows in, Redline's columns for it out, with the rows that
need a row of their own in the summary (findings, errors, alerts).

What a row's decision depends on is its identity (identifier, name, exchange, side and trade-time cells): every
identity is typed, validated, resolved through the catalog, judged by the status engine and decided once, by the
same code the row pipeline runs (`RowReader`, `RowScreener`, data/decisions.yaml), and the outcome is joined back
to the batch's rows with an Arrow `take`. Per-row work is only vectorised: the identity key of each row, a check
that its number cells are plain numbers, the join. Rows whose number cells are not plain, and rows whose identity
is a finding, an error or carries an alert, are screened again as rows (`screen_row`, the row pipeline's own
function) so their errors, alerts and summary entries are exactly those of the row pipeline; on a book they are a
small share of the rows.

The local engine (`redline.screen.columnar`) and the Spark engine (`redline.screen.spark`) both run this plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from redline.screen.decisions import Decision
from redline.screen.evaluate import DECISION_COLUMNS, RowResult, decision_columns
from redline.screen.isin_column import valid_isins
from redline.screen.numbers import AMBIGUOUS_POINT
from redline.screen.rows import RowReader

KEY_SEPARATOR = "\x1f"
MISSING = "\x00"  # a null identity cell (Parquet): never a value of its own, the key reserves it
# Identity outcomes remembered across batches; cleared when full, so memory stays bounded on books of distinct names.
KEY_CACHE = 200_000
# A number cell the row pipeline reads as a finite float without a problem; anything else takes the row path.
_PLAIN_NUMBER = r"^[+-]?([0-9]{1,300}(\.[0-9]{0,300})?|\.[0-9]{1,300})$"

ScreenRow = Callable[[int, list[Any], str | None], RowResult]
# Rows (line, cells) about to be screened one by one: their names are resolved together first (`RowResolver.prefetch`).
Prefetch = Callable[[list[tuple[int, list[Any]]]], None]


class NotColumnar(Exception):
    """The input has something only the row pipeline reads exactly as documented (a CSV record spanning lines, a
    blank line, bytes that are not UTF-8, a cell type the key cannot hold): the run falls back to it."""


@dataclass(frozen=True, slots=True)
class KeyOutcome:
    cells: tuple[str, ...]  # Redline's decision columns for every plain row of this identity
    plain: bool  # an OK without alerts: the row adds only a count to the summary


# The key of rows naming only an ISIN no entity has; a key made from cells never starts with two MISSING.
UNLISTED_KEY = MISSING * 2 + "unlisted"
UNLISTED_OUTCOME = KeyOutcome((Decision.OK.value, *[""] * (len(DECISION_COLUMNS) - 1)), True)


@dataclass(frozen=True)
class UnlistedIsins:
    """Where the shortcut for unlisted ISINs holds: `listed` is every value the catalog keys an entity by under
    the ISIN or as-printed schemes. It does not hold (None) for trades (a row needs a side and a time), with a
    fund book (a row may be a fund), or with file problems (every row is an error)."""

    listed: pa.Array


@dataclass(slots=True)
class BatchOutcome:
    added: list[pa.DictionaryArray]  # the decision columns (DECISION_COLUMNS order), a cell per row of the batch
    row_results: list[RowResult]  # rows screened as rows, in row order: their summary entries and alerts
    plain_rows: int  # rows whose summary entry is a count of OK


class ColumnarPlan:
    """Screens Arrow batches of one file; the identity outcomes are kept across the file's batches."""

    def __init__(
        self,
        row_reader: RowReader,
        screen_row: ScreenRow,
        unlisted_isins: UnlistedIsins | None = None,
        prefetch: Prefetch | None = None,
    ) -> None:
        self.row_reader = row_reader
        self.screen_row = screen_row
        self.prefetch = prefetch
        self.unlisted_isins = unlisted_isins
        self.identity_positions = list(row_reader.identity_positions)
        self.number_positions = [position for _, position in row_reader.numbers]
        self._outcomes: dict[str, KeyOutcome] = {}

    def screen(self, batch: pa.RecordBatch, lines: np.ndarray) -> BatchOutcome:
        """`lines[i]` is the line (CSV), or record number (Parquet), of the batch's i-th row."""
        rows = batch.num_rows
        if rows == 0:
            empty = pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], pa.string()))
            return BatchOutcome([empty for _ in DECISION_COLUMNS], [], 0)
        keys = self._keys(batch)
        unlisted = self._unlisted(batch)
        if unlisted is not None:
            keys = pc.if_else(pa.array(unlisted), UNLISTED_KEY, keys)
        keys = pc.dictionary_encode(keys)
        codes = keys.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        dictionary = keys.dictionary.to_pylist()
        first_rows = _first_occurrences(codes, len(dictionary))
        # the identities this batch meets first: a representative row each, screened once
        fresh = {
            i: (int(lines[first_rows[i]]), self._identity_values(batch, int(first_rows[i])))
            for i, key in enumerate(dictionary)
            if key != UNLISTED_KEY and key not in self._outcomes
        }
        if fresh and self.prefetch is not None:  # their names resolved together first
            self.prefetch(list(fresh.values()))
        outcomes = [
            self._screened(key, *fresh[i])
            if i in fresh
            else UNLISTED_OUTCOME
            if key == UNLISTED_KEY
            else self._outcomes[key]
            for i, key in enumerate(dictionary)
        ]
        plain_key = np.fromiter((o.plain for o in outcomes), dtype=bool, count=len(outcomes))
        row_path = ~plain_key[codes] | ~self._plain_numbers(batch)
        positions = np.flatnonzero(row_path)
        results = [self.screen_row(int(lines[i]), _row_values(batch, int(i)), None) for i in positions]
        cells = [o.cells for o in outcomes]
        if len(positions):
            # Rows screened as rows get cells of their own: appended to the dictionary, their codes pointed at them.
            cells += [tuple((r.columns or decision_columns(r)).values()) for r in results]
            codes[positions] = np.arange(len(outcomes), len(outcomes) + len(positions))
        take = pa.array(codes.astype(np.int32))
        # Dictionary-encoded: a writer prepares each distinct cell once (CSV quoting, neutralisation) before the take.
        added = [
            pa.DictionaryArray.from_arrays(take, pa.array([c[i] for c in cells], pa.string()))
            for i in range(len(DECISION_COLUMNS))
        ]
        if len(self._outcomes) >= KEY_CACHE:
            self._outcomes.clear()
        return BatchOutcome(added, results, rows - len(positions))

    def _keys(self, batch: pa.RecordBatch) -> pa.Array:
        """One text per row naming its identity cells (the cells `RowReader` caches identities by)."""
        parts: list[pa.Array] = []
        width = batch.num_columns
        for position in self.identity_positions:
            if position >= width:
                continue
            column = batch.column(position)
            if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
                if pa.types.is_nested(column.type) or pa.types.is_binary(column.type):
                    raise NotColumnar(f"column {batch.schema.names[position]} is {column.type}")
                try:
                    # A typed column (Parquet) is keyed by its text; the representative row keeps the typed value.
                    column = pc.cast(column, pa.string())
                except pa.ArrowException as exc:
                    raise NotColumnar(str(exc)) from None
            if any(pc.any(pc.match_substring(column, reserved)).as_py() for reserved in (KEY_SEPARATOR, MISSING)):
                raise NotColumnar("an identity cell holds a control character the key reserves")
            parts.append(pc.fill_null(column, MISSING))
        if not parts:
            return pa.array([""] * batch.num_rows, pa.string())
        if len(parts) == 1:
            return parts[0]
        return pc.binary_join_element_wise(*parts, KEY_SEPARATOR)

    def _unlisted(self, batch: pa.RecordBatch) -> np.ndarray | None:
        """Rows that name only a valid ISIN no entity of the catalog has (most rows of a book): the row pipeline
        finds no match for them and decides OK with every other column empty, so no row of theirs needs Python."""
        unlisted = self.unlisted_isins
        position = dict(self.row_reader.identifiers).get("isin")
        if unlisted is None or position is None or position >= batch.num_columns:
            return None
        column = batch.column(position)
        if not pa.types.is_string(column.type):
            return None
        rows: np.ndarray = valid_isins(column) & ~pc.fill_null(pc.is_in(column, unlisted.listed), True).to_numpy(
            zero_copy_only=False
        )
        for other in self.identity_positions:
            if other != position and other < batch.num_columns:
                cells = batch.column(other)
                if not pa.types.is_string(cells.type):
                    return None
                rows &= pc.fill_null(pc.equal(cells, ""), True).to_numpy(zero_copy_only=False)
        return rows

    def _identity_values(self, batch: pa.RecordBatch, row: int) -> list[Any]:
        """The row's cells with its number cells blanked: the identity's outcome, whatever this row's sizes say."""
        values = _row_values(batch, row)
        for position in self.number_positions:
            if position < len(values):
                values[position] = None
        return values

    def _screened(self, key: str, line: int, values: list[Any]) -> KeyOutcome:
        """The outcome of identity `key`, screened on its representative row (cells from `_identity_values`)."""
        result = self.screen_row(line, values, None)
        cells = tuple((result.columns or decision_columns(result)).values())
        plain = result.decision is Decision.OK and not result.alert_states and not result.alerts
        known = self._outcomes[key] = KeyOutcome(cells, plain)
        return known

    def _plain_numbers(self, batch: pa.RecordBatch) -> np.ndarray:
        """True where every number cell of the row reads without a problem (blank, or a plain finite number)."""
        plain = np.ones(batch.num_rows, dtype=bool)
        for position in self.number_positions:
            if position >= batch.num_columns:
                continue
            column = batch.column(position)
            kind = column.type
            if pa.types.is_string(kind) or pa.types.is_large_string(kind):
                ok = _plain_number_texts(column)
            elif pa.types.is_integer(kind):
                ok = pa.array(np.ones(batch.num_rows, dtype=bool))
            elif pa.types.is_floating(kind):
                ok = pc.invert(pc.is_inf(column))
            else:  # decimals, booleans, dates...: the row pipeline's own reading decides
                ok = pa.array(np.zeros(batch.num_rows, dtype=bool))
            plain &= pc.fill_null(ok, True).to_numpy(zero_copy_only=False)
        return plain


def _plain_number_texts(column: pa.Array) -> pa.Array:
    """Blank, or digits with an optional sign and decimal point (at most 300 digits a side: always finite)."""
    digits = pc.and_kleene(pc.ascii_is_decimal(column), pc.less_equal(pc.binary_length(column), 300))
    plain = pc.or_kleene(pc.equal(column, ""), digits)
    rest = pc.invert(pc.fill_null(plain, True))
    if pc.any(rest).as_py():  # the few others (1.5, -3) by the pattern; "1.234" is ambiguous (the row path says so)
        others = pc.filter(column, rest)
        ok = pc.and_(
            pc.match_substring_regex(others, _PLAIN_NUMBER),
            pc.invert(pc.match_substring_regex(others, AMBIGUOUS_POINT)),
        )
        plain = pc.replace_with_mask(plain, rest, ok)
    return plain


def _first_occurrences(codes: np.ndarray, count: int) -> np.ndarray:
    first = np.full(count, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    return first


def _row_values(batch: pa.RecordBatch, row: int) -> list[Any]:
    """One row as the readers give it: a list of Python values aligned with the header."""
    return [column[row].as_py() for column in batch.columns]


def constant(value: str, rows: int) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int32)), pa.array([value]))
