"""The alert queue: the list with its filters, and one alert: the row as screened beside the listed entity, the
match explanation, the decision form (analysts), the decision history and the runs that raised it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.model import InstantError, parse_instant
from redline.screen.jobs import input_path, results_path
from redline.screen.results import screened_row
from redline.server.shared.deps import Analyst, Service, Viewer
from redline.server.web.rendering import error_page, render
from redline.services.alert_queue import alert_detail
from redline.services.status import StatusService
from redline.store.errors import StoreError
from redline.store.jobs import JobStore
from redline.store.keys import ApiKey
from redline.store.screening import SORTS, VERDICTS, ScreenStore

router = APIRouter()
STATES = ("open", *VERDICTS)
LIMIT = 500


@router.get("/ui/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    key: Viewer,
    status: Annotated[str, Query(max_length=20)] = "",
    run: Annotated[str, Query(max_length=64)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=20)] = "last_seen",
) -> HTMLResponse:
    return _queue(request, key, status.strip(), run.strip(), q.strip(), sort.strip())


def _queue(
    request: Request,
    key: ApiKey,
    status: str,
    run: str,
    q: str,
    sort: str,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    if status and status not in STATES:
        return error_page(request, 400, f"status must be one of {', '.join(STATES)}, not {status!r}")
    if sort not in SORTS:
        return error_page(request, 400, f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    store = ScreenStore()
    found = store.alerts(status=status or None, run_id=run or None, limit=LIMIT + 1, search=q, sort=sort)
    # Runs are named by the file their owner uploaded, not by the server's copy ("input.csv").
    names = {job.run_id: job.filename for job in JobStore().jobs(500) if job.run_id}
    runs = [r | {"name": names.get(r["id"]) or r["input_path"].rsplit("/", 1)[-1]} for r in store.runs(50)]
    query = {name: value for name, value in {"status": status, "run": run, "q": q, "sort": sort}.items() if value}
    context = {
        "q": q,
        "sort": sort,
        "sorts": SORTS,
        "error": error,
        "notice": notice,
        "verdicts": VERDICTS,
        "export_csv": urlencode(query | {"format": "csv"}),
        "export_xlsx": urlencode(query | {"format": "xlsx"}),
        "alerts": found[:LIMIT],
        "more": len(found) > LIMIT,
        "limit": LIMIT,
        "status": status,
        "run": run,
        "states": STATES,
        "runs": runs,
    }
    return render(request, "alerts.html", context, key, status_code)


@router.post("/ui/alerts/decisions", response_model=None)
def decide_many(
    request: Request,
    key: Analyst,
    ids: Annotated[list[str] | None, Form()] = None,
    verdict: Annotated[str, Form(max_length=20)] = "",
    comment: Annotated[str, Form(max_length=4000)] = "",
    status: Annotated[str, Form(max_length=20)] = "",
    run: Annotated[str, Form(max_length=64)] = "",
    q: Annotated[str, Form(max_length=200)] = "",
    sort: Annotated[str, Form(max_length=20)] = "last_seen",
) -> Response:
    """One verdict and one note on the ticked alerts; each decision is recorded and audited on its own."""
    chosen = [item for item in ids or [] if item.strip()]
    if not chosen:
        return _queue(request, key, status, run, q, sort, "tick at least one alert", status_code=400)
    try:
        decided = ScreenStore().decide(chosen, verdict, comment, who=key.actor)
    except StoreError as exc:
        return _queue(request, key, status, run, q, sort, str(exc), status_code=400)
    notice = f"{len(decided)} alert(s) marked {verdict}, each audited with your note"
    return _queue(request, key, status, run, q, sort, notice=notice)


def _screened(sightings: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The row as the newest run that kept its file screened it: a job's stored input and result, read back."""
    jobs = JobStore()
    for sighting in sightings:
        job = jobs.for_run(sighting["run"])
        if job is None or job.status != "completed" or not results_path(job).is_file():
            continue
        found = screened_row(results_path(job), input_path(job), job.parameters.get("mapping") or {}, sighting["row"])
        if found is not None:
            columns, row = found
            return {"job": job, "line": row.line, "cells": list(zip(columns, row.cells, strict=True)), "row": row}
    return None


def _status_then(svc: StatusService, alert: dict[str, Any], sightings: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The entity's status on the instant the row was judged, as known when the newest run judged it: the same
    answer, reasons and sources the run used, recomputed by the same engine."""
    instant = alert["explanation"].get("instant")
    run = ScreenStore().run(sightings[0]["run"]) if sightings else None
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


def _alert_page(
    request: Request,
    key: ApiKey,
    svc: StatusService,
    alert_id: str,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    alert = alert_detail(ScreenStore(), alert_id)
    try:
        entity = svc.store.entity(alert["entity"])
        lists = [item.value for item in svc.store.lists_of(entity.id)]
    except KeyError:
        entity, lists = None, []
    context = {
        "alert": alert,
        "entity": entity,
        "lists": lists,
        "screened": _screened(alert["sightings"]),
        "runs": _runs(alert["sightings"]),
        "report": _status_then(svc, alert, alert["sightings"]),
        "verdicts": VERDICTS,
        "error": error,
        "form": form or {"verdict": "", "comment": ""},
    }
    return render(request, "alert.html", context, key, status_code)


@router.get("/ui/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(request: Request, key: Viewer, svc: Service, alert_id: str) -> HTMLResponse:
    return _alert_page(request, key, svc, alert_id)


@router.post("/ui/alerts/{alert_id}/decision", response_model=None)
def decide(
    request: Request,
    key: Analyst,
    svc: Service,
    alert_id: str,
    verdict: Annotated[str, Form(max_length=20)] = "",
    comment: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Record the verdict under the signed-in key's owner (audited), then show the alert with it in its history."""
    try:
        decided = ScreenStore().decide([alert_id], verdict, comment, who=key.actor)
    except StoreError as exc:
        if str(exc).startswith("no alert"):
            raise HTTPException(status_code=404, detail=str(exc)) from None
        form = {"verdict": verdict, "comment": comment}
        return _alert_page(request, key, svc, alert_id, str(exc), form, status_code=400)
    return RedirectResponse(f"/ui/alerts/{decided[0]}#history", status_code=303)
