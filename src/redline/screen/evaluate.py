"""Screening one row: resolve it, take the status at the row's own instant as known then, decide, and turn hits
into alerts (suppressed by an analyst's false-positive until the entity's list data changes)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from redline.model import CourtOrder, Entity, ListingEvent, iso
from redline.screen.decisions import FINDINGS, Decision, Verdict, decide, most_severe
from redline.screen.exchanges import countries_conflict
from redline.screen.funds import Fund, FundBook
from redline.screen.resolution import Match, RowResolver
from redline.screen.rows import ScreenRow
from redline.status.answer import StatusReport
from redline.status.engine import StatusEngine
from redline.store.reference import ReferenceStore
from redline.store.screening import AlertHit, Verdicts

OUTCOME_CACHE = 100_000  # distinct (security, side, instant) combinations remembered: bounds memory


def fund_rule(store: ReferenceStore) -> str:
    """The fund rule's authority, as regimes.yaml cites it (`cite: funds`): fund constituents are screened because
    exposure through a fund or derivative is covered whatever the weighting."""
    titles = {c.title: None for regime in store.data.regimes.values() for c in regime.cite("funds")}
    return "; ".join(titles) or "no fund rule in regimes.yaml"


@dataclass(frozen=True, slots=True)
class Hit:
    """One entity behind a row's decision (the row itself, or a fund constituent)."""

    entity: Entity
    match: str
    decisive: bool
    verdict: Verdict
    via: str | None = None  # "fund KWEB holds SMIC (2.1%)" for look-through
    constituents: tuple[dict[str, Any], ...] = ()  # the fund's lines behind the hit, with their weights
    fund: str | None = None

    @property
    def decision(self) -> Decision:
        return self.verdict.decision if self.decisive else Decision.REVIEW


@dataclass
class RowResult:
    row: ScreenRow
    instant: datetime | None
    decision: Decision
    if_confirmed: Decision | None = None
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # listed-but-allowed states, suppressions, reopenings
    alerts: list[AlertHit] = field(default_factory=list)
    alert_states: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    columns: dict[str, str] | None = None  # the output's decision columns, shared by rows that screen alike


def entity_version(store: ReferenceStore, entity_id: str) -> tuple[str, tuple[str, ...]]:
    """A hash of everything the lists and courts say about the entity, with the ids of those facts."""
    events: list[ListingEvent | CourtOrder] = [*store.listings(entity_id), *store.court_orders(entity_id)]
    digest = hashlib.sha256("\n".join(repr(event) for event in events).encode("utf-8")).hexdigest()
    return digest, tuple(event.id for event in events)


