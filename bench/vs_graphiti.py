"""asof vs Graphiti (graphiti-core) on the same Neo4j, the same facts, the same questions.

    python -m bench.vs_graphiti --versions 100000 --json [--url bolt://127.0.0.1:7698]

**This wipes the Neo4j database it is pointed at** (every node, index and constraint) before
each system's run and at the end: point it at a private server, never a shared one. The URL
comes from ``--url`` or ``ASOF_BENCH_NEO4J_URI`` (user/password: ``--user``/``--password`` or
``ASOF_BENCH_NEO4J_USER``/``ASOF_BENCH_NEO4J_PASSWORD``); it deliberately does not fall back to
``ASOF_NEO4J_URI``, the server the test suites share.

One run, one process, one workload (``bench.workload``, deterministic from ``--seed``):

1. **asof**: wipe, load every message through ``GraphStore.apply`` (one transaction per
   message, the write rules planning versions, claims and the audit chain; the store's clock is
   set to each message's transaction time so ``recorded_at`` is the workload's), then the
   queries. Optionally the same on SQLite (``--sqlite``).
2. **Graphiti**: wipe, ``build_indices_and_constraints``, then the *same fact versions* — the
   workload's materialised history, each version one ``EntityEdge`` (``valid_at``/``invalid_at``
   = valid time, ``created_at``/``expired_at`` = transaction time), plus ``EntityNode``s,
   ``EpisodicNode``s (one per message) and ``MENTIONS`` edges — written with its bulk writer
   ``add_nodes_and_edges_bulk`` and a deterministic local hash embedder. No LLM: the client
   passed to ``Graphiti`` raises if called (it never is). Then the queries.

Queries: the same random (tenant, subject, predicate, valid_at, known_at), after a warm-up,
each timed alone (``time.perf_counter`` around one call). Every answer is compared with the
workload's ground truth; a query is correct when the returned set of objects equals it exactly
(including "nothing").

- asof ``find_versions``: ``VersionQuery(subject_id, predicate, valid_at, known_at)`` — one
  Cypher statement; asof ``facts``: the public API by subject *name* (adds an entity lookup).
- Graphiti has no as-of query; the filters its maintainers point to (``SearchFilters`` with
  ``DateFilter``s; getzep/graphiti#769, the ``temporal_mode`` of #1804) give, for (t, k)::

      valid_at   <= t  OR valid_at IS NULL        (started by t)
      invalid_at >  t  OR invalid_at IS NULL      (not ended by t)
      created_at <= k                             (recorded by k)
      expired_at >  k  OR expired_at IS NULL      (not yet superseded at k)

  run three ways: ``search`` = ``Graphiti.search_`` with the stock ``EDGE_HYBRID_SEARCH_RRF``
  recipe (BM25 + cosine, RRF, limit 10), the query text "<name> <relation>", ``group_ids`` =
  [tenant] and the filters above plus ``edge_types`` = [relation] and
  ``edge_source_node_uuids`` = [subject] (the best-informed use: it knows the subject and the
  relation, like asof's query); ``bfs`` = ``search_utils.edge_bfs_search`` from the subject's
  node, depth 1, same filters, limit 50; ``search_text`` = ``search_`` with only the temporal
  filters (no subject/relation scoping: what a text-first caller does), graded generously on
  the returned edges that are about that subject and relation.
- Current truth: asof ``current`` / the primitive with ``live_at``; Graphiti ``search_``
  (scoped) with ``valid_at <= now OR NULL``, ``invalid_at > now OR NULL``,
  ``expired_at IS NULL`` (#1804's "current" mode).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

# graphiti-core reads these at import time
os.environ.setdefault("GRAPHITI_TELEMETRY_ENABLED", "false")
EMBED_DIM = int(os.environ.setdefault("EMBEDDING_DIM", "128"))

from bench.store import latency  # noqa: E402
from bench.workload import (  # noqa: E402
    OBJECT_TYPE,
    PHRASE,
    Query,
    Workload,
    current_queries,
    generate,
    sample_queries,
    stable_hash,
)

# ------------------------------------------------------------------------------- helpers


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)




def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def server_rss_mb(pid_file: str | None) -> dict[str, float] | None:
    if not pid_file:
        return None
    try:
        pid = Path(pid_file).read_text().strip()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    out = {}
    for line in status.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out


class Grader:
    """Counts fully correct answers overall and on the queries that need known_at."""

    def __init__(self) -> None:
        self.n = self.ok = self.hard = self.hard_ok = self.nonempty = self.nonempty_ok = 0
        self.examples: list[dict[str, Any]] = []

    def add(self, q: Query, got: set[str]) -> None:
        right = got == set(q.expected)
        self.n += 1
        self.ok += right
        if q.needs_known_at:
            self.hard += 1
            self.hard_ok += right
        if q.expected:
            self.nonempty += 1
            self.nonempty_ok += right
        if not right and len(self.examples) < 3:
            self.examples.append({"subject": q.subject, "predicate": q.predicate,
                                  "valid_at": q.valid_at.isoformat(),
                                  "known_at": q.known_at.isoformat(),
                                  "expected": sorted(q.expected), "got": sorted(got)})

    def report(self) -> dict[str, Any]:
        def share(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {"correct": share(self.ok, self.n), "n": self.n,
                "correct_needs_known_at": share(self.hard_ok, self.hard),
                "n_needs_known_at": self.hard,
                "correct_nonempty": share(self.nonempty_ok, self.nonempty),
                "n_nonempty": self.nonempty, "wrong_examples": self.examples}


# -------------------------------------------------------------------------------- server


def connection(args: argparse.Namespace) -> tuple[str, str, str]:
    url = args.url or os.environ.get("ASOF_BENCH_NEO4J_URI")
    if not url:
        sys.exit("set --url or ASOF_BENCH_NEO4J_URI to a PRIVATE Neo4j (this benchmark wipes "
                 "it); e.g. ASOF_NEO4J_LOCAL_DIR=/tmp/asof-neo4j-bench "
                 "ASOF_NEO4J_BOLT_PORT=7698 scripts/neo4j-local up")
    if url == os.environ.get("ASOF_NEO4J_URI") and not args.i_know_it_wipes:
        sys.exit(f"{url} is ASOF_NEO4J_URI (the shared test server); this benchmark wipes the "
                 "database — use a private server, or pass --i-know-it-wipes")
    user = args.user or os.environ.get("ASOF_BENCH_NEO4J_USER", "neo4j")
    password = args.password or os.environ.get("ASOF_BENCH_NEO4J_PASSWORD")
    if password is None:
        sys.exit("set --password or ASOF_BENCH_NEO4J_PASSWORD")
    return url, user, password


def wipe(url: str, user: str, password: str) -> dict[str, Any]:
    """Delete every node, then every constraint and index: a clean database."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(url, auth=(user, password)) as driver:
        with driver.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS "
                        "OF 10000 ROWS").consume()
        for row in driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name").records:
            driver.execute_query(f"DROP CONSTRAINT `{row['name']}` IF EXISTS")
        for row in driver.execute_query(
                "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name").records:
            driver.execute_query(f"DROP INDEX `{row['name']}` IF EXISTS")
        info = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition "
            "RETURN versions[0] AS v, edition AS e").records[0]
        left = driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    return {"neo4j": info["v"], "edition": info["e"], "nodes_left": left}


