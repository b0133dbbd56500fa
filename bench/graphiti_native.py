"""What Graphiti's *own* ingestion would store for the workload, and how its filters then score.

    python -m bench.graphiti_native --versions 100000 [--json]

``bench.vs_graphiti`` loads Graphiti with the workload's materialised bitemporal versions (one
immutable edge per version): the most favourable input it can get, which its LLM pipeline never
produces. This module replays the same statements through Graphiti's edge-invalidation rules,
copied from graphiti-core 0.31 ``utils/maintenance/edge_operations.py``
(``_apply_temporal_invalidation`` and ``resolve_edge_contradictions``), in memory, assuming a
*perfect* LLM (every statement extracted exactly, every contradiction found):

- an assertion is a new edge: ``valid_at`` = start, ``invalid_at`` = stated end,
  ``created_at`` = transaction time; an edge that arrives with an end is expired at once
  (``expired_at = now``);
- for ``one`` relations (works_at, lives_in) the subject's other edges of that relation are the
  invalidation candidates: a candidate that starts later ends the new edge (``invalid_at`` =
  its start, ``expired_at = now``); an older candidate is ended by the new edge
  (``invalid_at`` = new start, ``expired_at = now``), both *in place*;
- a retraction ("left Acme in May") is the LLM dating the end of the current edge: in place,
  ``invalid_at`` = the stated time, ``expired_at = now``;
- a correction expires the wrong edge (``expired_at = now``) and adds the corrected one, which
  goes through the rules above.

Then every benchmark query is answered with the same ``SearchFilters`` as in the live run, in
memory (so this measures the data model, not latency), three ways: all four filters; without
the ``expired_at`` filter; valid time only.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import datetime

from bench.workload import ONE, Query, Workload, generate, sample_queries


@dataclass
class Edge:
    subject: str
    predicate: str
    object: str
    valid_at: datetime | None
    invalid_at: datetime | None
    created_at: datetime
    expired_at: datetime | None = None


def replay(w: Workload) -> dict[tuple[str, str, str], list[Edge]]:
    edges: dict[tuple[str, str, str], list[Edge]] = {}
    for b in w.batches:
        now = b.recorded_at
        for s in b.statements:
            key = (b.tenant, s.subject, s.predicate)
            group = edges.setdefault(key, [])
            if s.kind == "retract":
                for e in group:
                    if e.object == s.object and e.invalid_at is None and e.expired_at is None:
                        e.invalid_at = s.valid_from
                        e.expired_at = now
                continue
            if s.kind == "correct":
                wrong = s.corrects or s.object
                for e in group:
                    if e.object == wrong and e.expired_at is None:
                        e.expired_at = now
            new = Edge(s.subject, s.predicate, s.object, s.valid_from, s.valid_to, now)
            candidates = [e for e in group if ONE[s.predicate] and e.object != s.object
                          and e.expired_at is None]
            _apply_temporal_invalidation(new, candidates, now)
            group.append(new)
    return edges


def _apply_temporal_invalidation(new: Edge, candidates: list[Edge], now: datetime) -> None:
    # graphiti-core 0.31 edge_operations._apply_temporal_invalidation, verbatim in logic
    if new.invalid_at and not new.expired_at:
        new.expired_at = now
    if new.expired_at is None:
        for c in sorted(candidates, key=lambda c: (c.valid_at is None, c.valid_at or now)):
            if c.valid_at is not None and new.valid_at is not None and c.valid_at > new.valid_at:
                new.invalid_at = c.valid_at
                new.expired_at = now
                break
    # resolve_edge_contradictions
    for e in candidates:
        if (e.invalid_at is not None and new.valid_at is not None
                and e.invalid_at <= new.valid_at) or (
                e.valid_at is not None and new.invalid_at is not None
                and new.invalid_at <= e.valid_at):
            continue
        if e.valid_at is not None and new.valid_at is not None and e.valid_at < new.valid_at:
            e.invalid_at = new.valid_at
            e.expired_at = e.expired_at if e.expired_at is not None else now


def answer(group: list[Edge], t: datetime, k: datetime, mode: str) -> set[str]:
    out = set()
    for e in group:
        if not ((e.valid_at is None or e.valid_at <= t)
                and (e.invalid_at is None or e.invalid_at > t)):
            continue
        if mode in ("all", "no_expired") and not e.created_at <= k:
            continue
        if mode == "all" and not (e.expired_at is None or e.expired_at > k):
            continue
        out.add(e.object)
    return out


def score(w: Workload, queries: list[Query]) -> dict[str, object]:
    edges = replay(w)
    out: dict[str, object] = {"edges": sum(len(g) for g in edges.values())}
    for mode in ("all", "no_expired", "valid_only"):
        ok = hard = hard_ok = 0
        for q in queries:
            got = answer(edges.get((q.tenant, q.subject, q.predicate), []), q.valid_at,
                         q.known_at, mode)
            right = got == set(q.expected)
            ok += right
            if q.needs_known_at:
                hard += 1
                hard_ok += right
        easy = len(queries) - hard
        out[mode] = {"correct": round(ok / len(queries), 4),
                     "correct_valid_time_only": round((ok - hard_ok) / easy, 4) if easy else None,
                     "correct_needs_known_at": round(hard_ok / hard, 4) if hard else None}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.graphiti_native")
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    w = generate(args.versions, seed=args.seed, run="bench")
    result = score(w, sample_queries(w, args.queries, args.seed + 2))
    print(json.dumps(result, indent=2) if args.json else result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
