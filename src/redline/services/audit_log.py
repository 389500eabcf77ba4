"""The audit log as use cases: its newest entries, its chain head, and a full verification (as `redline audit
head|verify|log`)."""

from __future__ import annotations

from dataclasses import dataclass

from redline.services.errors import InvalidInput
from redline.services.stores import opened
from redline.store import audit
from redline.store.audit import AuditEntry, Verification
from redline.store.screening import ScreenStore

__all__ = ["AuditEntry", "AuditLog", "Verification"]


@dataclass
class AuditLog:
    store: ScreenStore

    @classmethod
    def default(cls) -> AuditLog:
        """Over the configured database (opened, and migrated, now: Unavailable if it cannot be)."""
        return cls(opened(ScreenStore))

    def entries(self, limit: int | None = 50) -> list[AuditEntry]:
        """The newest `limit` entries, newest first."""
        with self.store.engine.connect() as connection:
            return audit.entries(connection, limit)

    def head(self) -> tuple[int, str]:
        """The chain head (sequence number, hash), to be kept outside the database."""
        return self.store.head()

    def verify(self, head: str | None = None) -> Verification:
        """The chain, every protected row, every run and decision and, given a head kept earlier (SEQ:HASH or
        HASH), that the log still holds it. InvalidInput for a head that is not one."""
        try:
            recorded = audit.parse_head(head) if head else None
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        return self.store.verify(head=recorded)
