"""API keys as use cases, for `redline keys`, `redline serve`/`mcp` and the admin API: sign in with one, and list,
create and revoke them. Every change is audited by the store under the acting key's owner (or the configured
actor). The key store is handed in: the server's composition root builds one `KeyService` per process;
`KeyService.default()` opens the configured database (Unavailable if it cannot be)."""

from __future__ import annotations

from dataclasses import dataclass

from redline.model.keys import ApiKey, Role
from redline.model.vocabulary import ChoiceError
from redline.services.errors import InvalidInput, NotFound, WrongState
from redline.services.stores import opened, usable
from redline.store.errors import StoreError, UnknownId
from redline.store.keys import KeyStore

__all__ = ["ApiKey", "KeyService", "Role"]


@dataclass
class KeyService:
    store: KeyStore

    @classmethod
    def default(cls) -> KeyService:
        """Over the configured database (opened, and migrated, now)."""
        return cls(opened(KeyStore))

    def authenticate(self, presented: str | None) -> ApiKey | None:
        """The live key for what a client presented, or None (absent, unknown, malformed or revoked)."""
        return self.store.authenticate(presented.strip()) if presented and presented.strip() else None

    def records(self) -> list[ApiKey]:
        """Every key's record (never the key), oldest first."""
        return self.store.records()

    def create(self, owner: str, role: Role | str, who: str | None = None) -> tuple[ApiKey, str]:
        """A new key for `owner` with `role` (viewer, analyst or admin): its record and the key itself, shown once.
        InvalidInput for an unknown role or an unusable owner."""
        try:
            chosen = role if isinstance(role, Role) else Role.parse(role)
        except ChoiceError as exc:
            raise InvalidInput(str(exc)) from None
        with usable(InvalidInput):
            return self.store.create(owner, chosen, who=who)

    def revoke(self, key_id: str, who: str | None = None) -> ApiKey:
        """Revoke a key at once: NotFound for an unknown id, WrongState for a key already revoked."""
        try:
            return self.store.revoke(key_id, who=who)
        except UnknownId as exc:
            raise NotFound(str(exc)) from None
        except StoreError as exc:
            raise WrongState(str(exc)) from None

    def count_live(self) -> int:
        with usable():
            return self.store.count_live()
