"""Evidence retrieval per mode for ``asof eval locomo``: recall@1/5/10 and MRR of the gold
turns, for each way of ranking a conversation's turns, side by side in one run.

- ``bm25``: the store's full-text search over the raw turns (the baseline);
- ``lexical``: asof's ranking without vectors (:func:`bench.evals.locomo_rank.rank_turns`: words,
  full text, speakers, times, facts);
- ``vector``: the turns by cosine between the question and the turn (the configured embedding
  model, question embedded as a query);
- ``rrf``: ``lexical`` and ``vector`` fused by reciprocal rank fusion (constant ``RRF_K``),
  the rule ``asof search --mode hybrid`` applied until 6 December;
- ``hybrid``: asof's ranking with the embedding similarity as one more feature of its score
  (weighted as the bm25 feature is) and the turns closest by embedding added to its candidate
  pool (:func:`bench.evals.locomo_rank.rank_turns` with ``similarity``);
- ``search``: what the product's ``asof search --mode hybrid`` (and the passages of ``ask``)
  return for the question as asked (:func:`query.retrieval.retrieve`), a fact standing for
  the turns it was extracted from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from asof.graph.store import GraphStore
from asof.query.embedding import Embedder
from asof.query.retrieval import POOL, Mode, retrieve

MODES = ("bm25", "lexical", "vector", "rrf", "hybrid", "search")
#: The RRF constant of Cormack et al. (2009): damps the head of each list so that one list's
#: first hit does not outweigh agreement between lists.
RRF_K = 60
CUTOFFS = (1, 5, 10)


def similarities(store: GraphStore, embedder: Embedder, question: str,
                 turn_ids: Sequence[str]) -> dict[str, float]:
    """The cosine between the question (embedded as a query) and every turn, through the
    store's vector search (facts are left out: this is the turns' vectors alone)."""
    vector = embedder.embed([question], query=True)[0]
    wanted = set(turn_ids)
    hits = store.vector_search(vector, model=embedder.model_id, limit=len(turn_ids) * 3)
    return {h.id: h.score for h in hits if h.kind == "episode" and h.id in wanted}


def searched_turns(store: GraphStore, embedder: Embedder, question: str, *,
                   now: datetime) -> list[str]:
    """The turns ``asof search --mode hybrid`` ranks for ``question``, best first (a fact hit
    stands for the turns it was extracted from, where they first appear)."""
    out: dict[str, None] = {}
    for hit in retrieve(store, question, limit=POOL, embedder=embedder, mode=Mode.HYBRID,
                        now=now):
        ids = [hit.id] if hit.kind == "episode" else \
            list(hit.version.episode_ids if hit.version else ())
        out.update((i, None) for i in ids)
    return list(out)


def rrf(rankings: Sequence[Sequence[str]]) -> list[str]:
    """Reciprocal rank fusion of id rankings (ties broken by id, for a stable report)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores, key=lambda item: (-scores[item], item))


def ranks(rankings: Mapping[str, Sequence[str] | None], gold: Sequence[str]) -> dict[
        str, int | None]:
    """1-based rank of the first gold turn in each mode's ranking (``None``: not ranked or
    the mode did not run)."""
    wanted = set(gold)
    out: dict[str, int | None] = {}
    for mode, ranking in rankings.items():
        out[mode] = None if ranking is None else next(
            (i for i, item in enumerate(ranking, start=1) if item in wanted), None)
    return out


def summarise(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float | None]]:
    """recall@1/5/10 and MRR per mode over the rows' ``mode_ranks`` (a mode that did not run
    reports ``None``)."""
    out: dict[str, dict[str, float | None]] = {}
    for mode in MODES:
        ran = [r["mode_ranks"][mode] for r in rows if mode in r.get("mode_ranks_run", ())]
        n = len(ran)
        figures: dict[str, float | None] = {
            f"recall_at_{k}": round(sum(1 for x in ran if x is not None and x <= k) / n, 4)
            if n else None for k in CUTOFFS}
        figures["mrr"] = round(sum(0.0 if x is None else 1.0 / x for x in ran) / n, 4) \
            if n else None
        out[mode] = figures
    return out


def render(modes: Mapping[str, Mapping[str, float | None]]) -> list[str]:
    def fmt(value: float | None) -> str:
        return "  n/a" if value is None else f"{value:.3f}"

    lines = ["  evidence retrieval by mode (same questions, same run):",
             "    mode       recall@1  recall@5  recall@10  MRR"]
    for mode in MODES:
        f = modes[mode]
        lines.append(f"    {mode:<10} {fmt(f['recall_at_1']):>8}  {fmt(f['recall_at_5']):>8}  "
                     f"{fmt(f['recall_at_10']):>9}  {fmt(f['mrr'])}")
    return lines
