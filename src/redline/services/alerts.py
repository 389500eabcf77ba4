"""The alert queue as use cases: list, decide, read one alert with the row as screened and the status the run used.
The API and the queue pages call these; the stores are handed in by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redline.model import Entity, InstantError, parse_instant
from redline.model.vocabulary import AlertSort, AlertState, Verdict
from redline.screen.results import screened_row
from redline.screen.submissions import input_path, results_path
from redline.services import alert_queue
from redline.services.errors import InvalidInput, NotFound
from redline.services.status import StatusService
from redline.services.stores import opened
from redline.store.errors import StoreError, UnknownId
from redline.store.jobs import JobStore
from redline.store.screening import AlertView, ScreenStore

__all__ = ["AlertPage", "AlertService", "AlertView"]


@dataclass(frozen=True, slots=True)
class AlertPage:
    """One alert as the alert page shows it."""

    alert: dict[str, Any]  # the alert's JSON with its history and sightings (GET /alerts/{id})
    entity: Entity | None
    lists: list[str]
    screened: dict[str, Any] | None  # the row as the newest run that kept its file screened it
    runs: list[dict[str, Any]]  # the sightings gathered per run
    report: dict[str, Any] | None  # the status then, as the run judged it


@dataclass
class AlertService:
    store: ScreenStore
    jobs: JobStore

    @classmethod
    def default(cls) -> AlertService:
        """Over the configured database (opened, and migrated, now: Unavailable if it cannot be)."""
        return cls(opened(ScreenStore), opened(JobStore))

    def alerts(
        self,
        status: AlertState | None = None,
        run: str | None = None,
        limit: int | None = None,
        search: str = "",
        sort: AlertSort = AlertSort.LAST_SEEN,
    ) -> list[AlertView]:
        """Alerts, most recently seen first (or by `sort`), each with its latest decision, accounts and value."""
        return self.store.alerts(status=status, run_id=run, limit=limit, search=search, sort=sort)

    def export(self, fmt: str, **selection: Any) -> bytes:
        """The queue as selected, as CSV or XLSX (formulas neutralised)."""
        return alert_queue.export_queue(self.alerts(**selection), fmt)

    def decide(self, ids: list[str], verdict: Verdict | str, comment: str, who: str | None = None) -> list[str]:
        """One verdict and one note on each alert (an id or a unique prefix of 6+ characters), each recorded and
        audited on its own (under `who`, default the configured actor), all or none."""
        try:
            return self.store.decide(ids, verdict, comment, who=who)
        except UnknownId as exc:
            raise NotFound(str(exc)) from None
        except StoreError as exc:
            raise InvalidInput(str(exc)) from None

    def detail(self, given: str) -> dict[str, Any]:
        """One alert (id or unique prefix) with its decision history and the runs that raised it."""
        return alert_queue.alert_detail(self.store, given)

    def named_runs(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest runs, each named by the file its owner uploaded (not the server's copy, "input.csv")."""
        names = {job.run_id: job.filename for job in self.jobs.jobs(500) if job.run_id}
        return [r | {"name": names.get(r["id"]) or r["input_path"].rsplit("/", 1)[-1]} for r in self.store.runs(limit)]

    def runs(self, limit: int = 50) -> list[dict[str, Any]]:
        return self.store.runs(limit)

    def page(self, status: StatusService, given: str) -> AlertPage:
        """Everything the alert page shows: the alert, the listed entity, the row as screened, the runs, and the
        entity's status as the newest run judged it."""
        alert = self.detail(given)
        try:
            entity: Entity | None = status.store.entity(alert["entity"])
            lists = [item.value for item in status.store.lists_of(alert["entity"])]
        except KeyError:
            entity, lists = None, []
        sightings = alert["sightings"]
        return AlertPage(
            alert, entity, lists, self._screened(sightings), _runs(sightings), self._status_then(status, alert)
        )

    def _screened(self, sightings: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The row as the newest run that kept its file screened it: a job's stored input and result, read back."""
        for sighting in sightings:
            job = self.jobs.for_run(sighting["run"])
            if job is None or job.status != "completed" or not results_path(job).is_file():
                continue
            mapping = job.parameters.get("mapping") or {}
            found = screened_row(results_path(job), input_path(job), mapping, sighting["row"])
            if found is not None:
                columns, row = found
                return {"job": job, "line": row.line, "cells": list(zip(columns, row.cells, strict=True)), "row": row}
        return None

    def _status_then(self, svc: StatusService, alert: dict[str, Any]) -> dict[str, Any] | None:
        """The entity's status on the instant the row was judged, as known when the newest run judged it: the same
        answer, reasons and sources the run used, recomputed by the same engine."""
        sightings = alert["sightings"]
        instant = alert["explanation"].get("instant")
        run = self.store.run(sightings[0]["run"]) if sightings else None
        known = run["parameters"].get("known_at") if run else None
        if not instant or not known:
            return None
        try:
            entity = svc.store.entity(alert["entity"])
            report = svc.status_of(entity, parse_instant(instant), parse_instant(known)).to_json()
        except (KeyError, InstantError):  # the entity left the bundled data since, or an instant from an old format
            return None
        # Only the regimes the alert is about: a row judged under EO 13959 need not show the others.
        report["regimes"] = [r for r in report["regimes"] if r["regime"] in alert["regimes"]] or report["regimes"]
        return report


def _runs(sightings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sightings (one per row per run) gathered per run, newest first: a big book repeats a security on
    thousands of rows, which is one line here, not thousands."""
    runs: dict[str, dict[str, Any]] = {}
    for sighting in sightings:
        run = runs.setdefault(
            sighting["run"],
            {key: sighting[key] for key in ("run", "at", "by", "kind")}
            | {"lines": [], "decisions": {}, "suppressed": 0},
        )
        run["lines"].append(sighting["row"])
        run["decisions"][sighting["decision"]] = run["decisions"].get(sighting["decision"], 0) + 1
        run["suppressed"] += bool(sighting["suppressed"])
    return list(runs.values())
