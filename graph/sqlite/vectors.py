"""Vectors as SQLite blobs and the exact nearest-neighbour scan over them (numpy).

A vector is stored as little-endian float32, L2-normalised, so the cosine of two vectors is
their dot product and one matrix product scores every candidate.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from asof.graph.adapter_helpers import check_embedding, unit_vector
from asof.graph.contract import Embedding

__all__ = ["nearest", "query", "row"]

_FLOAT32 = np.dtype("<f4")


def row(item: Embedding) -> tuple[str, str, int, bytes]:
    """``(kind, id, dim, blob)`` of an embedding, normalised."""
    array = check_embedding(item).astype(_FLOAT32)
    return item.kind, item.id, int(array.size), array.tobytes()


def query(vector: Sequence[float]) -> npt.NDArray[np.float32]:
    """The query vector, checked and normalised."""
    return unit_vector(vector, "query vector").astype(_FLOAT32)


def nearest(target: npt.NDArray[np.float32], candidates: Sequence[tuple[str, str, bytes]],
            limit: int) -> list[tuple[str, str, float]]:
    """The ``limit`` candidates ``(kind, id, blob)`` closest to ``target``, as
    ``(kind, id, cosine)``, best first (ties: kind, then id)."""
    if not candidates or limit <= 0:
        return []
    matrix = np.frombuffer(b"".join(blob for _, _, blob in candidates), dtype=_FLOAT32)
    scores = matrix.reshape(len(candidates), target.size) @ target
    keep = min(limit, len(candidates))
    top = np.argpartition(-scores, keep - 1)[:keep] if keep < len(candidates) \
        else np.arange(len(candidates))
    ranked = sorted(((float(scores[i]), candidates[i][0], candidates[i][1]) for i in top),
                    key=lambda t: (-t[0], t[1], t[2]))
    return [(kind, row_id, score) for score, kind, row_id in ranked]
