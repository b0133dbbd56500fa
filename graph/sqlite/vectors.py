"""Vectors as SQLite blobs and the exact nearest-neighbour scan over them (numpy).

A vector is stored as little-endian float32, L2-normalised, so the cosine of two vectors is
their dot product and one matrix product scores every candidate.

Handing every candidate's 1.5 kB blob from SQLite to Python was nearly all of a scan's time
(docs/retrieval.md), so a store keeps the vectors it has read in memory (:class:`VectorCache`):
a scan asks SQLite only for the row keys that pass its filters and reads the blobs of rows it
has not seen. A stored vector never changes (rows are inserted once, erasure deletes them), so
a row key and the id stored under it identify a vector; a key SQLite hands out again after its
row was deleted comes with another id and is read again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from asof.graph.adapter_helpers import check_embedding, unit_vector
from asof.graph.contract import Embedding

__all__ = ["VectorCache", "query", "row", "top"]

_FLOAT32 = np.dtype("<f4")


def row(item: Embedding) -> tuple[str, str, int, bytes]:
    """``(kind, id, dim, blob)`` of an embedding, normalised."""
    array = check_embedding(item).astype(_FLOAT32)
    return item.kind, item.id, int(array.size), array.tobytes()


def query(vector: Sequence[float]) -> npt.NDArray[np.float32]:
    """The query vector, checked and normalised."""
    return unit_vector(vector, "query vector").astype(_FLOAT32)


def top(keys: Sequence[tuple[str, str]], parts: Sequence[npt.NDArray[np.float32]],
        limit: int) -> list[tuple[str, str, float]]:
    """The ``limit`` best of ``keys`` (``(kind, id)``) by their scores (``parts``, one array
    per run of keys, in order), as ``(kind, id, cosine)``, best first (ties: kind, then id)."""
    if not keys or limit <= 0:
        return []
    scores = np.concatenate(parts)
    keep = min(limit, len(keys))
    best = np.argpartition(-scores, keep - 1)[:keep] if keep < len(keys) else np.arange(len(keys))
    ranked = sorted(((float(scores[i]), keys[i][0], keys[i][1]) for i in best),
                    key=lambda t: (-t[0], t[1], t[2]))
    return [(kind, row_id, score) for score, kind, row_id in ranked]


class _Rows:
    """The vectors of one (tenant, model, kind, dimension): a matrix grown as rows are read."""

    def __init__(self, dim: int) -> None:
        self.row_of: dict[int, int] = {}  #: row key (``embeddings.pk``) → matrix row
        self.ids: list[str] = []  #: the id stored under each matrix row
        self.matrix = np.zeros((0, dim), dtype=_FLOAT32)
        self.size = 0

    def put(self, pk: int, row_id: str, blob: bytes) -> None:
        vector = np.frombuffer(blob, dtype=_FLOAT32)
        at = self.row_of.get(pk)
        if at is None:
            if self.size == len(self.matrix):
                grown = np.zeros((max(64, 2 * self.size), self.matrix.shape[1]), dtype=_FLOAT32)
                grown[:self.size] = self.matrix[:self.size]
                self.matrix = grown
            at = self.size
            self.size += 1
            self.row_of[pk] = at
            self.ids.append(row_id)
        else:
            self.ids[at] = row_id
        self.matrix[at] = vector


#: Reads ``(pk, id, blob)`` of the given row keys.
Loader = Callable[[list[int]], list[tuple[int, str, bytes]]]


class VectorCache:
    """The vectors a store's scans have read, by (tenant, model, kind, dimension). One per
    store and its tenant clones; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sets: dict[tuple[str, str, str, int], _Rows] = {}

    def scores(self, key: tuple[str, str, str, int], rows: Sequence[tuple[int, str]],
               target: npt.NDArray[np.float32], load: Loader) -> npt.NDArray[np.float32]:
        """The cosine of ``target`` with the vector of each row ``(pk, id)``, in order;
        ``load`` reads the rows not yet in memory (or whose key now holds another id)."""
        with self._lock:
            kept = self._sets.get(key)
            if kept is None:
                kept = self._sets[key] = _Rows(key[3])
            missing = [pk for pk, row_id in rows if (at := kept.row_of.get(pk)) is None or
                       kept.ids[at] != row_id]
            for start in range(0, len(missing), 500):
                for pk, row_id, blob in load(missing[start:start + 500]):
                    kept.put(pk, row_id, blob)
            if not rows:
                return np.zeros(0, dtype=_FLOAT32)
            every = kept.matrix[:kept.size] @ target
            return every[np.fromiter((kept.row_of[pk] for pk, _ in rows), dtype=np.int64,
                                     count=len(rows))]

    def forget(self, tenant: str) -> None:
        """Drop what is kept of ``tenant`` (its rows were erased or rewritten)."""
        with self._lock:
            for key in [k for k in self._sets if k[0] == tenant]:
                del self._sets[key]

