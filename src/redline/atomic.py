"""Writing a file all at once: a temporary file beside the target, flushed to disk, then renamed (or linked) into
place, so a reader sees the old file or the whole new one, never half of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def written_beside(path: Path, data: bytes, mode: int = 0o644) -> Iterator[str]:
    """A temporary file in `path`'s folder holding `data` (on disk, with `mode`); removed on leaving unless the body
    renamed it. OSError when the folder does not exist or is not writable."""
    folder = path.parent if str(path.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)  # mode 0600
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        yield temporary
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    with written_beside(path, data) as temporary:
        os.replace(temporary, path)
