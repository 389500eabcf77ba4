"""Download the official list files from the addresses in configuration and import each as a snapshot.

Network faults are retried with backoff; every download is checked before it can become a snapshot: the
HTTP status, the Content-Length (a cut connection gives fewer bytes), a minimum size, an optional pinned
sha256, and the first bytes (an HTML error page served with status 200 is refused). Files are written to
`$REDLINE_HOME/downloads/` through a temporary name and a rename, and imported only when all of a source's
files have arrived, so a failed update leaves the previous snapshot in force.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import yaml

from redline import __version__ as redline_version
from redline.home import redline_home
from redline.sources.errors import SourceError
from redline.sources.formats import LIST_FILE_KINDS, load
from redline.sources.loaded import IssuedFrom, LoadedSource, check_bytes

RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
_CHUNK = 1 << 16


class UpdateError(Exception):
    """One source could not be updated; the message says which address and why."""


@dataclass(frozen=True, slots=True)
class OfficialSource:
    name: str
    kind: str
    files: dict[str, str]  # role -> URL; the OFAC CSV quartet has main/add/alt/comments
    min_bytes: int = 1
    sha256: str | None = None


@dataclass
class Fetched:
    path: Path
    url: str
    sha256: str
    size: int
    last_modified: datetime | None


def config_path(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    override = redline_home() / "sources.yaml"
    if override.is_file():
        return override
    return Path(str(resources.files("redline.sources").joinpath("official.yaml")))


def read_config(path: Path) -> list[OfficialSource]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UpdateError(f"{path}: configuration file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UpdateError(f"{path}:{mark.line + 1 if mark else '?'}: not valid YAML") from None
    if not isinstance(loaded, dict):
        raise UpdateError(f"{path}: expected a mapping of source names to their addresses")
    sources = []
    for name, entry in loaded.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("files"), dict) or "main" not in entry["files"]:
            raise UpdateError(f"{path} [{name}]: needs `kind` and `files` with a `main` address")
        kind = str(entry.get("kind", ""))
        if kind not in LIST_FILE_KINDS:
            raise UpdateError(f"{path} [{name}]: unknown kind {kind!r}; one of {', '.join(LIST_FILE_KINDS)}")
        files = {str(role): str(url) for role, url in entry["files"].items()}
        if any(not url.startswith(("https://", "http://")) for url in files.values()):
            raise UpdateError(f"{path} [{name}]: addresses must be http(s) URLs")
        sources.append(OfficialSource(str(name), kind, files, int(entry.get("min_bytes", 1)), entry.get("sha256")))
    return sources


class Downloader:
    def __init__(
        self,
        directory: Path,
        retries: int = 3,
        timeout: float = 60.0,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        client: httpx.Client | None = None,
    ) -> None:
        self.directory = directory
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            follow_redirects=True,
            headers={"User-Agent": f"redline/{redline_version} (+list updates)"},
        )

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, target: Path, min_bytes: int = 1, sha256: str | None = None) -> Fetched:
        """Download `url` to `target`, retrying transient faults; raise UpdateError when it is unusable."""
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                return self._once(url, target, min_bytes, sha256)
            except _Retry as exc:
                last = str(exc)
        raise UpdateError(f"{url}: {last} (after {self.retries + 1} attempts)")

    def _once(self, url: str, target: Path, min_bytes: int, sha256: str | None) -> Fetched:
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        html = False
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                try:
                    with self.client.stream("GET", url) as response:
                        if response.status_code in RETRY_STATUS:
                            raise _Retry(f"HTTP {response.status_code}")
                        if response.status_code != 200:
                            raise UpdateError(f"{url}: HTTP {response.status_code}")
                        html = "text/html" in response.headers.get("content-type", "").lower()
                        expected = response.headers.get("content-length")
                        for chunk in response.iter_raw(_CHUNK):
                            out.write(chunk)
                            digest.update(chunk)
                            size += len(chunk)
                        modified = response.headers.get("last-modified")
                except httpx.TimeoutException:
                    raise _Retry("timed out") from None
                except httpx.TransportError as exc:
                    raise _Retry(f"network error: {exc}") from None
            if expected is not None and expected.isdigit() and int(expected) != size:
                raise _Retry(f"received {size} bytes of {expected} (connection cut?)")
            with temp.open("rb") as handle_in:
                head = handle_in.read(4096)
            try:
                check_bytes(url, head)
            except SourceError as exc:
                raise UpdateError(str(exc)) from None
            if html and head.lstrip().startswith(b"<") and b"<html" in head.lower():
                raise UpdateError(f"{url}: the server sent an HTML page, not the list file")
            if size < min_bytes:
                raise UpdateError(f"{url}: {size} bytes, below the {min_bytes} expected of this list")
            checksum = digest.hexdigest()
            if sha256 and checksum != sha256.lower():
                raise UpdateError(f"{url}: sha256 {checksum} differs from the configured {sha256}")
            temp.replace(target)
        finally:
            temp.unlink(missing_ok=True)
        return Fetched(target, url, checksum, size, _http_date(modified))


class _Retry(Exception):
    """A transient fault worth another attempt."""


def _http_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).astimezone(UTC)
    except (TypeError, ValueError):
        return None


def _file_name(source: OfficialSource, role: str, url: str) -> str:
    """Files keep the names OFAC's quartet loader looks for beside the main file."""
    if source.kind.startswith("ofac-") and source.kind.endswith("-csv"):
        prefix = "cons_" if source.kind == "ofac-cons-csv" else ""
        main = "cons_prim" if prefix else "sdn"
        names = {"main": main, "add": f"{prefix}add", "alt": f"{prefix}alt", "comments": f"{prefix or 'sdn_'}comments"}
        return f"{names.get(role, role)}.csv"
    suffix = Path(url.split("?", 1)[0]).suffix.lower() or ".dat"
    return f"{role}{suffix}"


