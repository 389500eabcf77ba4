"""What every list loader returns, and the checks every input file goes through first.

A loader reads one official file (or the OFAC CSV quartet) into `SourceRecord`s and says which list it is,
in which format, and when the publisher issued it. It raises `SourceError` naming file, line and field for
anything it cannot read; nothing is stored until a loader has read the whole input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from redline.model.records import SourceRecord
from redline.model.vocabulary import SourceList as SourceList  # the type lives in the model: every face uses it
from redline.sources.errors import RowProblem, SourceError

T = TypeVar("T")


class SourceFormat(StrEnum):
    OFAC_CSV = "ofac-csv"
    OFAC_XML = "ofac-xml"
    OFAC_ADVANCED_XML = "ofac-advanced-xml"
    UN_XML = "un-xml"
    CSL_CSV = "csl-csv"
    CSL_JSON = "csl-json"
    FTM_JSON = "ftm-json"
    BUNDLED = "bundled"


class IssuedFrom(StrEnum):
    """Where the snapshot's issue date came from."""

    FILE = "file"  # printed in the file itself (XML publish date, UN dateGenerated)
    OPTION = "option"  # given by the user (`--issued`)
    FILENAME = "filename"  # a date in the file name (sdn_2021-07-07.csv)
    HTTP = "http"  # the server's Last-Modified header
    NONE = "none"  # unknown: the snapshot is known from its retrieval time


@dataclass(frozen=True, slots=True)
class LoadedFile:
    path: str
    role: str  # "main", or for the OFAC quartet "add", "alt", "comments"
    sha256: str
    size: int


@dataclass
class LoadedSource:
    source: SourceList
    format: SourceFormat
    files: tuple[LoadedFile, ...]
    records: list[SourceRecord]
    issued_at: datetime | None = None
    issued_from: IssuedFrom = IssuedFrom.NONE
    label: str = ""  # e.g. the FtM dataset name
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """sha256 over the files' own hashes by role: the same bytes always give the same snapshot."""
        digest = hashlib.sha256()
        for loaded in sorted(self.files, key=lambda f: f.role):
            digest.update(f"{loaded.role}:{loaded.sha256}\n".encode())
        return digest.hexdigest()


def fail(path: Path | str, line: int | None, message: str, column: str | None = None) -> SourceError:
    return SourceError([RowProblem(str(path), line, column, message)])


_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body)", re.IGNORECASE)


@contextmanager
def _readable(path: Path) -> Iterator[None]:
    """OS errors on reading become one line naming the file."""
    try:
        yield
    except FileNotFoundError:
        raise fail(path, None, "file not found") from None
    except IsADirectoryError:
        raise fail(path, None, "is a directory, not a file") from None
    except OSError as exc:
        raise fail(path, None, f"cannot read: {exc.strerror}") from None


def read_input(path: Path, role: str = "main") -> tuple[bytes, LoadedFile]:
    """The file's bytes, refusing what is plainly not a list file: missing, empty, an HTML page, UTF-16."""
    with _readable(path):
        data = path.read_bytes()
    check_bytes(path, data)
    return data, LoadedFile(str(path), role, hashlib.sha256(data).hexdigest(), len(data))


def inspect_input(path: Path, role: str = "main") -> LoadedFile:
    """The checks of `read_input` without holding the file in memory, for line-by-line loaders."""
    digest, size, head = hashlib.sha256(), 0, b""
    with _readable(path), path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            if not head:
                head = chunk[:65536]
            digest.update(chunk)
            size += len(chunk)
    check_bytes(path, head)
    return LoadedFile(str(path), role, digest.hexdigest(), size)


def check_bytes(path: Path | str, data: bytes) -> None:
    if not data.strip(b" \t\r\n\x1a\xef\xbb\xbf"):
        raise fail(path, None, "the file is empty")
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if _HTML.match(head):
        raise fail(path, 1, "this is an HTML page (a website or error page saved under this name), not a list file")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise fail(path, 1, "the file is UTF-16 or binary; official list files are UTF-8 or cp1252 text")


def decode_utf8(path: Path | str, data: bytes, first_line: int = 1) -> str:
    """UTF-8 text (BOM allowed); a bad byte is reported with its line (`data` starts at `first_line`)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + first_line
        raise fail(path, line, f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") from None


def merge_repeated(first: SourceRecord, again: SourceRecord) -> SourceRecord | None:
    """One entry printed twice under the same id and name (trade.gov's 2021 XML extract repeats uid 15268 under
    two program tags) is one entry with the union of both; a different name under the same id is a conflict
    the caller reports (None)."""
    if first.name != again.name or first.schema is not again.schema:
        return None

    def union(a: tuple[T, ...], b: tuple[T, ...]) -> tuple[T, ...]:
        return tuple(dict.fromkeys((*a, *b)))

    return replace(
        first,
        names=union(first.names, again.names),
        identifiers=union(first.identifiers, again.identifiers),
        programs=union(first.programs, again.programs),
        lists=union(first.lists, again.lists),
        addresses=union(first.addresses, again.addresses),
        dates=union(first.dates, again.dates),
        countries=union(first.countries, again.countries),
        facts=union(first.facts, again.facts),
        extra=union(first.extra, again.extra),
        remarks=first.remarks if first.remarks == again.remarks else f"{first.remarks} | {again.remarks}",
    )
