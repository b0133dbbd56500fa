"""Store URLs: the one place that knows which adapter serves which URL.

``open_store("sqlite:///memory.db", tenant="acme")`` opens the embedded store,
``open_store("neo4j://host:7687", tenant="acme", neo4j_password=...)`` (or ``bolt://``, ``+s``/
``+ssc`` for TLS) the Neo4j one. The CLI, the REST app, the Python facade, the benchmarks and the
tests open stores through it; nothing else branches on a backend's name (shared code asks
``store.supports(Capability...)``). Adapters are imported on first use, so naming a URL loads
no driver.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final, Literal

from asof.graph.clock import Clock
from asof.graph.errors import InvalidInputError
from asof.graph.predicates import PredicateRegistry
from asof.graph.store import GraphStore

__all__ = ["backend_of", "open_store", "store_files"]

Backend = Literal["sqlite", "neo4j"]

_SCHEMES: Final[dict[str, Backend]] = {
    "sqlite": "sqlite",
    **dict.fromkeys(("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"), "neo4j"),
}


def backend_of(url: str) -> Backend:
    """Which adapter serves ``url``, from its scheme.

    Raises:
        InvalidInputError: a scheme no adapter serves.
    """
    scheme = url.split(":", 1)[0].lower() if isinstance(url, str) and ":" in url else ""
    backend = _SCHEMES.get(scheme)
    if backend is None:
        raise InvalidInputError(
            f"unsupported store URL {url!r}: use sqlite:///path/to/memory.db, "
            "neo4j://host:7687 or bolt://host:7687")
    return backend


def open_store(url: str, *, tenant: str, clock: Clock | None = None,
               registry: PredicateRegistry | None = None, audit_key: bytes | None = None,
               old_audit_keys: Sequence[bytes] = (),
               neo4j_user: str = "neo4j", neo4j_password: str | None = None,
               neo4j_database: str = "neo4j", migrate: bool = True) -> GraphStore:
    """Open the store ``url`` names and, unless ``migrate=False``, apply pending migrations.
    The ``neo4j_*`` arguments are used only by a Neo4j URL, which needs a password.

    Raises:
        InvalidInputError: an unsupported or malformed URL, or a Neo4j URL without password.
        StoreUnavailableError: the database cannot be opened or reached.
    """
    if backend_of(url) == "sqlite":
        from asof.graph.sqlite import SqliteStore

        return SqliteStore.from_url(url, tenant=tenant, clock=clock, registry=registry,
                                    audit_key=audit_key, old_audit_keys=old_audit_keys,
                                    migrate=migrate)
    from asof.graph.neo4j import Neo4jStore

    if neo4j_password is None:
        raise InvalidInputError(
            "Neo4j needs a password: set ASOF_NEO4J_PASSWORD (or pass neo4j_password)")
    return Neo4jStore.from_url(url, tenant=tenant, user=neo4j_user, password=neo4j_password,
                               database=neo4j_database, clock=clock, registry=registry,
                               audit_key=audit_key, old_audit_keys=old_audit_keys,
                               migrate=migrate)


def store_files(url: str) -> list[Path] | None:
    """The local files the store of ``url`` lives in (the database and its write-ahead log,
    whether they exist yet or not); ``[]`` for an in-memory database, ``None`` for a server."""
    if backend_of(url) != "sqlite":
        return None
    from asof.graph.sqlite import sqlite_path

    path = sqlite_path(url)
    return [] if path is None else [path, path.with_name(path.name + "-wal")]
