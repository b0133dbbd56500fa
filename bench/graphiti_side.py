"""The Graphiti side of ``bench.vs_graphiti``: a no-LLM Graphiti on a local hash embedder,
the workload's fact versions bulk-loaded as ``EntityEdge``s, and the three ways of asking it
"what was true at t as known at k" that the comparison times.

graphiti-core is the ``bench`` extra: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import logging
import math
import os
import time
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# graphiti-core reads these at import time
os.environ.setdefault("GRAPHITI_TELEMETRY_ENABLED", "false")
EMBED_DIM = int(os.environ.setdefault("EMBEDDING_DIM", "128"))

from bench.workload import OBJECT_TYPE, PHRASE, Query, Workload, stable_hash  # noqa: E402


def log(msg: str) -> None:
    import sys

    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _uuid(*parts: object) -> str:
    return str(uuidlib.UUID(stable_hash(*parts)))


def hash_embedder_class() -> type:
    from graphiti_core.embedder.client import EmbedderClient

    class HashEmbedder(EmbedderClient):
        """Deterministic, local, no network: each lower-cased token hashed (blake2b) to a
        dimension and a sign; the vector is L2-normalised (a text whose tokens all cancel gets
        a unit vector). Texts sharing words are similar."""

        def __init__(self, dim: int = EMBED_DIM) -> None:
            self.dim = dim
            self._tokens: dict[str, tuple[int, float]] = {}

        def _token(self, tok: str) -> tuple[int, float]:
            hit = self._tokens.get(tok)
            if hit is None:
                import hashlib

                h = hashlib.blake2b(tok.encode(), digest_size=8).digest()
                hit = (int.from_bytes(h[:4], "little") % self.dim,
                       1.0 if h[4] & 1 else -1.0)
                self._tokens[tok] = hit
            return hit

        def embed(self, text: str) -> list[float]:
            v = [0.0] * self.dim
            for tok in text.lower().replace("_", " ").split():
                i, s = self._token(tok)
                v[i] += s
            norm = math.sqrt(sum(x * x for x in v))
            if norm == 0.0:  # every token cancelled out: Neo4j rejects a zero vector
                v[0], norm = 1.0, 1.0
            return [x / norm for x in v]

        async def create(self, input_data: Any) -> list[float]:
            text = input_data[0] if isinstance(input_data, list) else input_data
            return self.embed(str(text))

        async def create_batch(self, input_data_list: list[str]) -> list[list[float]]:
            return [self.embed(t) for t in input_data_list]

    return HashEmbedder


def no_llm_classes() -> tuple[type, type]:
    from graphiti_core.cross_encoder.client import CrossEncoderClient
    from graphiti_core.llm_client.client import LLMClient

    class NoLLM(LLMClient):
        """Graphiti needs an LLM client object; this one fails loudly if ever called."""

        def __init__(self) -> None:
            super().__init__(config=None)

        async def _generate_response(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("the benchmark must never call an LLM")

        async def generate_response(self, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("the benchmark must never call an LLM")

    class NoCrossEncoder(CrossEncoderClient):
        async def rank(self, query: str, passages: list[str]) -> list[tuple[str, float]]:
            raise RuntimeError("the benchmark must never call a cross-encoder")

    return NoLLM, NoCrossEncoder


def graphiti_filters(q_valid: datetime, q_known: datetime, *, scope: tuple[str, str] | None,
                     current: bool = False) -> Any:
    from graphiti_core.search.search_filters import (
        ComparisonOperator as Op,
    )
    from graphiti_core.search.search_filters import (
        DateFilter,
        SearchFilters,
    )

    extra: dict[str, Any] = {}
    if scope is not None:
        extra = {"edge_types": [scope[0]], "edge_source_node_uuids": [scope[1]]}
    expired = ([[DateFilter(comparison_operator=Op.is_null)]] if current else
               [[DateFilter(date=q_known, comparison_operator=Op.greater_than)],
                [DateFilter(comparison_operator=Op.is_null)]])
    created = None if current else [[DateFilter(date=q_known,
                                                comparison_operator=Op.less_than_equal)]]
    return SearchFilters(
        valid_at=[[DateFilter(date=q_valid, comparison_operator=Op.less_than_equal)],
                  [DateFilter(comparison_operator=Op.is_null)]],
        invalid_at=[[DateFilter(date=q_valid, comparison_operator=Op.greater_than)],
                    [DateFilter(comparison_operator=Op.is_null)]],
        created_at=created, expired_at=expired, **extra)




def ent_uuid(tenant: str, typ: str, name: str) -> str:
    return _uuid("entity", tenant, typ, name)


#: The four date conditions of ``graphiti_filters`` as one plain Cypher statement on Graphiti's
#: schema: what a caller who knows the subject and the relation would write by hand.
PLAIN_AS_OF = """
MATCH (s:Entity {uuid: $subject})-[e:RELATES_TO]->(o:Entity)
WHERE e.group_id = $group AND e.name = $relation
  AND (e.valid_at <= $t OR e.valid_at IS NULL) AND (e.invalid_at > $t OR e.invalid_at IS NULL)
  AND e.created_at <= $k AND (e.expired_at > $k OR e.expired_at IS NULL)
