"""What a new list edition changes for this deployment: the answers of open alerts and of recently screened rows.

Compliance teams run `redline sources update` every morning and ask the peers' question "what changed for me?".
Each open alert's entity is judged now under the catalog before and after the import; each row of the files
screened in the last days (while the file is still where it was screened from) is resolved and judged again under
both catalogs at the run's own instant. Nothing is recorded: the report says which rows to screen again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from redline.catalog import Catalog
from redline.model import parse_instant
from redline.screen.columns import ColumnMap, detect_columns
from redline.screen.decisions import Decision, decide
from redline.screen.evaluate import RowScreener
from redline.screen.readers import open_table
from redline.screen.resolution import RowResolver
from redline.screen.rows import RowReader
from redline.status.engine import StatusEngine
from redline.store.screening import ScreenStore

# Rows re-judged per run at most: the report names runs to screen again, it is not a screening itself.
MAX_ROWS_PER_RUN = 100_000


@dataclass(frozen=True, slots=True)
class AnswerChange:
    what: str  # "alert" or "row"
    subject: str  # the alert id, or "<run id>:<line>"
    label: str  # the alert's row, or the file and line
    before: str  # decision under the catalog before the import
    after: str  # and after it
    entities: tuple[str, ...]  # the entities the row resolves to now

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "subject": self.subject,
            "label": self.label,
            "before": self.before,
            "after": self.after,
            "entities": list(self.entities),
        }


def _alert_changes(before: Catalog, after: Catalog, store: ScreenStore, now: datetime) -> list[AnswerChange]:
    changes = []
    engines = StatusEngine(before), StatusEngine(after)
    for alert in store.alerts(status="open"):
        decisions: list[str] = []
        for catalog, engine in zip((before, after), engines, strict=True):
            if alert.entity_id not in catalog.data.entities:
                decisions.append(Decision.OK.value)
                continue
            report = engine.status(catalog.entity(alert.entity_id), now, now)
            decisions.append(decide(report, alert.kind, None).decision.value)
        if decisions[0] != decisions[1]:
            before_decision, after_decision = decisions
            changes.append(
                AnswerChange("alert", alert.id, alert.label, before_decision, after_decision, (alert.entity_id,))
            )
    return changes


def _run_changes(
    resolvers: tuple[RowResolver, RowResolver], store: ScreenStore, run: dict[str, Any]
) -> list[AnswerChange]:
    path = Path(run["input_path"])
    if not path.is_file():
        return []
    parameters = run["parameters"]
    kind = run["kind"]
    known_at = datetime.now(UTC)
    on = parse_instant(parameters["on"]) if parameters.get("on") else known_at
    verdicts = store.verdicts()
    screeners = [RowScreener(r.catalog, kind, known_at, r, verdicts=verdicts) for r in resolvers]
    reader = open_table(path)
    columns = detect_columns(reader.header, parameters.get("mapping") or {}) if reader.header else ColumnMap(())
    rows = RowReader(columns)
    changes: list[AnswerChange] = []
    seen = 0
    for batch in reader.batches(5000):
        for line, values in zip(batch.lines, batch.values, strict=True):
            seen += 1
            if seen > MAX_ROWS_PER_RUN:
                return changes
            row = rows.read(line, values)
            instant = (row.trade_time or on) if kind == "trades" else on
            results = [screener.screen(row, instant) for screener in screeners]
            if results[0].decision is not results[1].decision:
                entities = tuple(dict.fromkeys(hit.entity.id for hit in results[1].hits))
                label = f"{path.name} line {line}"
                was, now = results[0].decision.value, results[1].decision.value
                changes.append(AnswerChange("row", f"{run['id']}:{line}", label, was, now, entities))
    return changes


def changes_for_import(
    before: Catalog, after: Catalog, store: ScreenStore, since_days: int = 30, now: datetime | None = None
) -> list[AnswerChange]:
    """Open alerts and recently screened rows whose answer differs between the two catalogs."""
    if before.version == after.version:
        return []
    moment = now or datetime.now(UTC)
    changes = _alert_changes(before, after, store, moment)
    cutoff = moment - timedelta(days=since_days)
    # One resolver per catalog for every run: books repeat securities, and its cache is per resolver.
    resolvers = RowResolver(before), RowResolver(after)
    for run in store.runs(limit=200):
        finished = datetime.fromisoformat(run["finished_at"].replace("Z", "+00:00"))
        if finished >= cutoff and run["status"] == "completed":
            changes.extend(_run_changes(resolvers, store, run))
    return changes
