"""API keys as use cases: sign in with one, and (admin) list, create and revoke them. Every change is audited by
the store under the acting key's owner. The composition root builds one `KeyService` per process."""

from __future__ import annotations

from dataclasses import dataclass

from redline.model.keys import ApiKey, Role
from redline.services.errors import InvalidInput, NotFound, WrongState
from redline.store.errors import StoreError, UnknownId
from redline.store.keys import KeyStore


@dataclass
class KeyService:
    store: KeyStore

    @classmethod
    def default(cls) -> KeyService:
        return cls(KeyStore())

    def authenticate(self, presented: str | None) -> ApiKey | None:
        """The live key for what a client presented, or None (absent, unknown, malformed or revoked)."""
        return self.store.authenticate(presented.strip()) if presented and presented.strip() else None

    def records(self) -> list[ApiKey]:
        """Every key's record (never the key), oldest first."""
        return self.store.records()

    def create(self, owner: str, role: Role, who: str) -> tuple[ApiKey, str]:
        """A new key: its record and the key itself, shown once. InvalidInput for an unusable owner."""
        try:
            return self.store.create(owner, role, who=who)
        except StoreError as exc:
            raise InvalidInput(str(exc)) from None

    def revoke(self, key_id: str, who: str) -> ApiKey:
        """Revoke a key at once: NotFound for an unknown id, WrongState for a key already revoked."""
        try:
            return self.store.revoke(key_id, who=who)
        except UnknownId as exc:
            raise NotFound(str(exc)) from None
        except StoreError as exc:
            raise WrongState(str(exc)) from None
