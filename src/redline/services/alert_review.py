"""The analyst's review from a terminal, and the examiner's audit trail: list and decide alerts; print, verify and
read the hash-chained audit log. The screening store is handed in (`.default()` opens the configured database).

(The pages' queue export and alert detail are `redline.services.alert_queue`.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from redline.services.errors import InvalidInput
from redline.services.stores import opened, usable
from redline.store import audit
from redline.store.screening import VERDICTS, AlertView, ScreenStore

# What an alert's status filter accepts: still open, or the verdict it was given.
ALERT_STATES = ("open", *VERDICTS)


@dataclass
class AlertReview:
    store: ScreenStore

    @classmethod
    def default(cls) -> AlertReview:
        return cls(opened(ScreenStore))

    def alerts(self, status: str | None = None, run_id: str | None = None, limit: int = 200) -> list[AlertView]:
        """Alerts newest first, each with its latest decision; `status` one of ALERT_STATES (None: all)."""
        if status is not None and status not in ALERT_STATES:
            raise InvalidInput(f"status must be {', '.join(ALERT_STATES)}, not {status!r}")
        return self.store.alerts(status=status, run_id=run_id, limit=limit)

    def decide(self, alert_ids: Sequence[str], verdict: str, comment: str, who: str | None = None) -> list[str]:
        """Record a verdict on each alert (an id or a unique prefix of 6+ characters), each audited."""
        with usable(InvalidInput):
            return self.store.decide(alert_ids, verdict, comment, who)


@dataclass
class AuditTrail:
    store: ScreenStore

    @classmethod
    def default(cls) -> AuditTrail:
        return cls(opened(ScreenStore))

    def head(self) -> tuple[int, str]:
        """The chain head (sequence number, hash), to be kept outside the database."""
        return self.store.head()

    def verify(self, head: str | None = None) -> audit.Verification:
        """The chain, every protected row and every run and decision against it; with `head` (SEQ:HASH, printed
        earlier by `head()`), also that the log still holds that entry."""
        try:
            recorded = audit.parse_head(head) if head is not None else None
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        return self.store.verify(head=recorded)

    def entries(self, limit: int | None = 50) -> list[audit.AuditEntry]:
        """The newest entries: who did what, when."""
        with self.store.engine.connect() as connection:
            return audit.entries(connection, limit)
