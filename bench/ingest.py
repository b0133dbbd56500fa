"""Ingest as users see it: real conversations through ``Memory.ingest`` end to end (read,
extract, write, embed), on SQLite and on Neo4j, with and without the embedding model.

    python -m bench.ingest [--backends sqlite,neo4j] [--embedders none,bundled] [--rounds 2]
                           [--sources locomo,train,dev] [--limit N]
                           [--url bolt://… --password …] [--out bench/results/FILE.json]

The messages: LoCoMo-dev's turns (``shared/eval/locomo-dev``, naive times read as UTC) and the
gold conversations of ``shared/eval/train`` and ``shared/eval/dev`` (never ``blind``), each file
its own conversation, all into one tenant per run (fresh: a temporary SQLite file, or tenant
``ingest-<run>`` on Neo4j, left there). The rules extractor (the default).

Each configuration runs in its own process (``--one``), so the peak RSS is that configuration's
and no model or cache carries over; configurations alternate (ABAB…) over ``--rounds``. Per run:
messages/s over the ``ingest`` calls (model loading excluded: done once before, as a server
does at start), the split of that wall time between extraction (the pipeline's ``extract_each``),
storage (``GraphStore.apply_many``: write rules, audit chain, the transaction) and embedding
(``Memory._embed``: episode and fact vectors, with ``bundled``), the rest (reading files,
validation, resend checks) as ``other``; CPU seconds; peak RSS. Medians over the rounds with
the range. This is the figure for users; ``bench.store`` gives the store's batched ceiling.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.runinfo import header, log, save_report

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


SOURCES = ("locomo", "train", "dev")  # never blind/


def conversations(eval_dir: Path, sources: Sequence[str], limit: int | None) -> list[Any]:
    """The conversations of ``sources`` (at most ``limit`` of each)."""
    from asof.extraction.readers import read_gold, read_locomo

    convs: list[Any] = []
    for source in sources:
        if source not in SOURCES:
            raise SystemExit(f"unknown source {source!r}: use {', '.join(SOURCES)}")
        if source == "locomo":
            found = list(read_locomo(eval_dir / "locomo-dev" / "locomo-dev.json",
                                     assume_tz="UTC"))
        else:
            found = [read_gold(p) for p in sorted((eval_dir / source).glob("*.json"))]
        if not found:
            raise SystemExit(f"{eval_dir / source}: no conversations found (--eval-dir names "
                             "the folder that holds train/, dev/ and locomo-dev/)")
        convs += found[:limit]
    return convs


def timed(fn: Callable[..., Any], bucket: dict[str, float], key: str) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            bucket[key] += time.perf_counter() - t0
    return wrapper


def timed_each(fn: Callable[..., Any], bucket: dict[str, float], key: str
               ) -> Callable[..., Any]:
    """``timed`` for a generator (``extract_each``): the time spent making each item."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        items = iter(fn(*args, **kwargs))
        while True:
            t0 = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                bucket[key] += time.perf_counter() - t0
            yield item
    return wrapper