def db_counts(url: str, user: str, password: str) -> dict[str, int]:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(url, auth=(user, password)) as driver:
        nodes = driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
        rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n").records[0]["n"]
    return {"nodes": nodes, "relationships": rels}


# ---------------------------------------------------------------------------------- asof


def run_asof(args: argparse.Namespace, w: Workload, queries: list[Query], warm: list[Query],
             current: list[Query], now: datetime, backend: str,
             conn: tuple[str, str, str] | None) -> dict[str, Any]:
    from asof.graph.clock import FakeClock
    from asof.graph.contract import VersionQuery
    from asof.graph.ids import entity_id
    from asof.graph.models import AssertionKind, EntityRef, Episode, FactAssertion

    clock = FakeClock(w.first_recorded - timedelta(hours=1))
    first = w.tenants[0].name
    from asof.graph.urls import open_store

    if conn is not None:  # the Neo4j server graphiti runs on too
        url, user, password = conn
        base = open_store(url, tenant=first, neo4j_user=user, neo4j_password=password,
                          clock=clock)
    else:
        path = Path(tempfile.mkdtemp(prefix="asof-vs-graphiti-")) / "bench.db"
        base = open_store(f"sqlite:///{path}", tenant=first, clock=clock)
    stores = {t.name: base.for_tenant(t.name) for t in w.tenants}

    def ref(tenant: str, name: str, typ: str) -> EntityRef:
        return EntityRef(name=name, type=typ)

    def assertion(tenant: str, s: Any) -> FactAssertion:
        typ = OBJECT_TYPE[s.predicate]
        kind = {"assert": AssertionKind.ASSERT, "retract": AssertionKind.RETRACT,
                "correct": AssertionKind.CORRECT}[s.kind]
        return FactAssertion(
            subject=ref(tenant, s.subject, "person"), predicate=s.predicate,
            object=ref(tenant, s.object, typ), valid_from=s.valid_from, valid_to=s.valid_to,
            kind=kind, corrects=ref(tenant, s.corrects, typ) if s.corrects else None,
            evidence=f"{s.story}: {s.subject} {PHRASE[s.predicate]} {s.object}")

    # ---- load
    log(f"asof[{backend}]: loading {len(w.batches)} messages, {w.statements} statements")
    written = closed = 0
    busy = 0.0
    started = time.perf_counter()
    next_report = 0.1
    for i, b in enumerate(w.batches):
        episode = Episode.create(tenant=b.tenant, speaker="bench", occurred_at=b.occurred_at,
                                 text=b.text, conversation_id="bench")
        facts = [assertion(b.tenant, s) for s in b.statements]
        clock.set(b.recorded_at)
        t0 = time.perf_counter()
        result = stores[b.tenant].apply(episode, facts)
        busy += time.perf_counter() - t0
        written += len(result.written)
        closed += len(result.closed)
        if (i + 1) / len(w.batches) >= next_report:
            el = time.perf_counter() - started
            log(f"asof[{backend}]: {i + 1}/{len(w.batches)} messages, {written} versions, "
                f"{el:.0f} s ({written / el:.0f} versions/s), load {loadavg()}")
            next_report += 0.1
    load_s = time.perf_counter() - started
    load = {"load_s": round(load_s, 2), "apply_s": round(busy, 2), "versions_written": written,
            "versions_closed": closed, "versions_expected": len(w.versions),
            "versions_per_s": round(written / load_s, 1),
            "statements_per_s": round(w.statements / load_s, 1),
            "messages": len(w.batches), "loadavg_after": loadavg()}
    log(f"asof[{backend}]: loaded in {load_s:.1f} s: {load}")

    # ---- queries
    names: dict[str, dict[str, str]] = {}  # tenant -> object id -> name
    for t in w.tenants:
        m = names.setdefault(t.name, {})
        for pool, typ in ((t.companies, "organization"), (t.cities, "location"),
                          (t.tools, "product")):
            for n in pool:
                m[entity_id(t.name, typ, n)] = n

    def subject_id(q: Query) -> str:
        return entity_id(q.tenant, "person", q.subject)

    def objects(q: Query, versions: list[Any]) -> set[str]:
        return {names[q.tenant].get(v.object_id, v.object_id) for v in versions}

    clock.set(now)
    for q in warm:
        stores[q.tenant].find_versions(VersionQuery(
            subject_id=subject_id(q), predicate=q.predicate, valid_at=q.valid_at,
            known_at=q.known_at))
        stores[q.tenant].facts(q.subject, q.predicate, valid_at=q.valid_at, known_at=q.known_at)
    prim, api = [], []
    g_prim, g_api = Grader(), Grader()
    log(f"asof[{backend}]: {len(queries)} as-of queries")
    qstart = loadavg()
    for q in queries:
        store = stores[q.tenant]
        vq = VersionQuery(subject_id=subject_id(q), predicate=q.predicate,
                          valid_at=q.valid_at, known_at=q.known_at)
        t0 = time.perf_counter()
        found = store.find_versions(vq)
        prim.append(time.perf_counter() - t0)
        g_prim.add(q, objects(q, found))
        t0 = time.perf_counter()
        found = store.facts(q.subject, q.predicate, valid_at=q.valid_at, known_at=q.known_at)
        api.append(time.perf_counter() - t0)
        g_api.add(q, objects(q, found))
    cur_prim, cur_api = [], []
    g_cur = Grader()
    for q in current:
        store = stores[q.tenant]
        t0 = time.perf_counter()
        found = store.find_versions(VersionQuery(subject_id=subject_id(q), predicate=q.predicate,
                                                 valid_at=now, known_at=now, live_at=now))
        cur_prim.append(time.perf_counter() - t0)
        g_cur.add(q, objects(q, found))
        t0 = time.perf_counter()
        store.current(q.subject, q.predicate)
        cur_api.append(time.perf_counter() - t0)
    base.close()
    return {"backend": backend, "load": load,
            "as_of_find_versions": {**latency(prim), **g_prim.report()},
            "as_of_facts_api": {**latency(api), **g_api.report()},
            "current_find_versions": {**latency(cur_prim), **g_cur.report()},
            "current_api": latency(cur_api),
            "loadavg_queries": [qstart, loadavg()], "peak_rss_mb": peak_rss_mb()}


