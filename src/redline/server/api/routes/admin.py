"""Keys (admin) and the audit log: who may do what, and who did what."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from redline.model.keys import Role
from redline.server.api import schemas
from redline.server.shared.deps import Admin, Audit, Keys
from redline.services.audit_log import AuditEntry

router = APIRouter(tags=["admin"])


@router.get("/keys", response_model=schemas.KeyList)
def list_keys(_: Admin, keys: Keys) -> dict[str, Any]:
    """Every key's record (never the key): owner, role, creation and revocation."""
    return {"keys": [k.to_json() for k in keys.records()]}


@router.post(
    "/keys", status_code=201, response_model=schemas.NewKeyOut, responses={400: schemas.problem("No usable owner")}
)
def create_key(key: Admin, keys: Keys, body: schemas.KeyIn) -> dict[str, Any]:
    """A new key; the response is the only time it is shown. Audited under the creating admin."""
    record, secret = keys.create(body.owner, Role.parse(body.role), who=key.actor)
    return record.to_json() | {"key": secret}


@router.post(
    "/keys/{key_id}/revoke",
    response_model=schemas.KeyOut,
    responses={404: schemas.problem("No such key"), 409: schemas.problem("Already revoked")},
)
def revoke_key(key: Admin, keys: Keys, key_id: str) -> dict[str, Any]:
    """Revoke a key at once. Audited."""
    return keys.revoke(key_id, who=key.actor).to_json()


@router.get("/audit", tags=["audit"], response_model=schemas.AuditEntries)
def audit_log(_: Admin, log: Audit, limit: Annotated[int, Query(ge=1, le=10000)] = 100) -> dict[str, list[AuditEntry]]:
    """The newest audit entries: sequence, time, who, action, subject, details and hash."""
    return {"entries": log.entries(limit)}


@router.get("/audit/verify", tags=["audit"], responses={400: {"model": schemas.Problem}})
def audit_verify(
    _: Admin,
    log: Audit,
    head: Annotated[
        str | None,
        Query(pattern=r"^([0-9]+:)?[0-9a-f]{64}$", description="A head kept from `redline audit head` (SEQ:HASH)"),
    ] = None,
) -> dict[str, Any]:
    """Walk the hash chain, check every protected row and every run and decision against it, and (given `head`)
    that the log still holds that head (as `redline audit verify --json`)."""
    return log.verify(head).to_json()


@router.get("/audit/head", tags=["audit"])
def audit_head(_: Admin, log: Audit) -> dict[str, Any]:
    """The chain head (as `redline audit head`): keep it outside the database and pass it to `/audit/verify`."""
    seq, digest = log.head()
    return {"seq": seq, "hash": digest, "head": f"{seq}:{digest}"}
