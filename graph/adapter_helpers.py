"""Helpers both storage adapters (``graph/sqlite/``, ``graph/neo4j/``) share, so their
behaviour cannot drift apart: the text erased episodes are read back with, the search tokenizer,
ordering rows as asked and as the write rules expect, the tenant check of a write, and the check
of a vector."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final, TypeVar

import numpy as np
import numpy.typing as npt

from asof.graph.contract import Embedding
from asof.graph.errors import InvalidInputError
from asof.graph.instants import start_us, to_us
from asof.graph.models import AuditEvent, Claim, Entity, Episode, FactVersion

__all__ = ["ERASED_TEXT", "MAX_SEARCH_TERMS", "check_embedding", "check_tenant", "claim_order",
           "in_order", "search_terms", "unit_vector", "version_order"]

T = TypeVar("T")

#: The text an erased (redacted) episode is read back with (an
#: :class:`~graph.models.Episode` cannot have empty text).
ERASED_TEXT: Final = "[erased]"

#: Search terms: runs of letters/digits. Everything else (quotes, ``*``, ``:``, ``^``, ``~``,
#: parentheses, ``-``) is dropped, so full-text operators in the input are only ever words.
_SEARCH_TERM = re.compile(r"[^\W_]+")
#: At most this many distinct terms of a search text are used.
MAX_SEARCH_TERMS: Final = 32


def search_terms(text: str) -> list[str]:
    """The distinct letter/digit runs of ``text``, in order, at most :data:`MAX_SEARCH_TERMS`.
    They need no escaping inside a double-quoted full-text phrase."""
    return list(dict.fromkeys(_SEARCH_TERM.findall(text)))[:MAX_SEARCH_TERMS]


def in_order(ids: Sequence[str], found: dict[str, T]) -> list[T]:
    """``found`` in the order of ``ids`` (first occurrence), unknown ids skipped."""
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def version_order(v: FactVersion) -> tuple[int, int, str]:
    """The order the write rules read a group's current versions in: valid start (the open
    past first), then transaction time, then id."""
    return (start_us(v.valid_from), to_us(v.recorded_at), v.version_id)


def claim_order(c: Claim) -> tuple[int, str]:
    """The order the write rules read a group's current claims in: transaction time, then id."""
    return (to_us(c.recorded_at), c.claim_id)


def check_tenant(tenant: str,
                 rows: Iterable[Episode | Entity | Claim | FactVersion | AuditEvent]) -> None:
    """Refuse a row of another tenant in a write transaction of ``tenant``."""
    for row in rows:
        if row.tenant != tenant:
            raise InvalidInputError(
                f"{type(row).__name__} of tenant {row.tenant!r} written in a transaction of "
                f"tenant {tenant!r}")


def unit_vector(vector: Sequence[float], what: str) -> npt.NDArray[np.float32]:
    """``vector`` as float32 scaled to length 1 (so a dot product is the cosine); refuses an
    empty, non-finite or zero vector."""
    array = np.asarray(vector, dtype=np.float32)
    if array.ndim != 1 or array.size == 0:
        raise InvalidInputError(f"{what}: a vector must be a non-empty list of numbers")
    if not np.all(np.isfinite(array)):
        raise InvalidInputError(f"{what}: a vector must hold finite numbers only")
    norm = float(np.linalg.norm(array))
    if norm == 0.0:
        raise InvalidInputError(f"{what}: the zero vector has no direction to compare")
    return (array / norm).astype(np.float32)


def check_embedding(item: Embedding) -> npt.NDArray[np.float32]:
    """The checked, normalised vector of an embedding to store."""
    if item.kind not in ("episode", "fact"):
        raise InvalidInputError(f"embedding kind must be 'episode' or 'fact', got {item.kind!r}")
    return unit_vector(item.vector, f"embedding of {item.kind} {item.id!r}")
