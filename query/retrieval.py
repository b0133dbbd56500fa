"""Hybrid retrieval: full text and vectors fused by reciprocal rank fusion (RRF).

``lexical`` is the store's full-text search (FTS5 bm25 / Lucene); ``vector`` its
nearest-neighbour search over embeddings of episode texts and fact sentences; ``hybrid`` ranks
every hit of either list by ``sum(1 / (RRF_K + rank))`` over the lists it is in, so a hit both
find comes first and neither list's raw scores need calibrating against the other. A fact
whose valid-time interval overlaps a time the query names ("in June 2023"), or a message said
in it, gains :data:`TIME_BOOST`. The temporal filters (``valid_at``, ``known_at``) apply inside
each list, before its limit, so "what did we know in March" never sees what was recorded later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from asof.graph.contract import Capability, SearchHit
from asof.graph.errors import InvalidInputError
from asof.graph.store import GraphStore
from asof.query.embedding import Embedder
from asof.timex import TimeValue, find_times

__all__ = ["FUNCTION_WORDS", "PASSAGES", "POOL", "RRF_K", "TIME_BOOST", "Mode", "content_words",
           "fuse", "related_messages", "retrieve"]


class Mode(StrEnum):
    LEXICAL = "lexical"
    VECTOR = "vector"
    HYBRID = "hybrid"


#: The RRF constant of Cormack et al. (2009): damps the head of each list so that one list's
#: first hit does not outweigh agreement between lists.
RRF_K = 60
#: Hits each list contributes before fusion (then cut to the caller's limit).
POOL = 50
#: Messages an answer of ``ask`` carries beside its evidence.
PASSAGES = 5
#: Half a first place in one list: enough to order otherwise tied hits by the question's
#: time, not enough to lift a hit that only one list found far down.
TIME_BOOST = 0.5 / (RRF_K + 1)


#: English function words: in hybrid mode the full-text list is asked for the other words of
#: the query, because a full-text hit on "a" or "when" alone ranks in that list at par with
#: the vector list's best hit, and RRF sees ranks, not scores.
FUNCTION_WORDS = frozenset("""
a an the and or but if of to in on at by for with from about as into than then so not no
i me my we our you your he him his she her it its they them their this that these those
is am are was were be been being do does did done have has had will would can could shall
should may might must what when where which who whom whose why how there here s t d ll ve
""".split())


def content_words(text: str) -> str:
    """``text`` without its :data:`FUNCTION_WORDS` (words are letter/digit runs)."""
    return " ".join(w for w in re.findall(r"[^\W_]+", text) if w.lower() not in FUNCTION_WORDS)


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
        if any(_in_period(hit, p) for p in periods):
            scores[key] += TIME_BOOST
    ordered = sorted(scores, key=lambda key: (-scores[key], key))
    return [SearchHit(kind=first[k].kind, id=first[k].id, score=round(scores[k], 6),
                      text=first[k].text, episode=first[k].episode, version=first[k].version)
            for k in ordered]


def _in_period(hit: SearchHit, wanted: TimeValue) -> bool:
    """A fact whose valid-time interval overlaps the period, or a message said in it."""
    if hit.episode is not None:
        return wanted.start <= hit.episode.occurred_at < wanted.end
    version = hit.version
    if version is None:
        return False
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
        words = text if mode is Mode.LEXICAL else content_words(text)
        rankings.append(store.search(words, limit=pool, valid_at=valid_at, known_at=known_at)
                        if words else [])
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


def related_messages(store: GraphStore, text: str, *, embedder: Embedder | None,
                     known_at: datetime | None = None, now: datetime | None = None,
                     limit: int = PASSAGES) -> list[SearchHit]:
    """The ``limit`` messages closest to ``text`` (hybrid when vectors are available, else
    full text), recorded by ``known_at``: the passages ``ask`` returns beside its answer, so
    that an agent's own model can read what was said where the structured answer is thin
    ("nothing known", a paraphrase no fact captured)."""
    hits = retrieve(store, text, limit=max(limit, POOL), embedder=embedder,
                    known_at=known_at, now=now)
    return [hit for hit in hits if hit.kind == "episode"][:limit]