def one(backend: str, embedder: str, args: argparse.Namespace) -> dict[str, Any]:
    """One configuration, in this process."""
    from asof.api.memory import Memory
    from asof.query.embedding import make_embedder

    convs = conversations(args.eval_dir, args.sources.split(","), args.limit)
    run = uuid.uuid4().hex[:8]
    tenant = f"ingest-{run}"
    if backend == "neo4j":
        memory = Memory.open(args.url, neo4j_user=args.user, neo4j_password=args.password,
                             embedder=make_embedder(embedder))
    else:
        path = Path(tempfile.mkdtemp(prefix="asof-ingest-")) / "ingest.db"
        memory = Memory.open(f"sqlite:///{path}", embedder=make_embedder(embedder))
    started = time.perf_counter()
    memory.load_language_model()
    if memory.embedder is not None:
        memory.embedder.embed(["warm up the model"])
    model_s = time.perf_counter() - started
    spent: dict[str, float] = defaultdict(float)
    store = memory.store(tenant)
    store.apply_many = timed(store.apply_many, spent, "storage")  # type: ignore[method-assign]
    memory._embed = timed(memory._embed, spent, "embedding")  # type: ignore[method-assign]
    make_pipeline = memory.pipeline

    def pipeline(*a: Any, **k: Any) -> Any:
        p = make_pipeline(*a, **k)
        p.extract_each = timed_each(p.extract_each, spent, "extraction")
        return p

    memory.pipeline = pipeline  # type: ignore[method-assign]
    messages = assertions = versions = 0
    cpu0, t0 = time.process_time(), time.perf_counter()
    for conv in convs:
        r = memory.ingest(conv, tenant=tenant)
        messages += r.messages
        assertions += r.assertions
        versions += r.versions_written
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    memory.close()
    if backend == "sqlite":
        shutil.rmtree(path.parent)  # the benchmark's own temporary store
    split = {k: round(v, 3) for k, v in sorted(spent.items())}
    split["other"] = round(wall - sum(spent.values()), 3)
    return {"backend": backend, "embedder": embedder, "conversations": len(convs),
            "messages": messages, "assertions": assertions, "versions_written": versions,
            "seconds": round(wall, 3), "messages_per_s": round(messages / wall, 1),
            "cpu_seconds": round(cpu, 3), "messages_per_cpu_s": round(messages / cpu, 1),
            "split_s": split,
            "split_share": {k: round(v / wall, 3) for k, v in split.items()},
            "model_load_s": round(model_s, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "loadavg_end": [round(x, 2) for x in os.getloadavg()]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,neo4j")
    parser.add_argument("--embedders", default="none,bundled")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--eval-dir", type=Path, default=EVAL)
    parser.add_argument("--sources", default=",".join(SOURCES),
                        help="which of locomo, train, dev (default: all three)")
    parser.add_argument("--limit", type=int, help="at most this many conversations of each")
    parser.add_argument("--url", default=os.environ.get("ASOF_NEO4J_URI"))
    parser.add_argument("--user", default=os.environ.get("ASOF_NEO4J_USER", "neo4j"))
    parser.add_argument("--password", default=os.environ.get("ASOF_NEO4J_PASSWORD"))
    parser.add_argument("--one", nargs=2, metavar=("BACKEND", "EMBEDDER"),
                        help=argparse.SUPPRESS)  # a child process: one configuration
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args)))
        return 0
    configs = [(b, e) for b in args.backends.split(",") for e in args.embedders.split(",")]
    if any(b == "neo4j" for b, _ in configs) and not (args.url and args.password):
        sys.exit("neo4j needs --url and --password (or ASOF_NEO4J_URI/ASOF_NEO4J_PASSWORD)")
    report: dict[str, Any] = {**header("bench.ingest",
                                       list(sys.argv[1:] if argv is None else argv)),
                              "runs": []}
    for r in range(args.rounds):
        for backend, embedder in configs if r % 2 == 0 else configs[::-1]:
            cmd = [sys.executable, "-m", "bench.ingest", "--one", backend, embedder,
                   "--eval-dir", str(args.eval_dir), "--sources", args.sources]
            if args.limit is not None:
                cmd += ["--limit", str(args.limit)]
            if backend == "neo4j":
                cmd += ["--url", args.url, "--user", args.user, "--password", args.password]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                                 cwd=Path(__file__).resolve().parents[1])
            result = {"round": r, **json.loads(out.stdout.strip().splitlines()[-1])}
            report["runs"].append(result)
            log(f"{backend}/{embedder}: {result['messages_per_s']} messages/s, "
                f"split {result['split_s']}, peak RSS {result['peak_rss_mb']} MB")
    report["summary"] = {}
    for backend, embedder in configs:
        runs = [x for x in report["runs"]
                if (x["backend"], x["embedder"]) == (backend, embedder)]

        def med(key: str, runs: list[dict[str, Any]] = runs) -> dict[str, float]:
            values = [x[key] for x in runs]
            return {"median": statistics.median(values), "min": min(values),
                    "max": max(values)}

        report["summary"][f"{backend}/{embedder}"] = {
            "messages": runs[0]["messages"], "messages_per_s": med("messages_per_s"),
            "messages_per_cpu_s": med("messages_per_cpu_s"), "peak_rss_mb": med("peak_rss_mb"),
            "split_share_median": {k: statistics.median(x["split_share"].get(k, 0.0)
                                                        for x in runs)
                                   for k in runs[0]["split_share"]}}
    report["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(save_report(report, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
