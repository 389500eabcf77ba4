"""`create_app()`: the FastAPI application behind `redline serve`."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from redline import __version__
from redline.api import schemas
from redline.model import Entity, InstantError, iso, parse_instant
from redline.status.service import StatusService
from redline.web.pages import web_router

log = logging.getLogger("redline.api")

QUERY_LIMIT = 1000


def _instant(text: str | None, name: str) -> datetime:
    if text is None or not text.strip():
        return datetime.now(UTC)
    try:
        return parse_instant(text)
    except InstantError as exc:
        raise HTTPException(status_code=400, detail=f"{name}: {exc}") from None


def _query(text: str) -> str:
    query = text.strip()
    if not query:
        raise HTTPException(status_code=400, detail="q is empty: give an ISIN, LEI, ticker or name")
    return query


def create_app(service: StatusService | None = None) -> FastAPI:
    app = FastAPI(
        title="Redline",
        version=__version__,
        description="May a US person buy, sell or hold this security? Point-in-time status under US "
        "investment restrictions on Chinese military companies, explained and sourced.",
    )
    app.state.service = service or StatusService.bundled()

    def svc() -> StatusService:
        current: StatusService = app.state.service
        return current

    def entity_or_404(entity_id: str) -> Entity:
        try:
            return svc().store.entity(entity_id)
        except KeyError:
            raise HTTPException(status_code=404, detail=f"no entity with id {entity_id!r}") from None

    def entity_ref(entity: Entity) -> schemas.EntityRef:
        return schemas.EntityRef(
            id=entity.id, name=entity.name, lists=[x.value for x in svc().store.lists_of(entity.id)]
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return JSONResponse(status_code=422, content={"detail": f"{where}: {first.get('msg', 'invalid input')}"})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Never a stack trace to a client; the log keeps it.
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"})

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["service"])
    def readyz() -> dict[str, object]:
        store = svc().store
        return {"status": "ready", "entities": len(store.data.entities), "listing_events": len(store.data.listings)}

    @app.get("/status", response_model=schemas.StatusOut, tags=["status"], responses={400: {"model": schemas.Problem}})
    def status(
        q: Annotated[str, Query(max_length=QUERY_LIMIT, description="ISIN, LEI, ticker or name in any script")],
        on: Annotated[str | None, Query(description="ISO 8601; a bare date is noon New York")] = None,
        known_at: Annotated[str | None, Query(description="Use only facts public by then (ISO 8601)")] = None,
    ) -> dict[str, object]:
        report = svc().status(_query(q), _instant(on, "on"), _instant(known_at, "known_at"))
        return report.to_json()

    @app.get("/entities", response_model=schemas.SearchOut, tags=["entities"])
    def search(q: Annotated[str, Query(max_length=QUERY_LIMIT)]) -> schemas.SearchOut:
        query = _query(q)
        hits = [
            schemas.SearchHit(
                id=c.entity.id,
                name=c.entity.name,
                lists=[x.value for x in svc().store.lists_of(c.entity.id)],
                score=c.score,
                decisive=c.decisive,
                explanation=c.explanation,
            )
            for c in svc().lookup.resolve(query)
        ]
        return schemas.SearchOut(query=query, results=hits)

    @app.get("/entities/{entity_id}", response_model=schemas.EntityOut, tags=["entities"])
    def entity(entity_id: str) -> schemas.EntityOut:
        found = entity_or_404(entity_id)
        return schemas.EntityOut(
            id=found.id,
            name=found.name,
            schema=found.schema,
            country=found.country,
            lists=[x.value for x in svc().store.lists_of(found.id)],
            names=[schemas.NameOut(text=n.text, kind=n.kind.value, lang=n.lang, script=n.script) for n in found.names],
            identifiers=[
                schemas.IdentifierOut(scheme=i.scheme.value, value=i.value, exchange=i.exchange)
                for i in found.identifiers
            ],
            relations=[schemas.RelationOut(kind=r.kind.value, target_id=r.target_id) for r in found.relations],
        )

    @app.get("/entities/{entity_id}/timeline", response_model=schemas.TimelineOut, tags=["entities"])
    def entity_timeline(entity_id: str, known_at: str | None = None) -> schemas.TimelineOut:
        found = entity_or_404(entity_id)
        known = _instant(known_at, "known_at") if known_at else None
        events = [schemas.TimelineEvent(**entry.to_json()) for entry in svc().timeline(found, known)]
        return schemas.TimelineOut(entity=entity_ref(found), known_at=iso(known) if known else None, events=events)

    app.include_router(web_router(svc))
    return app
