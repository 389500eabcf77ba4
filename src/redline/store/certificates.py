"""Certificates in the Redline database: each issued in one transaction with the audit entry that records it.

The entry (`certificate.issue`, subject the certificate id) is opened first, so the certificate can carry the
entry's sequence number and time; the row is then written and sealed into the entry's hash as a protected row
(redline.store.audit.PROTECTED). Rows are append-only (triggers, migration 0006).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select

from redline.certificates.document import file_bytes
from redline.certificates.keys import key_id, public_key_text
from redline.store import audit
from redline.store.database import engine_for, reading
from redline.store.schema import certificates
from redline.store.signing_key import SigningKey

ISSUE_ACTION = "certificate.issue"
KEY_ACTION = "signing_key.create"


@dataclass(frozen=True, slots=True)
class StoredCertificate:
    id: str
    kind: str
    issued_at: str
    actor: str
    subject: str
    key_id: str
    audit_seq: int
    document: str  # the certificate file's text (canonical JSON and a newline)

    def parsed(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.document)
        return loaded


class CertificateStore:
    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine or engine_for()

    def record_key(self, key: SigningKey, who: str) -> None:
        """Audit the creation of the deployment's signing key (a key change, listed by the audit export)."""
        public = key.private.public_key()
        details = {"key_id": key_id(public), "public_key": public_key_text(public), "path": str(key.path)}
        with self.engine.begin() as connection:
            audit.append(connection, KEY_ACTION, key_id(public), details, who=who)

    def issue(
        self,
        certificate_id: str,
        kind: str,
        subject: str,
        details: dict[str, Any],
        sign: Callable[[int, str], dict[str, Any]],
        who: str,
    ) -> StoredCertificate:
        """Open the audit entry, sign the document `sign(seq, at)` makes, store it, and seal it into the entry."""
        with (
            self.engine.begin() as connection,
            audit.entry(connection, ISSUE_ACTION, certificate_id, details, who=who) as pending,
        ):
            document = sign(pending.seq, pending.at)
            row = StoredCertificate(
                id=certificate_id,
                kind=kind,
                issued_at=pending.at,
                actor=who,
                subject=subject[:2000],
                key_id=document["signature"]["key_id"],
                audit_seq=pending.seq,
                document=file_bytes(document).decode("utf-8"),
            )
            connection.execute(insert(certificates).values(**_values(row)))
            pending.protect("certificates", (certificate_id,))
        return row

    def get(self, certificate_id: str) -> StoredCertificate | None:
        with reading(self.engine) as connection:
            found = connection.execute(select(certificates).where(certificates.c.id == certificate_id)).one_or_none()
        return _row(found._mapping) if found else None

    def between(self, start: str, end: str) -> list[StoredCertificate]:
        """Certificates issued in [start, end) (stored UTC stamps), oldest first."""
        query = (
            select(certificates)
            .where(certificates.c.issued_at >= start, certificates.c.issued_at < end)
            .order_by(certificates.c.audit_seq)
        )
        with reading(self.engine) as connection:
            return [_row(found._mapping) for found in connection.execute(query)]


def _values(row: StoredCertificate) -> dict[str, Any]:
    return {name: getattr(row, name) for name in StoredCertificate.__slots__}


def _row(mapping: Any) -> StoredCertificate:
    return StoredCertificate(**{name: mapping[name] for name in StoredCertificate.__slots__})
