"""What a run found, accumulated row by row in bounded memory: counts, exposure, value at risk, deadlines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from redline.model import iso
from redline.screen.decisions import FINDINGS, SEVERITY, Decision
from redline.screen.evaluate import RowResult

AT_RISK = (Decision.BLOCK, Decision.DIVEST, Decision.HOLD_ONLY)
ERROR = Decision.ERROR  # module constants: enum attribute lookups are slow in a per-row loop on Python 3.11
MAX_LISTED = 10_000  # findings and errors kept for JSON and the report; every row is in the output file


def worst(first: Decision, second: Decision) -> Decision:
    return first if SEVERITY[first] >= SEVERITY[second] else second


def _add(money: dict[str, float], currency: str, value: float | None) -> None:
    if value is not None:
        key = currency or "unknown"
        money[key] = money.get(key, 0.0) + value


@dataclass
class Exposure:
    rows: int = 0
    market_value: dict[str, float] = field(default_factory=dict)
    decisions: Counter[str] = field(default_factory=Counter)
    name: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rows": self.rows, "market_value": self.market_value, "decisions": dict(self.decisions)}
        if self.name:
            data["name"] = self.name
        return data


@dataclass
class Summary:
    reference: datetime  # the instant deadlines are counted from
    deadline_days: int
    rows: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    file_problems: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_rows: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)
    by_regime: dict[str, Exposure] = field(default_factory=dict)
    by_entity: dict[str, Exposure] = field(default_factory=dict)
    by_account: dict[str, Exposure] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    warning_rows: int = 0
    funds: list[dict[str, Any]] = field(default_factory=list)  # the look-through files read (FundBook.to_json)
    at_risk: dict[str, float] = field(default_factory=dict)
    under_review: dict[str, float] = field(default_factory=dict)
    deadlines: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    alerts: Counter[str] = field(default_factory=Counter)

    @property
    def findings_count(self) -> int:
        return sum(self.decisions[d.value] for d in FINDINGS)

    @property
    def has_errors(self) -> bool:
        return bool(self.error_rows or self.file_problems)

    def exit_code(self) -> int:
        """0 no findings, 1 findings, 2 errors (a row or the file could not be screened as given)."""
        if self.has_errors:
            return 2
        return 1 if self.findings_count else 0

    def add(self, result: RowResult, columns: dict[str, str]) -> None:
        self.rows += 1
        row, decision = result.row, result.decision
        self.decisions[decision] += 1  # a StrEnum: counts under its text value
        if row.warnings:
            self.warning_rows += 1
            if len(self.warnings) < MAX_LISTED:
                self.warnings.append({"line": row.line, "warnings": list(row.warnings)})
        for state in result.alert_states:
            self.alerts[state.split(":", 1)[1]] += 1
        if decision is ERROR:
            self.error_rows += 1
            if len(self.errors) < MAX_LISTED:
                self.errors.append({"line": row.line, "errors": result.errors})
            return
        if decision not in FINDINGS:
            return
        if len(self.findings) < MAX_LISTED:
            self.findings.append({"line": row.line, "row": row.label(), **columns})
        _add(self.at_risk if decision in AT_RISK else self.under_review, row.currency, row.market_value)
        # Every total counts the row once: per entity, per regime and per account, under the most severe decision
        # of the hits it has there (a row matching two entities under one regime is one row of that regime).
        entities: dict[str, tuple[str, Decision]] = {}
        regimes: dict[str, Decision] = {}
        deadlines: dict[tuple[str, str, str], tuple[str, datetime]] = {}
        for hit in result.hits:
            hit_decision = hit.decision
            known = entities.get(hit.entity.id)
            entities[hit.entity.id] = (hit.entity.name, worst(known[1], hit_decision) if known else hit_decision)
            for regime in hit.verdict.regimes:
                name = regime.regime.value
                regimes[name] = worst(regimes[name], hit_decision) if name in regimes else hit_decision
                if regime.divest_until is not None:
                    deadlines[(hit.entity.id, name, iso(regime.divest_until))] = (hit.entity.name, regime.divest_until)
        for entity_id, (name, best) in entities.items():
            self._count(self.by_entity.setdefault(entity_id, Exposure(name=name)), best, row)
        for regime_name, best in regimes.items():
            self._count(self.by_regime.setdefault(regime_name, Exposure()), best, row)
        if row.account:
            self._count(self.by_account.setdefault(row.account, Exposure()), decision, row)
        for (entity_id, regime_name, _), (name, until) in deadlines.items():
            self._deadline(entity_id, name, regime_name, until, row)

    @staticmethod
    def _count(exposure: Exposure, decision: Decision, row: Any) -> None:
        exposure.rows += 1
        exposure.decisions[decision.value] += 1
        _add(exposure.market_value, row.currency, row.market_value)

    def _deadline(self, entity_id: str, name: str, regime: str, until: datetime | None, row: Any) -> None:
        if until is None or not self.reference <= until <= self.reference + timedelta(days=self.deadline_days):
            return
        entry = self.deadlines.setdefault(
            (iso(until), entity_id, regime),
            {
                "entity": entity_id,
                "name": name,
                "regime": regime,
                "divest_until": iso(until),
                "days_left": (until - self.reference).days,
                "rows": 0,
                "market_value": {},
            },
        )
        entry["rows"] += 1
        _add(entry["market_value"], row.currency, row.market_value)

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "decisions": {d.value: self.decisions.get(d.value, 0) for d in Decision},
            "findings": self.findings_count,
            "errors": self.error_rows + len(self.file_problems),
            "file_problems": self.file_problems,
            "unknown_columns": self.unknown_columns,
            "market_value_at_risk": self.at_risk,
            "market_value_under_review": self.under_review,
            "exposure_by_regime": {key: value.to_json() for key, value in sorted(self.by_regime.items())},
            "exposure_by_entity": {key: value.to_json() for key, value in sorted(self.by_entity.items())},
            "exposure_by_account": {key: value.to_json() for key, value in sorted(self.by_account.items())},
            "deadlines": {
                "within_days": self.deadline_days,
                "from": iso(self.reference),
                "windows": [self.deadlines[key] for key in sorted(self.deadlines)],
            },
            "alerts": dict(self.alerts),
            "row_errors": self.errors,
            "row_errors_listed": len(self.errors),
            "row_warnings": self.warnings,
            "rows_with_warnings": self.warning_rows,
            "funds": self.funds,
            "findings_listed": len(self.findings),
            "finding_rows": self.findings,
        }
