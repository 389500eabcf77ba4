"""Tables of the screening store: runs, alerts, analyst decisions and the hash-chained audit log.

Instants are stored as ISO 8601 UTC text ("2021-03-15T13:30:00.000000Z"): fixed width, so they sort as text, and
read back identically from SQLite and PostgreSQL, which matters because audit entries are hashed.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("input_path", Text, nullable=False),
    Column("input_format", String(10), nullable=False),
    Column("input_sha256", String(64), nullable=False),
    Column("parameters", Text, nullable=False),  # JSON
    Column("versions", Text, nullable=False),  # JSON: redline, data and snapshot versions used
    Column("counts", Text, nullable=False),  # JSON
    Column("output_path", Text),
    Column("audit_seq", Integer, nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    # sha256 of fingerprint + entity + entity version: the same row matching the same list data is the same alert.
    Column("id", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("entity_id", String(100), nullable=False),
    Column("entity_version", String(64), nullable=False),
    Column("entity_events", Text, nullable=False),  # JSON list of the event ids the version covers
    Column("kind", String(20), nullable=False),
    Column("label", Text, nullable=False),  # what the row was: identifiers and name as given
    Column("decision", String(20), nullable=False),  # the screening decision the last time it was seen
    Column("regimes", Text, nullable=False),  # JSON list
    Column("explanation", Text, nullable=False),  # JSON: match explanation and reasons
    Column("first_run_id", String(32), nullable=False),
    Column("last_run_id", String(32), nullable=False),
    Column("first_seen_at", String(32), nullable=False),
    Column("last_seen_at", String(32), nullable=False),
    Column("reopened_from", String(64)),  # an earlier alert whose false-positive no longer holds
    Column("reopen_reason", Text),
)
Index("ix_alerts_fingerprint_entity", alerts.c.fingerprint, alerts.c.entity_id)

run_alerts = Table(
    "run_alerts",
    metadata,
    Column("run_id", String(32), ForeignKey("runs.id"), primary_key=True),
    Column("row_number", Integer, primary_key=True),
    Column("alert_id", String(64), ForeignKey("alerts.id"), primary_key=True),
    Column("decision", String(20), nullable=False),
    Column("suppressed", Boolean, nullable=False),
)
Index("ix_run_alerts_alert", run_alerts.c.alert_id)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", String(64), ForeignKey("alerts.id"), nullable=False),
    Column("verdict", String(20), nullable=False),  # true-match | false-positive
    Column("comment", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("decided_at", String(32), nullable=False),
    Column("audit_seq", Integer, nullable=False),
)
Index("ix_decisions_alert", decisions.c.alert_id)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("details", Text, nullable=False),  # canonical JSON, hashed as stored
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("rows_digest", String(64)),  # sha256 of this entry's audit_rows list; covered by `hash` (0004)
)

# The rows each audit entry's action wrote, one digest per row (or per group of rows: a run's run_alerts), so that
# `audit verify` can tell an edited, deleted or forged row in a protected table (redline.store.audit.PROTECTED).
audit_rows = Table(
    "audit_rows",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("table_name", String(40), primary_key=True),
    Column("row_key", String(200), primary_key=True),
    Column("digest", String(64), nullable=False),
)

# One row (id 1): the last sequence number and hash. Appenders lock it, which serialises the chain across
# processes; verification compares it with the log, so deleting the newest entries is caught too.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# API keys (issue 6): only the SHA-256 of a key is kept. Keys are 256-bit random tokens, so a fast hash is not a
# weakness here (nothing to brute-force), and it lets a request find its key by one indexed lookup.
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(16), primary_key=True),  # the key's public prefix, shown in listings and audit entries
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("owner", String(200), nullable=False),
    Column("role", String(10), nullable=False),  # viewer | analyst | admin
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("revoked_at", String(32)),
    Column("revoked_by", String(200)),
)

# Screenings submitted over HTTP: a job row that any worker process can read, updated as the file is screened.
screening_jobs = Table(
    "screening_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("status", String(12), nullable=False),  # queued | running | completed | failed
    Column("kind", String(20), nullable=False),
    Column("filename", String(255), nullable=False),  # the uploaded name, sanitised
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("parameters", Text, nullable=False),  # JSON: on, known_at, mapping
    Column("owner", String(200), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),  # also the heartbeat of a running job
    Column("rows_total", Integer),  # an estimate from the line count, for the progress bar
    Column("rows_done", Integer, nullable=False),
    Column("run_id", String(32)),
    Column("summary", Text),  # JSON, when completed
    Column("error", Text),
    Column("lease_until", String(32)),  # renewed by the worker's heartbeat; run out: the worker is gone (0006)
)
Index("ix_screening_jobs_created", screening_jobs.c.created_at)

# The account, market value and currency of each row that raised an alert in a run (0006): copies of the run's input
# cells for the queue, not a protected table (the run's input checksum covers them).
run_alert_values = Table(
    "run_alert_values",
    metadata,
    Column("run_id", String(32), primary_key=True),
    Column("row_number", Integer, primary_key=True),
    Column("account", Text, nullable=False),
    Column("market_value", Float),
    Column("currency", String(12), nullable=False),
)

# Official list snapshots (issue 11): one row per imported file (or OFAC CSV quartet), its records beside it.
# Rows are never updated or deleted (triggers refuse it, migration 0003); `records_sha256` is a digest of the stored
# record payloads, written into the import's audit entry, so `audit verify` detects an edited or deleted record.
snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(20), nullable=False),
    Column("label", String(200), nullable=False),
    Column("format", String(30), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("issued_at", String(40)),
    Column("issued_from", String(10), nullable=False),
    Column("known_from", String(40), nullable=False),
    Column("retrieved_at", String(40), nullable=False),
    Column("imported_at", String(40), nullable=False),
    Column("origin", Text, nullable=False),
    Column("files", Text, nullable=False),  # JSON
    Column("record_count", Integer, nullable=False),
    Column("counts", Text, nullable=False),  # JSON
    Column("records_sha256", String(64), nullable=False),
    UniqueConstraint("source", "label", "content_hash", name="uq_snapshots_content"),
)
Index("ix_snapshots_known", snapshots.c.source, snapshots.c.label, snapshots.c.known_from)

snapshot_records = Table(
    "snapshot_records",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshots.id"), primary_key=True),
    Column("record_id", String(200), primary_key=True),
    Column("schema", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("payload", Text, nullable=False),  # JSON: redline.model.records.to_json
)

# Signed certificates of answers (issue 19): the whole signed document, as issued, with the audit entry that
# recorded it. Rows are never updated or deleted (triggers, migration 0006) and are protected rows of the audit
# chain, so `audit verify` names a certificate edited, deleted or inserted outside Redline.
certificates = Table(
    "certificates",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(20), nullable=False),  # status | match | timeline | screening
    Column("issued_at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("subject", Text, nullable=False),  # the query, or the screening run id
    Column("key_id", String(16), nullable=False),
    Column("audit_seq", Integer, nullable=False),
    Column("document", Text, nullable=False),  # the canonical JSON (redline.certificates.document.file_bytes)
)
Index("ix_certificates_audit_seq", certificates.c.audit_seq)