# ------------------------------------------------------------------------------ graphiti


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


async def graphiti_phase(args: argparse.Namespace, w: Workload, queries: list[Query],
                         warm: list[Query], current: list[Query], now: datetime,
                         conn: tuple[str, str, str]) -> dict[str, Any]:
    from graphiti_core import Graphiti
    from graphiti_core.driver.neo4j_driver import Neo4jDriver
    from graphiti_core.edges import EntityEdge, EpisodicEdge
    from graphiti_core.nodes import EntityNode, EpisodeType, EpisodicNode
    from graphiti_core.search.search_config_recipes import EDGE_HYBRID_SEARCH_RRF
    from graphiti_core.search.search_utils import edge_bfs_search
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

    def ent_uuid(tenant: str, typ: str, name: str) -> str:
        return _uuid("entity", tenant, typ, name)

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
    chunk = args.graphiti_chunk
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

    # ---- queries
    config = EDGE_HYBRID_SEARCH_RRF.model_copy(deep=True)
    config.limit = 10

    def subject_uuid(q: Query) -> str:
        return ent_uuid(q.tenant, "person", q.subject)

    def objects(q: Query, edges: list[Any]) -> set[str]:
        s, rel = subject_uuid(q), q.predicate.upper()
        return {target_name.get(e.target_node_uuid, e.target_node_uuid) for e in edges
                if e.source_node_uuid == s and e.name == rel}

    def text(q: Query) -> str:
        return f"{q.subject} {PHRASE[q.predicate]}"

    async def search_scoped(q: Query, valid: datetime, known: datetime,
                            current: bool = False) -> list[Any]:
        f = graphiti_filters(valid, known, scope=(q.predicate.upper(), subject_uuid(q)),
                             current=current)
        r = await graphiti.search_(text(q), config=config, group_ids=[q.tenant],
                                   search_filter=f)
        return list(r.edges)

    async def search_text(q: Query) -> list[Any]:
        f = graphiti_filters(q.valid_at, q.known_at, scope=None)
        r = await graphiti.search_(text(q), config=config, group_ids=[q.tenant],
                                   search_filter=f)
        return list(r.edges)

    async def bfs(q: Query) -> list[Any]:
        f = graphiti_filters(q.valid_at, q.known_at, scope=None)
        f.edge_types = [q.predicate.upper()]
        return await edge_bfs_search(driver, [subject_uuid(q)], 1, f, group_ids=[q.tenant],
                                     limit=50)

    for q in warm:
        await search_scoped(q, q.valid_at, q.known_at)
        await bfs(q)
        await search_text(q)
    variants: dict[str, Callable[[Query], Any]] = {
        "search": lambda q: search_scoped(q, q.valid_at, q.known_at),
        "bfs": bfs,
        "search_text": search_text,
    }
    samples: dict[str, list[float]] = {k: [] for k in variants}
    graders = {k: Grader() for k in variants}
    order = list(variants)
    text_every = max(1, len(queries) // max(1, args.text_queries))
    log(f"graphiti: {len(queries)} as-of queries ({', '.join(order)}; search_text on 1 in "
        f"{text_every})")
    qstart = loadavg()
    for i, q in enumerate(queries):
        order = order[1:] + order[:1]  # rotate which variant goes first
        for name in order:
            if name == "search_text" and i % text_every:
                continue
            t0 = time.perf_counter()
            edges = await variants[name](q)
            samples[name].append(time.perf_counter() - t0)
            graders[name].add(q, objects(q, edges))
    cur: list[float] = []
    g_cur = Grader()
    for q in current:
        t0 = time.perf_counter()
        edges = await search_scoped(q, now, now, current=True)
        cur.append(time.perf_counter() - t0)
        g_cur.add(q, objects(q, edges))
    await graphiti.close()
    return {"load": load,
            **{f"as_of_{k}": {**latency(samples[k]), **graders[k].report()} for k in variants},
            "current_search": {**latency(cur), **g_cur.report()},
            "loadavg_queries": [qstart, loadavg()], "peak_rss_mb": peak_rss_mb()}


# ---------------------------------------------------------------------------------- main


def versions_of(pkg: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(pkg)
    except Exception:
        return None


def machine() -> dict[str, Any]:
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        mem_gb = round(int(mem) / 1024 / 1024, 1)
    except OSError:
        mem_gb = None
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "cpu": cpu, "mem_gb": mem_gb,
            "graphiti_core": versions_of("graphiti-core"), "neo4j_driver": versions_of("neo4j"),
            "java": _java()}


def _java() -> str | None:
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=20)
        return out.stderr.splitlines()[0] if out.stderr else None
    except (OSError, subprocess.SubprocessError):
        return None


