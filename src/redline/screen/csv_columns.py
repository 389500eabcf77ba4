"""CSV text for whole Arrow columns, byte for byte what the row pipeline's `csv.writer` writes (QUOTE_MINIMAL,
CRLF line ends) after formula neutralisation (`redline.screen.cells`), without a Python object per cell.

Only the cells that may be formulas (a few, on real books) go through `neutralise` one by one.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from redline.screen.cells import neutralise

_SUSPECT = r"^[ \x{00a0}]*[=+\-@\t\r]"  # what `neutralise` may change; it decides on each of these


def neutralised(column: pa.Array) -> pa.Array:
    suspect = pc.fill_null(pc.match_substring_regex(column, _SUSPECT), False)
    if not pc.any(suspect).as_py():
        return column
    changed = [neutralise(value) for value in pc.filter(column, suspect).to_pylist()]
    return pc.replace_with_mask(column, suspect, pa.array(changed, column.type))


def quoted(column: pa.Array, delimiter: str) -> pa.Array:
    """A field quoted as csv.QUOTE_MINIMAL does: when it holds the delimiter, a quote, CR or LF."""
    special = pc.fill_null(pc.match_substring_regex(column, f'[{re.escape(delimiter)}"\\r\\n]'), False)
    if not pc.any(special).as_py():
        return column
    wrapped = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(special, wrapped, column)


def _field(column: pa.Array, delimiter: str) -> pa.Array:
    if isinstance(column, pa.DictionaryArray):  # each distinct cell prepared once
        return _field(column.dictionary, delimiter).take(column.indices)
    return quoted(neutralised(pc.fill_null(column.cast(pa.string()), "")), delimiter)


def csv_bytes(columns: list[pa.Array], delimiter: str) -> memoryview:
    """The rows of `columns` (all text, no nulls) as CSV lines, each ending in CRLF."""
    fields = [_field(column, delimiter) for column in columns]
    lines = pc.binary_join_element_wise(*fields, delimiter)
    lines = pc.binary_join_element_wise(lines, "", "\r\n").cast(pa.large_string())
    _, offsets, data = lines.buffers()
    bounds = np.frombuffer(offsets, np.int64)[lines.offset : lines.offset + len(lines) + 1]
    return memoryview(data)[int(bounds[0]) : int(bounds[-1])]
