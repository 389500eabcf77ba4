"""The alert queue: list and read alerts with their match explanation and history; decide them (analyst)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Response

from redline.server.api import schemas
from redline.server.shared.deps import Analyst, Viewer
from redline.server.shared.text import is_blank
from redline.services import alert_queue
from redline.services.alert_queue import FORMATS, export_queue
from redline.services.errors import NotFound
from redline.store.errors import StoreError
from redline.store.screening import ScreenStore

router = APIRouter(prefix="/alerts", tags=["alerts"])
EXPORT_LIMIT = 100_000
AlertId = Annotated[str, Path(description="An alert id or a unique prefix of it", json_schema_extra=schemas.ALERT_ID)]


def alert_detail(store: ScreenStore, given: str) -> dict[str, Any]:
    try:
        return alert_queue.alert_detail(store, given)
    except NotFound as exc:
        raise HTTPException(status_code=404, detail=str(exc).replace("`redline alerts list`", "GET /alerts")) from None


@router.get("", response_model=schemas.AlertList)
def list_alerts(
    _: Viewer,
    status: Annotated[Literal["open", "true-match", "false-positive"] | None, Query()] = None,
    run: Annotated[str | None, Query(max_length=64, description="Only the alerts of this run id")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    q: Annotated[
        str, Query(max_length=200, description="Words that must all occur (id, entity, row, account...)")
    ] = "",
    sort: Annotated[Literal["last_seen", "market_value", "entity", "decision", "account"], Query()] = "last_seen",
) -> dict[str, Any]:
    """Alerts, most recently seen first (or by `sort`), each with its latest decision, accounts and market value."""
    found = ScreenStore().alerts(status=status, run_id=run, limit=limit, search=q, sort=sort)
    return {"alerts": [a.to_json() for a in found]}


@router.get("/export", responses={200: {"content": {"text/csv": {}, FORMATS["xlsx"]: {}}}})
def export_alerts(
    _: Viewer,
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
    status: Annotated[Literal["open", "true-match", "false-positive"] | None, Query()] = None,
    run: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[Literal["last_seen", "market_value", "entity", "decision", "account"], Query()] = "last_seen",
) -> Response:
    """The queue as selected, as CSV or XLSX (spreadsheet formulas neutralised)."""
    views = ScreenStore().alerts(status=status, run_id=run, search=q, sort=sort, limit=EXPORT_LIMIT)
    return Response(
        export_queue(views, format),
        media_type=FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="alerts.{format}"'},
    )


@router.post(
    "/decisions",
    response_model=schemas.BulkDecisionOut,
    responses={400: schemas.problem("A decision cannot be recorded"), 404: schemas.problem("No such alert")},
)
def decide_many(key: Analyst, body: schemas.BulkDecisionIn) -> dict[str, Any]:
    """One verdict and one note on several alerts (analyst): each is recorded and audited on its own, all or none."""
    if is_blank(body.comment):
        raise HTTPException(status_code=422, detail="body.comment: a decision needs a comment saying why")
    try:
        decided = ScreenStore().decide(body.ids, body.verdict, body.comment, who=key.actor)
    except StoreError as exc:
        status = 404 if str(exc).startswith("no alert") else 400
        raise HTTPException(
            status_code=status, detail=str(exc).replace("`redline alerts list`", "GET /alerts")
        ) from None
    return {"decided": decided}


@router.get("/{alert_id}", response_model=schemas.AlertDetail, responses={404: {"model": schemas.Problem}})
def get_alert(_: Viewer, alert_id: AlertId) -> dict[str, Any]:
    """One alert (id or a unique prefix of 6+ characters): explanation, decision history, runs that raised it."""
    return alert_detail(ScreenStore(), alert_id)


@router.post(
    "/{alert_id}/decision",
    response_model=schemas.AlertDetail,
    responses={400: schemas.problem("The decision cannot be recorded"), 404: schemas.problem("No such alert")},
)
def decide(key: Analyst, alert_id: AlertId, body: schemas.DecisionIn) -> dict[str, Any]:
    """Record a verdict (analyst). It lands in the audit log under the key's owner."""
    store = ScreenStore()
    if is_blank(body.comment):
        raise HTTPException(status_code=422, detail="body.comment: a decision needs a comment saying why")
    try:
        decided = store.decide([alert_id], body.verdict, body.comment, who=key.actor)
    except StoreError as exc:
        status = 404 if str(exc).startswith("no alert") else 400
        raise HTTPException(
            status_code=status, detail=str(exc).replace("`redline alerts list`", "GET /alerts")
        ) from None
    return alert_detail(store, decided[0])
