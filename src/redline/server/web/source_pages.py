"""Sources: the stored snapshots of official lists, and what changed between two of them."""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from redline.server.web.rendering import ViewerPage
from redline.services import sources as service
from redline.services.errors import ServiceError, status_code_of
from redline.services.sources import Snapshot

router = APIRouter()
SHOWN = 1000  # entries listed per section of a diff; the counts are always complete


def _defaults(snapshots: list[Snapshot]) -> tuple[str, str]:
    """The latest snapshot that has a predecessor of its own list, and that predecessor: the diff most wanted."""
    # The store lists snapshots by list, then by when their facts became known: neighbours of one list are versions.
    pairs = [(old, new) for old, new in pairwise(snapshots) if old.list_key == new.list_key]
    if not pairs:
        return "", ""
    before, after = max(pairs, key=lambda pair: (pair[1].known_from, pair[1].id))
    return str(before.id), str(after.id)


@router.get("/ui/sources", response_class=HTMLResponse)
def sources_page(
    page: ViewerPage,
    a: Annotated[str, Query(max_length=64)] = "",
    b: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    snapshots = service.list_snapshots()
    before, after = _defaults(snapshots)
    context: dict[str, Any] = {
        "snapshots": snapshots,
        "a": a.strip() or before,
        "b": b.strip() or after,
        "diff": None,
        "error": None,
        "shown": SHOWN,
    }
    status = 200
    if a.strip() and b.strip():
        try:
            context["diff"] = service.diff(a.strip(), b.strip())
        except ServiceError as exc:
            context["error"], status = str(exc), status_code_of(exc)
    elif a.strip() or b.strip():
        context["error"], status = "pick two snapshots to compare", 400
    return page.render("sources.html", context, status)
