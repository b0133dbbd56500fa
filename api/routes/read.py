"""Reads: facts on both time axes, history, timeline, questions, context, search, snapshot.

The query layer loads inside each route, not at import, so building the app stays cheap."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse

from asof.api.deps import Limit, Mem, Offset, Reads, Store, instant, record_read
from asof.api.schemas import (
    AskIn,
    AskOut,
    ContextIn,
    ContextOut,
    EntitiesOut,
    EntityOut,
    FactOut,
    FactsOut,
    SearchHitOut,
    SearchOut,
    TimelineOut,
)
from asof.graph.errors import NotFoundError
from asof.graph.instants import isoformat

#: Every read is offered to the read-access log (ASOF_READ_LOG; off by default).
router = APIRouter(prefix="/v1", tags=["read"], dependencies=[Depends(record_read)])


@router.get("/facts", response_model=FactsOut,
            summary="Facts true at valid_at as believed at known_at (default: now).")
def get_facts(
    store: Store,
    subject: Annotated[str | None, Query(max_length=300,
                                         description="Entity id, name or alias.")] = None,
    predicate: Annotated[str | None, Query(max_length=64)] = None,
    object: Annotated[str | None, Query(max_length=300)] = None,
    valid_at: Annotated[str | None, Query(description="ISO 8601 with offset.")] = None,
    known_at: Annotated[str | None, Query(description="ISO 8601 with offset.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> FactsOut:
    from asof.query.views import facts

    page = facts(store, subject, predicate, object, valid_at=instant(valid_at, "valid_at"),
                 known_at=instant(known_at, "known_at"), limit=limit, offset=offset)
    return FactsOut(items=[FactOut(**v.as_dict()) for v in page], **page.window())


@router.get("/facts/{fact_key}/history", response_model=FactsOut,
            summary="Every version of a fact on both time axes, with audit events.")
def get_history(fact_key: str, store: Store, limit: Limit = 100,
                offset: Offset = 0) -> FactsOut:
    from asof.query.views import history

    page = history(store, fact_key, limit=limit, offset=offset)
    if not page and (offset == 0 or not store.versions(fact_key)):
        raise NotFoundError(f"no fact {fact_key!r}")
    return FactsOut(items=[FactOut(**v.as_dict()) for v in page], **page.window())


@router.get("/entities/{entity}/timeline", response_model=TimelineOut,
            summary="An entity's facts as valid-time intervals, per predicate.",
            description="`entity` is an id (`ent_…`), a name or an alias; 404 when none "
                        "matches. `known_at` null in the answer: as currently believed.")
def get_timeline(entity: str, store: Store,
                 known_at: Annotated[str | None, Query()] = None, limit: Limit = 100,
                 offset: Offset = 0) -> TimelineOut:
    from asof.query.views import timeline

    result = timeline(store, entity, known_at=instant(known_at, "known_at"), limit=limit,
                      offset=offset)
    return TimelineOut(entity_id=result.entity_id, name=result.name,
                       known_at=isoformat(result.known_at),
                       predicates={p: [FactOut(**e.view.as_dict()) for e in entries]
                                   for p, entries in result.by_predicate().items()},
                       limit=limit, offset=offset, next_offset=result.next_offset)


@router.get("/entities", response_model=EntitiesOut, summary="The tenant's entities, by name.")
def get_entities(store: Store, limit: Limit = 100, offset: Offset = 0) -> EntitiesOut:
    from asof.query.views import entities

    page = entities(store, limit=limit, offset=offset)
    return EntitiesOut(items=[EntityOut(id=e.id, name=e.name, type=e.type,
                                        aliases=list(e.aliases)) for e in page],
                       **page.window())


@router.post("/ask", response_model=AskOut,
             summary="Answer an English question with evidence (no LLM).")
def post_ask(body: AskIn, store: Store, reads: Reads) -> AskOut:
    from asof.query.ask import ask

    answer = ask(store, body.question, now=body.now, known_at=body.known_at, asker=body.asker)
    reads.about(answer.facts[0].version.subject_id if answer.facts else None)
    return AskOut(**answer.as_dict())


@router.post("/context", response_model=ContextOut,
             summary="A compact memory block about one entity for an agent's prompt.")
def post_context(body: ContextIn, store: Store, reads: Reads) -> ContextOut:
    from asof.query.context import context

    reads.about(body.subject)
    block = context(store, body.subject, query=body.query,
                    budget_tokens=body.budget_tokens, now=body.now)
    return ContextOut(**block.as_dict())


@router.get("/search", response_model=SearchOut,
            summary="Messages and facts by words, meaning or both; temporal filters before "
                    "the limit.")
def get_search(
    store: Store,
    mem: Mem,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Plain text.")],
    limit: Annotated[int, Query(ge=1, le=100, description="Hits per page.")] = 10,
    offset: Offset = 0,
    valid_at: Annotated[str | None, Query()] = None,
    known_at: Annotated[str | None, Query()] = None,
    mode: Annotated[Literal["lexical", "vector", "hybrid"] | None, Query(description=(
        "lexical (full text, score bm25), vector (embeddings, score cosine) or hybrid (both, "
        "and the messages around their messages in the conversation, ranked by a weighted "
        "sum of word, full-text, vector, speaker and time features); default hybrid when the "
        "server has an embedding model and the store keeps vectors, else lexical."))] = None,
) -> SearchOut:
    from asof.query.retrieval import Mode
    from asof.query.views import search

    page = search(store, q, limit=limit, offset=offset, valid_at=instant(valid_at, "valid_at"),
                  known_at=instant(known_at, "known_at"),
                  mode=None if mode is None else Mode(mode), embedder=mem.embedder)
    return SearchOut(items=[SearchHitOut(kind=h.kind, id=h.id, score=h.score, text=h.text)
                            for h in page], **page.window())


@router.get("/snapshot",
            summary="The graph of a (valid_at, known_at) view as JSON or GraphML.",
            responses={200: {"content": {"application/json": {},
                                         "application/graphml+xml": {}}}})
def get_snapshot(
    store: Store,
    valid_at: Annotated[str | None, Query()] = None,
    known_at: Annotated[str | None, Query()] = None,
    format: Annotated[Literal["json", "graphml"], Query()] = "json",
) -> Response:
    from asof.query.views import snapshot, snapshot_graphml, snapshot_json

    graph = snapshot(store, valid_at=instant(valid_at, "valid_at"),
                     known_at=instant(known_at, "known_at"))
    if format == "graphml":
        return Response(snapshot_graphml(graph), media_type="application/graphml+xml")
    return JSONResponse(snapshot_json(graph))
