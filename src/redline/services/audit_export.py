"""The audit export: every question, run, decision, import and key change in a period, for a regulator's request.

One row per audit entry, with who, when, what, the data versions it used and the certificates that prove it
(docs/certificates.md#audit-export). Screenings with no hit are runs like any other: every run is an entry.
Formats: JSON (the stable form), CSV (formulas neutralised) and HTML (escaped); files are written atomically.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from sqlalchemy import Engine, select

from redline.screen.cells import neutralise_row
from redline.store import audit
from redline.store.certificates import ISSUE_ACTION, KEY_ACTION
from redline.store.database import engine_for, reading
from redline.store.schema import alerts, audit_log, certificates
from redline.store.stamps import stamp

FORMATS = ("json", "csv", "html")
COLUMNS = ("seq", "at", "actor", "category", "action", "subject", "question", "outcome", "data_versions",
           "certificates", "details", "hash")  # fmt: skip
CATEGORIES = {
    "screen.run": "run",
    "alert.decide": "decision",
    "news.accepted": "decision",
    "news.rejected": "decision",
    "source.import": "import",
    "source.import.unchanged": "import",
    "key.create": "key change",
    "key.revoke": "key change",
    KEY_ACTION: "key change",
    "audit.export": "export",
}
_MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8"}


def media_type(fmt: str) -> str:
    return _MEDIA[fmt]


def _category(action: str, details: dict[str, Any]) -> str:
    if action == ISSUE_ACTION:
        return "run certificate" if details.get("kind") == "screening" else "question"
    return CATEGORIES.get(action, "other")


def _question(action: str, details: dict[str, Any]) -> str:
    if action == ISSUE_ACTION:
        return f"{details.get('kind')} {details.get('subject', '')}"
    if action == "screen.run":
        parameters = details.get("parameters", {})
        return (
            f"{parameters.get('kind')} {Path(str(details.get('input_path', ''))).name} "
            f"sha256 {details.get('input_sha256')} on {parameters.get('on')} known at {parameters.get('known_at')}"
        )
    return ""


def _outcome(action: str, details: dict[str, Any]) -> str:
    """A short statement of what the entry decided or found."""
    if action == "screen.run":
        counts = details.get("counts", {})
        decisions = ", ".join(f"{name} {count}" for name, count in sorted(counts.get("decisions", {}).items()))
        hits = sum(counts.get("alerts", {}).values()) if isinstance(counts.get("alerts"), dict) else 0
        return f"{counts.get('rows', 0)} rows ({decisions or 'none'}); " + (f"{hits} alerts" if hits else "no hit")
    if action == "alert.decide":
        return str(details.get("verdict", ""))
    if action == ISSUE_ACTION:
        return f"{details.get('kind')} answer sha256 {str(details.get('answer_sha256', ''))[:16]}"
    if action.startswith("source.import"):
        return f"{details.get('records', '?')} records"
    return ""


def _versions(action: str, details: dict[str, Any]) -> str:
    """Which data the entry's action used or wrote, as one line."""
    if action == "screen.run":
        versions = details.get("versions", {})
        return "; ".join(f"{key} {value}" for key, value in sorted(versions.items()))
    if action == ISSUE_ACTION:
        snapshots = ",".join(str(s) for s in details.get("snapshots", [])) or "none"
        return f"data {details.get('bundled_data')}; catalog {details.get('catalog')}; snapshots {snapshots}"
    if action.startswith("source.import"):
        return f"snapshot {details.get('snapshot')} sha256 {details.get('content_sha256')}"
    if action == "alert.decide" and details.get("entity_version"):
        return f"entity {details.get('entity_id')} version {details['entity_version']}"
    return ""