@dataclass
class Downloaded:
    """One source's files, all arrived and read; `folder` holds them (the evidence of a new snapshot)."""

    loaded: LoadedSource
    folder: Path
    retrieved: datetime
    origin: str


def download(source: OfficialSource, downloader: Downloader) -> Downloaded:
    """Fetch every file of `source` and read them as one list. Raises UpdateError or SourceError (and removes
    the partial download); storing the result is the caller's (`redline.services.sources.update`)."""
    retrieved = datetime.now(UTC)
    folder = downloader.directory / source.name / retrieved.strftime("%Y%m%dT%H%M%S%fZ")
    fetched: dict[str, Fetched] = {}
    try:
        for role, url in source.files.items():
            main = role == "main"
            target = folder / _file_name(source, role, url)
            fetched[role] = downloader.fetch(
                url, target, source.min_bytes if main else 1, source.sha256 if main else None
            )
        ordered = [fetched["main"].path, *(f.path for role, f in fetched.items() if role != "main")]
        loaded = load(ordered, source.kind)
    except (UpdateError, SourceError):
        shutil.rmtree(folder, ignore_errors=True)
        raise
    modified = fetched["main"].last_modified
    if loaded.issued_at is None and modified is not None:
        loaded.issued_at, loaded.issued_from = modified, IssuedFrom.HTTP
    return Downloaded(loaded, folder, retrieved, ", ".join(source.files.values()))


def chosen_sources(sources: list[OfficialSource], only: list[str] | None) -> list[OfficialSource]:
    unknown = sorted(set(only or ()) - {s.name for s in sources})
    if unknown:
        raise UpdateError(f"unknown source(s) {', '.join(unknown)}; configured: {', '.join(s.name for s in sources)}")
    return [s for s in sources if not only or s.name in only]


def describe(config: list[OfficialSource]) -> list[dict[str, Any]]:
    return [{"name": s.name, "kind": s.kind, "files": s.files} for s in config]
