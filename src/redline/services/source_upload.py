"""A list file uploaded to the server (POST /sources), imported as a snapshot: copied to a temporary folder under
$REDLINE_HOME at most `limit` bytes, read, stored, and the copy removed on every way out."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import BinaryIO

from redline.home import redline_home
from redline.screen.submissions import IMPORT_PREFIX, display_name
from redline.services import sources
from redline.services.errors import InvalidInput, TooLarge
from redline.sources.formats import LIST_FILE_KINDS

MAX_LIST_FILE = 200 * 1024 * 1024  # the SDN advanced XML is ~120 MB
FILE_KINDS = tuple(LIST_FILE_KINDS)


def import_upload(
    stream: BinaryIO, filename: str | None, kind: str | None, actor: str, limit: int = MAX_LIST_FILE
) -> sources.ImportResult:
    """Import one uploaded list file (audited under `actor`); an identical file is recognised, not stored twice.
    The result carries no re-screening report: `changes` are for `redline sources add/update`."""
    if kind is not None and kind not in LIST_FILE_KINDS:
        raise InvalidInput(f"as: unknown kind {kind!r} (one of {', '.join(LIST_FILE_KINDS)})")
    name = display_name(filename)
    # A worker killed mid-upload leaves the folder to `remove_stale_uploads` at the next start.
    with tempfile.TemporaryDirectory(prefix=IMPORT_PREFIX, dir=redline_home()) as folder:
        path = Path(folder) / name
        size = 0
        with path.open("wb") as out:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"file {name!r} is larger than {limit:,} bytes")
                out.write(chunk)
        try:
            loaded = sources.load_files([path], kind)
        except InvalidInput as exc:
            problems = "; ".join(p.replace(str(path), name) for p in exc.problems[:5]) or str(exc)
            raise InvalidInput(f"{problems}; nothing was imported") from None
        return sources.import_loaded(loaded, origin=f"upload {name} by {actor}", who=actor, since_days=None)
