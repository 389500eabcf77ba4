"""The alert queue: list and read alerts with their match explanation and history; decide them (analyst)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query

from redline.server.api import schemas
from redline.server.shared.deps import Analyst, Viewer
from redline.server.shared.text import is_blank
from redline.store.errors import StoreError
from redline.store.screening import ScreenStore

router = APIRouter(prefix="/alerts", tags=["alerts"])
AlertId = Annotated[str, Path(description="An alert id or a unique prefix of it", json_schema_extra=schemas.ALERT_ID)]


def alert_detail(store: ScreenStore, given: str) -> dict[str, Any]:
    try:
        alert = store.alert(given)
    except StoreError as exc:
        raise HTTPException(status_code=404, detail=str(exc).replace("`redline alerts list`", "GET /alerts")) from None
    return alert.to_json() | {
        "history": [verdict.to_json() for verdict in store.history(alert.id)],
        "sightings": store.sightings(alert.id),
    }


@router.get("", response_model=schemas.AlertList)
def list_alerts(
    _: Viewer,
    status: Annotated[Literal["open", "true-match", "false-positive"] | None, Query()] = None,
    run: Annotated[str | None, Query(max_length=64, description="Only the alerts of this run id")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> dict[str, Any]:
    """Alerts, most recently seen first, each with its latest decision."""
    return {"alerts": [a.to_json() for a in ScreenStore().alerts(status=status, run_id=run, limit=limit)]}


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
