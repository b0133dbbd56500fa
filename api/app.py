"""The REST API: ``create_app(settings)``, a thin shell over :class:`asof.api.memory.Memory`.

The routes live in :mod:`asof.api.routes` by concern (write, read, audit, health), their shared
dependencies (auth, tenant, settings) in :mod:`asof.api.deps`, and the mapping of every error to
``application/problem+json`` in :mod:`asof.api.problems`. The auditor's web view (``/ui``) is
:mod:`asof.api.ui`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from asof.api import problems, ui
from asof.api.deps import single_valued_query
from asof.api.keys import KeyRing
from asof.api.memory import Memory
from asof.api.read_log import ReadLog
from asof.api.routes import audit, health, read, write
from asof.api.settings import Settings
from asof.graph.errors import InvalidInputError


def create_app(settings: Settings | None = None, *, memory: Memory | None = None) -> FastAPI:
    """Build the API. ``memory`` lets tests inject an open store; otherwise the lifespan opens
    the store named by ``settings.store``."""
    settings = settings or Settings()
    keys = KeyRing(settings.api_keys, settings.api_keys_file)
    if len(keys) == 0:
        raise InvalidInputError(
            "no API keys configured: set ASOF_API_KEYS or ASOF_API_KEYS_FILE "
            "(create one with `asof keys new --tenant NAME`)")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = memory or Memory.open(
            settings.store, audit_key=settings.audit_key_bytes(),
            old_audit_keys=settings.old_audit_keys_bytes(),
            neo4j_user=settings.neo4j_user, neo4j_password=settings.neo4j_password_text(),
            neo4j_database=settings.neo4j_database, embedder=settings.make_embedder(),
            registry=settings.registry(), extractor=settings.extractor,
            llm=settings.llm_config())
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
            "tamper-evident audit history. Authenticate with `Authorization: Bearer <key>` "
            "(or `X-API-Key: <key>`); each key is bound to one tenant."),
        lifespan=lifespan,
        responses=problems.PROBLEM_RESPONSES,
    )
    app.state.keys = keys
    app.state.settings = settings
    app.state.read_log = ReadLog(settings.read_log) if settings.read_log else None
    if memory is not None:  # usable even by clients that do not run the lifespan
        app.state.memory = memory
    problems.install(app, settings)
    for module in (health, write, read, audit):
        app.include_router(module.router, dependencies=[Depends(single_valued_query)])
    ui.install(app)  # the read-only web view at /ui, behind the same keys
    return app
