"""Where a Neo4j write's time goes, statement by statement, and what a read transaction costs.

    python -m bench.profile_neo4j --versions 100000 --server-pid PID [--json] [--out FILE]

Loads ``bench.store``'s synthetic history (the same workload, batches and tenants) through a
``Neo4jStore`` whose statement runner measures, for every named statement of the write path:

- **calls**, **rows** returned, **wall** time (client side, records fetched);
- **server CPU** (user + system of the Neo4j process, ``--server-pid``, read from ``/proc``
  before and after each statement: 10 ms ticks, so only the totals over many calls mean
  anything);
- **db hits** from ``PROFILE``, on every ``--profile-every``-th transaction only (``PROFILE``
  slows a statement down, so those transactions are left out of the wall and CPU totals).

Two more rows split the rest of each ``execute_write``: the commit (from the transaction
function's return until ``execute_write`` returns; Neo4j applies index updates, range,
uniqueness and full-text, when a transaction commits, so that row is where the cost of the
indexes shows) and the time inside the transaction between statements (the write rules
planning in Python; its server CPU should be near zero).
Every figure is also given per 1,000 versions written (``write/merge_facts`` rows).

``--reads N`` then times the as-of read (``find_versions`` by subject and predicate) both ways,
interleaved (ABAB) in ``--rounds`` rounds: as an auto-commit query, and as a managed read
transaction (``execute_read``, which the store uses). It reports per-round medians and the
median of those.

``--without-index NAME`` measures one index's cost instead: ``--rounds`` rounds of
``--versions`` versions each (fresh tenants every round), alternately with the index and with it
dropped (ABAB; the index is recreated from its migration and awaited between rounds, outside
the timed part, and recreated at the end). It reports versions/s and server CPU per 1,000
versions per round and the medians. Dropping an index changes the shared database: run it on a
server of your own.

Connection: ``--url``/``--user``/``--password``, defaulting to ``ASOF_NEO4J_URI``,
``ASOF_NEO4J_USER`` and ``ASOF_NEO4J_PASSWORD``. The run's tenants stay in the database unless
``--cleanup`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import neo4j
from neo4j import ManagedTransaction, Session

from asof import cypher
from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery, WriteTx
from asof.graph.neo4j import Neo4jStore
from asof.graph.neo4j.driver import Runner, Tracer
from asof.graph.neo4j.rows import version_params, version_statement
from bench.runinfo import save_report
from bench.store import (
    CLOCK_START,
    _cpu_s,
    cleanup,
    load,
    make_workload,
    resolve_subjects,
    server_info,
)

T = TypeVar("T")


@dataclass
class StatementCost:
    calls: int = 0
    rows: int = 0
    wall_s: float = 0.0
    server_cpu_s: float = 0.0
    profiled_calls: int = 0
    db_hits: int = 0


def _db_hits(plan: Any) -> int:
    """Total db hits of a ``PROFILE`` plan tree (the driver's summary ``profile``)."""
    if not plan:
        return 0
    own = int(plan.get("dbHits", 0))
    return own + sum(_db_hits(child) for child in plan.get("children", ()))


class Profiler:
    """Collects the cost of every statement, and of each transaction's commit."""

    def __init__(self, server_pid: int | None, profile_every: int) -> None:
        self.server_pid = server_pid
        self.profile_every = profile_every
        self.costs: dict[str, StatementCost] = {}
        self.transactions = 0
        self.versions = 0
        self.profiled_versions = 0
        self.profiling = False
        self._in_tx = StatementCost()

    def cpu(self) -> float:
        return _cpu_s(self.server_pid) or 0.0

    def run(self, target: Session | ManagedTransaction, query: str, name: str,
            params: dict[str, Any]) -> list[neo4j.Record]:
        cost = self.costs.setdefault(name, StatementCost())
        if name == "write/merge_facts":
            if self.profiling:
                self.profiled_versions += len(params["rows"])
            else:
                self.versions += len(params["rows"])
        if self.profiling:
            result = target.run("PROFILE " + query, params)  # type: ignore[arg-type]
            records = list(result)
            cost.profiled_calls += 1
            cost.db_hits += _db_hits(result.consume().profile)
            return records
        cpu, started = self.cpu(), time.perf_counter()
        records = list(target.run(query, params))  # type: ignore[arg-type]
        wall, server = time.perf_counter() - started, self.cpu() - cpu
        cost.calls += 1
        cost.rows += len(records)
        cost.wall_s += wall
        cost.server_cpu_s += server
        self._in_tx.wall_s += wall
        self._in_tx.server_cpu_s += server
        return records

    def transaction(self, write: Callable[[Callable[[], None]], T]) -> T:
        """Run one write transaction, profiled or measured. ``write`` calls the callback it is
        given when the transaction function returns: what follows until ``execute_write``
        returns is the commit; what precedes it, minus the statements, is the planning in
        Python inside the transaction (and the driver's handling between statements)."""
        self.transactions += 1
        self.profiling = self.profile_every > 0 and self.transactions % self.profile_every == 0
        self._in_tx = StatementCost()
        cpu, started = self.cpu(), time.perf_counter()
        work_done: list[tuple[float, float]] = []

        def done() -> None:
            work_done[:] = [(self.cpu(), time.perf_counter())]

        try:
            return write(done)
        finally:
            if not self.profiling and work_done:
                (done_cpu, done_at), end_cpu, end = work_done[0], self.cpu(), time.perf_counter()
                planning = self.costs.setdefault("(in the transaction, between statements)",
                                                 StatementCost())
                planning.calls += 1
                planning.wall_s += done_at - started - self._in_tx.wall_s
                planning.server_cpu_s += done_cpu - cpu - self._in_tx.server_cpu_s
                commit = self.costs.setdefault("(commit)", StatementCost())
                commit.calls += 1
                commit.wall_s += end - done_at
                commit.server_cpu_s += end_cpu - done_cpu
            self.profiling = False

    def report(self) -> dict[str, Any]:
        per_1k = 1000 / max(1, self.versions)
        total_wall = sum(c.wall_s for c in self.costs.values())
        total_cpu = sum(c.server_cpu_s for c in self.costs.values())
        rows = {}
        for name, c in sorted(self.costs.items(), key=lambda item: -item[1].server_cpu_s):
            rows[name] = {
                "calls": c.calls, "rows": c.rows,
                "wall_ms_per_1k_versions": round(1000 * c.wall_s * per_1k, 1),
                "wall_share": round(c.wall_s / total_wall, 3) if total_wall else None,
                "server_cpu_ms_per_1k_versions": round(1000 * c.server_cpu_s * per_1k, 1),
                "server_cpu_share": round(c.server_cpu_s / total_cpu, 3) if total_cpu else None,
                "db_hits_per_version": (round(c.db_hits / self.profiled_versions, 2)
                                        if self.profiled_versions else None),
            }
        return {"measured_transactions": self.transactions - self.transactions_profiled(),
                "measured_versions": self.versions,
                "profiled_versions": self.profiled_versions,
                "wall_ms_per_1k_versions": round(1000 * total_wall * per_1k, 1),
                "server_cpu_ms_per_1k_versions": round(1000 * total_cpu * per_1k, 1),
                "statements": rows}

    def transactions_profiled(self) -> int:
        return self.transactions // self.profile_every if self.profile_every > 0 else 0


class ProfilingRunner(Runner):
    def __init__(self, tenant: str, tracer: Tracer | None, profiler: Profiler) -> None:
        super().__init__(tenant, tracer)
        self.profiler = profiler

    def run(self, target: Session | ManagedTransaction, name: str, /,
            **params: Any) -> list[neo4j.Record]:
        params["tenant"] = self.tenant
        return self.profiler.run(target, cypher.load(name), name, params)


class ProfiledStore(Neo4jStore):
    """A Neo4jStore whose statements and write transactions go through a :class:`Profiler`."""

    profiler: Profiler

    def _runner(self) -> Runner:
        return ProfilingRunner(self.tenant, self.tracer, self.profiler)

    def run_write(self, work: Callable[[WriteTx], T]) -> T:
        def write(done: Callable[[], None]) -> T:
            def timed_work(tx: WriteTx) -> T:
                result = work(tx)
                done()  # a retried transaction function calls it again: the last one counts
                return result

            return super(ProfiledStore, self).run_write(timed_work)

        return self.profiler.transaction(write)


# --------------------------------------------------------------------------------- reads


def read_modes(queries: Sequence[tuple[Neo4jStore, VersionQuery]], rounds: int
               ) -> dict[str, Any]:
    """The as-of read as an auto-commit query and as ``execute_read``, interleaved."""

    def auto_commit(store: Neo4jStore, query: VersionQuery) -> None:
        name = version_statement(query)
        with store._session() as session:
            list(session.run(cypher.load(name), {**version_params(query),
                                                 "tenant": store.tenant}))

    def managed(store: Neo4jStore, query: VersionQuery) -> None:
        store.find_versions(query)

    modes: dict[str, Callable[[Neo4jStore, VersionQuery], None]] = {
        "auto_commit": auto_commit, "execute_read": managed}
    per_round: dict[str, list[float]] = {mode: [] for mode in modes}
    spread: dict[str, list[float]] = {mode: [] for mode in modes}
    chunk = max(1, len(queries) // rounds)
    for r in range(rounds):
        for mode, fn in (modes.items() if r % 2 == 0 else reversed(modes.items())):
            samples = []
            for store, query in queries[r * chunk:(r + 1) * chunk]:
                started = time.perf_counter()
                fn(store, query)
                samples.append(1000 * (time.perf_counter() - started))
            per_round[mode].append(statistics.median(samples))
            spread[mode].extend(samples)
    out = {}
    for mode in modes:
        ordered = sorted(spread[mode])
        out[mode] = {"median_of_round_medians_ms": round(statistics.median(per_round[mode]), 3),
                     "round_medians_ms": [round(m, 3) for m in per_round[mode]],
                     "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 3),
                     "n": len(ordered)}
    return out


# ------------------------------------------------------------------------------ index A/B


def _create_statement(index: str) -> str:
    for name in cypher.migrations():
        for statement in cypher.statements(name):
            if f" {index} IF NOT EXISTS" in statement:
                return statement
    raise SystemExit(f"no migration creates an index or constraint named {index!r}")


def index_ab(args: argparse.Namespace, url: str, user: str, password: str) -> dict[str, Any]:
    """Write throughput with and without one index, interleaved."""
    create = _create_statement(args.without_index)
    rounds: list[dict[str, Any]] = []
    driver = neo4j.GraphDatabase.driver(url, auth=(user, password))

    def schema(statement: str) -> None:
        driver.execute_query(statement, database_=args.database)
        driver.execute_query("CALL db.awaitIndexes(600)", database_=args.database)

    try:
        for r in range(args.rounds):
            order = ("with", "without") if r % 2 == 0 else ("without", "with")
            for variant in order:
                if variant == "without":
                    schema(f"DROP INDEX {args.without_index} IF EXISTS")
                else:
                    schema(create)
                run = uuid.uuid4().hex[:8]
                workload = make_workload(run, args.versions, args.tenants, args.seed + r)
                clock = FakeClock(CLOCK_START)
                store = Neo4jStore(driver, tenant=workload.tenants[0].tenant, clock=clock,
                                   database=args.database)
                load_args = argparse.Namespace(
                    versions=args.versions, batch=args.batch, assertions=args.assertions,
                    seed=args.seed + r, writers=1, server_pid=args.server_pid)
                result = load(load_args, store, workload, clock)
                rounds.append({"round": r, "index": variant, **{
                    k: result.get(k) for k in ("versions", "wall_s", "versions_per_s",
                                               "server_cpu_ms_per_1k_versions",
                                               "loadavg_after")}})
                if args.cleanup:
                    cleanup(store, workload)
                print(json.dumps(rounds[-1]), file=sys.stderr)
    finally:
        schema(create)
        driver.close()
    summary = {}
    for variant in ("with", "without"):
        mine = [row for row in rounds if row["index"] == variant]
        summary[variant] = {
            "median_versions_per_s": statistics.median(row["versions_per_s"] for row in mine),
            "median_server_cpu_ms_per_1k_versions": statistics.median(
                row["server_cpu_ms_per_1k_versions"] or 0 for row in mine)}
    return {"index": args.without_index, "statement": create, "rounds": rounds,
            "medians": summary}


# ---------------------------------------------------------------------------------- main


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_neo4j", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=20_000)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--assertions", type=int, default=200, help="assertions per episode")
    parser.add_argument("--batch", type=int, default=10, help="episodes per transaction")
    parser.add_argument("--profile-every", type=int, default=20,
                        help="PROFILE every Nth transaction (0: never)")
    parser.add_argument("--server-pid", type=int, help="the Neo4j server's process id")
    parser.add_argument("--reads", type=int, default=2000, help="as-of reads to time (0: none)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--database", default="neo4j")
    parser.add_argument("--without-index", metavar="NAME",
                        help="A/B: write throughput with and without this index")
    parser.add_argument("--cleanup", action="store_true", help="delete the run's tenants")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", type=Path, help="also write the JSON report to this file")
    args = parser.parse_args(argv)
    url = args.url or os.environ.get("ASOF_NEO4J_URI")
    if not url:
        sys.exit("set --url or ASOF_NEO4J_URI (scripts/neo4j-local env)")

    user = args.user or os.environ.get("ASOF_NEO4J_USER", "neo4j")
    password = args.password or os.environ.get("ASOF_NEO4J_PASSWORD", "")
    report: dict[str, Any]
    if args.without_index:
        report = {"commit": _commit(), "versions_per_round": args.versions, "batch": args.batch,
                  "assertions_per_episode": args.assertions, "tenants": args.tenants,
                  "loadavg_before": list(os.getloadavg()), "cpus": os.cpu_count(),
                  "index_ab": index_ab(args, url, user, password),
                  "loadavg_after": list(os.getloadavg())}
        text = save_report(report, args.out)
        print(text if args.json else json.dumps(report["index_ab"]["medians"]))
        return 0

    run = uuid.uuid4().hex[:8]
    workload = make_workload(run, args.versions, args.tenants, args.seed)
    clock = FakeClock(CLOCK_START)
    profiler = Profiler(args.server_pid, args.profile_every)
    ProfiledStore.profiler = profiler
    base = ProfiledStore.from_url(
        url, tenant=workload.tenants[0].tenant, clock=clock,
        user=user, password=password, database=args.database)
    load_args = argparse.Namespace(versions=args.versions, batch=args.batch,
                                   assertions=args.assertions, seed=args.seed, writers=1,
                                   server_pid=args.server_pid)
    report = {
        "commit": _commit(), "versions": args.versions, "batch": args.batch,
        "assertions_per_episode": args.assertions, "tenants": args.tenants,
        "loadavg_before": list(os.getloadavg()), "cpus": os.cpu_count(),
        "server": server_info(base)}
    try:
        report["write"] = load(load_args, base, workload, clock)
        report["profile"] = profiler.report()
        if args.reads:
            rng = random.Random(args.seed + 2)
            subjects = resolve_subjects(base, workload, min(2000, args.reads), rng)
            span = (workload.valid_end - workload.valid_start).total_seconds()
            known_span = (clock.now() - CLOCK_START).total_seconds()
            queries: list[tuple[Neo4jStore, VersionQuery]] = []
            for _ in range(args.reads):
                store, subject = rng.choice(subjects)
                assert isinstance(store, Neo4jStore)
                queries.append((store, VersionQuery(
                    subject_id=subject, predicate=rng.choice(["works_at", "uses"]),
                    valid_at=workload.valid_start + timedelta(seconds=rng.uniform(0, span)),
                    known_at=CLOCK_START + timedelta(seconds=rng.uniform(0, known_span)))))
            report["read_modes"] = read_modes(queries, args.rounds)
    finally:
        if args.cleanup:
            cleanup(base, workload)
        base.close()
    report["loadavg_after"] = list(os.getloadavg())
    text = save_report(report, args.out)
    if args.json:
        print(text)
    else:
        w, p = report["write"], report["profile"]
        print(f"{w['versions']} versions in {w['wall_s']} s: {w['versions_per_s']} versions/s "
              f"(PROFILE on every {args.profile_every}th transaction); per 1,000 versions:")
        print(f"  {'statement':36s} {'wall ms':>9s} {'server CPU ms':>14s} {'db hits/ver':>12s}")
        for name, row in p["statements"].items():
            print(f"  {name:36s} {row['wall_ms_per_1k_versions']:9.1f} "
                  f"{row['server_cpu_ms_per_1k_versions']:14.1f} "
                  f"{row['db_hits_per_version'] or 0:12.2f}")
        for mode, stats in report.get("read_modes", {}).items():
            print(f"  read as {mode:14s} median {stats['median_of_round_medians_ms']:.3f} ms"
                      f"  p99 {stats['p99_ms']:.3f} ms  (n={stats['n']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
