"""Keys (admin) and the audit log: who may do what, and who did what."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from redline.api import schemas
from redline.api.deps import Admin
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


@router.get("/audit/verify", tags=["audit"])
def audit_verify(_: Admin) -> dict[str, Any]:
    """Walk the hash chain and check every run and decision against it (as `redline audit verify --json`)."""
    return ScreenStore().verify().to_json()
