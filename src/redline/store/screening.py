"""What screening keeps: runs, alerts, analyst decisions, each recorded with its audit entry in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from redline.store import audit
from redline.store.database import engine_for, reading
from redline.store.errors import StoreError, UnknownId
from redline.store.schema import alerts, audit_head, audit_log, decisions, run_alert_values, run_alerts, runs
from redline.store.stamps import actor as current_actor

VERDICTS = ("true-match", "false-positive")
_JSON_FIELDS = ("parameters", "versions", "counts")
T = TypeVar("T")


def _chunks(items: Iterable[T], size: int = 1000) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: str
    started_at: str
    finished_at: str
    kind: str
    status: str
    input_path: str
    input_format: str
    input_sha256: str
    parameters: dict[str, Any]
    versions: dict[str, Any]
    counts: dict[str, Any]
    output_path: str | None
    actor: str = field(default_factory=current_actor)

    def to_row(self) -> dict[str, Any]:
        row = {name: getattr(self, name) for name in self.__slots__}
        return row | {name: audit.canonical(row[name]) for name in _JSON_FIELDS}

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> RunRecord:
        values = {name: row[name] for name in cls.__slots__}
        return cls(**(values | {name: json.loads(row[name]) for name in _JSON_FIELDS}))

    def audit_details(self) -> dict[str, Any]:
        return {
            "run_id": self.id,
            "kind": self.kind,
            "status": self.status,
            "input_path": self.input_path,
            "input_sha256": self.input_sha256,
            "parameters": self.parameters,
            "versions": self.versions,
            "counts": self.counts,
            "output_path": self.output_path,
        }


@dataclass(frozen=True, slots=True)
class AlertHit:
    """One screened row that matched (or may have matched) a listed entity, as seen in one run."""

    alert_id: str
    fingerprint: str
    entity_id: str
    entity_version: str
    entity_events: tuple[str, ...]
    kind: str
    label: str
    decision: str
    regimes: tuple[str, ...]
    explanation: dict[str, Any]
    row_number: int
    suppressed: bool
    reopened_from: str | None = None
    reopen_reason: str | None = None
    account: str = ""
    market_value: float | None = None
    currency: str = ""


@dataclass(frozen=True, slots=True)
class PriorVerdict:
    alert_id: str
    verdict: str
    comment: str
    actor: str
    decided_at: str
    entity_version: str
    entity_events: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "comment": self.comment, "by": self.actor, "at": self.decided_at}


@dataclass
class Verdicts:
    """The analysts' latest word on each alert, loaded once at the start of a run."""

    latest: dict[str, PriorVerdict] = field(default_factory=dict)
    false_positives: dict[tuple[str, str], list[PriorVerdict]] = field(default_factory=dict)

    def on(self, alert_id: str) -> PriorVerdict | None:
        return self.latest.get(alert_id)

    def earlier_false_positive(self, fingerprint: str, entity_id: str, entity_version: str) -> PriorVerdict | None:
        """A false-positive given for this row and entity against different list data (the newest one)."""
        given = self.false_positives.get((fingerprint, entity_id), [])
        earlier = [verdict for verdict in given if verdict.entity_version != entity_version]
        return max(earlier, key=lambda v: v.decided_at) if earlier else None


@dataclass(frozen=True, slots=True)
class AlertView:
    id: str
    entity_id: str
    kind: str
    label: str
    decision: str
    regimes: tuple[str, ...]
    explanation: dict[str, Any]
    first_seen_at: str
    last_seen_at: str
    last_run_id: str
    status: str  # open | false-positive | true-match
    verdict: PriorVerdict | None
    reopened_from: str | None
    reopen_reason: str | None
    accounts: tuple[str, ...] = ()  # the accounts of the rows that raised it in its last run
    market_value: dict[str, float] = field(default_factory=dict)  # their market value, per currency

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (`redline alerts list --json`, `GET /alerts`)."""
        return {
            "id": self.id,
            "entity": self.entity_id,
            "kind": self.kind,
            "row": self.label,
            "decision": self.decision,
            "regimes": list(self.regimes),
            "status": self.status,
            "verdict": None if self.verdict is None else self.verdict.to_json(),
            "explanation": self.explanation,
            "first_seen_at": self.first_seen_at,
            "last_seen_at": self.last_seen_at,
            "last_run": self.last_run_id,
            "reopened_from": self.reopened_from,
            "reopen_reason": self.reopen_reason,
            "accounts": list(self.accounts),
            "market_value": self.market_value,
        }

    def text(self) -> str:
        """What the queue's search looks in: id, entity, row, match, accounts, decision and status."""
        match = str(self.explanation.get("match") or "")
        return " ".join([self.id, self.entity_id, self.label, match, *self.accounts, self.decision, self.status])


