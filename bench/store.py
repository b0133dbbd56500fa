"""Storage benchmark: write throughput and as-of / current-truth latency of a GraphStore.

    python -m bench.store --backend neo4j --versions 100000 [--json]
    python -m bench.store --backend sqlite --versions 100000 --path /tmp/asof-bench.db

A synthetic multi-tenant history, deterministic from ``--seed``: ``--tenants`` tenants (10),
``versions / 10`` people spread over them, each message (episode) asserting ``--assertions``
facts (200) about distinct people of one tenant: ``works_at`` (a ``one`` predicate: a new
employer closes the previous one, which writes a closed copy of it) or ``uses`` (``many``), with
valid-time starts moving forward. Loading stops once ``--versions`` fact versions were written.

What is measured, honestly:

- **write**: wall time of the public write path, ``store.apply_many(items)`` with ``--batch``
  consecutive episodes of one tenant per call (one serialised transaction; ``--batch 1`` is
  ``store.apply(episode, assertions)``, one transaction per episode), including the write-rule
  planning in Python, the audit chain, and every read the planner makes. ``versions/s`` =
  versions written (new rows, closed copies included) / that time. ``--writers`` > 1 runs that
  many threads, each call on one tenant (writes of one tenant are serialised by design). The
  CPU seconds the benchmark process spent loading are reported too (and the server's, with
  ``--server-pid``): on a shared machine they vary less than wall time.
- **as-of**: ``find_versions(VersionQuery(subject_id, predicate, valid_at, known_at))`` for
  random (tenant, subject, predicate, valid_at, known_at): the adapter's primitive, one round
  trip. ``facts(...)``: the public API (adds an entity lookup).
- **current**: ``current(subject_id, predicate)`` (public API: valid_at = known_at = now, TTL
  applied) and the primitive with ``live_at``.

Neo4j connection: ``--url``/``--user``/``--password``, defaulting to ``ASOF_NEO4J_URI``,
``ASOF_NEO4J_USER``, ``ASOF_NEO4J_PASSWORD`` (this entry point reads its settings like the CLI
does). The run's tenants (``bench-<run>-tNN``) are left in the database; ``--cleanup`` deletes
them afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.models import EntityRef, Episode, FactAssertion
from asof.graph.store import GraphStore
from asof.graph.urls import open_store
from bench.runinfo import log

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
CLOCK_START = datetime(2025, 1, 1, tzinfo=UTC)
PROGRESS_EVERY_S = 60.0  # how often a load logs its progress


@dataclass
class TenantData:
    tenant: str
    people: list[str]
    companies: list[str]
    tools: list[str]
    #: people's subject ids, filled as the store resolves them
    subject_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class Workload:
    tenants: list[TenantData]
    #: valid-time span of the generated history
    valid_start: datetime = EPOCH
    valid_end: datetime = EPOCH


def make_workload(run: str, versions: int, tenants: int, seed: int) -> Workload:
    rng = random.Random(seed)
    people_total = max(tenants, versions // 10)
    data = []
    for t in range(tenants):
        n = people_total // tenants + (1 if t < people_total % tenants else 0)
        data.append(TenantData(
            tenant=f"bench-{run}-t{t:02d}",
            people=[f"Person {t}-{i} {rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}" for i in range(n)],
            companies=[f"Company {t}-{i}" for i in range(50)],
            tools=[f"Tool {t}-{i}" for i in range(30)]))
    return Workload(tenants=data)


def episodes(workload: Workload, assertions: int, seed: int, first_message: int = 0) -> Any:
    """Yields (tenant data, episode, assertions) forever, round-robin over tenants; messages
    are numbered from ``first_message`` (a store that holds some already: new messages)."""
    rng = random.Random(seed + 1)
    cursor = {d.tenant: 0 for d in workload.tenants}
    message = first_message
    day = timedelta(days=1)
    while True:
        for d in workload.tenants:
            start = cursor[d.tenant]
            people = [d.people[(start + i) % len(d.people)]
                      for i in range(min(assertions, len(d.people)))]
            cursor[d.tenant] = start + len(people)
            sweep = start // len(d.people)  # how many times every person was talked about
            when = EPOCH + day * (sweep * 30 + rng.randrange(30))
            workload.valid_end = max(workload.valid_end, when + day)
            facts = []
            for i, who in enumerate(people):
                subject = EntityRef(name=who, type="person")
                if rng.random() < 0.6:
                    facts.append(FactAssertion(
                        subject=subject, predicate="works_at",
                        object=EntityRef(name=rng.choice(d.companies), type="organization"),
                        valid_from=when - timedelta(minutes=i), evidence=f"{who} joined"))
                else:
                    facts.append(FactAssertion(
                        subject=subject, predicate="uses",
                        object=EntityRef(name=rng.choice(d.tools), type="product"),
                        valid_from=when - timedelta(minutes=i)))
            message += 1
            ep = Episode.create(tenant=d.tenant, speaker="bench", occurred_at=when,
                                text=f"bench message {message} about {len(facts)} people",
                                conversation_id="bench")
            yield d, ep, facts


def percentile(samples: Sequence[float], p: float) -> float:
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def latency(samples: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 3),
            "p95_ms": round(percentile(ms, 95), 3), "p99_ms": round(percentile(ms, 99), 3),
            "mean_ms": round(statistics.fmean(ms), 3)}


# ------------------------------------------------------------------------------- backends


def store_url(args: argparse.Namespace) -> str:
    """The URL of the store under test: ``--url`` (or ``ASOF_NEO4J_URI``) for Neo4j, a SQLite
    file (``--path`` or a fresh temporary one) otherwise."""
    if args.backend == "neo4j":
        url: str | None = args.url or os.environ.get("ASOF_NEO4J_URI")
        if not url:
            sys.exit("set --url or ASOF_NEO4J_URI (scripts/neo4j-local env)")
        return url
    path = args.path or str(Path(tempfile.mkdtemp(prefix="asof-bench-")) / "bench.db")
    return f"sqlite:///{Path(path).resolve()}"


def open_bench_store(args: argparse.Namespace, tenant: str, clock: FakeClock) -> GraphStore:
    key = args.audit_key.encode() if args.audit_key else None
    return open_store(store_url(args), tenant=tenant, clock=clock, audit_key=key,
                      neo4j_user=args.user or os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                      neo4j_password=args.password or os.environ.get("ASOF_NEO4J_PASSWORD", ""),
                      neo4j_database=args.database)


def server_info(store: GraphStore) -> dict[str, Any]:
    driver = getattr(store, "driver", None)
    if driver is None:
        import sqlite3

        return {"sqlite": sqlite3.sqlite_version}
    records, _, _ = driver.execute_query(
        "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e")
    return {"neo4j": records[0]["v"], "edition": records[0]["e"]}


# ------------------------------------------------------------------------------- phases


def transactions(workload: Workload, args: argparse.Namespace, first_message: int = 0) -> Any:
    """Yields (tenant data, items) forever: ``--batch`` consecutive episodes of one tenant per
    transaction, tenants round-robin (with ``--batch 1``, the episode stream itself)."""
    stream = episodes(workload, args.assertions, args.seed, first_message)
    while True:
        queued: dict[str, tuple[TenantData, list[tuple[Episode, list[FactAssertion]]]]] = {}
        for _ in range(args.batch * len(workload.tenants)):
            d, ep, facts = next(stream)
            queued.setdefault(d.tenant, (d, []))[1].append((ep, facts))
        yield from queued.values()


def _cpu_s(pid: int | None) -> float | None:
    """CPU seconds (user + system) of process ``pid`` so far (Linux /proc); None if unknown."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(args: argparse.Namespace, base: GraphStore, workload: Workload,
         clock: FakeClock, stream: Any = None) -> dict[str, Any]:
    """Write until ``args.versions`` versions; ``stream`` (default: a new
    :func:`transactions`) can be passed to carry on writing from where this load stopped."""
    stream = transactions(workload, args) if stream is None else stream
    lock = threading.Lock()
    totals = {"versions": 0, "episodes": 0, "assertions": 0, "closed": 0, "transactions": 0}
    busy = [0.0]
    Items = list[tuple[Episode, list[FactAssertion]]]

    def next_item() -> tuple[TenantData, Items] | None:
        with lock:
            if totals["versions"] >= args.versions:
                return None
            item: tuple[TenantData, Items] = next(stream)
            clock.advance(timedelta(seconds=len(item[1])))
            return item

    def writer() -> None:
        stores: dict[str, GraphStore] = {}
        while (item := next_item()) is not None:
            d, items = item
            store = stores.get(d.tenant) or stores.setdefault(d.tenant,
                                                              base.for_tenant(d.tenant))
            started = time.perf_counter()
            if args.batch == 1:
                results = [store.apply(*items[0])]
            else:
                results = store.apply_many(items)
            elapsed = time.perf_counter() - started
            with lock:
                busy[0] += elapsed
                totals["versions"] += sum(len(r.written) for r in results)
                totals["closed"] += sum(len(r.closed) for r in results)
                totals["episodes"] += len(items)
                totals["transactions"] += 1
                totals["assertions"] += sum(len(facts) for _, facts in items)
                progress()

    def progress() -> None:
        # a long load (millions of versions, hours) reports its rate as it goes; the lines
        # are also the write rate against history size when a load cannot finish
        now = time.perf_counter()
        then, versions_then = last_report
        if now - then < PROGRESS_EVERY_S:
            return
        wall = now - started
        rate = (totals["versions"] - versions_then) / (now - then)
        log(f"load: {totals['versions']:,} of {args.versions:,} versions in {wall:,.0f} s "
            f"({totals['versions'] / wall:,.0f}/s overall, {rate:,.0f}/s lately), "
            f"load average {os.getloadavg()[0]:.1f}")
        last_report[:] = [now, totals["versions"]]

    server_before = _cpu_s(args.server_pid)
    cpu_before = time.process_time()
    started = time.perf_counter()
    last_report: list[float] = [started, 0]  # when the last progress line was, versions then
    threads = [threading.Thread(target=writer) for _ in range(args.writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    server_after = _cpu_s(args.server_pid)
    out = {**totals, "writers": args.writers, "batch": args.batch,
           "assertions_per_episode": args.assertions, "wall_s": round(wall, 2),
           "versions_per_s": round(totals["versions"] / wall, 1),
           "assertions_per_s": round(totals["assertions"] / wall, 1),
           "episodes_per_s": round(totals["episodes"] / wall, 2),
           "client_cpu_s": round(cpu, 2),
           "client_cpu_ms_per_1k_versions": round(1e6 * cpu / max(1, totals["versions"]), 1),
           "loadavg_after": list(os.getloadavg())}
    if server_before is not None and server_after is not None:
        server = server_after - server_before
        out["server_cpu_s"] = round(server, 2)
        out["server_cpu_ms_per_1k_versions"] = round(
            1e6 * server / max(1, totals["versions"]), 1)
    return out


def resolve_subjects(base: GraphStore, workload: Workload, sample: int,
                     rng: random.Random) -> list[tuple[GraphStore, str]]:
    picks = []
    stores = {d.tenant: base.for_tenant(d.tenant) for d in workload.tenants}
    for _ in range(sample):
        d = rng.choice(workload.tenants)
        who = rng.choice(d.people)
        if who not in d.subject_ids:
            found = stores[d.tenant].entity(who)
            if found is None:
                continue
            d.subject_ids[who] = found.id
        picks.append((stores[d.tenant], d.subject_ids[who]))
    return picks


def timed(fn: Callable[[], object], samples: list[float]) -> None:
    started = time.perf_counter()
    fn()
    samples.append(time.perf_counter() - started)


def queries(args: argparse.Namespace, base: GraphStore, workload: Workload,
            clock: FakeClock) -> dict[str, Any]:
    rng = random.Random(args.seed + 2)
    subjects = resolve_subjects(base, workload, min(2000, args.queries), rng)
    known_lo, known_hi = CLOCK_START, clock.now()
    span_valid = (workload.valid_end - workload.valid_start).total_seconds()
    span_known = (known_hi - known_lo).total_seconds()
    predicates = ["works_at", "uses"]
    primitive: list[float] = []
    api: list[float] = []
    current: list[float] = []
    current_primitive: list[float] = []
    found = 0
    for _ in range(args.warmup):
        store, subject = rng.choice(subjects)
        store.find_versions(VersionQuery(subject_id=subject, predicate="works_at",
                                         valid_at=known_hi, known_at=known_hi))
    for _ in range(args.queries):
        store, subject = rng.choice(subjects)
        predicate = rng.choice(predicates)
        valid_at = workload.valid_start + timedelta(seconds=rng.uniform(0, span_valid))
        known_at = known_lo + timedelta(seconds=rng.uniform(0, span_known))
        query = VersionQuery(subject_id=subject, predicate=predicate, valid_at=valid_at,
                             known_at=known_at)
        started = time.perf_counter()
        found += len(store.find_versions(query))
        primitive.append(time.perf_counter() - started)
        timed(partial(store.facts, subject, predicate, valid_at=valid_at, known_at=known_at),
              api)
        timed(partial(store.current, subject, predicate), current)
        now = clock.now()
        timed(partial(store.find_versions, VersionQuery(
            subject_id=subject, predicate=predicate, valid_at=now, known_at=now, live_at=now)),
            current_primitive)
    return {"as_of_find_versions": latency(primitive), "as_of_facts_api": latency(api),
            "current_api": latency(current), "current_find_versions": latency(current_primitive),
            "as_of_rows_found": found}


def cleanup(base: GraphStore, workload: Workload) -> None:
    driver = getattr(base, "driver", None)
    if driver is None:
        return
    for d in workload.tenants:
        while True:
            records, _, _ = driver.execute_query(
                "MATCH (n {tenant: $tenant}) WITH n LIMIT 20000 DETACH DELETE n "
                "RETURN count(*) AS n", tenant=d.tenant)
            if records[0]["n"] == 0:
                break


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["neo4j", "sqlite"], required=True)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--assertions", type=int, default=200, help="assertions per episode")
    parser.add_argument("--batch", type=int, default=10,
                        help="episodes per transaction (apply_many); 1: apply per episode")
    parser.add_argument("--server-pid", type=int,
                        help="also report this process's CPU time while loading (the server)")
    parser.add_argument("--writers", type=int, default=1)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--database", default="neo4j")
    parser.add_argument("--path", help="SQLite file (default: a new temporary file)")
    parser.add_argument("--cleanup", action="store_true", help="delete the run's tenants")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--audit-key", help="sign the audit chain with this key (HMAC and key "
                        "ids), to measure what signing costs")
    args = parser.parse_args(argv)

    run = uuid.uuid4().hex[:8]
    workload = make_workload(run, args.versions, args.tenants, args.seed)
    clock = FakeClock(CLOCK_START)
    base = open_bench_store(args, workload.tenants[0].tenant, clock)
    report: dict[str, Any] = {
        "backend": args.backend, "target_versions": args.versions, "tenants": args.tenants,
        "people": sum(len(d.people) for d in workload.tenants), "seed": args.seed,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), **server_info(base)},
    }
    try:
        report["write"] = load(args, base, workload, clock)
        if not args.json:
            print(json.dumps({"write": report["write"]}), file=sys.stderr)
        report["read"] = queries(args, base, workload, clock)
    finally:
        if args.cleanup:
            cleanup(base, workload)
        base.close()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        w, r = report["write"], report["read"]
        print(f"{args.backend}: {w['versions']} versions ({w['episodes']} episodes x "
              f"{args.assertions} assertions, {args.batch} episodes per transaction, "
              f"{args.writers} writer(s)) in {w['wall_s']} s: {w['versions_per_s']} versions/s")
        for name, stats in r.items():
            if isinstance(stats, dict):
                print(f"  {name:24s} p50 {stats['p50_ms']:7.2f} ms  p95 {stats['p95_ms']:7.2f} ms"
                      f"  p99 {stats['p99_ms']:7.2f} ms  (n={stats['n']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
