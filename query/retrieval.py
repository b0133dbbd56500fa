"""Retrieval in three modes: full text, vectors, and both ranked together.

``lexical`` is the store's full-text search (FTS5 bm25 / Lucene); ``vector`` its
nearest-neighbour search over embeddings of episode texts and fact sentences; ``hybrid`` takes
both lists and the exchanges around their messages and ranks them by a fixed linear score
(:mod:`query.ranking`). The temporal filters (``valid_at``, ``known_at``) apply inside each
list, before its limit, and to the exchanges read around a hit, so "what did we know in March"
never sees what was recorded later.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from asof.graph.contract import Capability, SearchHit
from asof.graph.errors import InvalidInputError
from asof.graph.store import GraphStore
from asof.query.embedding import Embedder
from asof.query.ranking import BACKGROUND, content_words, rank
from asof.timex import find_times

__all__ = ["PASSAGES", "POOL", "Mode", "related_messages", "retrieve", "vectors_available"]


class Mode(StrEnum):
    LEXICAL = "lexical"
    VECTOR = "vector"
    HYBRID = "hybrid"


#: Hits each list contributes to the hybrid ranking (then cut to the caller's limit).
POOL = 50
#: Messages an answer of ``ask`` carries beside its evidence.
PASSAGES = 5


def vectors_available(store: GraphStore, embedder: Embedder | None) -> bool:
    return embedder is not None and store.supports(Capability.VECTOR)


def retrieve(store: GraphStore, text: str, *, limit: int, embedder: Embedder | None,
             mode: Mode | None = None, valid_at: datetime | None = None,
             known_at: datetime | None = None, now: datetime | None = None) -> list[SearchHit]:
    """The ``limit`` best hits for ``text`` in ``mode`` (``None``: hybrid when the store keeps
    vectors and an embedder is configured, else lexical). ``now`` resolves relative times in
    the text for the ranking's period feature (default: the store's clock)."""
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
        # hybrid asks the full text for the query's content words: a hit on "a" or "when"
        # alone would count as a full-text match
        words = text if mode is Mode.LEXICAL else content_words(text)
        rankings.append(store.search(words, limit=pool, valid_at=valid_at, known_at=known_at)
                        if words else [])
    if mode is not Mode.LEXICAL:
        assert embedder is not None
        vector = embedder.embed([text], query=True)[0]
        # hybrid reads deeper than its candidates: the cosine is standardised over them all
        deep = pool if mode is Mode.VECTOR else max(pool, BACKGROUND)
        rankings.append(store.vector_search(vector, model=embedder.model_id, limit=deep,
                                            valid_at=valid_at, known_at=known_at))
    if mode is not Mode.HYBRID:  # one list: its own scores (bm25, or the cosine)
        return rankings[0][:limit]
    reference = now or known_at or store.clock.now()
    periods = [m.value for m in find_times(text, reference)]
    return rank(store, text, rankings[0], rankings[1], pool=pool, periods=periods,
                known_at=known_at)[:limit]


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
