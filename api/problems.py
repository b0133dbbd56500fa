"""Every REST error is ``application/problem+json`` (RFC 9457): the library's :class:`AsofError`
tree, FastAPI's validation errors and HTTP errors all map here, and the body-size limit too
(:class:`BodyLimit`, which also counts chunked bodies)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asof.api.schemas import Problem
from asof.api.settings import Settings
from asof.graph.errors import (
    AsofError,
    ConflictError,
    ExtractorUnavailableError,
    InvalidInputError,
    NotFoundError,
    StoreUnavailableError,
)

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"

TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Request too large",
          422: "Invalid input", 503: "Service unavailable"}

#: The problem responses every route may give, for the OpenAPI document.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": title, "content": {PROBLEM: {}}}
    for status, title in TITLES.items() if status in (400, 401, 403, 404, 413, 422)}


#: For routes that can refuse a conflicting resend.
PROBLEM_RESPONSES_409: dict[str, Any] = {"model": Problem, "description": TITLES[409],
                                         "content": {PROBLEM: {}}}


def problem(status: int, title: str, detail: str) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail).model_dump()
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


class BodyLimit:
    """Refuses a request body over ``max_bytes`` with 413 before the app sees any of it.

    Content-Length is checked first; a body without one (chunked transfer) is counted as it
    streams in, and held until it ends, so the app never parses a body that goes over. A pure
    ASGI middleware: Starlette's ``@app.middleware`` cannot see the body without reading it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit():
                await problem(400, "Bad request", "Content-Length is not a number")(
                    scope, receive, send)
                return
            if int(length) > self.max_bytes:
                await self._too_large(scope, receive, send, length.decode())
                return
        messages: list[Message] = []
        size, more = 0, True
        while more:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":  # the client went away
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._too_large(scope, receive, send, f"more than {size}")
                return
            more = message.get("more_body", False)
        replay = iter(messages)

        async def receive_again() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, receive_again, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, size: str) -> None:
        await problem(413, "Request too large", f"body of {size} bytes exceeds the limit of "
                                                f"{self.max_bytes} bytes")(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    """The body-size limit and the exception handlers."""
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    @app.exception_handler(AsofError)
    async def asof_error(request: Request, exc: AsofError) -> JSONResponse:
        if isinstance(exc, NotFoundError):
            return problem(404, "Not found", str(exc))
        if isinstance(exc, ConflictError):
            return problem(409, "Conflict", str(exc))
        if isinstance(exc, InvalidInputError):
            return problem(422, "Invalid input", str(exc))
        if isinstance(exc, StoreUnavailableError | ExtractorUnavailableError):
            return problem(503, "Service unavailable", str(exc))
        log.exception("store error")
        return problem(500, "Store error", "the store failed; the operation was rolled back")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = first.get("msg", "invalid request")
        if first.get("type") == "timezone_aware":
            message += " (give an offset such as +01:00 or Z; naive times are never assumed UTC)"
        return problem(422, "Invalid input", f"{where}: {message}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem(exc.status_code, TITLES.get(exc.status_code, "Error"),
                           str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        if exc.status_code == 405:  # Starlette lists only the first matching route's methods
            allowed = sorted({m for r in request.app.routes if isinstance(r, APIRoute)
                              and r.path_regex.match(request.url.path)
                              for m in r.methods or ()})
            response.headers["Allow"] = ", ".join(allowed)
        return response
