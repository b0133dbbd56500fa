"""Retrieval benchmarks: the cost of embeddings at ingest, and search latency per mode.

    python -m bench.retrieval embed  [--path …/locomo-dev.json] [--runs 3] [--models bundled static]
    python -m bench.retrieval search [--episodes 100000] [--queries 200] [--store URL]

Both print JSON.

``embed``: LoCoMo-dev's turns are ingested (read, extraction, SQLite file store) by
``Memory.ingest_conversations`` without embeddings and with each model of ``--models``
(default: ``bundled static``), interleaved per round (A, B, C, A, B, C, …) in fresh stores, and
the medians reported as messages/s (wall clock) and messages per CPU second (the figure to
compare on a shared machine); each model alone is timed on the same turns (batches of
``query.embedding.BATCH``).

``search``: a store (a fresh SQLite file, or ``--store neo4j://…``/``bolt://…`` with
``ASOF_NEO4J_USER``/``ASOF_NEO4J_PASSWORD``, in a fresh tenant) is filled with ``--episodes``
synthetic messages (words drawn from a fixed vocabulary, seeded) and, for each, a random unit
vector of the bundled model's dimension (embedding 100k real texts would take hours of CPU
here; an exact scan's cost does not depend on the vectors' values). Then ``--queries`` random
two-word queries are timed per mode through ``query.views.search`` with a fixed query vector
(the model's query embedding is timed separately and added by the reader:
``query_embedding_ms``). On Neo4j, ``vector_exact_scan`` times the vector mode with the
vector index bypassed (the tenant's vectors scanned, ``read/vector_scan``), the path a tenant
takes when the shared index's nearest candidates hold too few of its own. Reports p50/p99 in
ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from asof.graph.contract import Embedding
from asof.graph.models import Episode, Role
from asof.graph.urls import backend_of, open_store
from asof.query import views
from asof.query.embedding import BATCH, BundledEmbedder, make_embedder
from asof.query.retrieval import Mode

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "shared/eval/locomo-dev/locomo-dev.json"
WORDS = ("marathon running trip camping tent mountain lake job nurse hospital office team "
         "manager sister brother painting guitar concert school course exam garden dog cat "
         "birthday party wedding travel flight hotel beach city move apartment book novel "
         "recipe dinner coffee morning evening weekend holiday project launch meeting").split()


class FixedEmbedder:
    """The bundled model's identity and dimension, with one fixed query vector: search cost
    without the model's time (reported separately)."""

    def __init__(self, model_id: str, vector: list[float]) -> None:
        self.model_id = model_id
        self.dim = len(vector)
        self._vector = vector

    def embed(self, texts: Sequence[str], *, query: bool = False) -> list[list[float]]:
        return [self._vector for _ in texts]


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True, cwd=Path(__file__).parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _ingest_once(path: Path, kind: str) -> dict[str, float]:
    from asof.api.memory import Memory
    from asof.extraction.readers import read_locomo

    conversations = read_locomo(path, assume_tz="UTC")
    with tempfile.TemporaryDirectory() as folder:
        memory = Memory.open(f"sqlite:///{folder}/bench.db", embedder=make_embedder(kind))
        try:
            memory.load_language_model()
            memory.pipeline("bench").extract(conversations[0].__class__(
                id="warm", messages=conversations[0].messages[:20]))
            cpu, wall = time.process_time(), time.perf_counter()
            report = memory.ingest_conversations(conversations, tenant="bench")
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        finally:
            memory.close()
    return {"messages": report.messages, "per_second": report.messages / wall,
            "per_cpu_second": report.messages / cpu}


def _model_alone(kind: str, texts: Sequence[str]) -> dict[str, Any]:
    model = make_embedder(kind)
    assert model is not None
    model.embed(list(texts[:8]))
    cpu, wall = time.process_time(), time.perf_counter()
    for start in range(0, len(texts), BATCH):
        model.embed(list(texts[start:start + BATCH]))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"model": model.model_id, "per_second": round(len(texts) / wall, 1),
            "per_cpu_second": round(len(texts) / cpu, 1),
            "cpu_ms_per_message": round(1000 * cpu / len(texts), 2)}


