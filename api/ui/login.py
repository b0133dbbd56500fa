"""Logging in and out of the web UI (see :mod:`asof.api.ui.session` for the cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from asof.api.keys import KeyRing
from asof.api.ui.render import SECURITY_HEADERS, UiRoute, page
from asof.api.ui.session import COOKIE_PATH, KEY_COOKIE, TENANT_COOKIE, check_key, safe_next
from asof.graph.errors import InvalidInputError

router = APIRouter(prefix="/ui", route_class=UiRoute, include_in_schema=False)

SESSION_ENDED = ("your session ended: the key is no longer accepted (revoked, expired or "
                 "removed from the keys); log in again")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request,
               next: Annotated[str, Query(max_length=2_000)] = "",
               ended: bool = False) -> HTMLResponse:
    return page(request, "login.html", next=safe_next(next), error=SESSION_ENDED if ended
                else "")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, key: Annotated[str, Form(max_length=500)],
          tenant: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=2_000)] = "") -> Response:
    ring: KeyRing = request.app.state.keys
    try:
        found, looked_at = check_key(ring, key, tenant)
    except InvalidInputError as exc:
        return page(request, "login.html", 401, next=safe_next(next), error=str(exc),
                    tenant=tenant)
    response = RedirectResponse(safe_next(next), status_code=303, headers=SECURITY_HEADERS)
    secure = request.url.scheme == "https"
    for name, value in ((KEY_COOKIE, key.strip()),
                        (TENANT_COOKIE, looked_at if found.is_admin else "")):
        if value:
            response.set_cookie(name, value, path=COOKIE_PATH, httponly=True,
                                samesite="strict", secure=secure)
        else:
            response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/ui/login", status_code=303, headers=SECURITY_HEADERS)
    for name in (KEY_COOKIE, TENANT_COOKIE):
        response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response
