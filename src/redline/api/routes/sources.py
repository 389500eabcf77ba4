"""Official list snapshots: list them, diff two, and (admin) import a new file."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, UploadFile
from sqlalchemy.exc import SQLAlchemyError

from redline.api import schemas
from redline.api.deps import Admin, Viewer
from redline.home import redline_home
from redline.screen.jobs import IMPORT_PREFIX, display_name
from redline.sources.diff import DiffReport, diff_records
from redline.sources.errors import SourceError
from redline.sources.formats import KINDS, load
from redline.sources.loaded import SourceList
from redline.store.errors import StoreError
from redline.store.snapshots import Snapshot, SnapshotNotFound, SnapshotStore

router = APIRouter(prefix="/sources", tags=["sources"])
MAX_LIST_FILE = 200 * 1024 * 1024  # the SDN advanced XML is ~120 MB


@contextmanager
def snapshot_store() -> Iterator[SnapshotStore]:
    try:
        with SnapshotStore() as store:
            yield store
    except (StoreError, SQLAlchemyError) as exc:
        raise HTTPException(status_code=503, detail=f"the snapshot store cannot be used: {exc}") from None


def public_origin(origin: str) -> str:
    """Where a snapshot came from, without the server's folders: each file path reduced to its name (URLs and
    upload labels are kept as they are)."""

    def shown(part: str) -> str:
        if "://" in part or part.startswith("upload ") or not re.search(r"[\\/]", part):
            return part
        return re.split(r"[\\/]", part.rstrip("\\/"))[-1]

    return ", ".join(shown(part.strip()) for part in origin.split(", "))


def public_json(snapshot: Snapshot) -> dict[str, Any]:
    """A snapshot as clients see it: file names, never where the server keeps (or kept) the files."""
    shown = snapshot.to_json()
    shown["files"] = [file | {"path": public_origin(file["path"])} for file in shown["files"]]
    shown["origin"] = public_origin(shown["origin"])
    return shown


@router.get("", response_model=schemas.SnapshotList, responses={503: schemas.problem("The snapshot store is unusable")})
def list_snapshots(
    _: Viewer,
    list_key: Annotated[SourceList | None, Query(alias="list", description="Only this list, e.g. ofac-sdn")] = None,
) -> dict[str, Any]:
    """Every stored snapshot, newest first: list, issue date, when known, file hashes and record counts."""
    with snapshot_store() as store:
        snapshots = store.snapshots(list_key)
    return {"snapshots": [public_json(snapshot) for snapshot in snapshots]}


@router.get("/diff", responses={400: {"model": schemas.Problem}, 404: {"model": schemas.Problem}})
def diff(
    _: Viewer,
    a: Annotated[str, Query(max_length=64, description="Snapshot number or hash prefix (before)")],
    b: Annotated[str, Query(max_length=64, description="Snapshot number or hash prefix (after)")],
) -> dict[str, Any]:
    """Entries added, removed and changed between two snapshots of one list (the `sources diff --json` form)."""
    return diff_snapshots(a, b).to_json()


def diff_snapshots(a: str, b: str) -> DiffReport:
    """Shared by the API and the sources page. Raises HTTPException 404 (unknown) or 400 (two different lists)."""
    with snapshot_store() as store:
        try:
            before, after = store.get(a), store.get(b)
        except SnapshotNotFound as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from None
        if before.list_key != after.list_key:
            raise HTTPException(
                status_code=400,
                detail=f"{a} is {before.list_key} and {b} is {after.list_key}: diff compares two versions of one list",
            )
        labels = (f"#{before.id} {before.list_key}", f"#{after.id} {after.list_key}")
        return diff_records(list(store.records(before)), list(store.records(after)), labels)


@router.post(
    "",
    status_code=201,
    response_model=schemas.ImportOut,
    responses={
        400: schemas.problem("Not a list file Redline reads, or an unknown kind"),
        413: schemas.problem("Larger than the limit"),
    },
)
def import_file(
    key: Admin,
    file: Annotated[UploadFile, File(description="An official list file (OFAC, UN, CSL, FtM...)")],
    kind: Annotated[
        str | None, Form(alias="as", description=f"What it is: {', '.join(KINDS)}. Default: sniffed")
    ] = None,
) -> dict[str, Any]:
    """Import one list file as a snapshot (admin); an identical file is recognised, not stored twice. Audited."""
    if kind is not None and kind not in KINDS:
        raise HTTPException(status_code=400, detail=f"as: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    name = display_name(file.filename)
    # Removed on every way out; a worker killed mid-upload leaves it to `remove_stale_uploads` at the next start.
    with tempfile.TemporaryDirectory(prefix=IMPORT_PREFIX, dir=redline_home()) as folder:
        path = Path(folder) / name
        size = 0
        with path.open("wb") as out:
            while chunk := file.file.read(1 << 20):
                size += len(chunk)
                if size > MAX_LIST_FILE:
                    raise HTTPException(status_code=413, detail=f"file {name!r} is larger than {MAX_LIST_FILE:,} bytes")
                out.write(chunk)
        try:
            loaded = load([path], kind, None, None)
        except SourceError as exc:
            problems = "; ".join(str(p).replace(str(path), name) for p in exc.problems[:5])
            raise HTTPException(status_code=400, detail=f"{problems}; nothing was imported") from None
        with snapshot_store() as store:
            snapshot, created = store.add(loaded, origin=f"upload {name} by {key.actor}", who=key.actor)
    return {"created": created, "snapshot": public_json(snapshot), "warnings": list(loaded.warnings)}
