"""Fixtures of the GraphStore contract suite: one suite, every backend.

A backend joins by registering two things:

- a factory in :data:`BACKENDS`: ``factory(tmp_path, clock, tenant, audit_key, registry)`` returns
  a migrated :class:`graph.store.GraphStore` on a fresh client (its own connection/session), bound
  to ``tenant``. Every call within one test must reach the *same* database (so two handles can
  race on one tenant, and tenants can be compared), and must be safe to call from any thread;
- a tamper object in :data:`TAMPERS` (see :class:`Tamper`), which edits raw storage behind the
  store's back for the audit-verification tests.

Per-test isolation is by tenant: every test gets a tenant id no other test uses, so a shared
server (Neo4j) needs no cleanup between tests.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pytest

from asof.graph.clock import FakeClock
from asof.graph.ids import normalize_name
from asof.graph.instants import MAX_US, MIN_US, to_us
from asof.graph.predicates import PredicateRegistry
from asof.graph.store import GraphStore

#: The clock every test starts at (transaction time). Message times in the tests lie in 2024.
CLOCK_START = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def new_tenant() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


# --------------------------------------------------------------------------- backends

class BackendFactory(Protocol):
    def __call__(self, tmp_path: Path, clock: FakeClock, tenant: str, audit_key: bytes | None,
                 registry: PredicateRegistry | None) -> GraphStore: ...


_MIGRATE_LOCK = threading.Lock()


def make_sqlite(tmp_path: Path, clock: FakeClock, tenant: str, audit_key: bytes | None,
                registry: PredicateRegistry | None) -> GraphStore:
    """A store on a real SQLite file (WAL) under ``tmp_path``; a new connection per call."""
    from asof.graph.sqlite import SqliteStore

    url = f"sqlite:///{(tmp_path / 'asof.db').resolve()}"
    kwargs: dict[str, Any] = {"tenant": tenant, "clock": clock, "audit_key": audit_key}
    if registry is not None:
        kwargs["registry"] = registry
    with _MIGRATE_LOCK:  # the first connection creates the schema; later ones find it applied
        return SqliteStore.from_url(url, **kwargs)


BACKENDS: dict[str, BackendFactory] = {"sqlite": make_sqlite}


# --------------------------------------------------------------------------- tampering

class Tamper(Protocol):
    """Edits raw storage behind a store's back (for the audit verification tests)."""

    def edit_version(self, store: GraphStore, version_id: str, **fields: Any) -> None: ...

    def delete_event(self, store: GraphStore, seq: int) -> None: ...

    def swap_events(self, store: GraphStore, seq_a: int, seq_b: int) -> None:
        """Exchange the stored contents of two events (each keeps its position)."""

    def truncate_events(self, store: GraphStore, after_seq: int) -> None:
        """Delete every event with ``seq > after_seq`` (and nothing else)."""

    def insert_row(self, store: GraphStore, kind: str, new_id: str) -> None:
        """Insert a copy of one stored row of ``kind`` ("episode", "claim") under ``new_id``,
        with no audit event."""

    def drop_tenant(self, store: GraphStore) -> None:
        """Delete every row of the store's tenant, so another history can be replayed under
        the same tenant (whose name every id and audit hash includes). The tenant's secret
        stays: a replay gets the same ids and hashes."""

    def delete_secret(self, store: GraphStore) -> None:
        """Delete the tenant's secret (which keys its entity ids and row hashes)."""

    def insert_entity(self, store: GraphStore, entity_id: str, name: str) -> None:
        """A new entity row ``name`` (type person), with no audit event."""

    def rename_entity(self, store: GraphStore, entity_id: str, name: str) -> None:
        """Edit a stored entity's name (and the key names are resolved by)."""

    def insert_alias(self, store: GraphStore, entity_id: str, alias: str) -> None:
        """An alias row for ``entity_id``, as resolution reads aliases, with no audit event."""

    def delete_sources(self, store: GraphStore, version_id: str) -> None:
        """Delete every provenance link of one version."""

    def edit_fulltext(self, store: GraphStore, version_id: str, object_name: str) -> None:
        """Change what the full-text index holds as one version's object name."""

    def unredact_episode(self, store: GraphStore, episode_id: str, text: str) -> None:
        """Put text back into an episode an erasure redacted."""


