"""Where the public read path spends its time beyond the store primitive.

    python -m bench.facts_profile --backend sqlite [--versions 10000] [--out FILE.json]
    python -m bench.facts_profile --backend neo4j --url bolt://127.0.0.1:7687 --password …

Loads the ``bench.workload`` history (tenants ``prof-<run>-tNN``, left in a Neo4j database; a fresh
temporary file for SQLite) through ``GraphStore.apply``, then:

1. times, interleaved (``bench.vs_graphiti.interleaved``: every query of every variant in a
   rotating order, ``--rounds`` rounds), the store primitive ``find_versions``, the store's
   ``facts`` by name (entity lookup + ``find_versions``) and ``Memory.facts`` (those plus the
   source episodes and their quotes, ``query.views.with_provenance``: one
   ``get_provenance`` read);
2. counts the store calls one ``Memory.facts`` makes (each is one statement, one round trip on
   Neo4j);
3. times REST ``GET /v1/facts`` (uvicorn in this process, ``bench.vs_graphiti.RestServer``)
   among the interleaved variants, and splits a request into FastAPI's phases
   (``rest_phases``: dependencies, the endpoint, serialisation; the rest is HTTP and the
   client, with ``GET /healthz`` as its floor);
4. profiles ``--profile-queries`` ``Memory.facts`` calls with pyinstrument (statistical
   sampling) and writes the call tree as text next to ``--out`` (``…-profile.txt``).

To compare two versions of the read path, run this in a checkout of each, alternating, and
compare the ratios each run reports (``Memory.facts`` / ``find_versions`` within one run).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.runinfo import header, log, save_report
from bench.vs_graphiti import RestServer, asof_variants, interleaved, load_asof, sync
from bench.workload import Query, generate, sample_queries

#: the GraphStore reads the public path can make, each one statement, except
#: find_versions_with_provenance: one statement on Neo4j by subject name, and otherwise the
#: find_versions and get_provenance it calls (counted as well)
STORE_READS = ("get_entities", "find_entities", "find_versions", "get_episodes",
               "find_claims", "get_provenance", "find_versions_with_provenance",
               "audit_events")


def count_store_calls(store: Any, call: Any) -> Counter[str]:
    """The store reads ``call()`` makes, by name (the store's methods wrapped for one call)."""
    seen: Counter[str] = Counter()
    originals = {name: getattr(store, name) for name in STORE_READS}

    def counting(name: str) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen[name] += 1
            return originals[name](*args, **kwargs)
        return wrapper

    for name in STORE_READS:
        setattr(store, name, counting(name))
    try:
        call()
    finally:
        for name in STORE_READS:
            delattr(store, name)  # back to the class's methods
    return seen


#: the phases of FastAPI's request handling that rest_phases times (module functions its
#: route handler awaits); the rest of a request is HTTP, uvicorn, Starlette and the client
REST_PHASES = {"solve_dependencies": "dependencies (key, tenant store, query parameters)",
               "run_endpoint_function": "endpoint (thread pool, the read, the response model)",
               "serialize_response": "response validation and serialisation"}


def rest_phases(rest: Any, queries: Sequence[Query]) -> dict[str, float]:
    """Median ms per request of each of :data:`REST_PHASES` over ``queries`` through ``rest``
    (a ``bench.vs_graphiti.RestServer``), with the whole request and ``GET /healthz``."""
    import fastapi.routing

    spent: dict[str, list[float]] = {label: [] for label in REST_PHASES.values()}
    originals = {name: getattr(fastapi.routing, name) for name in REST_PHASES}

    def timed(name: str) -> Any:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return await originals[name](*args, **kwargs)
            finally:
                spent[REST_PHASES[name]].append((time.perf_counter() - start) * 1000)
        return wrapper

    whole, health = [], []
    for name in REST_PHASES:
        setattr(fastapi.routing, name, timed(name))
    try:
        for q in queries:
            start = time.perf_counter()
            rest.facts(q)
            whole.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            rest.client.get("/healthz").raise_for_status()
            health.append((time.perf_counter() - start) * 1000)
    finally:
        for name, original in originals.items():
            setattr(fastapi.routing, name, original)
    return {"GET /v1/facts": statistics.median(whole), "GET /healthz": statistics.median(health),
            **{label: statistics.median(times) for label, times in spent.items()}}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.facts_profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "neo4j"), default="sqlite")
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile-queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", help="the Neo4j server (bolt://…)")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password")
    parser.add_argument("--out", help="write the JSON report here (the profile next to it)")
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    w = generate(args.versions, seed=args.seed, run=f"prof-{uuid.uuid4().hex[:8]}")
    if args.backend == "neo4j":
        if not args.url or not args.password:
            sys.exit("--backend neo4j needs --url and --password")
        conn: tuple[str, str, str] | None = (args.url, args.user, args.password)
        url = args.url
    else:
        conn, url = None, f"sqlite:///{Path(tempfile.mkdtemp(prefix='asof-prof-')) / 'p.db'}"
    report: dict[str, Any] = {**header("bench.facts_profile",
                                       list(sys.argv[1:] if argv is None else argv)),
                              "backend": args.backend, "versions": len(w.versions)}
    base, clock, report["load"] = load_asof(w, url, conn)
    now = w.last_recorded + timedelta(days=1)
    as_of, _, memory = asof_variants(base, clock, w, now, "asof")
    stores = {t.name: memory.store(t.name) for t in w.tenants}

    def store_facts(q: Query) -> set[str]:
        return {v.object_name or v.object_id or "" for v in stores[q.tenant].facts(
            q.subject, q.predicate, valid_at=q.valid_at, known_at=q.known_at)}

    as_of["asof_store_facts"] = sync(store_facts)
    rest = RestServer(memory, [t.name for t in w.tenants])
    as_of["asof_rest_facts"] = sync(rest.facts)
    queries = sample_queries(w, args.queries, args.seed + 2)
    warm = sample_queries(w, 50, args.seed + 3)
    report["timing"] = asyncio.run(interleaved(as_of, queries, warm, args.rounds))
    report["rest_phases_ms"] = rest_phases(rest, queries)
    rest.close()
    q = queries[0]
    calls = count_store_calls(stores[q.tenant], lambda: memory.facts(
        q.subject, q.predicate, tenant=q.tenant, valid_at=q.valid_at, known_at=q.known_at))
    report["store_calls_per_memory_facts"] = dict(calls)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for q in sample_queries(w, args.profile_queries, args.seed + 5):
        memory.facts(q.subject, q.predicate, tenant=q.tenant, valid_at=q.valid_at,
                     known_at=q.known_at)
    profiler.stop()
    text = profiler.output_text(show_all=False) if args.profile_queries else ""
    base.close()
    if conn is None:
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent)  # its temporary store
    out = save_report(report, args.out)
    if args.out:
        Path(args.out).with_name(Path(args.out).stem + "-profile.txt").write_text(text)
    print(text, file=sys.stderr)
    print(out)
    log(f"store calls per Memory.facts: {dict(calls)}")
    log(f"REST phases, median ms: {report['rest_phases_ms']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