SORTS = ("last_seen", "market_value", "entity", "decision", "account")


def _sort_key(sort: str) -> Any:
    if sort == "market_value":
        return lambda view: -sum(abs(value) for value in view.market_value.values())
    if sort == "entity":
        return lambda view: view.entity_id
    if sort == "decision":
        return lambda view: view.decision
    if sort == "account":
        return lambda view: (not view.accounts, view.accounts)
    return lambda view: ""  # last_seen: the query's own order


def _run_dict(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {**row, **{key: json.loads(row[key]) for key in _JSON_FIELDS}}


def _upsert(
    connection: Connection, table: Any, rows: list[dict[str, Any]], keys: Sequence[str], update: Sequence[str]
) -> None:
    dialect = connection.dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = builder(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={column: statement.excluded[column] for column in update}
    )
    connection.execute(statement, rows)


class ScreenStore:
    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or engine_for(url)

    # -- runs -------------------------------------------------------------------------------------------------
    def verdicts(self) -> Verdicts:
        """Every alert's latest decision, with the list data it was made against."""
        result = Verdicts()
        newest = (
            select(decisions.c.alert_id, func.max(decisions.c.id).label("id")).group_by(decisions.c.alert_id).subquery()
        )
        query = (
            select(decisions, alerts.c.fingerprint, alerts.c.entity_id, alerts.c.entity_version, alerts.c.entity_events)
            .join(newest, newest.c.id == decisions.c.id)
            .join(alerts, alerts.c.id == decisions.c.alert_id)
        )
        with reading(self.engine) as connection:
            for row in connection.execute(query):
                verdict = PriorVerdict(
                    row.alert_id,
                    row.verdict,
                    row.comment,
                    row.actor,
                    row.decided_at,
                    row.entity_version,
                    tuple(json.loads(row.entity_events)),
                )
                result.latest[row.alert_id] = verdict
                if row.verdict == "false-positive":
                    result.false_positives.setdefault((row.fingerprint, row.entity_id), []).append(verdict)
        return result

    def record_run(self, run: RunRecord, hits: Iterable[AlertHit]) -> int:
        """Record the run, its alerts and its audit entry in one transaction: all of it, or (if killed) none."""
        with (
            self.engine.begin() as connection,
            audit.entry(connection, "screen.run", run.id, run.audit_details(), who=run.actor) as pending,
        ):
            connection.execute(insert(runs).values(**run.to_row(), audit_seq=pending.seq))
            pending.protect("runs", (run.id,))
            written: set[str] = set()
            rows_valued: set[int] = set()
            for chunk in _chunks(hits):
                # The same alert can occur on several rows of one file: the last occurrence describes it.
                by_id = {hit.alert_id: hit for hit in chunk}
                _upsert(
                    connection,
                    alerts,
                    [self._alert_row(hit, run) for hit in by_id.values()],
                    keys=("id",),
                    update=("decision", "regimes", "explanation", "last_run_id", "last_seen_at", "label"),
                )
                written.update(by_id)
                values = {
                    hit.row_number: {
                        "run_id": run.id,
                        "row_number": hit.row_number,
                        "account": hit.account,
                        "market_value": hit.market_value,
                        "currency": hit.currency,
                    }
                    for hit in chunk
                    if hit.row_number not in rows_valued
                }
                rows_valued.update(values)
                if values:
                    connection.execute(insert(run_alert_values), list(values.values()))
                connection.execute(
                    insert(run_alerts),
                    [
                        {
                            "run_id": run.id,
                            "row_number": hit.row_number,
                            "alert_id": hit.alert_id,
                            "decision": hit.decision,
                            "suppressed": hit.suppressed,
                        }
                        for hit in chunk
                    ],
                )
            # The alerts as this run left them (new or updated), and the run's alert rows as one group.
            pending.protect("alerts", *((alert_id,) for alert_id in sorted(written)))
            if written:
                pending.protect("run_alerts", (run.id,))
        assert pending.sealed is not None
        return pending.sealed.seq

    @staticmethod
    def _alert_row(hit: AlertHit, run: RunRecord) -> dict[str, Any]:
        return {
            "id": hit.alert_id,
            "fingerprint": hit.fingerprint,
            "entity_id": hit.entity_id,
            "entity_version": hit.entity_version,
            "entity_events": audit.canonical(list(hit.entity_events)),
            "kind": hit.kind,
            "label": hit.label,
            "decision": hit.decision,
            "regimes": audit.canonical(list(hit.regimes)),
            "explanation": audit.canonical(hit.explanation),
            "first_run_id": run.id,
            "last_run_id": run.id,
            "first_seen_at": run.finished_at,
            "last_seen_at": run.finished_at,
            "reopened_from": hit.reopened_from,
            "reopen_reason": hit.reopen_reason,
        }

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        with reading(self.engine) as connection:
            rows = connection.execute(select(runs).order_by(runs.c.finished_at.desc()).limit(limit)).mappings().all()
        return [_run_dict(row) for row in rows]

    def run(self, run_id: str) -> dict[str, Any] | None:
        """One run as `runs()` gives it, or None."""
        with reading(self.engine) as connection:
            row = connection.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
        return None if row is None else _run_dict(row)

    def run_alert_count(self, run_id: str) -> int:
        with reading(self.engine) as connection:
            return int(
                connection.execute(
                    select(func.count()).select_from(run_alerts).where(run_alerts.c.run_id == run_id)
                ).scalar_one()
            )

    # -- alerts and decisions ---------------------------------------------------------------------------------
    def alerts(
        self,
        status: str | None = None,
        run_id: str | None = None,
        limit: int | None = None,
        alert_id: str | None = None,
        search: str = "",
        sort: str = "last_seen",
    ) -> list[AlertView]:
        """Alerts, most recently seen first (or by `sort`), each with its latest verdict and the accounts and market
        value of the rows that raised it in its last run; `search` keeps those whose text contains every word."""
        latest = self.verdicts().latest
        words = search.casefold().split()
        query = select(alerts).order_by(alerts.c.last_seen_at.desc(), alerts.c.id)
        if run_id is not None:
            query = query.where(alerts.c.id.in_(select(run_alerts.c.alert_id).where(run_alerts.c.run_id == run_id)))
        if alert_id is not None:
            query = query.where(alerts.c.id == alert_id)
        views: list[AlertView] = []
        with reading(self.engine) as connection:
            found = self._values(connection)
            for row in connection.execute(query):
                verdict = latest.get(row.id)
                state = verdict.verdict if verdict else "open"
                if status is not None and state != status:
                    continue
                accounts, money = found.get(row.id, ((), {}))
                views.append(
                    AlertView(
                        id=row.id,
                        entity_id=row.entity_id,
                        kind=row.kind,
                        label=row.label,
                        decision=row.decision,
                        regimes=tuple(json.loads(row.regimes)),
                        explanation=json.loads(row.explanation),
                        first_seen_at=row.first_seen_at,
                        last_seen_at=row.last_seen_at,
                        last_run_id=row.last_run_id,
                        status=state,
                        verdict=verdict,
                        reopened_from=row.reopened_from,
                        reopen_reason=row.reopen_reason,
                        accounts=accounts,
                        market_value=money,
                    )
                )
                if words and not all(word in views[-1].text().casefold() for word in words):
                    views.pop()
                    continue
                if limit is not None and len(views) >= limit and sort == "last_seen":
                    break
        if sort != "last_seen":
            views.sort(key=_sort_key(sort))
        return views[:limit] if limit is not None else views

    def _values(self, connection: Connection) -> dict[str, tuple[tuple[str, ...], dict[str, float]]]:
        """alert id -> (accounts, market value per currency) of the rows that raised it in its last run."""
        query = (
            select(run_alerts.c.alert_id, run_alert_values.c.account, run_alert_values.c.market_value,
                   run_alert_values.c.currency)
            .join(alerts, (alerts.c.id == run_alerts.c.alert_id) & (alerts.c.last_run_id == run_alerts.c.run_id))
            .join(run_alert_values, (run_alert_values.c.run_id == run_alerts.c.run_id)
                  & (run_alert_values.c.row_number == run_alerts.c.row_number))
        )  # fmt: skip
        found: dict[str, tuple[list[str], dict[str, float]]] = {}
        for alert_id, account, value, currency in connection.execute(query):
            accounts, money = found.setdefault(alert_id, ([], {}))
            if account and account not in accounts:
                accounts.append(account)
            if value is not None:
                money[currency or "unknown"] = money.get(currency or "unknown", 0.0) + value
        return {key: (tuple(accounts), money) for key, (accounts, money) in found.items()}

    def alert(self, given: str) -> AlertView:
        """One alert by id or unique prefix."""
        with reading(self.engine) as connection:
            alert_id = self.resolve_alert_id(connection, given)
        return self.alerts(alert_id=alert_id)[0]

    def history(self, alert_id: str) -> list[PriorVerdict]:
        """Every decision on an alert, oldest first: who decided what, when and why."""
        query = (
            select(decisions, alerts.c.entity_version, alerts.c.entity_events)
            .join(alerts, alerts.c.id == decisions.c.alert_id)
            .where(decisions.c.alert_id == alert_id)
            .order_by(decisions.c.id)
        )
        with reading(self.engine) as connection:
            return [
                PriorVerdict(
                    row.alert_id,
                    row.verdict,
                    row.comment,
                    row.actor,
                    row.decided_at,
                    row.entity_version,
                    tuple(json.loads(row.entity_events)),
                )
                for row in connection.execute(query)
            ]

    def sightings(self, alert_id: str) -> list[dict[str, Any]]:
        """The runs that raised an alert, newest first, with the row and the decision each time."""
        query = (
            select(run_alerts, runs.c.finished_at, runs.c.actor, runs.c.kind)
            .join(runs, runs.c.id == run_alerts.c.run_id)
            .where(run_alerts.c.alert_id == alert_id)
            .order_by(runs.c.finished_at.desc(), run_alerts.c.row_number)
        )
        with reading(self.engine) as connection:
            return [
                {
                    "run": row.run_id,
                    "row": row.row_number,
                    "decision": row.decision,
                    "suppressed": row.suppressed,
                    "at": row.finished_at,
                    "by": row.actor,
                    "kind": row.kind,
                }
                for row in connection.execute(query)
            ]

    def resolve_alert_id(self, connection: Connection, prefix: str) -> str:
        """Alert ids are long hashes; a unique prefix (as `alerts list` prints) is enough."""
        if len(prefix) < 6:
            raise StoreError(f"alert id {prefix!r} is too short: give at least 6 characters")
        found = connection.execute(select(alerts.c.id).where(alerts.c.id.startswith(prefix)).limit(2)).scalars().all()
        if not found:
            raise UnknownId(f"no alert {prefix!r} (see `redline alerts list`)")
        if len(found) > 1:
            raise StoreError(f"alert id {prefix!r} is ambiguous: give more characters")
        return str(found[0])

    def decide(self, alert_ids: Sequence[str], verdict: str, comment: str, who: str | None = None) -> list[str]:
        """Record an analyst's verdict on each alert, each with its audit entry, in one transaction."""
        if verdict not in VERDICTS:
            raise StoreError(f"unknown verdict {verdict!r} (use {' or '.join(VERDICTS)})")
        if not comment.strip():
            raise StoreError("a decision needs a comment saying why")
        who = who or current_actor()
        decided = []
        with self.engine.begin() as connection:
            for given in alert_ids:
                alert_id = self.resolve_alert_id(connection, given)
                details = {"alert_id": alert_id, "verdict": verdict, "comment": comment}
                with audit.entry(connection, "alert.decide", alert_id, details, who=who) as pending:
                    inserted = connection.execute(
                        insert(decisions).values(
                            alert_id=alert_id,
                            verdict=verdict,
                            comment=comment,
                            actor=who,
                            decided_at=pending.at,
                            audit_seq=pending.seq,
                        )
                    )
                    pending.protect("decisions", tuple(inserted.inserted_primary_key or ()))
                decided.append(alert_id)
        return decided

    # -- audit ------------------------------------------------------------------------------------------------
    def record_event(
        self,
        action: str,
        subject: str,
        details: dict[str, Any],
        who: str | None = None,
        rows: Sequence[tuple[str, str, str]] = (),
    ) -> int:
        """An audit entry for something recorded elsewhere (e.g. a source import), with the digests of the rows it
        wrote there (table, key, digest), which `verify(external=...)` checks."""
        with self.engine.begin() as connection, audit.entry(connection, action, subject, details, who) as pending:
            for table, key, digest in rows:
                pending.record(table, key, digest)
        assert pending.sealed is not None
        return pending.sealed.seq

    def head(self) -> tuple[int, str]:
        """The chain head (sequence number, hash): what `redline audit head` prints, to be kept elsewhere."""
        with reading(self.engine) as connection:
            row = connection.execute(select(audit_head.c.seq, audit_head.c.hash)).one()
        return int(row.seq), str(row.hash)

    def verify(
        self, external: dict[str, dict[str, str]] | None = None, head: tuple[int | None, str] | None = None
    ) -> audit.Verification:
        """The chain; every protected row (runs, alerts, decisions, keys, snapshots and their records) against the
        entry that wrote it last (`external`: current digests of rows kept outside this database); every run and
        decision against its entry; and, given a head recorded earlier (`head`), that the log still contains it."""
        with reading(self.engine) as connection:
            chain = audit.verify(connection)
            logged = {
                row.seq: row
                for row in connection.execute(
                    select(
                        audit_log.c.seq,
                        audit_log.c.action,
                        audit_log.c.subject,
                        audit_log.c.details,
                        audit_log.c.actor,
                    )
                )
            }
            problems = list(chain.problems)
            problems += audit.verify_rows(connection, external)
            if head is not None:
                problems += audit.check_head(connection, *head)
            for row in connection.execute(select(runs)):
                entry = logged.get(row.audit_seq)
                record = RunRecord.from_row(row._mapping)
                logged_run = audit.canonical(record.audit_details())
                if entry is None or (entry.subject, entry.actor, entry.details) != (row.id, row.actor, logged_run):
                    problems.append(f"run {row.id} differs from its audit entry {row.audit_seq}")
            for row in connection.execute(select(decisions)):
                entry = logged.get(row.audit_seq)
                details = {"alert_id": row.alert_id, "verdict": row.verdict, "comment": row.comment}
                if entry is None or entry.actor != row.actor or entry.details != audit.canonical(details):
                    where = f"decision {row.id} on alert {row.alert_id[:12]}"
                    problems.append(f"{where} differs from its audit entry {row.audit_seq}")
            logged_runs = {seq for seq, row in logged.items() if row.action == "screen.run"}
            recorded_runs = set(connection.execute(select(runs.c.audit_seq)).scalars())
            for seq in sorted(logged_runs - recorded_runs):
                problems.append(f"run {logged[seq].subject} (audit entry {seq}) was deleted from the runs table")
            logged_decisions = {seq for seq, row in logged.items() if row.action == "alert.decide"}
            recorded_decisions = set(connection.execute(select(decisions.c.audit_seq)).scalars())
            for seq in sorted(logged_decisions - recorded_decisions):
                problems.append(f"decision on alert {logged[seq].subject[:12]} (audit entry {seq}) was deleted")
        return audit.Verification(chain.entries, chain.head_seq, chain.head_hash, tuple(problems))
