"""Fund constituents uploaded with a book: files, or a folder sent as a zip, stored beside the job's input.

Zips are hostile input: every entry is checked before anything is extracted (its name reduced to a plain file
name, so no entry can reach outside the folder; links and folders skipped; the number of entries, each entry's
declared size and the total bounded), and extraction itself stops at the limits whatever the headers claim (a
zip bomb declares small sizes).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from redline.screen.readers import FORMATS

MAX_ENTRIES = 200  # files in one zip of constituents (a folder of fund files)
# Extracted from a zip: holdings formats. `.txt` (read as CSV when uploaded on its own) is left out of zips, where it is
# far more often a README than a fund.
ZIP_FORMATS = tuple(suffix for suffix in FORMATS if suffix != ".txt")
_CHUNK = 1 << 20
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


class ConstituentsError(ValueError):
    """Constituents that cannot be accepted; the message says why, for the client."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def plain_name(filename: str | None) -> str:
    base = re.split(r"[\\/]", filename or "")[-1].strip()
    return _SAFE_NAME.sub("_", base).strip(". ")[:120]


def _copy(source: IO[bytes], target: Path, budget: int, label: str) -> int:
    """Copy at most `budget` bytes; refuse a file that is bigger."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > budget:
                raise ConstituentsError(f"constituents {label!r}: larger than the upload limit", status=413)
            out.write(chunk)
    return written


def _zip_entries(archive: zipfile.ZipFile, name: str, limit: int) -> Iterator[tuple[zipfile.ZipInfo, str]]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ConstituentsError(f"constituents {name!r}: {len(infos)} entries, more than {MAX_ENTRIES}", status=413)
    declared = 0
    seen: set[str] = set()
    for info in infos:
        is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
        if info.is_dir() or is_link:
            continue
        entry = plain_name(info.filename)
        if (
            not entry
            or entry.startswith(".")
            or "__MACOSX" in info.filename
            or Path(entry).suffix.lower() not in ZIP_FORMATS
        ):
            continue  # not a constituents file (a README, a system file): skipped, not extracted
        if entry.casefold() in seen:
            raise ConstituentsError(f"constituents {name!r}: two entries named {entry!r}")
        seen.add(entry.casefold())
        declared += info.file_size
        if info.file_size > limit or declared > limit:
            raise ConstituentsError(f"constituents {name!r}: the entries are larger than the upload limit", status=413)
        yield info, entry


def store_constituents(files: list[tuple[BinaryIO, str | None]], folder: Path, limit: int) -> list[str]:
    """Write the uploaded constituents files (zips unpacked) into `folder`; the names stored, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    stored: list[str] = []
    budget = limit
    for stream, filename in files:
        name = plain_name(filename)
        suffix = Path(name).suffix.lower()
        if suffix == ".zip":
            staged = folder / ".upload.zip"
            budget -= _copy(stream, staged, budget, name)
            try:
                with zipfile.ZipFile(staged) as archive:
                    for info, entry in list(_zip_entries(archive, name, budget)):
                        with archive.open(info) as source:
                            budget -= _copy(source, folder / entry, budget, f"{name}/{entry}")
                        stored.append(entry)
            except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
                if isinstance(exc, ConstituentsError):
                    raise
                raise ConstituentsError(f"constituents {name!r}: not a readable zip ({type(exc).__name__})") from None
            finally:
                staged.unlink(missing_ok=True)
            continue
        if suffix not in FORMATS:
            accepted = ", ".join(sorted([*FORMATS, ".zip"]))
            raise ConstituentsError(
                f"constituents {name!r}: unknown type {suffix or '(none)'}; accepted: {accepted}", 415
            )
        if (folder / name).exists():
            raise ConstituentsError(f"constituents: two files named {name!r}")
        budget -= _copy(stream, folder / name, budget, name)
        stored.append(name)
    if files and not stored:
        raise ConstituentsError("constituents: no .csv, .tsv, .parquet or .xlsx file among those uploaded")
    return stored