def bench_embed(path: Path, runs: int, models: Sequence[str] = ("bundled",)) -> dict[str, Any]:
    """Ingest without embeddings and with each of ``models`` (``make_embedder`` kinds),
    interleaved per round; each model alone on the same turns."""
    from asof.extraction.readers import read_locomo

    commit = _commit()  # the code loaded now, whatever is committed while this runs
    texts = [m.text for c in read_locomo(path, assume_tz="UTC") for m in c.messages]
    alone = {kind: _model_alone(kind, texts) for kind in models}
    rows: dict[str, list[dict[str, float]]] = {kind: [] for kind in ("none", *models)}
    for _ in range(runs):
        for kind in rows:
            rows[kind].append(_ingest_once(path, kind))

    def medians(kind: str) -> dict[str, float]:
        return {key: round(statistics.median(r[key] for r in rows[kind]), 1)
                for key in ("per_second", "per_cpu_second")}

    without = medians("none")
    without_ms = round(1000 / without["per_cpu_second"], 2)
    return {
        "commit": commit, "turns": len(texts),
        "ingest_without_embeddings": {**without, "cpu_ms_per_message": without_ms},
        "models": {kind: {**alone[kind], "ingest_with_embeddings": medians(kind)}
                   for kind in models},
        "runs": runs, "load_average": os.getloadavg()[0],
    }


def _timed(store: Any, texts: Sequence[str], mode: Mode,
           embedder: FixedEmbedder) -> dict[str, float]:
    views.search(store, texts[0], mode=mode, embedder=embedder)
    times = []
    for text in texts:
        t0 = time.perf_counter()
        views.search(store, text, mode=mode, embedder=embedder, limit=10)
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2),
            "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))], 2)}


def bench_search(episodes: int, queries: int, seed: int,
                 store_url: str | None = None) -> dict[str, Any]:
    rng = random.Random(seed)
    model = BundledEmbedder()
    started = time.perf_counter()
    query_vector = model.embed(["camping trip in June"], query=True)[0]
    query_ms = []
    for _ in range(20):
        t0 = time.perf_counter()
        model.embed([f"{rng.choice(WORDS)} {rng.choice(WORDS)}"], query=True)
        query_ms.append(1000 * (time.perf_counter() - t0))
    embedder = FixedEmbedder(model.model_id, query_vector)
    generator = np.random.default_rng(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    out: dict[str, Any] = {"commit": _commit(), "episodes": episodes, "queries": queries,
                           "query_embedding_ms": {"p50": round(statistics.median(query_ms), 2),
                                                  "max": round(max(query_ms), 2)}}
    tenant = f"bench-{uuid.uuid4().hex[:8]}" if store_url else "bench"
    with tempfile.TemporaryDirectory() as folder:
        url = store_url or f"sqlite:///{folder}/bench.db"
        out["backend"] = backend_of(url)
        store = open_store(url, tenant=tenant,
                           neo4j_user=os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                           neo4j_password=os.environ.get("ASOF_NEO4J_PASSWORD"))
        try:
            load = time.perf_counter()
            for offset in range(0, episodes, 1000):
                batch = []
                for i in range(offset, min(offset + 1000, episodes)):
                    text = " ".join(rng.choice(WORDS) for _ in range(12))
                    batch.append((Episode.create(
                        tenant=tenant, speaker=f"Speaker {i % 50}", role=Role.USER,
                        occurred_at=start + timedelta(minutes=i), text=text,
                        conversation_id=f"c{i // 500}"), []))
                store.apply_many(batch)
                vectors = generator.standard_normal((len(batch), embedder.dim)).astype("f4")
                store.put_embeddings(model.model_id, [
                    Embedding(kind="episode", id=e.id, vector=v.tolist())
                    for (e, _), v in zip(batch, vectors, strict=True)])
            out["load_seconds"] = round(time.perf_counter() - load, 1)
            texts = [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(queries)]
            for mode in Mode:
                out[mode.value] = _timed(store, texts, mode, embedder)
            if out["backend"] == "neo4j":  # the index bypassed: the exact scan alone
                setattr(store, "max_vector_candidates", 0)  # noqa: B010 (a Neo4jStore attribute)
                out["vector_exact_scan"] = _timed(store, texts, Mode.VECTOR, embedder)
        finally:
            store.close()
    out["seconds"] = round(time.perf_counter() - started, 1)
    out["load_average"] = os.getloadavg()[0]
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.retrieval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    embed = sub.add_parser("embed", help="ingest messages/s with and without embeddings")
    embed.add_argument("--path", type=Path, default=DEFAULT_PATH)
    embed.add_argument("--runs", type=int, default=3)
    embed.add_argument("--models", nargs="+", default=["bundled", "static"],
                       choices=["bundled", "static"], help="embedders to compare with none")
    search = sub.add_parser("search", help="search p50/p99 per mode on a SQLite or Neo4j store")
    search.add_argument("--episodes", type=int, default=100_000)
    search.add_argument("--queries", type=int, default=200)
    search.add_argument("--seed", type=int, default=7)
    search.add_argument("--store", default=None,
                        help="a Neo4j URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    if args.what == "embed":
        result = bench_embed(args.path, args.runs, args.models)
    else:
        result = bench_search(args.episodes, args.queries, args.seed, args.store)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
