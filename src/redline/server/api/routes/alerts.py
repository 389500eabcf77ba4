"""The alert queue: list and read alerts with their match explanation and history; decide them (analyst)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Response

from redline.model.vocabulary import AlertSort, AlertState
from redline.server.api import schemas
from redline.server.shared.deps import Alerts, Analyst, Viewer
from redline.server.shared.text import is_blank
from redline.services.alert_queue import FORMATS

router = APIRouter(prefix="/alerts", tags=["alerts"])
EXPORT_LIMIT = 100_000
AlertId = Annotated[str, Path(description="An alert id or a unique prefix of it", json_schema_extra=schemas.ALERT_ID)]


def _with_comment(comment: str) -> None:
    if is_blank(comment):
        raise HTTPException(status_code=422, detail="body.comment: a decision needs a comment saying why")


@router.get("", response_model=schemas.AlertList)
def list_alerts(
    _: Viewer,
    alerts: Alerts,
    status: Annotated[AlertState | None, Query()] = None,
    run: Annotated[str | None, Query(max_length=64, description="Only the alerts of this run id")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    q: Annotated[
        str, Query(max_length=200, description="Words that must all occur (id, entity, row, account...)")
    ] = "",
    sort: Annotated[AlertSort, Query()] = AlertSort.LAST_SEEN,
) -> dict[str, Any]:
    """Alerts, most recently seen first (or by `sort`), each with its latest decision, accounts and market value."""
    found = alerts.alerts(status=status, run=run, limit=limit, search=q, sort=sort)
    return {"alerts": [a.to_json() for a in found]}


@router.get("/export", responses={200: {"content": {"text/csv": {}, FORMATS["xlsx"]: {}}}})
def export_alerts(
    _: Viewer,
    alerts: Alerts,
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
    status: Annotated[AlertState | None, Query()] = None,
    run: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[AlertSort, Query()] = AlertSort.LAST_SEEN,
) -> Response:
    """The queue as selected, as CSV or XLSX (spreadsheet formulas neutralised)."""
    data = alerts.export(format, status=status, run=run, search=q, sort=sort, limit=EXPORT_LIMIT)
    return Response(
        data, media_type=FORMATS[format], headers={"Content-Disposition": f'attachment; filename="alerts.{format}"'}
    )


@router.post(
    "/decisions",
    response_model=schemas.BulkDecisionOut,
    responses={400: schemas.problem("A decision cannot be recorded"), 404: schemas.problem("No such alert")},
)
def decide_many(key: Analyst, alerts: Alerts, body: schemas.BulkDecisionIn) -> dict[str, Any]:
    """One verdict and one note on several alerts (analyst): each is recorded and audited on its own, all or none."""
    _with_comment(body.comment)
    return {"decided": alerts.decide(body.ids, body.verdict, body.comment, who=key.actor)}


@router.get("/{alert_id}", response_model=schemas.AlertDetail, responses={404: {"model": schemas.Problem}})
def get_alert(_: Viewer, alerts: Alerts, alert_id: AlertId) -> dict[str, Any]:
    """One alert (id or a unique prefix of 6+ characters): explanation, decision history, runs that raised it."""
    return alerts.detail(alert_id)


@router.post(
    "/{alert_id}/decision",
    response_model=schemas.AlertDetail,
    responses={400: schemas.problem("The decision cannot be recorded"), 404: schemas.problem("No such alert")},
)
def decide(key: Analyst, alerts: Alerts, alert_id: AlertId, body: schemas.DecisionIn) -> dict[str, Any]:
    """Record a verdict (analyst). It lands in the audit log under the key's owner."""
    _with_comment(body.comment)
    decided = alerts.decide([alert_id], body.verdict, body.comment, who=key.actor)
    return alerts.detail(decided[0])
