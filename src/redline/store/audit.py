"""The append-only, hash-chained audit log: who did what and when (runs, decisions, keys, imports), and the exact
rows each action wrote.

Each entry's hash covers its content and the previous entry's hash, so editing an entry breaks its own hash and
deleting one breaks the link of the next; the head row records the newest sequence number and hash, so deleting
the newest entries is caught too. Appends lock the head row, which serialises writers across processes.

Rows are covered too (`audit_rows`, migration 0004): an entry lists the digest of every row its action wrote in
a protected table (`PROTECTED`: runs, alerts, run_alerts, decisions, api_keys, snapshots and their records,
certificates), and its own hash covers the digest of that list. `verify_rows` recomputes every protected row and
compares it with the digest of the entry that wrote it last: an edited row, a deleted row and a row inserted
outside Redline (a forged key) are each named.
Another table joins by adding a `Protected` to `PROTECTED` and writing through `Pending.protect`.

What no database-only check can catch is the newest entries deleted *and* the head rewound to match: the log is
then a shorter, valid chain. `redline audit head` prints the head to keep elsewhere (a ticket, a WORM store, a
signed e-mail); `redline audit verify --head SEQ:HASH` proves the log still contains it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, insert, or_, select, tuple_, update

from redline.store.schema import (
    alerts,
    api_keys,
    audit_head,
    audit_log,
    audit_rows,
    certificates,
    decisions,
    run_alerts,
    runs,
    snapshot_records,
    snapshots,
)
from redline.store.stamps import actor as current_actor
from redline.store.stamps import stamp

GENESIS = "0" * 64
DELETED = "deleted"  # the digest an entry records for a row its action removed


def canonical(value: Any) -> str:
    """The one JSON text of `value` that is hashed and stored."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    seq: int, at: str, who: str, action: str, subject: str, details: str, prev_hash: str, rows: str | None = None
) -> str:
    # Entries without rows (all of them before migration 0004) hash exactly as they always did.
    fields: list[Any] = [seq, at, who, action, subject, details, prev_hash]
    if rows is not None:
        fields.append(rows)
    return hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Protected:
    """A table whose rows the audit log covers. `key`: the columns naming a row. `grouped`: rows that are only
    ever inserted together (a run's alert rows) are covered by one digest per value of the key instead of one each,
    which keeps a run of 100,000 matching rows to one audit row."""

    table: Table
    key: tuple[str, ...]
    grouped: bool = False

    def key_text(self, values: Sequence[Any]) -> str:
        return "/".join(str(value) for value in values)


PROTECTED: dict[str, Protected] = {
    "runs": Protected(runs, ("id",)),
    "alerts": Protected(alerts, ("id",)),
    "run_alerts": Protected(run_alerts, ("run_id",), grouped=True),
    "decisions": Protected(decisions, ("id",)),
    "api_keys": Protected(api_keys, ("id",)),
    "snapshots": Protected(snapshots, ("id",)),
    # A snapshot's records are only ever inserted together, with it: one digest per snapshot.
    "snapshot_records": Protected(snapshot_records, ("snapshot_id",), grouped=True),
    "certificates": Protected(certificates, ("id",)),
}


def _row_value(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def row_digest(protected: Protected, rows: Sequence[Any]) -> str:
    """sha256 of the rows' every column, as read back from the database (so SQLite and PostgreSQL agree)."""
    names = sorted(column.name for column in protected.table.columns)
    values = sorted(canonical([_row_value(row._mapping[name]) for name in names]) for row in rows)
    return hashlib.sha256(canonical([protected.table.name, names, values]).encode("utf-8")).hexdigest()


def rows_digest(rows: Sequence[tuple[str, str, str]]) -> str:
    """The digest an entry's hash covers: its (table, key, row digest) list, sorted."""
    return hashlib.sha256(canonical(sorted(rows)).encode("utf-8")).hexdigest()


def current_digests(connection: Connection, name: str, keys: Sequence[Sequence[Any]] | None = None) -> dict[str, str]:
    """key text -> digest of the protected table's rows as they are now (all rows, or only those keys)."""
    protected = PROTECTED[name]
    columns = [protected.table.c[column] for column in protected.key]
    query = select(protected.table)
    if keys is not None:
        if not keys:
            return {}
        query = query.where(tuple_(*columns).in_([tuple(key) for key in keys]) if len(columns) > 1 else
                            columns[0].in_([key[0] for key in keys]))  # fmt: skip
    grouped: dict[str, list[Any]] = {}
    for row in connection.execute(query):
        grouped.setdefault(protected.key_text([row._mapping[c] for c in protected.key]), []).append(row)
    return {key: row_digest(protected, rows) for key, rows in grouped.items()}


@dataclass
class Pending:
    """An entry being written: its sequence number and time are fixed, the rows it covers are declared."""

    seq: int
    at: str
    keys: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    given: list[tuple[str, str, str]] = field(default_factory=list)
    sealed: AuditEntry | None = None

    def protect(self, table: str, *keys: Sequence[Any]) -> None:
        """Rows of `table` this action wrote (by key values); their digests are read when the entry is sealed."""
        if table not in PROTECTED:
            raise KeyError(f"{table} is not a protected table")
        self.keys.setdefault(table, []).extend(tuple(key) for key in keys)

    def record(self, table: str, key: str, digest: str) -> None:
        """A row kept outside this database (the snapshot store's file), with a digest its owner computed; `verify`
        is then given that table's current digests (`external`)."""
        self.given.append((table, key, digest))


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
    with entry(connection, action, subject, details, who) as pending:
        pass
    assert pending.sealed is not None
    return pending.sealed


@contextmanager
def entry(
    connection: Connection, action: str, subject: str, details: dict[str, Any], who: str | None = None
) -> Iterator[Pending]:
    """An entry around the writes it records: the body runs with the chain head locked and `pending.seq` and
    `pending.at` fixed; it declares the rows it wrote (`pending.protect`), and on leaving, their digests are read
    back, listed in `audit_rows` and sealed into the entry's hash. `pending.sealed` is the entry."""
    head = connection.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
    ).one()
    pending = Pending(head.seq + 1, stamp())
    yield pending
    who = who or current_actor()
    listed = list(pending.given)
    for table, keys in pending.keys.items():
        listed += [(table, key, digest) for key, digest in current_digests(connection, table, keys).items()]
    listed = sorted(set(listed))
    rows = rows_digest(listed) if listed else None
    body = canonical(details)
    digest = entry_hash(pending.seq, pending.at, who, action, subject, body, head.hash, rows)
    connection.execute(
        insert(audit_log).values(
            seq=pending.seq,
            at=pending.at,
            actor=who,
            action=action,
            subject=subject,
            details=body,
            prev_hash=head.hash,
            hash=digest,
            rows_digest=rows,
        )
    )
    for chunk_start in range(0, len(listed), 1000):
        connection.execute(
            insert(audit_rows),
            [
                {"seq": pending.seq, "table_name": table, "row_key": key, "digest": row}
                for table, key, row in listed[chunk_start : chunk_start + 1000]
            ],
        )
    connection.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=pending.seq, hash=digest))
    pending.sealed = AuditEntry(pending.seq, pending.at, who, action, subject, details, digest)


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
        recomputed = entry_hash(
            row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prev_hash, row.rows_digest
        )
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


