"""Neo4j's vectors against a real Neo4j 5.26: the plans of the vector statements, the exact scan
behind the shared vector index, and the vector migration applied to an existing store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from asof.graph.clock import FakeClock
from asof.graph.instants import MAX_US, MIN_US
from asof.graph.models import Episode
from asof.graph.neo4j import Neo4jStore
from asof.query.embedding import BundledEmbedder, embed_rows

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

START = datetime(2025, 6, 1, 12, tzinfo=UTC)
SEEKS = ("NodeIndexSeek", "NodeUniqueIndexSeek")
VECTOR = [1.0, 0.0, 0.0]
BOUNDS = {"valid_hi": MAX_US, "valid_lo": MIN_US, "known_hi": MAX_US - 1,
          "known_lo": MAX_US - 1, "ingested_by": MAX_US}


@pytest.fixture
def store(neo4j_driver: Any, fresh_tenant: str) -> Neo4jStore:
    s = Neo4jStore(neo4j_driver, tenant=fresh_tenant, clock=FakeClock(START))
    s.migrate()
    return s


@pytest.fixture(scope="module")
def embedder() -> BundledEmbedder:
    return BundledEmbedder()


def _plan(store: Neo4jStore, name: str, **params: Any) -> str:
    operators = store.explain(name, **params)
    assert not any(op.startswith(("NodeByLabelScan", "AllNodesScan")) for op in operators), \
        operators
    return "\n".join(operators)


def _seeks(plan: str, index: str) -> bool:
    return any(line.startswith(SEEKS) and index in line for line in plan.splitlines())


def test_vector_search_asks_the_vector_index_then_seeks_the_rows(store: Neo4jStore) -> None:
    plan = _plan(store, "read/vector_search", candidates=10, vector=VECTOR, model="m",
                 limit=5, **BOUNDS)
    assert "db.index.vector.queryNodes" in plan
    assert _seeks(plan, "UNIQUE e:Episode(tenant, id)"), plan
    assert _seeks(plan, "UNIQUE f:Fact(tenant, version_id)"), plan


def test_the_exact_scan_reads_only_the_tenants_vectors(store: Neo4jStore) -> None:
    plan = _plan(store, "read/vector_scan", vector=VECTOR, model="m", limit=5, **BOUNDS)
    assert _seeks(plan, "UNIQUE m:Embedding(tenant, kind, id, model)"), plan


@pytest.mark.parametrize(("name", "params"), [
    ("read/unembedded", {"model": "m"}),
    ("write/erase_embeddings", {"rows": [{"kind": "episode", "id": "e"}]}),
    ("write/merge_embeddings", {"model": "m", "rows": [{"kind": "episode", "id": "e",
                                                       "vector": VECTOR}]}),
])
def test_embedding_bookkeeping_seeks_the_constraint_index(store: Neo4jStore, name: str,
                                                          params: dict[str, Any]) -> None:
    plan = _plan(store, name, **params)
    assert "Embedding(tenant, kind, id, model)" in plan, plan


def _diary(store: Neo4jStore, texts: list[str]) -> list[Episode]:
    episodes = [Episode.create(tenant=store.tenant, speaker="Ines", occurred_at=START,
                               text=text) for text in texts]
    store.apply_many([(e, []) for e in episodes])
    return episodes


def test_a_tenant_drowned_in_the_shared_index_is_answered_by_the_exact_scan(
        store: Neo4jStore, embedder: BundledEmbedder) -> None:
    crowd = store.for_tenant(f"{store.tenant}-crowd")
    assert isinstance(crowd, Neo4jStore)
    theirs = _diary(crowd, [f"Ran a marathon in {n} hours and {n} minutes." for n in range(40)])
    embed_rows(crowd, embedder, theirs, [])
    mine = _diary(store, ["We bought a new sofa.", "The cat sleeps on the sofa."])
    embed_rows(store, embedder, mine, [])
    query = embedder.embed(["running a marathon"], query=True)[0]
    by_index = store.vector_search(query, model=embedder.model_id, limit=2)
    # the index's first candidates are the crowd's; with no room to grow, the scan answers
    store.max_vector_candidates = 1
    by_scan = store.vector_search(query, model=embedder.model_id, limit=2)
    assert sorted(h.id for h in by_scan) == sorted(e.id for e in mine)
    assert [(h.id, round(h.score, 5)) for h in by_scan] == \
        [(h.id, round(h.score, 5)) for h in by_index]
    assert all(-1.0 <= h.score <= 1.0 for h in by_scan)


def test_the_vector_migration_reapplies_to_an_existing_store(
        store: Neo4jStore, embedder: BundledEmbedder) -> None:
    """A store migrated before vectors existed records every migration but this one: applying
    it again creates nothing twice (IF NOT EXISTS) and keeps the vectors searchable."""
    said = _diary(store, ["Ran my first 42k on Sunday."])
    embed_rows(store, embedder, said, [])
    store.driver.execute_query(
        "MATCH (m:SchemaMigration {name: $name}) DELETE m",
        name="0004_retrieval_neo4j_vectors")
    assert store.migrate() == ["0004_retrieval_neo4j_vectors"]
    assert store.migrate() == []
    query = embedder.embed(["marathon"], query=True)[0]
    assert [h.id for h in store.vector_search(query, model=embedder.model_id)] == [said[0].id]
    assert store.unembedded(embedder.model_id) == []
