"""What the fuzzers feed and what counts as a crash: each reader or loader is given bytes, and may answer with its
own one-line error (`InputError` for screening, `SourceError` for list loaders), never with anything else.

`tests/fuzz/test_fuzz.py` runs these for seconds in the test suite; `bench/fuzz/run.py` for 100,000 inputs each.
Inputs are a valid file mutated at the byte level (flips, insertions, deletions, splices of hostile tokens) or a
file generated from hostile cell values (formulas, markup, cp1252 and invalid bytes, huge fields, mixed types).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

from redline.model import parse_instant
from redline.screen.columns import ColumnMap, detect_columns
from redline.screen.pipeline import Screening, ScreenOptions
from redline.screen.readers import InputError, open_table
from redline.screen.resolution import RowResolver
from redline.screen.rows import RowReader
from redline.screen.writers import OutputWriter
from redline.sources.errors import SourceError
from redline.sources.formats import load
from redline.store.reference import bundled_store
from redline.store.screening import ScreenStore

FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures"
HOSTILE_TOKENS = [
    b"=HYPERLINK(\"http://x\")", b"@SUM(1)", b"+cmd|' /C calc'!A0", b"<script>alert(1)</script>", b"&x;", b"&amp;",
    b"\xe9", b"\xff\xfe", b"\x00", b"\r", b"\n", b"\"", b",", b";", b"\t", b"<", b">", b"]]>", b"<!--",
    b"<!DOCTYPE x [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>", b"{", b"}", b"[", b"]", b"\"properties\": []",
    b"9" * 300, b"KYG8020E1199", b"2021-02-30", b"1e309", b"NaN", b"\xc3\x28", b"\xed\xa0\x80",
]  # fmt: skip


@dataclass(frozen=True)
class Target:
    name: str
    suffix: str
    seed: bytes  # a valid file of that kind, mutated by the fuzzer
    run: Callable[[Path], None]  # raises only on a crash


class Screener:
    """The whole screening pipeline, as `redline screen` runs it, on a throwaway store (one per process)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.store = ScreenStore(f"sqlite:///{folder / 'fuzz.db'}")
        self.reference = bundled_store()
        self.resolver = RowResolver()

    def __call__(self, path: Path) -> None:
        options = ScreenOptions(
            on=parse_instant("2021-03-01"),
            known_at=parse_instant("2026-01-01"),
            output=path.with_name(f"out{path.suffix}"),
            report=path.with_name("report.html"),
            batch_size=64,
        )
        with contextlib.suppress(InputError):  # a one-line refusal is the right answer to an unreadable file
            Screening(path, options, self.store, reference=self.reference, resolver=self.resolver).run()
        leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
        if leftovers:
            raise AssertionError(f"temporary files left behind: {leftovers}")


def read_only(path: Path) -> None:
    """The reader layer alone, as the pipeline drives it (fast enough for 100,000 inputs): open, map columns, type
    every row, write every row back (neutralised) to a temporary output, then drop it."""
    try:
        reader = open_table(path)
    except InputError:
        return
    writer = None
    try:
        columns = detect_columns(reader.header) if reader.header else ColumnMap(())
        rows = RowReader(columns)
        writer = OutputWriter(path.with_name(f"out{path.suffix}"), reader.format, reader.header, ["redline_x"])
        for batch in reader.batches(64):
            for line, values in zip(batch.lines, batch.values, strict=True):
                rows.read(line, values)
            writer.write(batch, [["x"] for _ in batch.values])
        writer.finish()
    except InputError:
        pass
    finally:
        if writer is not None:
            writer.abort()
        reader.close()


def _loader(kind: str) -> Callable[[Path], None]:
    def run(path: Path) -> None:
        with contextlib.suppress(SourceError):
            load([path], kind)

    return run


