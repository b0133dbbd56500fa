"""asof vs Graphiti (graphiti-core), like for like: the same Neo4j, the same fact versions, the
same questions, timed interleaved.

    python -m bench.vs_graphiti --versions 100000 --out bench/results/FILE.json \
        [--url bolt://127.0.0.1:7698] [--rounds 5] [--queries 500] [--sqlite]

**This wipes the Neo4j database it is pointed at** (every node, index and constraint) at the
start and at the end: point it at a private server, never a shared one. The URL comes from
``--url`` or ``ASOF_BENCH_NEO4J_URI`` (user/password: ``--user``/``--password`` or
``ASOF_BENCH_NEO4J_USER``/``ASOF_BENCH_NEO4J_PASSWORD``); it deliberately does not fall back to
``ASOF_NEO4J_URI``, the server the test suites share. graphiti-core is the ``bench`` extra.

One process, one workload (``bench.workload``, deterministic from ``--seed``), both systems
loaded side by side in one database (both label entities ``:Entity``, but asof's have no
``uuid`` and Graphiti's no ``tenant``/``id``, so each one's index lookups find only its own;
Graphiti's edges are ``RELATES_TO`` relationships, which asof does not write):

1. **asof**: every message through ``GraphStore.apply`` (one transaction per message: the write
   rules plan versions, claims and the audit chain; the store's clock is set to each message's
   transaction time, so ``recorded_at`` is the workload's).
2. **Graphiti**: ``build_indices_and_constraints``, then the *same fact versions*, one
   ``EntityEdge`` each (``valid_at``/``invalid_at`` = valid time, ``created_at``/``expired_at`` =
   transaction time), with ``EntityNode``s, ``EpisodicNode``s and ``MENTIONS`` edges, through
   its bulk writer and a deterministic local hash embedder. No LLM: the client passed to
   ``Graphiti`` raises if called (it never is). See ``bench.graphiti_side``.

Then ``--rounds`` rounds over the same ``--queries`` random (tenant, subject, predicate,
valid_at, known_at). Within a round every query is asked of every variant in turn, the order
rotating from query to query and round to round (ABAB at the finest grain), each call timed
alone (``time.perf_counter``). Variants:

- ``asof_find_versions``: the store primitive, ``VersionQuery(subject_id, predicate, valid_at,
  known_at)``, one statement;
- ``asof_memory_facts``: the public Python API, ``Memory.facts(name, predicate, valid_at=,
  known_at=)`` (entity lookup by name, the versions, their source episodes and quotes);
- ``asof_rest_facts``: ``GET /v1/facts`` on the REST API served by uvicorn in this process
  (a keep-alive HTTP client; authentication, validation and JSON included);
- ``graphiti_search``: ``Graphiti.search_`` with ``EDGE_HYBRID_SEARCH_RRF`` (BM25 + cosine,
  RRF, limit 10), scoped to the subject and the relation, with the four date filters its
  maintainers point to (``SearchFilters``/``DateFilter``; getzep/graphiti#769, #1804)::

      valid_at   <= t  OR valid_at IS NULL        (started by t)
      invalid_at >  t  OR invalid_at IS NULL      (not ended by t)
      created_at <= k                             (recorded by k)
      expired_at >  k  OR expired_at IS NULL      (not yet superseded at k)

- ``graphiti_by_node``: ``EntityEdge.get_by_node_uuid`` (every edge of the subject) with the
  same four conditions applied in Python;
- ``graphiti_cypher``: one plain auto-commit Cypher statement on Graphiti's schema with the
  four conditions (``graphiti_side.PLAIN_AS_OF``), through the same synchronous driver asof
  uses: the data model without Graphiti's API;
- with ``--sqlite``, asof loaded a second time into a SQLite file and asked the same way
  (``sqlite_find_versions``, ``sqlite_memory_facts``).

Each answer is compared with the workload's ground truth: correct when the returned set of
objects equals it exactly (including "nothing"), per query class — ``valid_time_only`` (the
answer is the same as for "as known now") and ``needs_known_at`` (only a transaction-time
filter gets it right). ``graphiti_native_model`` scores what Graphiti's *own* ingestion would
have stored (``bench.graphiti_native``): the live Graphiti runs get asof-grade immutable
versions, which its pipeline never writes. Current truth (valid = known = now, TTL) is timed
the same way for ``asof_find_versions`` (``live_at``), ``asof_memory_current`` and
``graphiti_search`` (``expired_at IS NULL``, #1804's "current" mode).

The report gives, per variant, the pooled p50/p95/p99, every round's p50 with the median and
spread (min–max), and per-round ratios against the asof variants (median and range).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.graphiti_side import PLAIN_AS_OF, ent_uuid, load_graphiti
from bench.runinfo import header, loadavg, log, peak_rss_mb, save_report, server_rss_mb
from bench.store import latency
from bench.workload import (
    OBJECT_TYPE,
    PHRASE,
    Query,
    Workload,
    current_queries,
    generate,
    sample_queries,
)

# ------------------------------------------------------------------------------- helpers


class Grader:
    """Counts fully correct answers overall and on the queries that need known_at."""

    def __init__(self) -> None:
        self.n = self.ok = self.hard = self.hard_ok = self.nonempty = self.nonempty_ok = 0
        self.graded: set[int] = set()
        self.examples: list[dict[str, Any]] = []

    def add(self, q: Query, got: set[str]) -> None:
        if id(q) in self.graded:  # later rounds ask the same query again: grade it once
            return
        self.graded.add(id(q))
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
                "correct_valid_time_only": share(self.ok - self.hard_ok, self.n - self.hard),
                "n_valid_time_only": self.n - self.hard,
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
            # relationships first, in bounded batches: a DETACH DELETE of 10,000 entity nodes
            # that hold a million edges between them exceeds the server's transaction memory
            session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS "
                        "OF 10000 ROWS").consume()
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



#: a way of asking one query: returns the set of object names it answered
Variant = Callable[[Query], Awaitable[set[str]]]


def sync(fn: Callable[[Query], set[str]]) -> Variant:
    async def call(q: Query) -> set[str]:
        return fn(q)

    return call


# ---------------------------------------------------------------------------------- asof


def load_asof(w: Workload, url: str,
              conn: tuple[str, str, str] | None) -> tuple[Any, Any, dict[str, Any]]:
    """Open asof at ``url`` and load every message through ``GraphStore.apply``; the store's
    FakeClock is set to each message's transaction time. Returns (root store, clock, load)."""
    from asof.graph.clock import FakeClock
    from asof.graph.models import AssertionKind, EntityRef, Episode, FactAssertion
    from asof.graph.urls import open_store

    clock = FakeClock(w.first_recorded - timedelta(hours=1))
    user, password = (conn[1], conn[2]) if conn else ("neo4j", None)
    base = open_store(url, tenant=w.tenants[0].name, neo4j_user=user, neo4j_password=password,
                      clock=clock)
    stores = {t.name: base.for_tenant(t.name) for t in w.tenants}
    kinds = {"assert": AssertionKind.ASSERT, "retract": AssertionKind.RETRACT,
             "correct": AssertionKind.CORRECT}

    def assertion(s: Any) -> FactAssertion:
        typ = OBJECT_TYPE[s.predicate]
        return FactAssertion(
            subject=EntityRef(name=s.subject, type="person"), predicate=s.predicate,
            object=EntityRef(name=s.object, type=typ), valid_from=s.valid_from,
            valid_to=s.valid_to, kind=kinds[s.kind],
            corrects=EntityRef(name=s.corrects, type=typ) if s.corrects else None,
            evidence=f"{s.story}: {s.subject} {PHRASE[s.predicate]} {s.object}")

    backend = "sqlite" if url.startswith("sqlite") else "neo4j"
    log(f"asof[{backend}]: loading {len(w.batches)} messages, {w.statements} statements")
    written = closed = 0
    started = time.perf_counter()
    next_report = 0.1
    for i, b in enumerate(w.batches):
        episode = Episode.create(tenant=b.tenant, speaker="bench", occurred_at=b.occurred_at,
                                 text=b.text, conversation_id="bench")
        clock.set(b.recorded_at)
        result = stores[b.tenant].apply(episode, [assertion(s) for s in b.statements])
        written += len(result.written)
        closed += len(result.closed)
        if (i + 1) / len(w.batches) >= next_report:
            el = time.perf_counter() - started
            log(f"asof[{backend}]: {i + 1}/{len(w.batches)} messages, {written} versions, "
                f"{el:.0f} s ({written / el:.0f} versions/s), load {loadavg()}")
            next_report += 0.1
    load_s = time.perf_counter() - started
    load = {"load_s": round(load_s, 2), "versions_written": written, "versions_closed": closed,
            "versions_expected": len(w.versions), "versions_per_s": round(written / load_s, 1),
            "statements_per_s": round(w.statements / load_s, 1), "messages": len(w.batches),
            "loadavg_after": loadavg()}
    log(f"asof[{backend}]: loaded in {load_s:.1f} s: {load}")
    return base, clock, load


