"""Read-view latency: facts, timeline and entity history with their provenance (each source
message with its own quote), on an embedded SQLite store.

    python -m bench.reads [--people 300] [--sources 3] [--queries 300] [--json]

Builds a store deterministically from ``--seed``: ``--people`` people, each with one
``works_at`` and three ``uses`` facts, every fact stated by ``--sources`` messages in their own
words. Then times the query layer as the CLI and REST call it (``views.facts(store, name)``,
``views.timeline(store, name)``, ``views.entity_history(store, name)``) for random people,
after a warm-up, and reports p50/p95 in ms. Two checkouts are compared by running this file
with each one's interpreter in turn (A, B, A, B, …) and comparing medians (the store opens
through ``asof.graph.urls.open_store``, so both checkouts need it).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asof.graph.models import EntityRef, Episode, FactAssertion, Role
from asof.graph.store import GraphStore
from asof.graph.urls import open_store
from asof.query import views

TOOLS = ["Slack", "Jira", "Notion", "Figma", "Asana", "Zoom", "Miro", "Linear"]


def build(path: Path, people: int, sources: int, seed: int) -> GraphStore:
    rng = random.Random(seed)
    store = open_store(f"sqlite:///{path}", tenant="bench")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    items = []
    for person in range(people):
        name = f"Person {person:05d}"
        facts = [("works_at", EntityRef(name=f"Company {rng.randrange(50)}",
                                        type="organization"))]
        facts += [("uses", EntityRef(name=tool, type="product"))
                  for tool in rng.sample(TOOLS, 3)]
        for source in range(sources):
            text = " ".join(f"{name} said {source}: {p} {o.name}." for p, o in facts)
            episode = Episode.create(tenant="bench", speaker=name, role=Role.USER,
                                     occurred_at=start + timedelta(minutes=person * 10 + source),
                                     text=text, conversation_id=f"c{person}")
            items.append((episode, [FactAssertion(
                subject=EntityRef(name=name, type="person"), predicate=p, object=o,
                evidence=f"{name} said {source}: {p} {o.name}") for p, o in facts]))
    for offset in range(0, len(items), 200):
        store.apply_many(items[offset:offset + 200])
    return store


def timed(call: Callable[[str], Any], names: list[str], warmup: int) -> dict[str, float]:
    for name in names[:warmup]:
        call(name)
    samples = []
    for name in names[warmup:]:
        began = time.perf_counter()
        call(name)
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 3),
            "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reads", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--sources", type=int, default=3)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    store = build(Path(tempfile.mkdtemp(prefix="asof-reads-")) / "reads.db", args.people,
                  args.sources, args.seed)
    rng = random.Random(args.seed + 1)
    names = [f"Person {rng.randrange(args.people):05d}"
             for _ in range(args.queries + args.warmup)]
    result = {
        "people": args.people, "sources": args.sources, "queries": args.queries,
        "facts": timed(lambda n: views.facts(store, n), names, args.warmup),
        "timeline": timed(lambda n: views.timeline(store, n), names, args.warmup),
        "entity_history": timed(lambda n: views.entity_history(store, n), names, args.warmup)}
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
