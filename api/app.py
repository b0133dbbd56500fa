"""The REST API: ``create_app(settings)``, a thin shell over :class:`api.memory.Memory`.

Auth: ``Authorization: Bearer <key>`` (or ``X-API-Key``). Keys are stored hashed and map to one
tenant, or to the admin role (which names its tenant with ``X-Asof-Tenant``). The tenant always
comes from the key, never from the request body, so a key for tenant A finds nothing of B's
(404). Errors are ``application/problem+json``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from asof.api.keys import ApiKey, KeyRing, load_keys
from asof.api.memory import Memory, conversation_from_messages
from asof.api.schemas import (
    AskIn,
    AskOut,
    AuditEventOut,
    AuditOut,
    ContextIn,
    ContextOut,
    EpisodesIn,
    ErasureOut,
    FactOut,
    FactsIn,
    FactsOut,
    IngestOut,
    Problem,
    SearchHitOut,
    TimelineOut,
    VerifyIn,
    VerifyOut,
    WriteOut,
)
from asof.api.settings import Settings
from asof.graph.audit import Checkpoint
from asof.graph.errors import (
    AsofError,
    InvalidInputError,
    NotFoundError,
    StoreUnavailableError,
)
from asof.graph.instants import isoformat
from asof.graph.models import FactAssertion
from asof.graph.store import GraphStore
from asof.query.views import snapshot_graphml, snapshot_json

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def _problem(status: int, title: str, detail: str) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail).model_dump()
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


_ERRORS = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 413: "Request too large", 422: "Invalid input",
           503: "Service unavailable"}
_PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": title, "content": {PROBLEM: {}}}
    for status, title in _ERRORS.items() if status in (400, 401, 403, 404, 413, 422)}


def get_memory(request: Request) -> Memory:
    mem: Memory = request.app.state.memory
    return mem

def authenticate(
    request: Request,
    authorization: Annotated[str | None, Header(description="Bearer <API key>")] = None,
    x_api_key: Annotated[str | None, Header(description="The API key (alternative)")]
    = None,
) -> ApiKey:
    presented = x_api_key
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "use 'Authorization: Bearer <key>'",
                                headers={"WWW-Authenticate": "Bearer"})
        presented = token.strip()
    if not presented:
        raise HTTPException(401, "an API key is required",
                            headers={"WWW-Authenticate": "Bearer"})
    ring: KeyRing = request.app.state.keys
    key = ring.find(presented)
    if key is None:
        raise HTTPException(401, "unknown API key", headers={"WWW-Authenticate": "Bearer"})
    return key

def tenant_store(
    key: Annotated[ApiKey, Depends(authenticate)],
    mem: Annotated[Memory, Depends(get_memory)],
    x_asof_tenant: Annotated[str | None, Header(
        description="Admin keys only: the tenant to act on.")] = None,
) -> GraphStore:
    if key.is_admin:
        if not x_asof_tenant:
            raise HTTPException(400, "admin keys must name a tenant with X-Asof-Tenant")
        return mem.store(x_asof_tenant)
    if x_asof_tenant and x_asof_tenant != key.tenant:
        raise HTTPException(403, "this key is not allowed to act on another tenant")
    assert key.tenant is not None
    return mem.store(key.tenant)

Store = Annotated[GraphStore, Depends(tenant_store)]
Mem = Annotated[Memory, Depends(get_memory)]



def create_app(settings: Settings | None = None, *, memory: Memory | None = None) -> FastAPI:
    """Build the API. ``memory`` lets tests inject an open store; otherwise the lifespan opens
    the store named by ``settings.store``."""
    settings = settings or Settings()
    keys = KeyRing(load_keys(settings.api_keys, settings.api_keys_file))
    if len(keys) == 0:
        raise InvalidInputError(
            "no API keys configured: set ASOF_API_KEYS or ASOF_API_KEYS_FILE "
            "(create one with `asof keys new --tenant NAME`)")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = memory or Memory.open(
            settings.store, audit_key=settings.audit_key_bytes(),
            neo4j_user=settings.neo4j_user, neo4j_password=settings.neo4j_password_text(),
            neo4j_database=settings.neo4j_database)
        opened.load_language_model()  # before the first request, not during it
        app.state.memory = opened
        try:
            yield
        finally:
            if memory is None:
                opened.close()

    app = FastAPI(
        title="asof",
        version="0.1.0",
        summary="Temporal knowledge-graph memory for AI agents.",
        description=(
            "Facts with valid-time intervals, as-of questions on both time axes, and a "
            "tamper-evident audit history. Authenticate with `Authorization: Bearer <key>`; "
            "each key is bound to one tenant."),
        lifespan=lifespan,
        responses=_PROBLEM_RESPONSES,
    )
    app.state.keys = keys
    app.state.settings = settings
    if memory is not None:  # usable even by clients that do not run the lifespan
        app.state.memory = memory

    @app.middleware("http")
    async def limit_body(request: Request,
                         call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return _problem(400, "Bad request", "Content-Length is not a number")
            if int(length) > settings.max_body_bytes:
                return _problem(413, "Request too large",
                                f"body of {length} bytes exceeds the limit of "
                                f"{settings.max_body_bytes} bytes")
        return await call_next(request)

    @app.exception_handler(AsofError)
    async def asof_error(request: Request, exc: AsofError) -> JSONResponse:
        if isinstance(exc, NotFoundError):
            return _problem(404, "Not found", str(exc))
        if isinstance(exc, InvalidInputError):
            return _problem(422, "Invalid input", str(exc))
        if isinstance(exc, StoreUnavailableError):
            return _problem(503, "Service unavailable", str(exc))
        log.exception("store error")
        return _problem(500, "Store error", "the store failed; the operation was rolled back")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = first.get("msg", "invalid request")
        if first.get("type") == "timezone_aware":
            message += " (give an offset such as +01:00 or Z; naive times are never assumed UTC)"
        return _problem(422, "Invalid input", f"{where}: {message}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = _problem(exc.status_code, _ERRORS.get(exc.status_code, "Error"),
                            str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        if exc.status_code == 405:  # Starlette lists only the first matching route's methods
            allowed = sorted({m for r in request.app.routes if isinstance(r, APIRoute)
                              and r.path_regex.match(request.url.path)
                              for m in r.methods or ()})
            response.headers["Allow"] = ", ".join(allowed)
        return response

    def instant(value: str | None, name: str) -> datetime | None:
        if value is None:
            return None
        from asof.graph.instants import parse_instant

        return parse_instant(value, name)

    # ------------------------------------------------------------------ health

    @app.get("/healthz", tags=["health"], summary="Liveness: the process answers.")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], summary="Readiness: the store answers a query.",
             responses={503: {"model": Problem, "description": "The store does not answer"}})
    def readyz(mem: Mem) -> Any:
        try:
            mem.store("healthcheck").audit_events(1, 1)
        except AsofError as exc:
            return _problem(503, "Service unavailable", f"store not ready: {exc}")
        return {"status": "ready"}

    # ------------------------------------------------------------------ writes

    @app.post("/v1/episodes", response_model=IngestOut, tags=["write"],
              summary="Ingest a batch of messages (idempotent by message id).")
    def post_episodes(body: EpisodesIn, store: Store, mem: Mem) -> IngestOut:
        if len(body.messages) > settings.max_batch:
            raise InvalidInputError(f"messages: {len(body.messages)} exceeds the batch limit "
                                    f"of {settings.max_batch}")
        ids = [m.id for m in body.messages if m.id is not None]
        if len(ids) != len(set(ids)):
            raise InvalidInputError("messages: duplicate ids in one batch")
        by_conversation: dict[str, list[dict[str, Any]]] = {}
        for index, m in enumerate(body.messages):
            if len(m.text) > settings.max_message_chars:
                raise InvalidInputError(f"messages[{index}].text: longer than "
                                        f"{settings.max_message_chars} characters")
            by_conversation.setdefault(m.conversation_id, []).append(
                m.model_dump(exclude={"conversation_id"}))
        conversations = [conversation_from_messages(msgs, conversation_id=cid)
                         for cid, msgs in by_conversation.items()]
        for conversation in conversations:  # validate everything before storing anything
            conversation.episodes(store.tenant)
        report = mem.ingest_conversations(conversations, tenant=store.tenant,
                                          actor="api")
        return IngestOut(**report.as_dict(), episode_ids=report.episode_ids)

    @app.post("/v1/facts", response_model=WriteOut, tags=["write"],
              summary="Store structured facts (for callers that extract by themselves).")
    def post_facts(body: FactsIn, store: Store) -> WriteOut:
        if len(body.facts) > settings.max_batch:
            raise InvalidInputError(f"facts: {len(body.facts)} exceeds the batch limit")
        assertions = [FactAssertion.parse(f.model_dump(exclude_none=True),
                                          context=f"facts[{i}]")
                      for i, f in enumerate(body.facts)]
        result = store.assert_facts(assertions, observed_at=body.observed_at,
                                    source_id=body.source_id, actor="api")
        return WriteOut(recorded_at=isoformat(result.recorded_at), duplicate=result.duplicate,
                        episode_ids=result.episode_ids,
                        versions_written=[v.version_id for v in result.written],
                        versions_closed=result.closed, confirmations=result.confirmed,
                        audit_seqs=[e.seq for e in result.events])

    @app.delete("/v1/entities/{entity_id}", response_model=ErasureOut, tags=["write"],
                summary="Erase an entity everywhere (right to be forgotten).")
    def delete_entity(entity_id: str, store: Store) -> ErasureOut:
        if not store.get_entities([entity_id]):
            raise NotFoundError(f"no entity {entity_id!r}")
        result = store.forget(entity_id, actor="api")
        return ErasureOut(entity_id=result.entity_id, versions=result.versions,
                          claims=result.claims, episodes=result.episodes,
                          audit_seq=result.event.seq)

    # ------------------------------------------------------------------ reads

    @app.get("/v1/facts", response_model=FactsOut, tags=["read"],
             summary="Facts true at valid_at as believed at known_at (default: now).")
    def get_facts(
        store: Store,
        subject: Annotated[str | None, Query(max_length=300,
                                             description="Entity id, name or alias.")] = None,
        predicate: Annotated[str | None, Query(max_length=64)] = None,
        object: Annotated[str | None, Query(max_length=300)] = None,
        valid_at: Annotated[str | None, Query(description="ISO 8601 with offset.")] = None,
        known_at: Annotated[str | None, Query(description="ISO 8601 with offset.")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> FactsOut:
        from asof.query.views import with_provenance

        versions = store.facts(subject, predicate, object,
                               valid_at=instant(valid_at, "valid_at"),
                               known_at=instant(known_at, "known_at"),
                               limit=offset + limit + 1)
        page = with_provenance(store, versions[offset:offset + limit])
        more = len(versions) > offset + limit
        return FactsOut(items=[FactOut(**v.as_dict()) for v in page], limit=limit,
                        offset=offset, next_offset=offset + limit if more else None)

    @app.get("/v1/facts/{fact_key}/history", response_model=list[FactOut], tags=["read"],
             summary="Every version of a fact on both time axes, with audit events.")
    def get_history(fact_key: str, store: Store) -> list[FactOut]:
        from asof.query.views import history

        views = history(store, fact_key)
        if not views:
            raise NotFoundError(f"no fact {fact_key!r}")
        return [FactOut(**v.as_dict()) for v in views]

    @app.get("/v1/entities/{entity}/timeline", response_model=TimelineOut, tags=["read"],
             summary="An entity's facts as valid-time intervals, per predicate.",
             description="`entity` is an id (`ent_…`), a name or an alias; 404 when none "
                         "matches. `known_at` null in the answer: as currently believed.")
    def get_timeline(entity: str, store: Store,
                     known_at: Annotated[str | None, Query()] = None) -> TimelineOut:
        from asof.query.views import timeline

        result = timeline(store, entity, known_at=instant(known_at, "known_at"))
        return TimelineOut(entity_id=result.entity_id, name=result.name,
                           known_at=isoformat(result.known_at),
                           predicates={p: [FactOut(**e.view.as_dict()) for e in entries]
                                       for p, entries in result.by_predicate().items()})

    @app.post("/v1/ask", response_model=AskOut, tags=["read"],
              summary="Answer an English question with evidence (no LLM).")
    def post_ask(body: AskIn, store: Store) -> AskOut:
        from asof.query.ask import ask

        answer = ask(store, body.question, now=body.now, known_at=body.known_at,
                     asker=body.asker)
        return AskOut(**answer.as_dict())

    @app.post("/v1/context", response_model=ContextOut, tags=["read"],
              summary="A compact memory block about one entity for an agent's prompt.")
    def post_context(body: ContextIn, store: Store) -> ContextOut:
        from asof.query.context import context

        block = context(store, body.subject, query=body.query,
                        budget_tokens=body.budget_tokens, now=body.now)
        return ContextOut(**block.as_dict())

    @app.get("/v1/search", response_model=list[SearchHitOut], tags=["read"],
             summary="Full text over messages and facts; temporal filters before the limit.")
    def get_search(
        store: Store,
        q: Annotated[str, Query(min_length=1, max_length=500, description="Plain text.")],
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        valid_at: Annotated[str | None, Query()] = None,
        known_at: Annotated[str | None, Query()] = None,
    ) -> list[SearchHitOut]:
        from asof.query.views import search

        hits = search(store, q, limit=limit, valid_at=instant(valid_at, "valid_at"),
                      known_at=instant(known_at, "known_at"))
        return [SearchHitOut(kind=h.kind, id=h.id, score=h.score, text=h.text) for h in hits]

    @app.get("/v1/snapshot", tags=["read"],
             summary="The graph of a (valid_at, known_at) view as JSON or GraphML.",
             responses={200: {"content": {"application/json": {},
                                          "application/graphml+xml": {}}}})
    def get_snapshot(
        store: Store,
        valid_at: Annotated[str | None, Query()] = None,
        known_at: Annotated[str | None, Query()] = None,
        format: Annotated[Literal["json", "graphml"], Query()] = "json",
    ) -> Response:
        from asof.query.views import snapshot

        graph = snapshot(store, valid_at=instant(valid_at, "valid_at"),
                         known_at=instant(known_at, "known_at"))
        if format == "graphml":
            return Response(snapshot_graphml(graph), media_type="application/graphml+xml")
        return JSONResponse(snapshot_json(graph))

    @app.get("/v1/audit", response_model=AuditOut, tags=["audit"],
             summary="Audit events (ids and hashes only), paginated by seq.")
    def get_audit(store: Store, from_seq: Annotated[int, Query(ge=1, le=2**53)] = 1,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> AuditOut:
        events = store.audit_events(from_seq, from_seq + limit)
        page = events[:limit]
        return AuditOut(items=[AuditEventOut(**e.model_dump(mode="json")) for e in page],
                        next_seq=from_seq + limit if len(events) > limit else None)

    @app.post("/v1/audit/verify", response_model=VerifyOut, tags=["audit"],
              summary="Recompute the audit chain; report the first bad seq.")
    def post_verify(store: Store, body: VerifyIn | None = None) -> VerifyOut:
        checkpoint = None
        if body and body.checkpoint:
            checkpoint = Checkpoint(tenant=store.tenant, seq=body.checkpoint.seq,
                                    hash=body.checkpoint.hash)
        return VerifyOut(**store.verify(checkpoint).as_dict())

    return app