class RowScreener:
    def __init__(
        self,
        store: ReferenceStore,
        kind: str,
        known_at: datetime,
        resolver: RowResolver,
        funds: FundBook | None = None,
        verdicts: Verdicts | None = None,
    ) -> None:
        self.store, self.kind, self.known_at = store, kind, known_at
        self.fund_rule = fund_rule(store)
        self.resolver = resolver
        self.funds = funds or FundBook()
        self.verdicts = verdicts or Verdicts()
        self.engine = StatusEngine(store)
        self._status: Callable[[str, datetime], StatusReport] = lru_cache(maxsize=100_000)(self._status_of)
        self._versions: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._outcomes: dict[tuple[object, ...], RowResult] = {}

    def _status_of(self, entity_id: str, instant: datetime) -> StatusReport:
        return self.engine.status(self.store.entity(entity_id), instant, self.known_at)

    def version(self, entity_id: str) -> tuple[str, tuple[str, ...]]:
        if entity_id not in self._versions:
            self._versions[entity_id] = entity_version(self.store, entity_id)
        return self._versions[entity_id]

    def _judge(self, matches: list[Match], row: ScreenRow, instant: datetime, via: str | None) -> list[Hit]:
        hits = []
        for match in matches:
            verdict = decide(self._status(match.entity.id, instant), self.kind, row.side)
            hits.append(Hit(match.entity, _explained(match, row), match.decisive, verdict, via))
        return hits

    def _resolve(self, row: ScreenRow, notes: list[str], where: str = "") -> list[Match]:
        """The row's matches, without name leads the line's own country rules out ("Mobile Telecommunications",
        Saudi Arabia, is not China Mobile): each dismissal is said in the row's reasons."""
        kept = []
        for match in self.resolver.resolve(row):
            if match.lead and countries_conflict(row.country, match.entity.country):
                notes.append(
                    f"{where}lead {match.entity.id} dismissed: the line's country {row.country} is not where "
                    f"{match.entity.name} ({(match.entity.country or '').upper()}) is incorporated or listed "
                    f"({match.explanation})"
                )
                continue
            kept.append(match)
        return kept

    def _look_through(self, fund: Fund, row: ScreenRow, instant: datetime, notes: list[str]) -> list[Hit]:
        """One hit per entity the fund holds, with every line that resolved to it (A, H shares and ADRs of one
        issuer are one exposure) and their summed weight; any restricted constituent covers the fund (FAQ 861)."""
        lines: dict[str, list[tuple[ScreenRow, Match]]] = {}
        for constituent in fund.constituents:
            where = f"fund {fund.key} line {constituent.line}: "
            for match in self._resolve(constituent, notes, where):
                lines.setdefault(match.entity.id, []).append((constituent, match))
        hits = []
        for found in lines.values():
            entity = found[0][1].entity
            weights = [c.weight for c, _ in found if c.weight is not None]
            total = f", {sum(weights):.4g}% of the fund" if weights else ""
            held = ", ".join(
                f"line {c.line} {c.label()}" + (f" {c.weight:.4g}%" if c.weight is not None else "") for c, _ in found
            )
            via = f"fund {fund.describe()} holds {entity.name} through {len(found)} line(s){total}: {held}"
            via += f"; {self.fund_rule}"
            constituents = tuple(
                {
                    "line": c.line,
                    "row": c.label(),
                    "weight": c.weight,
                    "match": _explained(m, c),
                    "decisive": m.decisive,
                }
                for c, m in found
            )
            decisive = any(m.decisive for _, m in found)
            explanation = " + ".join(dict.fromkeys(_explained(m, c) for c, m in found))
            verdict = decide(self._status(entity.id, instant), self.kind, row.side)
            hits.append(Hit(entity, explanation, decisive, verdict, via, constituents, fund.key))
        return hits

    def screen(self, row: ScreenRow, instant: datetime | None) -> RowResult:
        if row.problems or instant is None:
            errors = list(row.problems) or ["no instant to judge the row at"]
            return RowResult(row, instant, Decision.ERROR, errors=errors)
        # Everything but the row's size and line depends only on what the row is, its side and its instant, and
        # books repeat the same securities on many rows: screen each combination once.
        key = (
            tuple(row.identifiers.items()),
            row.exchange,
            row.name,
            row.side,
            instant,
            row.country,
            row.exchange_note,
        )
        known = self._outcomes.get(key)
        if known is None:
            if len(self._outcomes) >= OUTCOME_CACHE:
                self._outcomes.clear()
            known = self._outcomes[key] = self._screen(row, instant)
        columns = known.columns
        if row.warnings and columns is not None:  # this row's own doubts (an ambiguous amount): the decision stands
            columns = columns | {"redline_errors": _cell([columns["redline_errors"], *row.warnings])}
        return RowResult(
            row,
            instant,
            known.decision,
            known.if_confirmed,
            known.hits,
            known.notes,
            [
                replace(
                    alert,
                    row_number=row.line,
                    account=row.account,
                    market_value=row.market_value,
                    currency=row.currency,
                )
                for alert in known.alerts
            ],
            known.alert_states,
            columns=columns,
        )

    def _screen(self, row: ScreenRow, instant: datetime) -> RowResult:
        result = RowResult(row, instant, Decision.OK)
        hits = self._judge(self._resolve(row, result.notes), row, instant, None)
        fund = self.funds.fund_of(row)
        if fund is not None:
            if fund.as_of is not None and instant.date() < fund.as_of:
                result.notes.append(
                    f"fund {fund.key}: the holdings file is as of {fund.as_of.isoformat()}, after the instant judged"
                )
            looked = self._look_through(fund, row, instant, result.notes)
            # The row's own match and a constituent naming the same entity are one exposure, one alert.
            direct = {hit.entity.id for hit in hits}
            hits.extend(hit for hit in looked if hit.entity.id not in direct)
        for hit in hits:
            if hit.verdict.decision is Decision.OK:
                result.notes.extend(f"{hit.entity.id}: {r.regime.value} {r.state.value}" for r in hit.verdict.regimes)
        findings = [hit for hit in hits if hit.verdict.decision is not Decision.OK]
        kept = []
        for hit in findings:
            state = self._alert(result, hit)
            if state == "false-positive":
                continue
            if state == "true-match" and not hit.decisive:
                hit = replace(hit, decisive=True, match=f"{hit.match}; confirmed a true match by an analyst")
            kept.append(hit)
        result.hits = kept or [hit for hit in hits if hit.verdict.regimes]
        result.decision = most_severe([hit.decision for hit in kept])
        if kept:
            result.if_confirmed = most_severe([hit.verdict.decision for hit in kept])
        result.columns = decision_columns(result)
        return result

    def _alert(self, result: RowResult, hit: Hit) -> str:
        """Make the hit's alert; its state says whether an analyst's verdict still covers it."""
        row = result.row
        fingerprint = row.fingerprint(self.kind)
        version, events = self.version(hit.entity.id)
        alert_id = hashlib.sha256(f"{fingerprint}|{hit.entity.id}|{version}".encode()).hexdigest()
        prior = self.verdicts.on(alert_id)
        state, reopened_from, reopen_reason = "open", None, None
        if prior is not None:
            state = prior.verdict
            if prior.verdict == "false-positive":
                result.notes.append(
                    f"alert {alert_id[:12]} on {hit.entity.id} suppressed: false-positive by {prior.actor} on "
                    f"{prior.decided_at[:10]} ({prior.comment})"
                )
        else:
            earlier = self.verdicts.earlier_false_positive(fingerprint, hit.entity.id, version)
            if earlier is not None:
                state, reopened_from = "reopened", earlier.alert_id
                added = [e for e in events if e not in earlier.entity_events]
                gone = [e for e in earlier.entity_events if e not in events]
                change = ", ".join([*(f"new {e}" for e in added), *(f"gone {e}" for e in gone)]) or "facts revised"
                reopen_reason = (
                    f"reopened: the list data of {hit.entity.id} changed since the false-positive by {earlier.actor} "
                    f"on {earlier.decided_at[:10]} (alert {earlier.alert_id[:12]}): {change}"
                )
                result.notes.append(reopen_reason)
        suppressed = state == "false-positive"
        regimes = tuple(r.regime.value for r in hit.verdict.regimes)
        result.alerts.append(
            AlertHit(
                alert_id=alert_id,
                fingerprint=fingerprint,
                entity_id=hit.entity.id,
                entity_version=version,
                entity_events=events,
                kind=self.kind,
                label=row.label(),
                decision=hit.decision.value,
                regimes=regimes,
                explanation={
                    "match": hit.match,
                    "via": hit.via,
                    "fund": hit.fund,
                    "constituents": list(hit.constituents),
                    "decision_if_confirmed": hit.verdict.decision.value,
                    "divest_until": iso(hit.verdict.divest_until) if hit.verdict.divest_until else None,
                    "reasons": list(hit.verdict.reasons),
                    "instant": iso(result.instant) if result.instant else None,
                },
                row_number=row.line,
                suppressed=suppressed,
                reopened_from=reopened_from,
                reopen_reason=reopen_reason,
            )
        )
        result.alert_states.append(f"{alert_id[:12]}:{state}")
        return state


