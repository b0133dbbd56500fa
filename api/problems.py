"""Every REST error is ``application/problem+json`` (RFC 9457): the library's :class:`AsofError`
tree, FastAPI's validation errors and HTTP errors all map here, and the body-size limit too."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from asof.api.schemas import Problem
from asof.api.settings import Settings
from asof.graph.errors import AsofError, InvalidInputError, NotFoundError, StoreUnavailableError

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"

TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Request too large",
          422: "Invalid input", 503: "Service unavailable"}

#: The problem responses every route may give, for the OpenAPI document.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": title, "content": {PROBLEM: {}}}
    for status, title in TITLES.items() if status in (400, 401, 403, 404, 413, 422)}


def problem(status: int, title: str, detail: str) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail).model_dump()
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI, settings: Settings) -> None:
    """The body-size limit and the exception handlers."""

    @app.middleware("http")
    async def limit_body(request: Request,
                         call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return problem(400, "Bad request", "Content-Length is not a number")
            if int(length) > settings.max_body_bytes:
                return problem(413, "Request too large",
                               f"body of {length} bytes exceeds the limit of "
                               f"{settings.max_body_bytes} bytes")
        return await call_next(request)

    @app.exception_handler(AsofError)
    async def asof_error(request: Request, exc: AsofError) -> JSONResponse:
        if isinstance(exc, NotFoundError):
            return problem(404, "Not found", str(exc))
        if isinstance(exc, InvalidInputError):
            return problem(422, "Invalid input", str(exc))
        if isinstance(exc, StoreUnavailableError):
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