def summary(report: dict[str, Any]) -> dict[str, Any]:
    a = report.get("asof", {})
    g = report.get("graphiti", {})
    ap = a.get("as_of_find_versions", {})
    gs = g.get("as_of_search", {})
    gb = g.get("as_of_bfs", {})

    def ratio(x: float | None, y: float | None) -> float | None:
        return round(x / y, 2) if x and y else None

    return {
        "versions": report["versions"],
        "asof_p50_ms": ap.get("p50_ms"), "asof_p95_ms": ap.get("p95_ms"),
        "asof_p99_ms": ap.get("p99_ms"),
        "graphiti_p50_ms": gs.get("p50_ms"), "graphiti_p95_ms": gs.get("p95_ms"),
        "graphiti_p99_ms": gs.get("p99_ms"),
        "ratio_p50": ratio(gs.get("p50_ms"), ap.get("p50_ms")),
        "ratio_p99": ratio(gs.get("p99_ms"), ap.get("p99_ms")),
        "asof_correct": ap.get("correct"), "graphiti_correct": gs.get("correct"),
        "graphiti_bfs_p50_ms": gb.get("p50_ms"), "graphiti_bfs_p99_ms": gb.get("p99_ms"),
        "ratio_bfs_p50": ratio(gb.get("p50_ms"), ap.get("p50_ms")),
        "graphiti_bfs_correct": gb.get("correct"),
        "graphiti_text_p50_ms": g.get("as_of_search_text", {}).get("p50_ms"),
        "graphiti_text_correct": g.get("as_of_search_text", {}).get("correct"),
        "asof_facts_api_p50_ms": a.get("as_of_facts_api", {}).get("p50_ms"),
        "asof_current_p50_ms": a.get("current_find_versions", {}).get("p50_ms"),
        "asof_current_p99_ms": a.get("current_find_versions", {}).get("p99_ms"),
        "asof_current_correct": a.get("current_find_versions", {}).get("correct"),
        "graphiti_current_p50_ms": g.get("current_search", {}).get("p50_ms"),
        "graphiti_current_p99_ms": g.get("current_search", {}).get("p99_ms"),
        "graphiti_current_correct": g.get("current_search", {}).get("correct"),
        "asof_load_s": a.get("load", {}).get("load_s"),
        "graphiti_load_s": g.get("load", {}).get("load_s"),
        "asof_versions_per_s": a.get("load", {}).get("versions_per_s"),
        "graphiti_native_model_correct": report.get("graphiti_native_model", {}).get(
            "all", {}).get("correct"),
    }