def _explained(match: Match, row: ScreenRow) -> str:
    """The match explanation, saying so when the ticker's exchange was inferred rather than given."""
    if row.exchange_note and match.explanation.upper().startswith("TICKER "):
        return f"{match.explanation} ({row.exchange_note})"
    return match.explanation


def is_finding(decision: Decision) -> bool:
    return decision in FINDINGS


DECISION_COLUMNS = (
    "redline_decision",
    "redline_if_confirmed",
    "redline_entity",
    "redline_regimes",
    "redline_divest_until",
    "redline_match",
    "redline_reasons",
    "redline_sources",
    "redline_alerts",
    "redline_errors",
)


def _cell(values: list[str]) -> str:
    return " | ".join(dict.fromkeys(value for value in values if value))


def decision_columns(result: RowResult) -> dict[str, str]:
    """The columns Redline adds to each output row (see docs/screen.md)."""
    hits = result.hits
    regimes = [r.regime.value for hit in hits for r in hit.verdict.regimes]
    until = [iso(h.verdict.divest_until) for h in hits if h.verdict.divest_until is not None]
    reason_texts = [(f"{hit.via}: " if hit.via else "") + reason for hit in hits for reason in hit.verdict.reasons]
    sources = [c.label() for hit in hits for r in hit.verdict.regimes for c in r.sources]
    values = (
        result.decision.value,
        result.if_confirmed.value if result.if_confirmed else "",
        _cell([hit.entity.id for hit in hits]),
        _cell(regimes),
        min(until) if until else "",
        _cell([hit.match for hit in hits]),
        _cell(reason_texts + result.notes),
        _cell(sources),
        " ".join(result.alert_states),
        _cell(result.errors),
    )
    return dict(zip(DECISION_COLUMNS, values, strict=True))
