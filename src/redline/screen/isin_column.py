"""ISINs checked a column at a time: format, country code and check digit (ISO 6166), as python-stdnum checks one.

Used only to let through, without a Python call per value, the cells stdnum would accept as they are: twelve ASCII
letters and digits, a country code stdnum knows, a valid check digit. Anything else (spaces, lower case, a wrong
check digit) is left to the row pipeline's own reading, which names the problem (tests/screen/test_isin_column.py
compares the two on random values).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from stdnum import isin

# stdnum's accepted country codes (ISO 3166-1 plus EU, XS and the other special prefixes); none when stdnum
# changes how it keeps them, and then no cell is let through here.
COUNTRIES: frozenset[str] = frozenset(getattr(isin, "_country_codes", ()))
_KNOWN = np.zeros(256 * 256, dtype=bool)  # country codes as two bytes -> known
for _code in COUNTRIES:
    _KNOWN[ord(_code[0]) * 256 + ord(_code[1])] = True


def valid_isins(column: pa.Array) -> np.ndarray:
    """True where the cell is exactly an ISIN stdnum's `isin.validate` accepts unchanged."""
    rows = len(column)
    twelve = pc.and_kleene(pc.equal(pc.binary_length(column), 12), pc.ascii_is_alnum(column))
    shaped = pc.fill_null(twelve, False).to_numpy(zero_copy_only=False)
    if not shaped.any() or not COUNTRIES:
        return np.zeros(rows, dtype=bool)
    # Every cell now twelve ASCII letters or digits: the data buffer is a (rows x 12) matrix of characters.
    text = pc.if_else(pa.array(shaped), column, "AA0000000000").cast(pa.string())
    _, offsets, data = text.buffers()
    start = int(np.frombuffer(offsets, np.int32)[text.offset])
    chars = np.frombuffer(data, np.uint8)[start : start + rows * 12].reshape(rows, 12)
    values = _VALUE[chars]  # 0-35, or 99 for a lower-case letter
    shaped &= (values[:, :2] >= 10).all(axis=1) & (values[:, :2] < 36).all(axis=1)
    shaped &= (values[:, 2:11] < 36).all(axis=1) & (values[:, 11] < 10)
    known = _KNOWN[chars[:, 0].astype(np.int64) * 256 + chars[:, 1]]
    valid: np.ndarray = shaped & known & _check_digit_ok(np.minimum(values, 35))
    return valid


def _luhn_tables() -> tuple[np.ndarray, np.ndarray]:
    """For a character value (0-35) met while the next digit is (1) or is not (0) doubled: what its one or two
    digits add to the Luhn sum, and whether it flips the doubling (a single digit does)."""
    adds = np.zeros((2, 36), dtype=np.int64)
    for doubled in (0, 1):
        for value in range(36):
            digits = [value % 10] if value < 10 else [value % 10, value // 10]  # rightmost first
            state, total = bool(doubled), 0
            for digit in digits:
                total += (digit * 2) // 10 + (digit * 2) % 10 if state else digit
                state = not state
            adds[doubled, value] = total
    return adds, (np.arange(36) < 10).astype(np.int64)


_ADDS, _FLIPS = _luhn_tables()
_VALUE = np.full(256, 99, dtype=np.int64)
_VALUE[ord("0") : ord("9") + 1] = np.arange(10)
_VALUE[ord("A") : ord("Z") + 1] = np.arange(10, 36)


def _check_digit_ok(values: np.ndarray) -> np.ndarray:
    """stdnum's check digit: Luhn over the digits of the first eleven characters (A=10 ... Z=35)."""
    total = np.zeros(len(values), dtype=np.int64)
    doubled = np.ones(len(values), dtype=np.int64)  # the rightmost digit of the body is doubled
    for position in range(10, -1, -1):
        value = values[:, position]
        total += _ADDS[doubled, value]
        doubled ^= _FLIPS[value]
    ok: np.ndarray = (10 - total % 10) % 10 == values[:, 11]
    return ok