def verify_rows(connection: Connection, external: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Every protected row against the entry that wrote it last; every entry's row list against its hash."""
    problems: list[str] = []
    listed: dict[int, list[tuple[str, str, str]]] = {}
    for row in connection.execute(select(audit_rows).order_by(audit_rows.c.seq)):
        listed.setdefault(row.seq, []).append((row.table_name, row.row_key, row.digest))
    sealed = {row.seq: row.rows_digest for row in connection.execute(select(audit_log.c.seq, audit_log.c.rows_digest))}
    for seq in sorted(set(listed) | {seq for seq, digest in sealed.items() if digest}):
        got = rows_digest(listed[seq]) if seq in listed else None
        if seq in sealed and sealed[seq] != got:
            problems.append(f"entry {seq}: its list of rows (audit_rows) was edited: it no longer matches the entry")
        elif seq not in sealed:
            problems.append(f"audit_rows lists rows for entry {seq}, which is not in the log")
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for seq in sorted(listed):
        for table, key, digest in listed[seq]:
            latest[(table, key)] = (seq, digest)
    tables = {name: current_digests(connection, name) for name in PROTECTED} | dict(external or {})
    for name, actual in tables.items():
        for key, digest in sorted(actual.items()):
            recorded = latest.get((name, key))
            if recorded is None or recorded[1] == DELETED:
                problems.append(f"{name} {key[:64]}: a row no audit entry wrote (inserted outside Redline)")
            elif recorded[1] != digest:
                problems.append(f"{name} {key[:64]}: edited since audit entry {recorded[0]} wrote it")
        for (table, key), (seq, digest) in sorted(latest.items()):
            if table == name and digest != DELETED and key not in actual:
                problems.append(f"{name} {key[:64]}: deleted; audit entry {seq} wrote it")
    return problems


def parse_head(text: str) -> tuple[int | None, str]:
    """`SEQ:HASH` (as `redline audit head` prints it) or a bare HASH."""
    seq, _, digest = text.strip().rpartition(":")
    if not re.fullmatch(r"[0-9a-f]{64}", digest) or (seq and not seq.isdigit()):
        raise ValueError(f"{text[:80]!r} is not a chain head: give SEQ:HASH as `redline audit head` prints it")
    return (int(seq) if seq else None), digest


def check_head(connection: Connection, seq: int | None, digest: str) -> list[str]:
    """The head recorded earlier must still be in the log, at its place, under its hash: if the newest entries were
    deleted and the head rewound (which leaves a shorter chain that is valid in itself), it is not."""
    query = select(audit_log.c.seq, audit_log.c.hash)
    query = query.where(or_(audit_log.c.hash == digest, audit_log.c.seq == seq) if seq else audit_log.c.hash == digest)
    found = {row.seq: row.hash for row in connection.execute(query)}
    shown = f"{seq}:{digest[:12]}..." if seq else f"{digest[:12]}..."
    if seq is not None and found.get(seq) == digest:
        return []
    if seq is None and digest in found.values():
        return []
    if seq is not None and seq in found:
        return [f"the recorded head {shown} was replaced: entry {seq} now has hash {found[seq][:12]}..."]
    last = connection.execute(select(audit_head.c.seq)).scalar()
    return [f"the recorded head {shown} is not in the log (it now ends at {last}): entries were deleted"]


def entries(connection: Connection, limit: int | None = None) -> list[AuditEntry]:
    query = select(audit_log).order_by(audit_log.c.seq.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = list(connection.execute(query))
    return [
        AuditEntry(row.seq, row.at, row.actor, row.action, row.subject, json.loads(row.details), row.hash)
        for row in reversed(rows)
    ]
