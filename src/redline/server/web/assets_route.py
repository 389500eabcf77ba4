"""The pages' style sheet and scripts, served from this origin so the Content-Security-Policy allows no inline
script or style (`redline.server.shared.security`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from redline.model.display import DECISION_COLOURS

router = APIRouter()
ASSETS = Path(__file__).parent / "assets"
_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
# The decision tags' colours are the report's (`redline.model.display`), so the pages and the report cannot drift.
DECISION_CLASSES = {decision: f"d-{decision.lower()}" for decision in DECISION_COLOURS}


@lru_cache(maxsize=8)
def _asset(name: str) -> bytes:
    text = (ASSETS / name).read_text(encoding="utf-8")
    if name == "redline.css":
        rules = [
            f" .{DECISION_CLASSES[decision]}{{background:{colour}}}" for decision, colour in DECISION_COLOURS.items()
        ]
        text += "\n".join([*rules, " .d-other{background:#333}"]) + "\n"
    return text.encode("utf-8")


@router.get("/ui/assets/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    # Only the files shipped in assets/ (a fixed set of plain names: nothing reaches outside the folder).
    shipped = {path.name for path in ASSETS.iterdir() if path.suffix in _TYPES}
    if name not in shipped:
        raise HTTPException(status_code=404, detail=f"no asset {name[:80]!r}")
    return Response(_asset(name), media_type=_TYPES[Path(name).suffix], headers={"Cache-Control": "max-age=3600"})
