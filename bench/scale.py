"""Scale: a large history on one backend, then warm, cold and concurrent reads.

    python -m bench.scale --backend sqlite --versions 1000000 [--path /tmp/scale.db]
    python -m bench.scale --backend neo4j --versions 1000000 --url bolt://127.0.0.1:7687 \
        --password … --neo4j-dir .neo4j      # with the env `scripts/neo4j-local up` had

1. **Load** ``--versions`` fact versions with ``bench.store``'s workload and write path
   (``apply_many``, ``--batch`` episodes per transaction, one writer): seconds, versions/s.
2. **Disk**: bytes per version. SQLite: the file and its WAL after a checkpoint. Neo4j: the
   growth of the store files (``data/databases/neo4j``) and of the transaction logs
   (``data/transactions/neo4j``) under ``--neo4j-dir`` during the load.
3. **Warm reads**: ``bench.store.queries`` (as-of ``find_versions`` and ``facts``, current
   ``current`` and the primitive; p50/p95/p99).
4. **Cold reads**: the store closed, the OS page cache dropped if this process may
   (``echo 3 > /proc/sys/vm/drop_caches``; the report says whether it could), the Neo4j
   server restarted (``scripts/neo4j-local down`` and ``up``, same environment), the store
   reopened, then the first ``--cold-queries`` as-of queries timed (the first one alone too).
5. **Concurrency**: ``--readers`` threads asking random as-of queries (``find_versions``) for
   ``--seconds``, first alone, then with one writer thread writing the workload on
   (``apply_many``): reads/s with p50/p99, and the writer's versions/s with per-transaction
   p50/p99. The threads share one store object, as the REST server's workers share one Memory.

With ``--reuse`` (SQLite), phase 1 is skipped: phases 2-5 run on the file ``--path`` a
load left, killed or finished (``--versions``, ``--tenants`` and ``--seed`` as at that load,
so the workload's names match). A load that cannot finish in the time there is still leaves
its file and its progress lines.

Everything of one run in one process; the report records the commit, ``nproc`` and the load.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.instants import from_us
from asof.graph.store import GraphStore
from bench import store as bs
from bench.runinfo import header, log, save_report

ROOT = Path(__file__).resolve().parents[1]


def du(path: Path) -> int:
    """Bytes of the regular files under ``path`` (0 if it does not exist)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def disk(args: argparse.Namespace, base: GraphStore) -> dict[str, int]:
    if args.backend == "sqlite":
        conn = getattr(base, "_conn")  # noqa: B009 - the benchmark checkpoints the WAL itself
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(bs.store_url(args).removeprefix("sqlite:///"))
        return {"file": du(path), "wal": du(Path(f"{path}-wal"))}
    if not args.neo4j_dir:
        return {}
    data = Path(args.neo4j_dir) / "home" / "data"
    return {"store_files": du(data / "databases" / "neo4j"),
            "transaction_logs": du(data / "transactions" / "neo4j")}


def drop_page_cache() -> str:
    subprocess.run(["sync"], check=False)
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return "dropped"
    except OSError as e:
        return f"not permitted: {e.strerror or e}"


def restart_neo4j(args: argparse.Namespace) -> float:
    env = {**os.environ, "ASOF_NEO4J_LOCAL_DIR": str(Path(args.neo4j_dir).resolve())}
    script = str(ROOT / "scripts" / "neo4j-local")
    subprocess.run([script, "down"], env=env, check=True, capture_output=True)
    t0 = time.perf_counter()
    subprocess.run([script, "up"], env=env, check=True, capture_output=True)
    return round(time.perf_counter() - t0, 1)


