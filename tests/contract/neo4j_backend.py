"""The Neo4j backend of the GraphStore contract suite: a store factory and a tamper helper.

Registered in ``tests/contract/conftest.py`` (``BACKENDS["neo4j"]``, ``TAMPERS["neo4j"]``); the
``backend`` fixture marks its param ``neo4j`` and hands the factory the fixtures it ``requires``
(the session-scoped ``neo4j_driver``). Isolation is by tenant (every test has its own), so the
shared server needs no cleanup.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from asof.graph.clock import FakeClock
from asof.graph.ids import normalize_name
from asof.graph.instants import MAX_US, MIN_US, to_us
from asof.graph.neo4j import Neo4jStore
from asof.graph.predicates import PredicateRegistry
from asof.graph.store import GraphStore

#: Fields of a stored version that hold instants (µs) and what ``None`` is stored as.
_US_FIELDS = {"valid_from": MIN_US, "valid_to": MAX_US, "recorded_at": MAX_US,
              "superseded_at": MAX_US, "expires_at": MAX_US}


class Neo4jBackend:
    """``factory(tmp_path, clock, tenant, audit_key, registry)`` → a migrated
    :class:`Neo4jStore` on the test server, bound to ``tenant``. Needs the ``neo4j_driver``
    fixture (see :attr:`requires`); the schema is migrated once per driver."""

    requires = ("neo4j_driver",)
    marks = (pytest.mark.neo4j,)

    def __init__(self) -> None:
        self._driver: Any = None
        self._migrated: set[int] = set()
        self._lock = threading.Lock()

    def provide(self, fixture: str, value: Any) -> None:
        assert fixture == "neo4j_driver", fixture
        self._driver = value

    def __call__(self, tmp_path: Path, clock: FakeClock, tenant: str, audit_key: bytes | None,
                 registry: PredicateRegistry | None) -> GraphStore:
        assert self._driver is not None, "the neo4j_driver fixture was not provided"
        kwargs: dict[str, Any] = {"tenant": tenant, "clock": clock, "audit_key": audit_key}
        if registry is not None:
            kwargs["registry"] = registry
        store = Neo4jStore(self._driver, **kwargs)
        with self._lock:
            if id(self._driver) not in self._migrated:
                store.migrate()
                self._migrated.add(id(self._driver))
        return store


NEO4J_BACKEND = Neo4jBackend()


def _driver(store: GraphStore) -> Any:
    assert isinstance(store, Neo4jStore), f"not a Neo4jStore: {store!r}"
    return store.driver


def _run(store: GraphStore, query: str, **params: Any) -> list[Any]:
    assert isinstance(store, Neo4jStore)
    records, _, _ = _driver(store).execute_query(
        query, parameters_={"tenant": store.tenant, **params}, database_=store.database)
    return list(records)


class Neo4jTamper:
    """Edits the graph behind a store's back with raw Cypher (for the audit-verification
    tests). Every statement is confined to the store's tenant."""

    def edit_version(self, store: GraphStore, version_id: str, **fields: Any) -> None:
        assert fields
        props = {}
        for name, value in fields.items():
            if name in _US_FIELDS:
                value = _US_FIELDS[name] if value is None else to_us(value)
            props[name] = value
        records = _run(store,
                       "MATCH (f:Fact {tenant: $tenant, version_id: $id}) SET f += $props "
                       "RETURN count(f) AS n", id=version_id, props=props)
        assert records[0]["n"] == 1, f"no version {version_id}"

    def delete_event(self, store: GraphStore, seq: int) -> None:
        records = _run(store,
                       "MATCH (e:AuditEvent {tenant: $tenant, seq: $seq}) DETACH DELETE e "
                       "RETURN count(*) AS n", seq=seq)
        assert records[0]["n"] == 1, f"no event {seq}"

    def swap_events(self, store: GraphStore, seq_a: int, seq_b: int) -> None:
        """Exchange the stored contents of two events (each keeps its position)."""
        records = _run(store,
                       "MATCH (e:AuditEvent {tenant: $tenant}) WHERE e.seq IN [$a, $b] "
                       "RETURN e.seq AS seq, properties(e) AS props", a=seq_a, b=seq_b)
        rows = {r["seq"]: dict(r["props"]) for r in records}
        assert set(rows) == {seq_a, seq_b}
        for here, there in ((seq_a, seq_b), (seq_b, seq_a)):
            # SET e = map replaces every property: absent (null) ones are swapped too.
            props = {**rows[there], "tenant": store.tenant, "seq": here}
            _run(store, "MATCH (e:AuditEvent {tenant: $tenant, seq: $seq}) SET e = $props",
                 seq=here, props=props)

    def truncate_events(self, store: GraphStore, after_seq: int) -> None:
        """Delete every event with ``seq > after_seq`` (and nothing else)."""
        records = _run(store,
                       "MATCH (e:AuditEvent {tenant: $tenant}) WHERE e.seq > $after "
                       "DETACH DELETE e RETURN count(*) AS n", after=after_seq)
        assert records[0]["n"] >= 1, f"no events after {after_seq}"

    def insert_row(self, store: GraphStore, kind: str, new_id: str) -> None:
        """Copy one node of ``kind`` under ``new_id`` (no relationships, no audit event)."""
        label, key = {"episode": ("Episode", "id"), "claim": ("Claim", "claim_id")}[kind]
        records = _run(store, f"MATCH (n:{label} {{tenant: $tenant}}) WITH n LIMIT 1 "
                       f"CREATE (c:{label}) SET c = n {{.*, {key}: $new_id}} "
                       "RETURN count(c) AS n", new_id=new_id)
        assert records[0]["n"] == 1, f"no {kind} node to copy"

    def insert_entity(self, store: GraphStore, entity_id: str, name: str) -> None:
        _run(store, "CREATE (:Entity {tenant: $tenant, id: $id, name: $name, type: 'person', "
             "norm_name: $norm, aliases: []})", id=entity_id, name=name,
             norm=normalize_name(name))

    def rename_entity(self, store: GraphStore, entity_id: str, name: str) -> None:
        records = _run(store, "MATCH (e:Entity {tenant: $tenant, id: $id}) "
                       "SET e.name = $name, e.norm_name = $norm RETURN count(e) AS n",
                       id=entity_id, name=name, norm=normalize_name(name))
        assert records[0]["n"] == 1, f"no entity {entity_id}"

    def insert_alias(self, store: GraphStore, entity_id: str, alias: str) -> None:
        _run(store, "CREATE (:Alias {tenant: $tenant, entity_id: $id, alias: $alias, "
             "norm_alias: $norm})", id=entity_id, alias=alias, norm=normalize_name(alias))

    def delete_sources(self, store: GraphStore, version_id: str) -> None:
        records = _run(store, "MATCH (:Fact {tenant: $tenant, version_id: $id})-[s:SOURCE]->() "
                       "DELETE s RETURN count(*) AS n", id=version_id)
        assert records[0]["n"] >= 1, f"no sources of {version_id}"

    def edit_fulltext(self, store: GraphStore, version_id: str, object_name: str) -> None:
        """The asof_fact_text index reads the entity names copied onto the Fact node."""
        records = _run(store, "MATCH (f:Fact {tenant: $tenant, version_id: $id}) "
                       "SET f.object_name = $name RETURN count(f) AS n",
                       id=version_id, name=object_name)
        assert records[0]["n"] == 1, f"no version {version_id}"

    def unredact_episode(self, store: GraphStore, episode_id: str, text: str) -> None:
        records = _run(store, "MATCH (e:Episode {tenant: $tenant, id: $id}) "
                       "SET e.text = $text, e.redacted = false RETURN count(e) AS n",
                       id=episode_id, text=text)
        assert records[0]["n"] == 1, f"no episode {episode_id}"

    def drop_tenant(self, store: GraphStore) -> None:
        for label in ("Fact", "Claim", "Alias", "Entity", "Episode", "AuditEvent"):
            _run(store, f"MATCH (n:{label} {{tenant: $tenant}}) DETACH DELETE n")
        # The head stays, with the tenant's secret: a history replayed after this gets the
        # same ids and hashes.
        _run(store, "MATCH (h:AuditHead {tenant: $tenant}) REMOVE h.seq, h.writes")

    def delete_secret(self, store: GraphStore) -> None:
        records = _run(store, "MATCH (h:AuditHead {tenant: $tenant}) WHERE h.secret IS NOT NULL "
                       "REMOVE h.secret RETURN count(h) AS n")
        assert records[0]["n"] == 1, "the tenant has no secret"
