"""Liveness and readiness, for load balancers and orchestrators (no key needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from asof.api.deps import Mem
from asof.api.problems import problem
from asof.api.schemas import Problem
from asof.graph.errors import AsofError

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers.")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: the store answers a query.",
            responses={503: {"model": Problem, "description": "The store does not answer"}})
def readyz(mem: Mem) -> Any:
    try:
        mem.store("healthcheck").audit_events(1, 1)
    except AsofError as exc:
        return problem(503, "Service unavailable", f"store not ready: {exc}")
    return {"status": "ready"}