def _sqlite_connection(store: GraphStore) -> sqlite3.Connection:
    conn = getattr(store, "_conn", None)
    assert isinstance(conn, sqlite3.Connection), f"no sqlite3 connection on {store!r}"
    return conn


_US_COLUMNS = {"valid_from": MIN_US, "valid_to": MAX_US, "recorded_at": MAX_US,
               "superseded_at": MAX_US, "expires_at": MAX_US}


class SqliteTamper:
    def _exec(self, store: GraphStore, sql: str, params: tuple[Any, ...]) -> int:
        conn = _sqlite_connection(store)
        if conn.in_transaction:
            conn.commit()
        cur = conn.execute(sql, params)
        conn.commit()
        return cur.rowcount

    def edit_version(self, store: GraphStore, version_id: str, **fields: Any) -> None:
        assert fields
        sets, values = [], []
        for column, value in fields.items():
            assert column.isidentifier()
            if column in _US_COLUMNS:
                value = _US_COLUMNS[column] if value is None else to_us(value)
            sets.append(f"{column} = ?")
            values.append(value)
        changed = self._exec(
            store, f"UPDATE versions SET {', '.join(sets)} WHERE tenant = ? AND version_id = ?",  # noqa: S608
            (*values, store.tenant, version_id))
        assert changed == 1, f"no version {version_id}"

    def delete_event(self, store: GraphStore, seq: int) -> None:
        changed = self._exec(store, "DELETE FROM audit_events WHERE tenant = ? AND seq = ?",
                             (store.tenant, seq))
        assert changed == 1, f"no event {seq}"

    def swap_events(self, store: GraphStore, seq_a: int, seq_b: int) -> None:
        conn = _sqlite_connection(store)
        if conn.in_transaction:
            conn.commit()
        cur = conn.execute("SELECT * FROM audit_events WHERE tenant = ? AND seq IN (?, ?)",
                           (store.tenant, seq_a, seq_b))
        columns = [d[0] for d in cur.description]
        rows = {row[columns.index("seq")]: dict(zip(columns, row, strict=True))
                for row in cur.fetchall()}
        assert set(rows) == {seq_a, seq_b}
        others = [c for c in columns if c not in ("tenant", "seq")]
        for here, there in ((seq_a, seq_b), (seq_b, seq_a)):
            conn.execute(
                f"UPDATE audit_events SET {', '.join(f'{c} = ?' for c in others)} "  # noqa: S608
                "WHERE tenant = ? AND seq = ?",
                (*(rows[there][c] for c in others), store.tenant, here))
        conn.commit()

    def truncate_events(self, store: GraphStore, after_seq: int) -> None:
        changed = self._exec(store, "DELETE FROM audit_events WHERE tenant = ? AND seq > ?",
                             (store.tenant, after_seq))
        assert changed >= 1, f"no events after {after_seq}"

    def insert_row(self, store: GraphStore, kind: str, new_id: str) -> None:
        table, key = {"episode": ("episodes", "id"), "claim": ("claims", "claim_id")}[kind]
        conn = _sqlite_connection(store)
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")
                   if row[1] not in ("pk", key)]
        listed = ", ".join(columns)
        changed = self._exec(
            store, f"INSERT INTO {table} ({key}, {listed}) "  # noqa: S608 - test tamper
            f"SELECT ?, {listed} FROM {table} WHERE tenant = ? LIMIT 1", (new_id, store.tenant))
        assert changed == 1, f"no {kind} row to copy"


    def insert_entity(self, store: GraphStore, entity_id: str, name: str) -> None:
        self._exec(store, "INSERT INTO entities (tenant, id, name, type, norm_name) "
                   "VALUES (?, ?, ?, 'person', ?)",
                   (store.tenant, entity_id, name, normalize_name(name)))

    def rename_entity(self, store: GraphStore, entity_id: str, name: str) -> None:
        changed = self._exec(store, "UPDATE entities SET name = ?, norm_name = ? "
                             "WHERE tenant = ? AND id = ?",
                             (name, normalize_name(name), store.tenant, entity_id))
        assert changed == 1, f"no entity {entity_id}"

    def insert_alias(self, store: GraphStore, entity_id: str, alias: str) -> None:
        self._exec(store, "INSERT INTO entity_aliases (tenant, entity_id, alias, norm_alias) "
                   "VALUES (?, ?, ?, ?)", (store.tenant, entity_id, alias, normalize_name(alias)))

    def delete_sources(self, store: GraphStore, version_id: str) -> None:
        changed = self._exec(store, "DELETE FROM sources WHERE tenant = ? AND version_id = ?",
                             (store.tenant, version_id))
        assert changed >= 1, f"no sources of {version_id}"

    def edit_fulltext(self, store: GraphStore, version_id: str, object_name: str) -> None:
        changed = self._exec(store, "UPDATE facts_fts SET object = ? WHERE rowid = (SELECT pk "
                             "FROM versions WHERE tenant = ? AND version_id = ?)",
                             (object_name, store.tenant, version_id))
        assert changed == 1, f"no full-text row of {version_id}"

    def unredact_episode(self, store: GraphStore, episode_id: str, text: str) -> None:
        changed = self._exec(store, "UPDATE episodes SET text = ?, redacted = 0 "
                             "WHERE tenant = ? AND id = ?", (text, store.tenant, episode_id))
        assert changed == 1, f"no episode {episode_id}"

    def drop_tenant(self, store: GraphStore) -> None:
        # Triggers remove the full-text rows of deleted episodes and versions.
        for table in ("sources", "audit_events", "versions", "claims", "entity_aliases",
                      "entities", "episodes"):
            self._exec(store, f"DELETE FROM {table} WHERE tenant = ?",  # noqa: S608
                       (store.tenant,))

    def delete_secret(self, store: GraphStore) -> None:
        changed = self._exec(store, "DELETE FROM tenant_secrets WHERE tenant = ?",
                             (store.tenant,))
        assert changed == 1, "the tenant has no secret"