def reuse(args: argparse.Namespace) -> tuple[str, dict[str, Any], datetime, datetime]:
    """What an earlier load left in the SQLite file ``args.path``: its run id, its counts, the
    latest valid-from and the latest recording time (read-only)."""
    path = Path(args.path)
    if not path.is_file():
        raise SystemExit(f"--reuse: no SQLite file at {path}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tenants = [t for (t,) in conn.execute("SELECT tenant FROM tenant_secrets")]
        runs = {t.split("-")[1] for t in tenants if t.startswith("bench-")}
        if len(runs) != 1:
            raise SystemExit(f"--reuse: {path} holds {len(runs)} benchmark runs, not one")
        versions, episodes, valid_us, recorded_us = conn.execute(
            "SELECT count(*), (SELECT count(*) FROM episodes), max(valid_from), "
            "max(recorded_at) FROM versions").fetchone()
    finally:
        conn.close()
    counts = {"reused": str(path), "versions": versions, "episodes": episodes,
              "tenants": len(tenants)}
    return runs.pop(), counts, from_us(valid_us), from_us(recorded_us)


class Asker:
    """Random as-of queries over the loaded people (subject ids resolved once)."""

    def __init__(self, base: GraphStore, workload: bs.Workload, clock: FakeClock,
                 seed: int) -> None:
        rng = random.Random(seed)
        self.subjects = [(d.tenant, s) for d, s in (
            (d, d.subject_ids.get(p)) for d in workload.tenants for p in d.people) if s]
        if not self.subjects:
            picks = bs.resolve_subjects(base, workload, 2000, rng)
            self.subjects = [(st.tenant, s) for st, s in picks]
        self.workload, self.clock = workload, clock

    def query(self, rng: random.Random) -> tuple[str, VersionQuery]:
        tenant, subject = rng.choice(self.subjects)
        w = self.workload
        valid = w.valid_start + (w.valid_end - w.valid_start) * rng.random()
        known = bs.CLOCK_START + (self.clock.now() - bs.CLOCK_START) * rng.random()
        return tenant, VersionQuery(subject_id=subject, predicate=rng.choice(
            ["works_at", "uses"]), valid_at=valid, known_at=known)


def cold(args: argparse.Namespace, asker: Asker, reopen: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if args.backend == "neo4j" and args.neo4j_dir:
        out["server_restart_s"] = restart_neo4j(args)
    elif args.backend == "neo4j":
        out["server_restart_s"] = None  # no --neo4j-dir: the server's caches stay warm
    out["page_cache"] = "kept (--keep-page-cache)" if args.keep_page_cache else \
        drop_page_cache()
    base = reopen()
    stores = {d.tenant: base.for_tenant(d.tenant) for d in asker.workload.tenants}
    rng = random.Random(args.seed + 7)
    samples = []
    for _ in range(args.cold_queries):
        tenant, q = asker.query(rng)
        t0 = time.perf_counter()
        stores[tenant].find_versions(q)
        samples.append(time.perf_counter() - t0)
    out["first_query_ms"] = round(samples[0] * 1000, 2)
    out["as_of_find_versions"] = bs.latency(samples)
    out["base"] = base
    return out


def concurrent(args: argparse.Namespace, base: GraphStore, asker: Asker, stream: Any,
               with_writer: bool) -> dict[str, Any]:
    stop = threading.Event()
    reads: list[list[float]] = [[] for _ in range(args.readers)]
    writes: list[float] = []
    written, replayed = [0], [0]
    stores = {d.tenant: base.for_tenant(d.tenant) for d in asker.workload.tenants}

    def reader(i: int) -> None:
        rng = random.Random(args.seed + 100 + i)
        while not stop.is_set():
            tenant, q = asker.query(rng)
            t0 = time.perf_counter()
            stores[tenant].find_versions(q)
            reads[i].append(time.perf_counter() - t0)

    def writer() -> None:
        while not stop.is_set():
            d, items = next(stream)
            asker.clock.advance(timedelta(seconds=len(items)))
            t0 = time.perf_counter()
            results = stores[d.tenant].apply_many(items)
            writes.append(time.perf_counter() - t0)
            n = sum(len(r.written) for r in results)
            written[0] += n
            replayed[0] += n == 0  # a transaction of messages already stored: a bench bug

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
    if with_writer:
        threads.append(threading.Thread(target=writer))
    started = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    window = time.perf_counter() - started  # the readers stop here
    for t in threads:
        t.join()  # the writer finishes its transaction
    wall = time.perf_counter() - started
    pooled = [x for r in reads for x in r]
    out: dict[str, Any] = {"readers": args.readers, "writer": with_writer,
                           "seconds": round(wall, 2), "read_window_s": round(window, 2),
                           "reads_per_s": round(len(pooled) / window, 1),
                           "read": bs.latency(pooled), "loadavg": list(os.getloadavg())}
    if with_writer:
        out.update({"versions_written": written[0], "transactions_writing_nothing": replayed[0],
                    "write_versions_per_s": round(written[0] / wall, 1),
                    "write_transaction": bs.latency(writes) if writes else None})
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["neo4j", "sqlite"], required=True)
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--assertions", type=int, default=200)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--cold-queries", type=int, default=500)
    parser.add_argument("--keep-page-cache", action="store_true",
                        help="do not drop the OS page cache for the cold run (it is global)")
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--database", default="neo4j")
    parser.add_argument("--neo4j-dir", help="the server's ASOF_NEO4J_LOCAL_DIR: disk use and "
                        "the restart of the cold run")
    parser.add_argument("--path", help="SQLite file (default: a new temporary file)")
    parser.add_argument("--reuse", action="store_true",
                        help="SQLite: measure the file --path an earlier load left, no load")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    args.writers, args.audit_key, args.server_pid = 1, None, None  # what bench.store reads
    if args.backend == "sqlite" and not args.path:
        args.path = f"/tmp/asof-scale-{uuid.uuid4().hex[:8]}.db"
    report: dict[str, Any] = {**header("bench.scale",
                                       list(sys.argv[1:] if argv is None else argv)),
                              "backend": args.backend, "target_versions": args.versions}
    if args.reuse:
        if args.backend != "sqlite" or not args.path:
            parser.error("--reuse needs --backend sqlite and the --path of an earlier load")
        run, report["load"], last_valid, last_recorded = reuse(args)
        workload = bs.make_workload(run, args.versions, args.tenants, args.seed)
        workload.valid_end = last_valid + timedelta(days=1)
        clock = FakeClock(last_recorded + timedelta(seconds=1))
        base = bs.open_bench_store(args, workload.tenants[0].tenant, clock)
        before: dict[str, int] = {}
        # the writer of phase 5 writes new messages saying new things (another seed), or it
        # would only repeat what the store knows
        stream = bs.transactions(workload, argparse.Namespace(**{**vars(args),
                                                                "seed": args.seed + 1}),
                                 first_message=report["load"]["episodes"])
    else:
        workload = bs.make_workload(uuid.uuid4().hex[:8], args.versions, args.tenants,
                                    args.seed)
        clock = FakeClock(bs.CLOCK_START)
        base = bs.open_bench_store(args, workload.tenants[0].tenant, clock)
        before = disk(args, base)
        stream = bs.transactions(workload, args)  # the writer of phase 5 carries on from it
        log(f"{args.backend}: loading {args.versions} versions")
        report["load"] = bs.load(args, base, workload, clock, stream)
    after = disk(args, base)
    versions = report["load"]["versions"]
    report["disk_bytes"] = {k: after[k] - before.get(k, 0) for k in after}
    report["disk_bytes_per_version"] = round(sum(report["disk_bytes"].values()) / versions, 1)
    log(f"loaded: {report['load']}; disk {report['disk_bytes']}")
    report["warm"] = bs.queries(args, base, workload, clock)
    log(f"warm: {report['warm']}")
    asker = Asker(base, workload, clock, args.seed)
    base.close()
    cold_run = cold(args, asker, lambda: bs.open_bench_store(args, workload.tenants[0].tenant,
                                                              clock))
    base = cold_run.pop("base")
    report["cold"] = cold_run
    log(f"cold: {report['cold']}")
    report["concurrent_readers"] = concurrent(args, base, asker, stream, with_writer=False)
    log(f"{args.readers} readers: {report['concurrent_readers']}")
    report["concurrent_readers_and_writer"] = concurrent(args, base, asker, stream,
                                                         with_writer=True)
    log(f"{args.readers} readers + 1 writer: {report['concurrent_readers_and_writer']}")
    base.close()
    report["loadavg_end"] = list(os.getloadavg())
    print(save_report(report, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