RETURN o.name AS name
"""


def holds(edge: Any, t: datetime, k: datetime) -> bool:
    """``graphiti_filters(t, k)`` applied in Python to one edge."""
    return ((edge.valid_at is None or edge.valid_at <= t)
            and (edge.invalid_at is None or edge.invalid_at > t)
            and edge.created_at <= k
            and (edge.expired_at is None or edge.expired_at > k))


@dataclass
class GraphitiSide:
    graphiti: Any
    driver: Any
    load: dict[str, Any]
    target_name: dict[str, str]
    #: EDGE_HYBRID_SEARCH_RRF with limit 10, built once (not per query)
    config: Any = None

    def objects(self, q: Query, edges: list[Any]) -> set[str]:
        s, rel = ent_uuid(q.tenant, "person", q.subject), q.predicate.upper()
        return {self.target_name.get(e.target_node_uuid, e.target_node_uuid) for e in edges
                if e.source_node_uuid == s and e.name == rel}

    async def search(self, q: Query, valid: datetime, known: datetime,
                     current: bool = False) -> set[str]:
        """``Graphiti.search_`` (BM25 + cosine, RRF, limit 10) scoped to the subject and the
        relation, with the date filters."""
        f = graphiti_filters(valid, known, current=current, scope=(
            q.predicate.upper(), ent_uuid(q.tenant, "person", q.subject)))
        r = await self.graphiti.search_(f"{q.subject} {PHRASE[q.predicate]}", config=self.config,
                                        group_ids=[q.tenant], search_filter=f)
        return self.objects(q, list(r.edges))

    async def by_node(self, q: Query) -> set[str]:
        """``EntityEdge.get_by_node_uuid`` (every edge of the subject), filtered in Python."""
        from graphiti_core.edges import EntityEdge

        edges = await EntityEdge.get_by_node_uuid(self.driver,
                                                  ent_uuid(q.tenant, "person", q.subject))
        return self.objects(q, [e for e in edges if holds(e, q.valid_at, q.known_at)])


async def load_graphiti(w: Workload, conn: tuple[str, str, str], chunk: int) -> GraphitiSide:
    """Open Graphiti on the server ``conn``, build its indexes and bulk-load the workload's
    fact versions (one ``EntityEdge`` each). The caller closes ``side.graphiti``."""
    from graphiti_core import Graphiti
    from graphiti_core.driver.neo4j_driver import Neo4jDriver
    from graphiti_core.edges import EntityEdge, EpisodicEdge
    from graphiti_core.nodes import EntityNode, EpisodeType, EpisodicNode
    from graphiti_core.utils.bulk_utils import add_nodes_and_edges_bulk

    url, user, password = conn
    HashEmbedder = hash_embedder_class()
    NoLLM, NoCrossEncoder = no_llm_classes()
    embedder = HashEmbedder()
    driver = Neo4jDriver(url, user, password)
    graphiti = Graphiti(graph_driver=driver, llm_client=NoLLM(), embedder=embedder,
                        cross_encoder=NoCrossEncoder())
    started_all = time.perf_counter()
    # The driver's constructor already scheduled index creation; its concurrent CREATE INDEX IF
    # NOT EXISTS race and log harmless "already exists" errors: keep them off the console.
    quiet = logging.getLogger("graphiti_core.driver.neo4j_driver")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        await graphiti.build_indices_and_constraints()
        if driver._init_task is not None:
            await driver._init_task
    finally:
        quiet.setLevel(level)
    await driver.execute_query("CALL db.awaitIndexes(300)")
    index_s = time.perf_counter() - started_all

    label = {"person": "Person", "organization": "Organization", "location": "Location",
             "product": "Product"}

    # ---- build the rows (timed separately from the writes)
    t0 = time.perf_counter()
    entities: dict[str, Any] = {}
    target_name: dict[str, str] = {}

    def entity(tenant: str, typ: str, name: str, created: datetime) -> str:
        u = ent_uuid(tenant, typ, name)
        if u not in entities:
            entities[u] = EntityNode(uuid=u, name=name, group_id=tenant,
                                     labels=["Entity", label[typ]], created_at=created,
                                     summary="", name_embedding=embedder.embed(name))
            target_name[u] = name
        return u

    batch_by_index = {b.index: b for b in w.batches}
    episodes: dict[int, Any] = {}
    mentions: dict[int, list[Any]] = {}
    for b in w.batches:
        ep_uuid = _uuid("episode", b.tenant, b.index)
        episodes[b.index] = EpisodicNode(
            uuid=ep_uuid, name=f"message {b.index}", group_id=b.tenant,
            source=EpisodeType.message, source_description="bench.workload", content=b.text,
            valid_at=b.occurred_at, created_at=b.recorded_at)
        seen: set[str] = set()
        edges = []
        for s in b.statements:
            for typ, name in (("person", s.subject), (OBJECT_TYPE[s.predicate], s.object)):
                u = entity(b.tenant, typ, name, b.recorded_at)
                if u not in seen:
                    seen.add(u)
                    edges.append(EpisodicEdge(uuid=_uuid("mentions", ep_uuid, u),
                                              group_id=b.tenant, source_node_uuid=ep_uuid,
                                              target_node_uuid=u, created_at=b.recorded_at))
        mentions[b.index] = edges
    facts_by_batch: dict[int, list[Any]] = {}
    for v in w.versions:
        b = batch_by_index[v.batch]
        fact = f"{v.subject} {PHRASE[v.predicate]} {v.object}"
        facts_by_batch.setdefault(v.batch, []).append(EntityEdge(
            uuid=_uuid("version", v.version_id), group_id=v.tenant,
            source_node_uuid=ent_uuid(v.tenant, "person", v.subject),
            target_node_uuid=ent_uuid(v.tenant, OBJECT_TYPE[v.predicate], v.object),
            name=v.predicate.upper(), fact=fact, fact_embedding=embedder.embed(fact),
            episodes=[episodes[v.batch].uuid], created_at=v.recorded_at,
            expired_at=v.superseded_at, valid_at=v.valid_from, invalid_at=v.valid_to,
            reference_time=b.occurred_at))
    build_s = time.perf_counter() - t0
    log(f"graphiti: built {len(entities)} entities, {len(episodes)} episodes, "
        f"{len(w.versions)} entity edges (embedded) in {build_s:.1f} s")

    # ---- write with the bulk writer
    t0 = time.perf_counter()
    ents = list(entities.values())
    for i in range(0, len(ents), chunk):
        await add_nodes_and_edges_bulk(driver, [], [], ents[i:i + chunk], [], embedder)
    log(f"graphiti: {len(ents)} entity nodes written in {time.perf_counter() - t0:.1f} s")
    pending_eps: list[Any] = []
    pending_mentions: list[Any] = []
    pending_edges: list[Any] = []
    done = 0
    next_report = 0.1

    async def flush() -> None:
        await add_nodes_and_edges_bulk(driver, pending_eps, pending_mentions, [],
                                       pending_edges, embedder)
        pending_eps.clear()
        pending_mentions.clear()
        pending_edges.clear()

    for b in w.batches:
        pending_eps.append(episodes[b.index])
        pending_mentions.extend(mentions[b.index])
        pending_edges.extend(facts_by_batch.get(b.index, []))
        if len(pending_edges) >= chunk:
            done += len(pending_edges)
            await flush()
            if done / len(w.versions) >= next_report:
                el = time.perf_counter() - t0
                log(f"graphiti: {done}/{len(w.versions)} edges, {el:.0f} s, load {loadavg()}")
                next_report += 0.1
    done += len(pending_edges)
    await flush()
    write_s = time.perf_counter() - t0
    load = {"load_s": round(build_s + write_s, 2), "write_s": round(write_s, 2),
            "build_and_embed_s": round(build_s, 2), "index_setup_s": round(index_s, 2),
            "entity_edges": len(w.versions), "entity_nodes": len(entities),
            "episodic_nodes": len(episodes),
            "mentions_edges": sum(len(m) for m in mentions.values()),
            "edges_per_s": round(len(w.versions) / (build_s + write_s), 1),
            "chunk": chunk, "loadavg_after": loadavg()}
    log(f"graphiti: loaded in {build_s + write_s:.1f} s: {load}")
    await driver.execute_query("CALL db.awaitIndexes(300)")

    await driver.execute_query("CALL db.awaitIndexes(300)")
    from graphiti_core.search.search_config_recipes import EDGE_HYBRID_SEARCH_RRF

    config = EDGE_HYBRID_SEARCH_RRF.model_copy(deep=True)
    config.limit = 10
    return GraphitiSide(graphiti=graphiti, driver=driver, load=load, target_name=target_name,
                        config=config)
