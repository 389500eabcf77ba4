"""Official list snapshots: list them, diff two, and (admin) import a new file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, UploadFile

from redline.home import redline_home
from redline.screen.jobs import IMPORT_PREFIX, display_name
from redline.server.api import schemas
from redline.server.shared.deps import Admin, Viewer
from redline.services import sources as service
from redline.services.errors import InvalidInput
from redline.services.sources import public_json
from redline.sources.formats import KINDS
from redline.sources.loaded import SourceList

router = APIRouter(prefix="/sources", tags=["sources"])
MAX_LIST_FILE = 200 * 1024 * 1024  # the SDN advanced XML is ~120 MB


@router.get("", response_model=schemas.SnapshotList, responses={503: schemas.problem("The snapshot store is unusable")})
def list_snapshots(
    _: Viewer,
    list_key: Annotated[SourceList | None, Query(alias="list", description="Only this list, e.g. ofac-sdn")] = None,
) -> dict[str, Any]:
    """Every stored snapshot, newest first: list, issue date, when known, file hashes and record counts."""
    snapshots = service.list_snapshots(list_key)
    return {"snapshots": [public_json(snapshot) for snapshot in snapshots]}


@router.get("/diff", responses={400: {"model": schemas.Problem}, 404: {"model": schemas.Problem}})
def diff(
    _: Viewer,
    a: Annotated[str, Query(max_length=64, description="Snapshot number or hash prefix (before)")],
    b: Annotated[str, Query(max_length=64, description="Snapshot number or hash prefix (after)")],
) -> dict[str, Any]:
    """Entries added, removed and changed between two snapshots of one list (the `sources diff --json` form)."""
    return service.diff(a, b).to_json()


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
            loaded = service.load_files([path], kind)
        except InvalidInput as exc:
            problems = "; ".join(p.replace(str(path), name) for p in exc.problems[:5]) or str(exc)
            raise InvalidInput(f"{problems}; nothing was imported") from None
        # The API's answer carries no re-screening report: `changes` are for `redline sources add/update`.
        result = service.import_loaded(loaded, origin=f"upload {name} by {key.actor}", who=key.actor, since_days=None)
    return {"created": result.created, "snapshot": public_json(result.snapshot), "warnings": result.warnings}
