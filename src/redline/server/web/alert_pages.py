"""The alert queue: the list with its filters, and one alert: the row as screened beside the listed entity, the
match explanation, the decision form (analysts), the decision history and the runs that raised it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.model.vocabulary import AlertSort, AlertState, ChoiceError, Verdict, choice
from redline.server.shared.deps import Alerts, Service
from redline.server.web.rendering import AnalystPage, Page, ViewerPage
from redline.services.alerts import AlertService
from redline.services.errors import NotFound, ServiceError
from redline.services.status import StatusService

router = APIRouter()
STATES = tuple(AlertState)
VERDICTS = tuple(Verdict)
SORTS = tuple(AlertSort)
LIMIT = 500


@router.get("/ui/alerts", response_class=HTMLResponse)
def alerts_page(
    page: ViewerPage,
    alerts: Alerts,
    status: Annotated[str, Query(max_length=20)] = "",
    run: Annotated[str, Query(max_length=64)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=20)] = "last_seen",
) -> HTMLResponse:
    return _queue(page, alerts, status.strip(), run.strip(), q.strip(), sort.strip())


def _queue(
    page: Page,
    alerts: AlertService,
    status: str,
    run: str,
    q: str,
    sort: str,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    try:
        state = choice(AlertState, status, "status") if status else None
        order = choice(AlertSort, sort, "sort")
    except ChoiceError as exc:
        return page.error(400, str(exc))
    found = alerts.alerts(status=state, run=run or None, limit=LIMIT + 1, search=q, sort=order)
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
        "runs": alerts.named_runs(50),
    }
    return page.render("alerts.html", context, status_code)


@router.post("/ui/alerts/decisions", response_model=None)
def decide_many(
    page: AnalystPage,
    alerts: Alerts,
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
        return _queue(page, alerts, status, run, q, sort, "tick at least one alert", status_code=400)
    try:
        decided = alerts.decide(chosen, verdict, comment, who=page.key.actor)
    except ServiceError as exc:
        return _queue(page, alerts, status, run, q, sort, str(exc), status_code=400)
    notice = f"{len(decided)} alert(s) marked {verdict}, each audited with your note"
    return _queue(page, alerts, status, run, q, sort, notice=notice)


def _alert_page(
    page: Page,
    alerts: AlertService,
    svc: StatusService,
    alert_id: str,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    shown = alerts.page(svc, alert_id)
    context = {
        "alert": shown.alert,
        "entity": shown.entity,
        "lists": shown.lists,
        "screened": shown.screened,
        "runs": shown.runs,
        "report": shown.report,
        "verdicts": VERDICTS,
        "error": error,
        "form": form or {"verdict": "", "comment": ""},
    }
    return page.render("alert.html", context, status_code)


@router.get("/ui/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(page: ViewerPage, alerts: Alerts, svc: Service, alert_id: str) -> HTMLResponse:
    return _alert_page(page, alerts, svc, alert_id)


@router.post("/ui/alerts/{alert_id}/decision", response_model=None)
def decide(
    page: AnalystPage,
    alerts: Alerts,
    svc: Service,
    alert_id: str,
    verdict: Annotated[str, Form(max_length=20)] = "",
    comment: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Record the verdict under the signed-in key's owner (audited), then show the alert with it in its history."""
    try:
        decided = alerts.decide([alert_id], verdict, comment, who=page.key.actor)
    except NotFound:
        raise
    except ServiceError as exc:
        form = {"verdict": verdict, "comment": comment}
        return _alert_page(page, alerts, svc, alert_id, str(exc), form, status_code=400)
    return RedirectResponse(f"/ui/alerts/{decided[0]}#history", status_code=303)