def table(report: dict[str, Any]) -> str:
    s = report["summary"]
    a, g = report.get("asof", {}), report.get("graphiti", {})
    rows = [("asof find_versions", a.get("as_of_find_versions")),
            ("asof facts (by name)", a.get("as_of_facts_api")),
            ("graphiti search_ (scoped)", g.get("as_of_search")),
            ("graphiti edge_bfs_search", g.get("as_of_bfs")),
            ("graphiti search_ (text)", g.get("as_of_search_text")),
            ("asof current (primitive)", a.get("current_find_versions")),
            ("graphiti current (search_)", g.get("current_search"))]
    for extra in report.get("asof_other_backends", []):
        rows.append((f"asof[{extra['backend']}] find_versions", extra.get("as_of_find_versions")))
    lines = [f"N = {report['versions']} fact versions ({report['workload']['statements']} "
             f"statements, {report['workload']['messages']} messages, "
             f"{report['workload']['tenants']} tenants)",
             f"{'query':32s} {'p50 ms':>9s} {'p95 ms':>9s} {'p99 ms':>9s} {'correct':>8s} "
             f"{'n':>6s}"]
    for name, r in rows:
        if not r:
            continue
        corr = r.get("correct")
        lines.append(f"{name:32s} {r['p50_ms']:9.2f} {r['p95_ms']:9.2f} {r['p99_ms']:9.2f} "
                     f"{'' if corr is None else f'{corr:.1%}':>8s} {r['n']:6d}")
    lines.append(f"ratio p50 (Graphiti search / asof): {s['ratio_p50']}x; p99: {s['ratio_p99']}x;"
                 f" bfs p50 ratio: {s['ratio_bfs_p50']}x")
    lines.append(f"load: asof {s['asof_load_s']} s ({s['asof_versions_per_s']} versions/s, "
                 f"write rules + audit, one transaction per message); graphiti "
                 f"{s['graphiti_load_s']} s (bulk writer, pre-computed versions)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.vs_graphiti", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--batch", type=int, default=200,
                        help="max statements per message (smaller at small N)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--current-queries", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--text-queries", type=int, default=300,
                        help="how many of the queries also run Graphiti's unscoped text search")
    parser.add_argument("--graphiti-chunk", type=int, default=2000,
                        help="entity edges per add_nodes_and_edges_bulk call")
    parser.add_argument("--systems", default="asof,graphiti")
    parser.add_argument("--sqlite", action="store_true",
                        help="also load and query asof on SQLite (same workload)")
    parser.add_argument("--url")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--server-pid-file", help="Neo4j pid file, to report the server's RSS")
    parser.add_argument("--i-know-it-wipes", action="store_true")
    parser.add_argument("--keep", action="store_true", help="do not wipe at the end")
    parser.add_argument("--out", help="also write the JSON report to this file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    systems = {s.strip() for s in args.systems.split(",") if s.strip()}
    conn = connection(args)

    t0 = time.perf_counter()
    w = generate(args.versions, tenants=args.tenants, seed=args.seed, batch=args.batch,
                 run="bench")
    gen_s = time.perf_counter() - t0
    queries = sample_queries(w, args.queries, args.seed + 2)
    warm = sample_queries(w, args.warmup, args.seed + 3)
    now = w.last_recorded + timedelta(days=1)
    current = current_queries(w, args.current_queries, args.seed + 4, now)
    log(f"workload: {len(w.versions)} versions, {w.statements} statements, "
        f"{len(w.batches)} messages in {gen_s:.1f} s; {w.stories}")
    report: dict[str, Any] = {
        "versions": len(w.versions), "target_versions": args.versions, "seed": args.seed,
        "workload": {"tenants": args.tenants, "statements": w.statements,
                     "messages": len(w.batches), "stories": w.stories,
                     "people": sum(len(t.people) for t in w.tenants),
                     "groups": len(w.groups), "generate_s": round(gen_s, 2),
                     "queries": len(queries),
                     "queries_nonempty": sum(1 for q in queries if q.expected),
                     "queries_needing_known_at": sum(q.needs_known_at for q in queries),
                     "valid_time": [w.valid_start.isoformat(), w.valid_end.isoformat()],
                     "transaction_time": [w.first_recorded.isoformat(),
                                          w.last_recorded.isoformat()]},
        "machine": machine(), "loadavg_start": loadavg(),
    }
    if "graphiti" in systems:
        from bench.graphiti_native import score

        report["graphiti_native_model"] = score(w, queries)
    try:
        if "asof" in systems:
            report["server"] = wipe(*conn)
            report["asof"] = run_asof(args, w, queries, warm, current, now, "neo4j", conn)
            report["asof"]["db"] = db_counts(*conn)
            report["asof"]["server_rss_mb"] = server_rss_mb(args.server_pid_file)
            if args.sqlite:
                report["asof_other_backends"] = [
                    run_asof(args, w, queries, warm, current, now, "sqlite", None)]
        if "graphiti" in systems:
            report["server"] = wipe(*conn)
            report["graphiti"] = asyncio.run(
                graphiti_phase(args, w, queries, warm, current, now, conn))
            report["graphiti"]["db"] = db_counts(*conn)
            report["graphiti"]["server_rss_mb"] = server_rss_mb(args.server_pid_file)
    finally:
        if not args.keep:
            wipe(*conn)
    report["loadavg_end"] = loadavg()
    report["summary"] = summary(report)
    out = json.dumps(report, indent=2, default=str)
    if args.out:
        Path(args.out).write_text(out + "\n")
    print(table(report), file=sys.stderr)
    if args.json:
        print(out)
    else:
        print(table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
