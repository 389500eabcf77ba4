"""API keys: created, listed and revoked by an admin; a request presents the key, the store keeps its hash.

A key is `rl_` + 8 characters of public id + `_` + 43 characters of secret (256 random bits in all, from
`secrets`). Only the SHA-256 of the whole key is stored: a stolen database yields no usable key. Creating and
revoking a key are audited, in the same transaction as the change.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update

from redline.model.keys import ApiKey as ApiKey  # the types live in the model: every face uses them
from redline.model.keys import Role as Role
from redline.store import audit
from redline.store.database import data_version, engine_for, reading
from redline.store.errors import StoreError, UnknownId
from redline.store.schema import api_keys
from redline.store.stamps import actor as current_actor

KEY_PREFIX = "rl_"
# Live keys kept per store between two commits to the database (see `KeyStore.authenticate`); bounded all the same.
KEPT_KEYS = 1024


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _key_of(row: Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        owner=row.owner,
        role=Role.parse(row.role),
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
        revoked_by=row.revoked_by,
    )


class KeyStore:
    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or engine_for(url)
        # Live keys by hash, valid while the database's data_version is `_kept_at`: every request presents a key,
        # and reading it was a query per request (bench/service). Any commit anywhere (a revocation by this or
        # another process among them) changes the version and empties the dict, so a revoked key is refused on the
        # next request, as before.
        self._kept: dict[str, ApiKey] = {}
        self._kept_at: tuple[int, int] | None = None
        self._kept_lock = threading.Lock()

    def create(self, owner: str, role: Role, who: str | None = None) -> tuple[ApiKey, str]:
        """A new key for `owner`: its record, and the key itself, which is shown once and never stored."""
        owner = owner.strip()
        if not owner or len(owner) > 200:
            raise StoreError("a key needs an owner: a person's or system's name, at most 200 characters")
        public = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{public}_{secrets.token_urlsafe(32)}"
        record_id = f"{KEY_PREFIX}{public}"
        who = who or current_actor()
        details = {"owner": owner, "role": role.label}
        with (
            self.engine.begin() as connection,
            audit.entry(connection, "key.create", record_id, details, who=who) as pending,
        ):
            connection.execute(
                insert(api_keys).values(
                    id=record_id,
                    key_hash=hash_key(key),
                    owner=owner,
                    role=role.label,
                    created_at=pending.at,
                    created_by=who,
                )
            )
            pending.protect("api_keys", (record_id,))  # a key row nobody created through here is a forgery
        return ApiKey(record_id, owner, role, pending.at, who, None, None), key

    def authenticate(self, key: str) -> ApiKey | None:
        """The live key record for a presented key, or None (unknown, malformed or revoked)."""
        if not key.startswith(KEY_PREFIX) or len(key) > 100:
            return None
        digest = hash_key(key)
        seen = data_version(self.engine)  # before the read: a commit in between leaves the kept copy stale-looking
        if seen is not None:
            with self._kept_lock:
                if seen != self._kept_at:
                    self._kept, self._kept_at = {}, seen
                elif digest in self._kept:
                    return self._kept[digest]
        with reading(self.engine) as connection:
            row = connection.execute(select(api_keys).where(api_keys.c.key_hash == digest)).one_or_none()
        if row is None or row.revoked_at is not None:
            return None  # unknown keys are not kept: nobody can fill the dict by guessing
        found = _key_of(row)
        if seen is not None:
            with self._kept_lock:
                if seen == self._kept_at and len(self._kept) < KEPT_KEYS:
                    self._kept[digest] = found
        return found

    def records(self) -> list[ApiKey]:
        with reading(self.engine) as connection:
            rows = connection.execute(select(api_keys).order_by(api_keys.c.created_at)).all()
        return [_key_of(row) for row in rows]

    def revoke(self, key_id: str, who: str | None = None) -> ApiKey:
        who = who or current_actor()
        with self.engine.begin() as connection:
            row = connection.execute(select(api_keys).where(api_keys.c.id == key_id)).one_or_none()
            if row is None:
                raise UnknownId(f"no key {key_id!r} (see `redline keys list`)")
            if row.revoked_at is not None:
                raise StoreError(f"key {key_id} was already revoked at {row.revoked_at} by {row.revoked_by}")
            details = {"owner": row.owner, "role": row.role}
            with audit.entry(connection, "key.revoke", key_id, details, who=who) as pending:
                connection.execute(
                    update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=pending.at, revoked_by=who)
                )
                pending.protect("api_keys", (key_id,))
            row = connection.execute(select(api_keys).where(api_keys.c.id == key_id)).one()
        return _key_of(row)

    def count_live(self) -> int:
        with reading(self.engine) as connection:
            return len(connection.execute(select(api_keys.c.id).where(api_keys.c.revoked_at.is_(None))).all())