def _csv_seed() -> bytes:
    return (
        b"account,isin,ticker,exchange,name,quantity,market value,currency,trade date,side\n"
        b"A1,KYG8020E1199,981,HK,SMIC,100,1000.5,HKD,2021-03-01,buy\n"
        b'A1,CNE100000PM8,2415,CN,Hikvision,(5),"1,000",CNY,2021-02-01T10:00:00-05:00,sell\n'
        b"A2,,,,Xiaomi Corporation,1,,USD,,\n"
    )


def _xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


SEED_ROWS: list[list[Any]] = [
    ["isin", "name", "quantity", "trade date", "side"],
    ["KYG8020E1199", "SMIC", 100, dt.datetime(2021, 3, 1), "buy"],
    ["CNE100000PM8", "Hikvision", 5.5, "2021-02-01", "sell"],
]


def targets(folder: Path, whole_pipeline: bool = True) -> dict[str, Target]:
    """Every reader and loader. `whole_pipeline`: screening inputs go through `redline screen`'s whole pipeline
    (resolution, decisions, the run record, the report); otherwise through the reader layer alone (`read_only`)."""
    screener: Callable[[Path], None] = Screener(folder) if whole_pipeline else read_only
    parquet_seed = _parquet_bytes(
        pa.table({"isin": ["KYG8020E1199", "CNE100000PM8"], "name": ["SMIC", "Hikvision"], "quantity": [1.5, 2.0]})
    )
    found = {
        "screen-csv": Target("screen-csv", ".csv", _csv_seed(), screener),
        "screen-xlsx": Target("screen-xlsx", ".xlsx", _xlsx_bytes(SEED_ROWS), screener),
        "screen-parquet": Target("screen-parquet", ".parquet", parquet_seed, screener),
    }
    for kind, fixture in (
        ("ofac-sdn-csv", "sdn_2021-07-07.csv"),
        ("ofac-cons-xml", "consolidated.xml"),
        ("ofac-advanced-xml", "cons_advanced.xml"),
        ("un-xml", "un_consolidated.xml"),
        ("csl-csv", "csl.csv"),
        ("csl-json", "csl.json"),
        ("ftm", "entities.ftm.json"),
    ):
        seed = (FIXTURES / fixture).read_bytes()[:200_000]
        found[kind] = Target(kind, Path(fixture).suffix, seed, _loader(kind))
    return found


# -- inputs ----------------------------------------------------------------------------------------------------

_mutation = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "token", "truncate"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.binary(max_size=8),
    st.sampled_from(HOSTILE_TOKENS),
)


def mutate(seed: bytes, mutations: list[tuple[str, float, bytes, bytes]]) -> bytes:
    data = bytearray(seed)
    for operation, where, payload, token in mutations:
        at = int(where * len(data))
        if operation == "flip" and data:
            data[min(at, len(data) - 1)] ^= 1 << (len(payload) % 8)
        elif operation == "insert":
            data[at:at] = payload
        elif operation == "delete":
            del data[at : at + 1 + len(payload)]
        elif operation == "token":
            data[at:at] = token
        elif operation == "truncate":
            del data[at:]
    return bytes(data)


def mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    return st.lists(_mutation, min_size=1, max_size=6).map(lambda mutations: mutate(seed, mutations))


_texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from([token.decode("utf-8", "replace") for token in HOSTILE_TOKENS]),
    st.sampled_from(["KYG8020E1199", "CNE100000PM8", "Xiaomi Corporation", "buy", "sell", "2021-03-01", "-5", ""]),
    st.integers(min_value=1, max_value=300_000).map(lambda n: "X" * n),
)
_cells = st.one_of(
    _texts,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 1, 1)),
    st.dates(),
    st.times(),
)
_headers = st.lists(
    st.one_of(st.sampled_from(["isin", "name", "quantity", "market value", "trade date", "side", "ticker"]), _texts),
    min_size=1,
    max_size=6,
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(_headers)
    rows = draw(st.lists(st.lists(_texts, max_size=len(header) + 1), max_size=8))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t", "|"]))).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]))
    return buffer.getvalue().encode(encoding, errors="replace")


@st.composite
def xlsx_files(draw: st.DrawFn) -> bytes:
    header: list[Any] = draw(_headers)
    rows = draw(st.lists(st.lists(_cells.filter(lambda v: not isinstance(v, str) or len(v) < 32_000), max_size=7),
                         max_size=6))  # fmt: skip
    cleaned = [[_xlsx_cell(value) for value in row] for row in [header, *rows]]
    return _xlsx_bytes(cleaned)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", value)[:32_000]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None  # openpyxl cannot write NaN or infinity
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    return value


@st.composite
def parquet_files(draw: st.DrawFn) -> bytes:
    names = draw(st.lists(st.sampled_from(["isin", "name", "quantity", "trade date", "side", "x"]), min_size=1,
                          max_size=5, unique=True))  # fmt: skip
    length = draw(st.integers(min_value=0, max_value=6))
    columns: dict[str, pa.Array] = {}
    for name in names:
        kind = draw(st.sampled_from(["text", "int", "float", "date", "timestamp", "bool", "decimal", "list", "bytes"]))
        values: Any
        if kind == "text":
            values = pa.array(draw(st.lists(st.none() | _texts, min_size=length, max_size=length)), type=pa.string())
        elif kind == "int":
            values = pa.array(draw(st.lists(st.none() | st.integers(-(2**63), 2**63 - 1), min_size=length,
                                            max_size=length)), type=pa.int64())  # fmt: skip
        elif kind == "float":
            values = pa.array(draw(st.lists(st.none() | st.floats(), min_size=length, max_size=length)))
        elif kind == "date":
            values = pa.array(draw(st.lists(st.none() | st.dates(), min_size=length, max_size=length)), pa.date32())
        elif kind == "timestamp":
            moments = st.datetimes(min_value=dt.datetime(1677, 9, 22), max_value=dt.datetime(2262, 4, 11))
            values = pa.array(draw(st.lists(st.none() | moments, min_size=length, max_size=length)),
                              pa.timestamp("us"))  # fmt: skip
        elif kind == "bool":
            values = pa.array(draw(st.lists(st.none() | st.booleans(), min_size=length, max_size=length)))
        elif kind == "decimal":
            decimals = st.decimals(min_value=-(10**10), max_value=10**10, places=2, allow_nan=False)
            values = pa.array(draw(st.lists(st.none() | decimals, min_size=length, max_size=length)),
                              pa.decimal128(14, 2))  # fmt: skip
        elif kind == "list":
            values = pa.array(draw(st.lists(st.lists(st.text(max_size=5), max_size=3), min_size=length,
                                            max_size=length)))  # fmt: skip
        else:
            values = pa.array(draw(st.lists(st.binary(max_size=10), min_size=length, max_size=length)), pa.binary())
        columns[name] = values
    table = pa.table(columns)
    if draw(st.booleans()):
        table = table.replace_schema_metadata({b"pandas": draw(st.binary(max_size=20))})
    return _parquet_bytes(table)


def inputs(target: Target) -> st.SearchStrategy[bytes]:
    """Mutations of the target's seed, and (for the screening readers) generated hostile files."""
    generated: dict[str, st.SearchStrategy[bytes]] = {
        "screen-csv": csv_files(),
        "screen-xlsx": xlsx_files(),
        "screen-parquet": parquet_files(),
    }
    strategy = mutated(target.seed)
    if target.name in generated:
        strategy = st.one_of(strategy, generated[target.name])
    return strategy


def feed(target: Target, data: bytes, folder: Path) -> BaseException | None:
    """Run one input; the exception if it crashed, else None."""
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        path = Path(scratch) / f"input{target.suffix}"
        path.write_bytes(data)
        try:
            target.run(path)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # anything but the reader's own one-line error is a crash
            return exc
    return None


__all__ = ["Target", "feed", "inputs", "targets"]
