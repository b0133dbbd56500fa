"""Hybrid retrieval: full text and vectors fused by reciprocal rank fusion (RRF).

``lexical`` is the store's full-text search (FTS5 bm25 / Lucene); ``vector`` its
nearest-neighbour search over embeddings of episode texts and fact sentences; ``hybrid`` ranks
every hit of either list by ``sum(1 / (RRF_K + rank))`` over the lists it is in, so a hit both
find comes first and neither list's raw scores need calibrating against the other. A fact
whose valid-time interval overlaps a time the query names ("in June 2023") gains
:data:`TIME_BOOST`. The temporal filters (``valid_at``, ``known_at``) apply inside each list,
before its limit, so "what did we know in March" never sees what was recorded later.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from asof.graph.contract import Capability, SearchHit
from asof.graph.errors import InvalidInputError
from asof.graph.store import GraphStore
from asof.query.embedding import Embedder
from asof.timex import TimeValue, find_times

__all__ = ["POOL", "RRF_K", "TIME_BOOST", "Mode", "fuse", "retrieve"]


class Mode(StrEnum):
    LEXICAL = "lexical"
    VECTOR = "vector"
    HYBRID = "hybrid"


#: The RRF constant of Cormack et al. (2009): damps the head of each list so that one list's
#: first hit does not outweigh agreement between lists.
RRF_K = 60
#: Hits each list contributes before fusion (then cut to the caller's limit).
POOL = 50
#: Half a first place in one list: enough to order otherwise tied hits by the question's
#: time, not enough to lift a hit that only one list found far down.
TIME_BOOST = 0.5 / (RRF_K + 1)


def vectors_available(store: GraphStore, embedder: Embedder | None) -> bool:
    return embedder is not None and store.supports(Capability.VECTOR)


def fuse(rankings: Sequence[Sequence[SearchHit]], *,
         periods: Sequence[TimeValue] = ()) -> list[SearchHit]:
    """RRF over ``rankings`` (each best first); hits are the same when kind and id are.
    The fused score replaces each hit's own."""
    scores: dict[tuple[str, str], float] = {}
    first: dict[tuple[str, str], SearchHit] = {}
    key: tuple[str, str]
    for ranking in rankings:
        for rank, hit in enumerate(ranking, start=1):
            key = (hit.kind, hit.id)
            scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + rank)
            first.setdefault(key, hit)
    for key, hit in first.items():
        if hit.version is not None and any(_overlaps(hit, p) for p in periods):
            scores[key] += TIME_BOOST
    ordered = sorted(scores, key=lambda key: (-scores[key], key))
    return [SearchHit(kind=first[k].kind, id=first[k].id, score=round(scores[k], 6),
                      text=first[k].text, episode=first[k].episode, version=first[k].version)
            for k in ordered]


def _overlaps(hit: SearchHit, wanted: TimeValue) -> bool:
    version = hit.version
    assert version is not None
    starts_before_end = version.valid_from is None or version.valid_from < wanted.end
    ends_after_start = version.valid_to is None or wanted.start < version.valid_to
    return starts_before_end and ends_after_start


def retrieve(store: GraphStore, text: str, *, limit: int, embedder: Embedder | None,
             mode: Mode | None = None, valid_at: datetime | None = None,
             known_at: datetime | None = None, now: datetime | None = None) -> list[SearchHit]:
    """The ``limit`` best hits for ``text`` in ``mode`` (``None``: hybrid when the store keeps
    vectors and an embedder is configured, else lexical). ``now`` resolves relative times in
    the text for the time boost (default: the store's clock)."""
    usable = vectors_available(store, embedder)
    if mode is None:
        mode = Mode.HYBRID if usable else Mode.LEXICAL
    if mode is not Mode.LEXICAL and not usable:
        why = ("no embedding model is configured (ASOF_EMBEDDER)" if embedder is None
               else "this store keeps no vectors")
        raise InvalidInputError(f"search mode {mode.value!r} needs vectors, but {why}: "
                                "use --mode lexical")
    pool = max(limit, POOL)
    rankings: list[list[SearchHit]] = []
    if mode is not Mode.VECTOR:
        rankings.append(store.search(text, limit=pool, valid_at=valid_at, known_at=known_at))
    if mode is not Mode.LEXICAL:
        assert embedder is not None
        vector = embedder.embed([text], query=True)[0]
        rankings.append(store.vector_search(vector, model=embedder.model_id, limit=pool,
                                            valid_at=valid_at, known_at=known_at))
    if mode is not Mode.HYBRID:  # one list: its own scores (bm25, or the cosine)
        return rankings[0][:limit]
    reference = now or known_at or store.clock.now()
    periods = [m.value for m in find_times(text, reference)]
    return fuse(rankings, periods=periods)[:limit]