TAMPERS: dict[str, Tamper] = {"sqlite": SqliteTamper()}

# Neo4j joins by registering its factory and tamper object; its tests carry the `neo4j` marker
# and use the session's real server (tests/conftest.py).
from neo4j_backend import NEO4J_BACKEND, Neo4jTamper  # noqa: E402

BACKENDS["neo4j"] = NEO4J_BACKEND
TAMPERS["neo4j"] = Neo4jTamper()


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(params=[
    pytest.param(name, marks=getattr(BACKENDS[name], "marks", ()))
    for name in sorted(BACKENDS)])
def backend(request: pytest.FixtureRequest) -> str:
    """The backend name; every contract test runs once per registered backend."""
    name = str(request.param)
    factory = BACKENDS[name]
    for fixture in getattr(factory, "requires", ()):
        factory.provide(fixture, request.getfixturevalue(fixture))  # type: ignore[attr-defined]
    return name


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(CLOCK_START)


@pytest.fixture
def tenant() -> str:
    return new_tenant()


StoreFactory = Callable[..., GraphStore]


@pytest.fixture
def store_factory(backend: str, tmp_path: Path, clock: FakeClock) -> Iterator[StoreFactory]:
    """``store_factory(tenant=None, *, clock=None, audit_key=None, registry=None)``: a new handle
    (own connection) on this test's database; a fresh tenant when ``tenant`` is None."""
    opened: list[GraphStore] = []
    lock = threading.Lock()
    factory = BACKENDS[backend]

    def make(tenant: str | None = None, *, clock: FakeClock | None = None,
             audit_key: bytes | None = None,
             registry: PredicateRegistry | None = None) -> GraphStore:
        store = factory(tmp_path, clock if clock is not None else default_clock,
                        tenant or new_tenant(), audit_key, registry)
        with lock:
            opened.append(store)
        return store

    default_clock = clock
    yield make
    for store in opened:
        try:
            store.close()
        except Exception:
            pass


@pytest.fixture
def store(store_factory: StoreFactory, tenant: str) -> GraphStore:
    """A fresh tenant on a real database, with the test's fake clock."""
    return store_factory(tenant)


@pytest.fixture
def tamper(backend: str) -> Tamper:
    return TAMPERS[backend]
