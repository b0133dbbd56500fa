"""HTML for the web UI: the Jinja2 environment (autoescaped), the security headers every page
carries, and the route class that turns errors into pages instead of problem+json."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException

from asof.api.ui.session import LoginRequired
from asof.graph.errors import (
    AsofError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    StoreUnavailableError,
)
from asof.graph.ids import message_id_of
from asof.graph.instants import isoformat, to_us

#: No inline script or style, nothing from another origin: the UI works offline and a name
#: that smuggles markup into a page can run nothing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; frame-ancestors 'none'; "
                               "form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _when(instant: datetime | None, empty: str = "—") -> str:
    """An instant exactly, in UTC; whole seconds without their six zeros."""
    text = isoformat(instant)
    return text.replace(".000000Z", "Z") if text else empty


def _day(instant: datetime | None, empty: str = "…") -> str:
    return instant.isoformat()[:10] if instant else empty  # stored instants are UTC


def _minute(instant: datetime | None) -> str:
    return instant.isoformat()[:16].replace("T", " ") + "Z" if instant else ""


def _us(instant: datetime | None) -> str:
    """Microseconds since the epoch, for the timeline's script: exact (stores may record two
    versions 1 µs apart) and below 2**53, so a JavaScript number holds it."""
    return str(to_us(instant)) if instant else ""


def _short_id(episode_id: str) -> str:
    """A message id as its speaker gave it."""
    return message_id_of(episode_id)


_ENV = Environment(loader=PackageLoader("asof.api.ui", "templates"),
                   autoescape=select_autoescape(default=True), trim_blocks=True,
                   lstrip_blocks=True)
_ENV.filters.update(when=_when, day=_day, minute=_minute, us=_us, short_id=_short_id,
                    urlpart=lambda value: quote(str(value), safe=""))
_ENV.globals["query"] = lambda **params: urlencode(
    {k: v for k, v in params.items() if v not in (None, "")})


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _ENV.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def _error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    return page(request, "error.html", status, title=title, detail=detail)


class UiRoute(APIRoute):
    """Errors on a UI route become HTML pages (a missing session: the login page)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired as exc:
                target = request.url.path + (f"?{request.url.query}" if request.url.query
                                             else "")
                # a flag, not the reason's text: a login link must not carry words to show
                params = {"next": target, **({"ended": "1"} if exc.reason else {})}
                return RedirectResponse(f"/ui/login?{urlencode(params)}", status_code=303)
            except NotFoundError as exc:
                return _error_page(request, 404, "Not found", str(exc))
            except (InvalidInputError, ConflictError) as exc:
                return _error_page(request, 400, "Invalid input", str(exc))
            except StoreUnavailableError as exc:
                return _error_page(request, 503, "Store unavailable", str(exc))
            except AsofError:
                return _error_page(request, 500, "Store error",
                                   "the store failed; see the server's log")
            except RequestValidationError as exc:
                first = exc.errors()[0] if exc.errors() else {}
                where = ".".join(str(p) for p in first.get("loc", ())[1:])
                return _error_page(request, 400, "Invalid input",
                                   f"{where}: {first.get('msg', 'invalid request')}")
            except HTTPException as exc:
                return _error_page(request, exc.status_code, "Error", str(exc.detail))

        return handle
