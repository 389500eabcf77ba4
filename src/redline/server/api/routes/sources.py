"""Official list snapshots: list them, diff two, and (admin) import a new file."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile

from redline.model.vocabulary import SourceList
from redline.server.api import schemas
from redline.server.shared.deps import Admin, Viewer
from redline.services import sources as service
from redline.services.source_upload import FILE_KINDS, import_upload
from redline.services.sources import public_json

router = APIRouter(prefix="/sources", tags=["sources"])


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
        str | None, Form(alias="as", description=f"What it is: {', '.join(FILE_KINDS)}. Default: sniffed")
    ] = None,
) -> dict[str, Any]:
    """Import one list file as a snapshot (admin); an identical file is recognised, not stored twice. Audited."""
    result = import_upload(file.file, file.filename, kind, key.actor)
    return {"created": result.created, "snapshot": public_json(result.snapshot), "warnings": result.warnings}
