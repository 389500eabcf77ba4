"""Certificates of the API's answers, the deployment's public key, and the audit export (docs/certificates.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Response

from redline.model import Instant, or_now
from redline.server.api import schemas
from redline.server.shared.deps import Admin, Certificates, Viewer
from redline.services.audit_export import AuditExportService, media_type

router = APIRouter(tags=["certificates"])
CERTIFICATE_HEADER = "Redline-Certificate"  # the id of the certificate of this answer (GET /certificates/{id})


def link(response: Response, certificate_id: str) -> None:
    """Name the certificate of an answer in the response's headers: the body stays the stable JSON."""
    response.headers[CERTIFICATE_HEADER] = certificate_id
    response.headers["Link"] = f'</certificates/{certificate_id}>; rel="describedby"'


@router.get(
    "/certificates/public-key",
    response_class=Response,
    responses={200: {"content": {"application/x-pem-file": {}}, "description": "The PEM public key"}},
)
def public_key(key: Viewer, certificates: Certificates) -> Response:
    """The deployment's Ed25519 public key (PEM): with it, anyone verifies a certificate offline
    (`redline certificate verify FILE --public-key KEY`)."""
    text = certificates.public_key_pem(key.actor)
    return Response(text, media_type="application/x-pem-file")


@router.get(
    "/certificates/{certificate_id}",
    response_class=Response,
    responses={
        200: {"content": {"application/json": {}}, "description": "The certificate file, byte for byte"},
        404: schemas.problem("No certificate with this id"),
    },
)
def certificate(
    _: Viewer,
    certificates: Certificates,
    certificate_id: Annotated[str, Path(max_length=64, description="A certificate id")],
) -> Response:
    """A certificate this deployment issued, exactly as signed: save the body as a file and verify it."""
    found = certificates.get(certificate_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no certificate {certificate_id}")
    return Response(found.document, media_type="application/json")


@router.get(
    "/audit/export",
    tags=["audit"],
    response_class=Response,
    responses={
        200: {
            "content": {"application/json": {}, "text/csv": {}, "text/html": {}},
            "description": "Every audit entry in the period, with data versions and certificate ids",
        },
        400: schemas.problem("An instant that is not a date"),
    },
)
def audit_export(
    key: Admin,
    start: Annotated[Instant | None, Query(alias="from", description="First instant")],
    end: Annotated[Instant | None, Query(alias="to", description="End, excluded. Default: now")] = None,
    fmt: Annotated[Literal["json", "csv", "html"], Query(alias="format")] = "json",
) -> Response:
    """Every question, run (no-hit screenings included), decision, import and key change in [from, to), with
    actor, time, data versions and certificate ids (as `redline audit export`); the export itself is audited."""
    # A period whose end is not after its start holds no entry: an empty export, not an error.
    result = AuditExportService.default().export(or_now(start), or_now(end), key.actor)
    filename = f"redline-audit-{result.start[:10]}-{result.end[:10]}.{fmt}"
    return Response(
        result.render(fmt),
        media_type=media_type(fmt),
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
