"""API keys for `redline serve` and `redline mcp`: create (the secret shown once), list, revoke, count the live ones.
Every change is audited under the actor who made it. The key store is handed in (`KeyService.default()` opens the
configured database)."""

from __future__ import annotations

from dataclasses import dataclass

from redline.services.errors import Conflict, InvalidInput, NotFound
from redline.services.stores import opened, usable
from redline.store.keys import ApiKey, KeyStore, Role


@dataclass
class KeyService:
    store: KeyStore

    @classmethod
    def default(cls) -> KeyService:
        """Over the configured database (opened, and migrated, now: Unavailable if it cannot be)."""
        return cls(opened(KeyStore))

    def create(self, owner: str, role: str, who: str | None = None) -> tuple[ApiKey, str]:
        """A new key for `owner` with `role` (viewer, analyst or admin): its record and the secret."""
        with usable(InvalidInput):
            return self.store.create(owner, Role.parse(role), who=who)

    def records(self) -> list[ApiKey]:
        return self.store.records()

    def revoke(self, key_id: str, who: str | None = None) -> ApiKey:
        """Revoke a live key at once; NotFound for an unknown id, Conflict for a key already revoked."""
        if all(record.id != key_id for record in self.store.records()):
            raise NotFound(f"no key {key_id!r} (see `redline keys list`)")
        with usable(Conflict):
            return self.store.revoke(key_id, who)

    def count_live(self) -> int:
        with usable():
            return self.store.count_live()
