"""Vectors as SQLite blobs and the exact nearest-neighbour scan over them (numpy).

A vector is stored as little-endian float32, L2-normalised, so the cosine of two vectors is
their dot product and one matrix product scores every candidate.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from asof.graph.contract import Embedding
from asof.graph.errors import InvalidInputError

__all__ = ["nearest", "query", "row"]

_FLOAT32 = np.dtype("<f4")


def _normalised(vector: Sequence[float], what: str) -> npt.NDArray[np.float32]:
    array = np.asarray(vector, dtype=_FLOAT32)
    if array.ndim != 1 or array.size == 0:
        raise InvalidInputError(f"{what}: a vector must be a non-empty list of numbers")
    if not np.all(np.isfinite(array)):
        raise InvalidInputError(f"{what}: a vector must hold finite numbers only")
    norm = float(np.linalg.norm(array))
    if norm == 0.0:
        raise InvalidInputError(f"{what}: the zero vector has no direction to compare")
    return (array / norm).astype(_FLOAT32)


def row(item: Embedding) -> tuple[str, str, int, bytes]:
    """``(kind, id, dim, blob)`` of an embedding, normalised."""
    if item.kind not in ("episode", "fact"):
        raise InvalidInputError(f"embedding kind must be 'episode' or 'fact', got {item.kind!r}")
    array = _normalised(item.vector, f"embedding of {item.kind} {item.id!r}")
    return item.kind, item.id, int(array.size), array.tobytes()


def query(vector: Sequence[float]) -> npt.NDArray[np.float32]:
    """The query vector, checked and normalised."""
    return _normalised(vector, "query vector")


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
