"""Keys (admin) and the audit log: who may do what, and who did what."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from redline.server.api import schemas
from redline.server.shared.deps import Admin
from redline.store import audit
from redline.store.errors import StoreError
from redline.store.keys import KeyStore, Role
from redline.store.screening import ScreenStore

router = APIRouter(tags=["admin"])


@router.get("/keys", response_model=schemas.KeyList)
def list_keys(_: Admin) -> dict[str, Any]:
    """Every key's record (never the key): owner, role, creation and revocation."""
    return {"keys": [k.to_json() for k in KeyStore().records()]}


@router.post(
    "/keys", status_code=201, response_model=schemas.NewKeyOut, responses={400: schemas.problem("No usable owner")}
)
def create_key(key: Admin, body: schemas.KeyIn) -> dict[str, Any]:
    """A new key; the response is the only time it is shown. Audited under the creating admin."""
    try:
        record, secret = KeyStore().create(body.owner, Role.parse(body.role), who=key.actor)
    except StoreError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    return record.to_json() | {"key": secret}


@router.post(
    "/keys/{key_id}/revoke",
    response_model=schemas.KeyOut,
    responses={404: schemas.problem("No such key"), 409: schemas.problem("Already revoked")},
)
def revoke_key(key: Admin, key_id: str) -> dict[str, Any]:
    """Revoke a key at once. Audited."""
    try:
        return KeyStore().revoke(key_id, who=key.actor).to_json()
    except StoreError as exc:
        status = 404 if str(exc).startswith("no key") else 409
        raise HTTPException(status_code=status, detail=str(exc).replace("`redline keys list`", "GET /keys")) from None


@router.get("/audit", tags=["audit"])
def audit_log(_: Admin, limit: Annotated[int, Query(ge=1, le=10000)] = 100) -> dict[str, Any]:
    """The newest audit entries: sequence, time, who, action, subject, details and hash."""
    with ScreenStore().engine.connect() as connection:
        entries = audit.entries(connection, limit)
    return {
        "entries": [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "subject": e.subject,
                "details": e.details,
                "hash": e.hash,
            }
            for e in entries
        ]
    }


@router.get("/audit/verify", tags=["audit"], responses={400: {"model": schemas.Problem}})
def audit_verify(
    _: Admin,
    head: Annotated[
        str | None,
        Query(pattern=r"^([0-9]+:)?[0-9a-f]{64}$", description="A head kept from `redline audit head` (SEQ:HASH)"),
    ] = None,
) -> dict[str, Any]:
    """Walk the hash chain, check every protected row and every run and decision against it, and (given `head`)
    that the log still holds that head (as `redline audit verify --json`)."""
    try:
        recorded = audit.parse_head(head) if head else None
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from None
    return ScreenStore().verify(head=recorded).to_json()


@router.get("/audit/head", tags=["audit"])
def audit_head(_: Admin) -> dict[str, Any]:
    """The chain head (as `redline audit head`): keep it outside the database and pass it to `/audit/verify`."""
    seq, digest = ScreenStore().head()
    return {"seq": seq, "hash": digest, "head": f"{seq}:{digest}"}