@dataclass(frozen=True, slots=True)
class AuditExport:
    start: str
    end: str
    generated_at: str
    generated_by: str
    head: str
    chain_ok: bool
    problems: tuple[str, ...]
    entries: tuple[dict[str, Any], ...]

    @property
    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(entry["category"] for entry in self.entries).items()))

    @property
    def certificate_ids(self) -> list[str]:
        return [certificate for entry in self.entries for certificate in entry["certificates"]]

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.start,
            "to": self.end,
            "generated_at": self.generated_at,
            "generated_by": self.generated_by,
            "chain": {"ok": self.chain_ok, "head": self.head, "problems": list(self.problems)},
            "counts": self.counts,
            "entries": list(self.entries),
        }

    def _flat(self) -> list[dict[str, str]]:
        rows = []
        for entry in self.entries:
            row = {column: entry[column] for column in COLUMNS}
            row["certificates"] = " ".join(entry["certificates"])
            row["details"] = audit.canonical(entry["details"])
            rows.append({key: str(value) for key, value in row.items()})
        return rows

    def render(self, fmt: str) -> bytes:
        if fmt == "json":
            return (json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        if fmt == "csv":
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer)
            writer.writerow(COLUMNS)
            for row in self._flat():
                writer.writerow(neutralise_row([row[column] for column in COLUMNS]))
            return buffer.getvalue().encode("utf-8")
        if fmt == "html":
            # autoescape=True: every value (a subject, an actor, a query) is user text.
            environment = Environment(loader=PackageLoader("redline.services", "templates"), autoescape=True)
            template = environment.get_template("audit_export.html.j2")
            return template.render(export=self, rows=self._flat(), columns=COLUMNS).encode("utf-8")
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")


@dataclass
class AuditExportService:
    engine: Engine

    @classmethod
    def default(cls) -> AuditExportService:
        return cls(engine_for())

    def export(self, start: datetime, end: datetime, who: str) -> AuditExport:
        """Every audit entry with start <= at < end (none when end <= start), the chain checked, each with its
        certificates."""
        low, high = stamp(start), stamp(end)
        with reading(self.engine) as connection:
            chain = audit.verify(connection)
            rows = connection.execute(
                select(audit_log).where(audit_log.c.at >= low, audit_log.c.at < high).order_by(audit_log.c.seq)
            ).fetchall()
            # A run's certificates may be issued after it: found by run id over all time.
            run_certificates: dict[str, list[str]] = {}
            query = select(certificates.c.id, certificates.c.subject).where(certificates.c.kind == "screening")
            for certificate in connection.execute(query.order_by(certificates.c.audit_seq)):
                run_certificates.setdefault(certificate.subject, []).append(certificate.id)
            decided = [row.subject for row in rows if row.action == "alert.decide"]
            judged = {
                alert.id: {"entity_id": alert.entity_id, "entity_version": alert.entity_version}
                for alert in connection.execute(
                    select(alerts.c.id, alerts.c.entity_id, alerts.c.entity_version).where(alerts.c.id.in_(decided))
                )
            }
        entries = []
        for row in rows:
            details = json.loads(row.details)
            versions = _versions(row.action, {**judged.get(row.subject, {}), **details})
            ids = [details["certificate"]] if row.action == ISSUE_ACTION and "certificate" in details else []
            if row.action == "screen.run":
                ids = run_certificates.get(row.subject, [])
            entries.append(
                {
                    "seq": row.seq,
                    "at": row.at,
                    "actor": row.actor,
                    "category": _category(row.action, details),
                    "action": row.action,
                    "subject": row.subject,
                    # What was asked: a certificate's query (or screened run); a run's input file and options.
                    "question": _question(row.action, details),
                    "outcome": _outcome(row.action, details),
                    "data_versions": versions,
                    "certificates": ids,
                    "details": details,
                    "hash": row.hash,
                }
            )
        export = AuditExport(
            start=low,
            end=high,
            generated_at=stamp(datetime.now(UTC)),
            generated_by=who,
            head=f"{chain.head_seq}:{chain.head_hash}",
            chain_ok=chain.ok,
            problems=chain.problems,
            entries=tuple(entries),
        )
        # The export itself is audited: who asked for which period, and what it held.
        with self.engine.begin() as connection:
            details = {"from": low, "to": high, "entries": len(entries), "certificates": len(export.certificate_ids)}
            audit.append(connection, "audit.export", f"{low} to {high}", details, who=who)
        return export
