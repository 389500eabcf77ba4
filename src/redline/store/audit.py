"""The append-only, hash-chained audit log: who did what and when (runs, decisions, imports).

Each entry's hash covers its content and the previous entry's hash, so editing an entry breaks its own hash and
deleting one breaks the link of the next; the head row records the newest sequence number and hash, so deleting
the newest entries is caught too. Appends lock the head row, which serialises writers across processes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from redline.store.clock import actor as current_actor
from redline.store.clock import stamp
from redline.store.schema import audit_head, audit_log

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """The one JSON text of `value` that is hashed and stored."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(seq: int, at: str, who: str, action: str, subject: str, details: str, prev_hash: str) -> str:
    body = canonical([seq, at, who, action, subject, details, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    details: dict[str, Any]
    hash: str


def append(
    connection: Connection, action: str, subject: str, details: dict[str, Any], who: str | None = None
) -> AuditEntry:
    """Append one entry inside the caller's transaction (so the entry and the fact it records commit together)."""
    head = connection.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
    ).one()
    seq, at, who = head.seq + 1, stamp(), who or current_actor()
    body = canonical(details)
    digest = entry_hash(seq, at, who, action, subject, body, head.hash)
    connection.execute(
        insert(audit_log).values(
            seq=seq, at=at, actor=who, action=action, subject=subject, details=body, prev_hash=head.hash, hash=digest
        )
    )
    connection.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=seq, hash=digest))
    return AuditEntry(seq, at, who, action, subject, details, digest)


@dataclass(frozen=True, slots=True)
class Verification:
    entries: int
    head_seq: int
    head_hash: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (`redline audit verify --json`, `GET /audit/verify`)."""
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "problems": list(self.problems),
        }


def verify(connection: Connection) -> Verification:
    """Walk the chain from the genesis and name every edited, deleted or re-linked entry."""
    problems: list[str] = []
    expected_seq, prev_hash, count = 1, GENESIS, 0
    rows = connection.execute(select(audit_log).order_by(audit_log.c.seq)).yield_per(1000)
    for row in rows:
        count += 1
        if row.seq > expected_seq:
            missing = f"{expected_seq}" if row.seq == expected_seq + 1 else f"{expected_seq}-{row.seq - 1}"
            problems.append(f"entry {missing} deleted: the sequence jumps from {expected_seq - 1} to {row.seq}")
        recomputed = entry_hash(row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prev_hash)
        if recomputed != row.hash:
            what = f"{row.action} {row.subject}"
            problems.append(f"entry {row.seq} edited: its content no longer matches its hash ({what})")
        elif row.prev_hash != prev_hash and row.seq == expected_seq:
            problems.append(
                f"entry {row.seq - 1} edited or replaced: entry {row.seq} links to a different hash "
                f"({row.prev_hash[:12]}..., the log has {prev_hash[:12]}...)"
            )
        prev_hash, expected_seq = row.hash, row.seq + 1
    head = connection.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).one_or_none()
    if head is None:
        problems.append("the chain head record is missing")
        return Verification(count, 0, GENESIS, tuple(problems))
    last_seq = expected_seq - 1
    if head.seq > last_seq:
        missing = f"{head.seq}" if head.seq == last_seq + 1 else f"{last_seq + 1}-{head.seq}"
        problems.append(f"entry {missing} deleted: the chain head records {head.seq} entries, the log ends earlier")
    elif head.seq < last_seq:
        problems.append(f"entries after {head.seq} were added outside Redline: the log ends at {last_seq}")
    elif head.hash != prev_hash:
        problems.append(f"entry {last_seq} edited or replaced: the chain head records a different hash")
    return Verification(count, head.seq, head.hash, tuple(problems))


def entries(connection: Connection, limit: int | None = None) -> list[AuditEntry]:
    query = select(audit_log).order_by(audit_log.c.seq.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = list(connection.execute(query))
    return [
        AuditEntry(row.seq, row.at, row.actor, row.action, row.subject, json.loads(row.details), row.hash)
        for row in reversed(rows)
    ]
