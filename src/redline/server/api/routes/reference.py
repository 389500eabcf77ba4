"""Reading the reference data: status at an instant, entities and their timelines, and name matching."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response
from starlette.concurrency import run_in_threadpool

from redline.model import Entity, Instant, iso, or_now
from redline.model.queries import QueryError
from redline.model.status_answer import EntityRef, StatusAnswer
from redline.server.api import schemas
from redline.server.api.routes.certificates import link
from redline.server.shared.deps import Certificates, Service, Viewer, query_text
from redline.services.answers import match_question, status_question
from redline.services.errors import InvalidInput
from redline.services.status import StatusService

QUERY_LIMIT = 1000
CertificateWanted = Annotated[
    bool, Query(description="Also sign and record the answer; its id is in the Redline-Certificate header")
]
router = APIRouter()

# /status and /match are `async` and hand their work (identification, scoring, a certificate's signing and write) to
# the thread pool in one hop: for a plain `def` route FastAPI runs the function in the pool and then validates its
# answer against the response model in the pool again, one more hop per request (each a thread switch, and a wait
# for the GIL while other requests score names; bench/service).


def _entity_or_404(service: StatusService, entity_id: str) -> Entity:
    try:
        return service.store.entity(entity_id)
    except KeyError:
        raise HTTPException(status_code=404, detail=f"no entity with id {entity_id!r}") from None


@router.get(
    "/status",
    response_model=StatusAnswer,
    tags=["status"],
    responses={400: schemas.problem("An empty query, or an instant that is not a date")},
)
async def status(
    key: Viewer,
    service: Service,
    response: Response,
    q: Annotated[
        str,
        Query(
            max_length=QUERY_LIMIT,
            description="ISIN, LEI, ticker or name in any script",
            json_schema_extra=schemas.NOT_BLANK,
        ),
    ],
    certificates: Certificates,
    on: Annotated[Instant | None, Query(description="The instant judged. Default: now")] = None,
    known_at: Annotated[Instant | None, Query(description="Use only facts public by then. Default: now")] = None,
    certificate: CertificateWanted = False,
) -> dict[str, Any]:
    """May a US person buy, sell or hold it at `on`, as known at `known_at`: the CLI's JSON contract. With
    `certificate=true` the answer is also signed and recorded: its id is in the `Redline-Certificate` header."""
    text, moment, known = query_text(q), or_now(on), or_now(known_at)
    if certificate:
        question = status_question(text, moment, known)
        certified = await run_in_threadpool(certificates.ask, "status", question, key.actor, "api")
        link(response, certified.id)
        return certified.answer
    return await run_in_threadpool(lambda: service.status(text, moment, known).to_json())


@router.post(
    "/match",
    response_model=schemas.MatchOut,
    tags=["entities"],
    responses={400: schemas.problem("A query with nothing to match once normalised")},
)
async def match(
    key: Viewer,
    body: schemas.MatchIn,
    service: Service,
    certificates: Certificates,
    response: Response,
    certificate: CertificateWanted = False,
) -> dict[str, Any]:
    """Candidates for a name in any script or an identifier, over the bundled lists and imported snapshots,
    best first, each with the reasons for its score (the `redline match --json` form). With `certificate=true`
    the answer is also signed and recorded (`Redline-Certificate` header)."""
    try:
        if certificate:
            question = match_question(body.query, body.schema_, body.birth_date, body.limit, body.threshold)
            certified = await run_in_threadpool(certificates.ask, "match", question, key.actor, "api")
            link(response, certified.id)
            return certified.answer
        options = {"schema": body.schema_, "birth_date": body.birth_date, "limit": body.limit}
        return await run_in_threadpool(service.match, body.query, threshold=body.threshold, **options)
    except QueryError as exc:
        raise InvalidInput(f"query: {exc}") from None


@router.get(
    "/entities",
    response_model=schemas.SearchOut,
    tags=["entities"],
    responses={400: schemas.problem("A query with nothing to match once normalised")},
)
def search(
    _: Viewer, service: Service, q: Annotated[str, Query(max_length=QUERY_LIMIT, json_schema_extra=schemas.NOT_BLANK)]
) -> schemas.SearchOut:
    """Catalog entities (bundled and imported) for a name, ticker or identifier, best first."""
    query = query_text(q)
    try:
        found = service.search(query)
    except QueryError as exc:
        raise InvalidInput(f"q: {exc}") from None
    return schemas.SearchOut(query=query, results=found)


@router.get(
    "/entities/{entity_id}",
    response_model=schemas.EntityOut,
    tags=["entities"],
    responses={404: schemas.problem("No bundled entity has this id")},
)
def entity(_: Viewer, service: Service, entity_id: str) -> schemas.EntityOut:
    found = _entity_or_404(service, entity_id)
    return schemas.EntityOut(
        id=found.id,
        name=found.name,
        schema=found.schema,
        country=found.country,
        lists=[x.value for x in service.store.lists_of(found.id)],
        names=[schemas.NameOut(text=n.text, kind=n.kind.value, lang=n.lang, script=n.script) for n in found.names],
        identifiers=[
            schemas.IdentifierOut(scheme=i.scheme.value, value=i.value, exchange=i.exchange) for i in found.identifiers
        ],
        relations=[schemas.RelationOut(kind=r.kind.value, target_id=r.target_id) for r in found.relations],
    )


@router.get(
    "/entities/{entity_id}/timeline",
    response_model=schemas.TimelineOut,
    tags=["entities"],
    responses={400: schemas.problem("known_at is not a date"), 404: schemas.problem("No bundled entity has this id")},
)
def entity_timeline(
    _: Viewer,
    service: Service,
    entity_id: str,
    known_at: Annotated[Instant | None, Query(description="Only facts public by then. Default: all")] = None,
) -> schemas.TimelineOut:
    """Every dated fact about the entity: listings, effective dates, windows, court orders, removals."""
    found = _entity_or_404(service, entity_id)
    known = known_at
    events = [schemas.TimelineEvent(**entry.to_json()) for entry in service.timeline(found, known)]
    ref = EntityRef(id=found.id, name=found.name, lists=tuple(service.store.lists_of(found.id)))
    return schemas.TimelineOut(entity=ref, known_at=iso(known) if known else None, events=events)
