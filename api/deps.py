"""Shared REST dependencies, as ``Annotated`` aliases a route declares by type: the open
:class:`Memory` (``Mem``), the settings (``AppSettings``), the caller's key (``Caller``) and the
store bound to its tenant (``Store``).

Auth: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``, declared through FastAPI's security
classes so the OpenAPI document lists both schemes. Keys are stored hashed and map to one tenant,
or to the admin role (which names its tenant with ``X-Asof-Tenant``). The tenant always comes from
the key, never from the request body, so a key for tenant A finds nothing of B's (404).

The dependencies are ``async``: none of them waits on the store, and FastAPI runs a plain
``def`` dependency in its thread pool, a hop per dependency per request (``bench.vs_graphiti``
measured the REST path; docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from asof.api.keys import ApiKey, KeyRing
from asof.api.memory import Memory
from asof.api.read_log import ReadLog
from asof.api.settings import Settings
from asof.graph.store import GraphStore
from asof.query.paging import MAX_OFFSET

# auto_error=False: the schemes only document the headers; `authenticate` reads them itself so
# that its errors (401 with WWW-Authenticate, a problem body that says what to send) stay exact.
_BEARER = HTTPBearer(auto_error=False, scheme_name="bearer",
                     description="`Authorization: Bearer <API key>`")
_API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="apiKey",
                        description="The API key in `X-API-Key` (alternative to Bearer).")


async def get_memory(request: Request) -> Memory:
    mem: Memory = request.app.state.memory
    return mem


async def single_valued_query(request: Request) -> None:
    """Refuse a query parameter given more than once: every parameter of the REST API takes one
    value, and taking the last of several would answer a question the caller did not ask."""
    keys = [key for key, _ in request.query_params.multi_items()]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise HTTPException(422, f"query parameter {', '.join(repeated)} given more than once; "
                                 "each takes one value")


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


async def authenticate(request: Request,
                 _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_BEARER)] = None,
                 x_api_key: Annotated[str | None, Security(_API_KEY)] = None) -> ApiKey:
    presented = x_api_key
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise _unauthorized("use 'Authorization: Bearer <key>'")
        presented = token.strip()
    if not presented:
        raise _unauthorized("an API key is required")
    ring: KeyRing = request.app.state.keys
    key = ring.find(presented)
    if key is None:
        raise _unauthorized("unknown API key")
    refusal = key.refusal(datetime.now(UTC))
    if refusal:
        raise _unauthorized(refusal)
    return key


Caller = Annotated[ApiKey, Depends(authenticate)]
Mem = Annotated[Memory, Depends(get_memory)]
AppSettings = Annotated[Settings, Depends(get_settings)]


async def tenant_store(
    key: Caller, mem: Mem,
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


def instant(value: str | None, name: str) -> datetime | None:
    """A query-string timestamp: ISO 8601 with an offset (naive times are refused)."""
    if value is None:
        return None
    from asof.graph.instants import parse_instant

    return parse_instant(value, name)


#: Where a page starts, on every list route; the answer's ``next_offset`` is the next one.
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET,
                              description="Items to skip: the previous page's next_offset.")]
#: How many items a page of a list route holds.
Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page.")]


class ReadRecorder:
    """Notes which entity a read was about, for the read-access log (when it is on)."""

    def __init__(self) -> None:
        self.entity: str | None = None  #: a name, alias or id, as the request gave it

    def about(self, entity: str | None) -> None:
        self.entity = entity


async def record_read(request: Request, key: Caller, store: Store
                      ) -> AsyncIterator[ReadRecorder]:
    """Every read route depends on this (router-level): after the route, it appends who read
    which entity through which route to the read log. The entity comes from the path
    (``entity``, ``fact_key``) or the ``subject``/``entity`` query parameter, or from the route
    itself (``reads.about(...)``) for bodies."""
    recorder = ReadRecorder()
    try:
        yield recorder
    finally:
        log: ReadLog | None = request.app.state.read_log
        if log is not None:  # a store read and a file append: off the event loop
            await run_in_threadpool(
                lambda: log.record(actor=key.name, tenant=store.tenant,
                                   route=f"{request.method} {request.scope['route'].path}",
                                   entity_id=read_entity_id(store, request, recorder.entity)))


def read_entity_id(store: GraphStore, request: Request, named: str | None) -> str | None:
    """The id of the entity a read was about, for the read-access log (REST and the UI)."""
    named = (named or request.path_params.get("entity")
             or request.query_params.get("subject") or request.query_params.get("entity"))
    if named:
        found = store.entity(named)
        return found.id if found else None
    fact_key = request.path_params.get("fact_key")
    versions = store.versions(fact_key) if fact_key else []
    return versions[0].subject_id if versions else None


Reads = Annotated[ReadRecorder, Depends(record_read)]
