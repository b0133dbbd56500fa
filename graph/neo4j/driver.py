"""Running named Cypher statements: the :class:`Tracer` that sees each one, the runner that
loads and runs them, and the translation of the driver's errors into the project's tree."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import neo4j
from neo4j import ManagedTransaction, Session
from neo4j import exceptions as neo4j_errors

from asof import cypher
from asof.graph.errors import AsofError, IntegrityError, StoreError, StoreUnavailableError

__all__ = ["Runner", "Tracer", "driver_errors", "params_shape", "translate"]


class Tracer(Protocol):
    """Sees every statement the store runs: its name (``"read/versions_by_subject"``), the shape
    of its parameters (names → types and lengths, never values: see :func:`params_shape`) and
    how long it took, including fetching its records."""

    def __call__(self, name: str, params_shape: dict[str, str], duration_s: float) -> None: ...


def _shape(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return f"str[{len(value)}]"
    if isinstance(value, Mapping):
        return f"map[{len(value)}]"
    if isinstance(value, Sequence):
        return f"list[{len(value)}]"
    return type(value).__name__


def params_shape(params: Mapping[str, object]) -> dict[str, str]:
    """``{"tenant": "str[14]", "ids": "list[3]", "limit": "int"}``: what a tracer may see."""
    return {name: _shape(value) for name, value in params.items()}


# ------------------------------------------------------------------------------------- errors


def translate(exc: Exception, action: str) -> StoreError:
    if isinstance(exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
        return StoreUnavailableError(f"{action}: Neo4j cannot be reached; retry later ({exc})")
    if isinstance(exc, neo4j_errors.ConstraintError):
        return IntegrityError(f"{action}: constraint violated ({exc}); nothing was written")
    if isinstance(exc, neo4j_errors.TransientError):
        return StoreUnavailableError(
            f"{action}: Neo4j reported a transient error and retries ran out; retry later "
            f"({exc})")
    return StoreError(f"{action}: Neo4j error ({exc})")


@contextmanager
def driver_errors(action: str) -> Iterator[None]:
    """Translate driver errors into the project's tree; AsofErrors pass through unchanged."""
    try:
        yield
    except AsofError:
        raise
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
        raise translate(exc, action) from exc


# ------------------------------------------------------------------------------------ running


class Runner:
    """Runs named statements on a session or a transaction, through the tracer."""

    def __init__(self, tenant: str, tracer: Tracer | None) -> None:
        self.tenant = tenant
        self.tracer = tracer

    def run(self, target: Session | ManagedTransaction, name: str, /,
            **params: Any) -> list[neo4j.Record]:
        query = cypher.load(name)
        params["tenant"] = self.tenant
        started = time.perf_counter()
        # Not translated here: inside a transaction function the driver must see its own
        # errors to retry transient ones. The store's entry points translate.
        records = list(target.run(query, params))
        if self.tracer is not None:
            self.tracer(name, params_shape(params), time.perf_counter() - started)
        return records
