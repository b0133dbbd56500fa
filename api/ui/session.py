"""Who is looking: the web UI's login, its session cookie and the store bound to the key.

The UI takes the same API keys as REST. The key entered at login is kept in a session cookie
(no expiry: the browser drops it when it closes) that is ``HttpOnly`` (scripts cannot read it),
``SameSite=Strict`` (no other site can make the browser send it), scoped to ``/ui`` and
``Secure`` over HTTPS. Nothing is kept on the server: every page checks the cookie against the
key ring again, so a revoked or expired key is logged out at its next click and any number of
server workers agree. Admin keys name the tenant they look at when they log in.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from asof.api.deps import read_entity_id
from asof.api.keys import ApiKey, KeyRing
from asof.api.memory import Memory
from asof.api.read_log import ReadLog
from asof.graph.errors import InvalidInputError
from asof.graph.ids import validate_tenant
from asof.graph.store import GraphStore

KEY_COOKIE = "asof_ui_key"
TENANT_COOKIE = "asof_ui_tenant"
COOKIE_PATH = "/ui"


class LoginRequired(Exception):
    """No usable key in the session: the UI sends the browser to the login page (saying the
    session ended when there was a key that is no longer accepted)."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason or "")
        self.reason = reason


def check_key(ring: KeyRing, presented: str, tenant: str | None) -> tuple[ApiKey, str]:
    """The key and the tenant it may look at, or :class:`InvalidInputError` saying why not."""
    key = ring.find(presented.strip()) if presented.strip() else None
    if key is None:
        raise InvalidInputError("unknown API key")
    refusal = key.refusal(datetime.now(UTC))
    if refusal:
        raise InvalidInputError(refusal)
    tenant = (tenant or "").strip() or None
    if key.is_admin:
        if tenant is None:
            raise InvalidInputError("admin keys must name the tenant to look at")
        return key, validate_tenant(tenant)
    assert key.tenant is not None
    if tenant is not None and tenant != key.tenant:
        raise InvalidInputError("this key is not allowed to look at another tenant")
    return key, key.tenant


class Viewer:
    """The logged-in key and the store of the tenant it looks at."""

    def __init__(self, key: ApiKey, store: GraphStore) -> None:
        self.key, self.store = key, store
        self.entity: str | None = None  #: what the page was about, for the read-access log

    @property
    def tenant(self) -> str:
        return self.store.tenant

    def about(self, entity: str | None) -> None:
        self.entity = entity


def viewer(request: Request) -> Iterator[Viewer]:
    """The session's key, checked again on every page; appends the read to the read-access
    log (ASOF_READ_LOG) as REST reads do, with the UI route as the route."""
    ring: KeyRing = request.app.state.keys
    presented = request.cookies.get(KEY_COOKIE)
    if not presented:
        raise LoginRequired()
    try:
        key, tenant = check_key(ring, presented, request.cookies.get(TENANT_COOKIE))
    except InvalidInputError as exc:
        raise LoginRequired(str(exc)) from None
    memory: Memory = request.app.state.memory
    seen = Viewer(key, memory.store(tenant))
    try:
        yield seen
    finally:  # refused reads (a 404) are recorded too, as REST records them
        log: ReadLog | None = request.app.state.read_log
        if log is not None:
            log.record(actor=key.name, tenant=tenant,
                       route=f"{request.method} {request.scope['route'].path}",
                       entity_id=read_entity_id(seen.store, request, seen.entity))


Viewing = Annotated[Viewer, Depends(viewer)]


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a UI path only, never another site."""
    if target and target.startswith("/ui") and not target.startswith("//") \
            and "\\" not in target:
        return target
    return "/ui/entities"