class RestServer:
    """The REST API (``api.app.create_app``) on ``memory``, served by uvicorn on a free local
    port in a thread of this process, one API key per tenant; ``get`` is a keep-alive client."""

    def __init__(self, memory: Any, tenants: list[str]) -> None:
        import socket

        import httpx
        import uvicorn

        from asof.api.app import create_app
        from asof.api.keys import hash_key
        from asof.api.settings import Settings

        self.keys = {t: f"bench-key-{t}" for t in tenants}
        keys = json.dumps([{"name": t, "sha256": hash_key(k), "tenant": t}
                           for t, k in self.keys.items()])
        app = create_app(Settings(store="sqlite:///unused.db", api_keys=keys), memory=memory)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the REST server did not start")
            time.sleep(0.05)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{port}")

    def facts(self, q: Query) -> set[str]:
        r = self.client.get("/v1/facts", params={
            "subject": q.subject, "predicate": q.predicate,
            "valid_at": q.valid_at.isoformat(), "known_at": q.known_at.isoformat()},
            headers={"Authorization": f"Bearer {self.keys[q.tenant]}"})
        r.raise_for_status()
        return {item["object"] for item in r.json()["items"]}

    def close(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(timeout=30)


def asof_variants(base: Any, clock: Any, w: Workload, now: datetime,
                  prefix: str) -> tuple[dict[str, Variant], dict[str, Variant], Any]:
    """The as-of and current-truth variants of one asof store; the Memory to close."""
    from asof.api.memory import Memory
    from asof.graph.contract import VersionQuery

    memory = Memory(base)
    stores = {t.name: memory.store(t.name) for t in w.tenants}
    clock.set(now)
    names: dict[str, dict[str, str]] = {}  # tenant -> object id -> name
    for t in w.tenants:
        m = names.setdefault(t.name, {})
        for pool, typ in ((t.companies, "organization"), (t.cities, "location"),
                          (t.tools, "product")):
            for n in pool:
                m[stores[t.name].entity_id_for(typ, n)] = n

    def ent_id(q: Query) -> str:
        return stores[q.tenant].entity_id_for("person", q.subject)

    def find_versions(q: Query) -> set[str]:
        found = stores[q.tenant].find_versions(VersionQuery(
            subject_id=ent_id(q), predicate=q.predicate, valid_at=q.valid_at,
            known_at=q.known_at))
        return {names[q.tenant].get(v.object_id, v.object_id) for v in found}

    def memory_facts(q: Query) -> set[str]:
        return {f.object for f in memory.facts(q.subject, q.predicate, tenant=q.tenant,
                                               valid_at=q.valid_at, known_at=q.known_at)}

    def current_primitive(q: Query) -> set[str]:
        found = stores[q.tenant].find_versions(VersionQuery(
            subject_id=ent_id(q), predicate=q.predicate, valid_at=now, known_at=now,
            live_at=now))
        return {names[q.tenant].get(v.object_id, v.object_id) for v in found}

    def memory_current(q: Query) -> set[str]:
        return {f.object for f in memory.current(q.subject, q.predicate, tenant=q.tenant)}

    as_of = {f"{prefix}_find_versions": sync(find_versions),
             f"{prefix}_memory_facts": sync(memory_facts)}
    current = {f"{prefix}_find_versions": sync(current_primitive),
               f"{prefix}_memory_current": sync(memory_current)}
    return as_of, current, memory


# ------------------------------------------------------------------------- interleaving

async def interleaved(variants: dict[str, Variant], queries: list[Query],
                      warm: list[Query], rounds: int) -> dict[str, Any]:
    """Every query asked of every variant in turn, the order rotating per query and per round;
    latency pooled and per round, correctness graded on the first round."""
    names = list(variants)
    for q in warm:
        for name in names:
            await variants[name](q)
    samples: dict[str, list[list[float]]] = {n: [] for n in names}
    graders = {n: Grader() for n in names}
    loads = []
    for r in range(rounds):
        for n in names:
            samples[n].append([])
        for i, q in enumerate(queries):
            shift = (i + r) % len(names)
            for name in names[shift:] + names[:shift]:
                t0 = time.perf_counter()
                got = await variants[name](q)
                samples[name][r].append(time.perf_counter() - t0)
                graders[name].add(q, got)
        loads.append(loadavg())
        log(f"round {r + 1}/{rounds}: " + ", ".join(
            f"{n} {statistics.median(samples[n][r]) * 1000:.2f}" for n in names)
            + f" ms p50; load {loads[-1]}")
    out: dict[str, Any] = {"rounds": rounds, "loadavg_per_round": loads, "variants": {}}
    for n in names:
        pooled = [x for rnd in samples[n] for x in rnd]
        p50s = [round(statistics.median(rnd) * 1000, 3) for rnd in samples[n]]
        out["variants"][n] = {**latency(pooled), "round_p50_ms": p50s,
                              "median_round_p50_ms": round(statistics.median(p50s), 3),
                              "spread_round_p50_ms": [min(p50s), max(p50s)],
                              **graders[n].report(),  # n: queries graded
                              "n_timed": len(pooled)}
    out["ratios"] = {}
    for base in (n for n in names if n.startswith(("asof_", "sqlite_"))):
        # asof on Neo4j against everything on Neo4j; asof on SQLite only against itself
        prefix = base.split("_", 1)[0]
        for n in names:
            if n == base or (n.startswith("sqlite_") or prefix == "sqlite") and not \
                    n.startswith(f"{prefix}_"):
                continue
            per_round = [round(statistics.median(a) / statistics.median(b), 2)
                         for a, b in zip(samples[n], samples[base], strict=True)]
            out["ratios"][f"{n} / {base}"] = {
                "median": statistics.median(per_round), "range": [min(per_round),
                                                                  max(per_round)],
                "per_round": per_round}
    return out


# ---------------------------------------------------------------------------------- main
def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The headline figures: like-for-like ratios and per-class correctness."""
    v = report["as_of"]["variants"]
    ratios = report["as_of"]["ratios"]

    def p50(name: str) -> float | None:
        return v.get(name, {}).get("median_round_p50_ms")

    def ratio(name: str) -> float | None:
        return ratios.get(name, {}).get("median")

    native = report.get("graphiti_native_model", {})
    return {
        "versions": report["versions"],
        "median_round_p50_ms": {n: p50(n) for n in v},
        "graphiti_search_vs_memory_facts": ratio("graphiti_search / asof_memory_facts"),
        "graphiti_search_vs_find_versions": ratio("graphiti_search / asof_find_versions"),
        "graphiti_cypher_vs_find_versions": ratio("graphiti_cypher / asof_find_versions"),
        "memory_facts_vs_find_versions": ratio("asof_memory_facts / asof_find_versions"),
        "rest_facts_vs_find_versions": ratio("asof_rest_facts / asof_find_versions"),
        "correct": {n: {k: r.get(k) for k in ("correct", "correct_valid_time_only",
                                               "correct_needs_known_at")}
                    for n, r in v.items()},
        "graphiti_native_model": {mode: {k: native.get(mode, {}).get(k) for k in (
            "correct", "correct_valid_time_only", "correct_needs_known_at")}
            for mode in ("all", "no_expired", "valid_only") if mode in native},
    }


def table(report: dict[str, Any]) -> str:
    w = report["workload"]
    lines = [f"N = {report['versions']} fact versions ({w['statements']} statements, "
             f"{w['messages']} messages, {w['tenants']} tenants); "
             f"{report['as_of']['rounds']} interleaved rounds of {w['queries']} queries",
             f"{'as-of variant':24s} {'p50':>7s} {'p95':>7s} {'p99':>7s} {'round p50 range':>17s}"
             f" {'correct':>8s} {'valid-t':>8s} {'k-dep':>8s}"]

    def pct(x: float | None) -> str:
        return "" if x is None else f"{x:.1%}"

    for section in ("as_of", "current"):
        if section == "current":
            lines.append("current truth")
        for n, r in report[section]["variants"].items():
            lo, hi = r["spread_round_p50_ms"]
            lines.append(f"{n:24s} {r['p50_ms']:7.2f} {r['p95_ms']:7.2f} {r['p99_ms']:7.2f} "
                         f"{lo:8.2f}-{hi:<8.2f} {pct(r['correct']):>8s} "
                         f"{pct(r['correct_valid_time_only']):>8s} "
                         f"{pct(r['correct_needs_known_at']):>8s}")
    for name, r in report["as_of"]["ratios"].items():
        if name.endswith(("/ asof_find_versions", "/ asof_memory_facts")):
            lines.append(f"ratio {name}: {r['median']} (rounds {r['range'][0]}-{r['range'][1]})")
    for mode, r in report["summary"]["graphiti_native_model"].items():
        lines.append(f"Graphiti's own model, filters {mode}: {pct(r['correct'])} correct, "
                     f"valid-time only {pct(r['correct_valid_time_only'])}, "
                     f"known_at-dependent {pct(r['correct_needs_known_at'])}")
    return "\n".join(lines)


async def compare(args: argparse.Namespace, w: Workload, conn: tuple[str, str, str],
                  report: dict[str, Any]) -> None:
    queries = sample_queries(w, args.queries, args.seed + 2)
    warm = sample_queries(w, args.warmup, args.seed + 3)
    now = w.last_recorded + timedelta(days=1)
    current = current_queries(w, args.current_queries, args.seed + 4, now)
    report["workload"].update({
        "queries": len(queries), "queries_nonempty": sum(1 for q in queries if q.expected),
        "queries_needing_known_at": sum(q.needs_known_at for q in queries)})
    from neo4j import GraphDatabase

    closing: list[Callable[[], Any]] = []
    side = None
    try:
        base, clock, report["asof_load"] = load_asof(w, conn[0], conn)
        closing.append(base.close)
        as_of, cur, memory = asof_variants(base, clock, w, now, "asof")
        rest = RestServer(memory, [t.name for t in w.tenants])
        closing.insert(0, rest.close)
        as_of["asof_rest_facts"] = sync(rest.facts)
        if args.sqlite:
            path = Path(tempfile.mkdtemp(prefix="asof-vs-graphiti-")) / "bench.db"
            sq_base, sq_clock, report["asof_sqlite_load"] = load_asof(w, f"sqlite:///{path}",
                                                                      None)
            closing.append(sq_base.close)
            sq_as_of, sq_cur, _ = asof_variants(sq_base, sq_clock, w, now, "sqlite")
            as_of.update(sq_as_of)
            cur.update(sq_cur)
        side = await load_graphiti(w, conn, args.graphiti_chunk)
        report["graphiti_load"] = side.load
        plain = GraphDatabase.driver(conn[0], auth=(conn[1], conn[2]))
        closing.append(plain.close)
        session = plain.session()
        closing.insert(0, session.close)

        def cypher(q: Query) -> set[str]:
            rows = session.run(PLAIN_AS_OF, subject=ent_uuid(q.tenant, "person", q.subject),
                               group=q.tenant, relation=q.predicate.upper(), t=q.valid_at,
                               k=q.known_at)
            return {row["name"] for row in rows}

        as_of["graphiti_search"] = lambda q: side.search(q, q.valid_at, q.known_at)
        as_of["graphiti_by_node"] = side.by_node
        as_of["graphiti_cypher"] = sync(cypher)
        cur["graphiti_search"] = lambda q: side.search(q, now, now, current=True)
        report["db"] = db_counts(*conn)
        report["server_rss_mb_loaded"] = server_rss_mb(args.server_pid_file)
        report["loadavg_queries_start"] = loadavg()
        log(f"as-of: {len(as_of)} variants x {len(queries)} queries x {args.rounds} rounds")
        report["as_of"] = await interleaved(as_of, queries, warm, args.rounds)
        log(f"current: {len(cur)} variants x {len(current)} queries x {args.rounds} rounds")
        report["current"] = await interleaved(cur, current, warm[:20], args.rounds)
    finally:
        for close in closing:
            close()
        if side is not None:
            await side.graphiti.close()
    report["peak_rss_mb"] = peak_rss_mb()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.vs_graphiti", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--batch", type=int, default=200,
                        help="max statements per message (smaller at small N)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=500, help="as-of queries per round")
    parser.add_argument("--current-queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--graphiti-chunk", type=int, default=2000,
                        help="entity edges per add_nodes_and_edges_bulk call")
    parser.add_argument("--sqlite", action="store_true",
                        help="also load and ask asof on SQLite (same workload)")
    parser.add_argument("--url")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--server-pid-file", help="Neo4j pid file, to report the server's RSS")
    parser.add_argument("--i-know-it-wipes", action="store_true")
    parser.add_argument("--keep", action="store_true", help="do not wipe at the end")
    parser.add_argument("--out", help="also write the JSON report to this file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    conn = connection(args)

    t0 = time.perf_counter()
    w = generate(args.versions, tenants=args.tenants, seed=args.seed, batch=args.batch,
                 run="bench")
    gen_s = time.perf_counter() - t0
    log(f"workload: {len(w.versions)} versions, {w.statements} statements, "
        f"{len(w.batches)} messages in {gen_s:.1f} s; {w.stories}")
    report: dict[str, Any] = {
        **header("bench.vs_graphiti", list(sys.argv[1:] if argv is None else argv)),
        "versions": len(w.versions), "target_versions": args.versions, "seed": args.seed,
        "workload": {"tenants": args.tenants, "statements": w.statements,
                     "messages": len(w.batches), "stories": w.stories,
                     "people": sum(len(t.people) for t in w.tenants),
                     "groups": len(w.groups), "generate_s": round(gen_s, 2),
                     "valid_time": [w.valid_start.isoformat(), w.valid_end.isoformat()],
                     "transaction_time": [w.first_recorded.isoformat(),
                                          w.last_recorded.isoformat()]},
    }
    from bench.graphiti_native import score

    report["graphiti_native_model"] = score(w, sample_queries(w, args.queries, args.seed + 2))
    report["server"] = wipe(*conn)
    try:
        asyncio.run(compare(args, w, conn, report))
        report["loadavg_end"] = loadavg()
        report["summary"] = summary(report)
        # written before the final wipe, so that a failure there cannot lose the run
        out = save_report(report, args.out)
    finally:
        if not args.keep:
            wipe(*conn)
    print(table(report), file=sys.stderr)
    print(out if args.json else table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
