"""The reads behind ``GraphStore.facts``: which version queries a question by names makes,
and the order its answer comes in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from asof.graph.contract import VersionQuery
from asof.graph.ids import could_be_entity_id, normalize_name
from asof.graph.instants import LATEST, require_aware, start_us
from asof.graph.models import FactVersion

if TYPE_CHECKING:
    from asof.graph.store import GraphStore


def fact_queries(store: GraphStore, subject: str | None, predicate: str | None,
                 obj: str | None, valid_at: datetime | None, known_at: datetime | None,
                 limit: int | None) -> list[VersionQuery]:
    """The version reads that answer ``store.facts(subject, predicate, obj, ...)``: one per
    subject id, object id and literal the names stand for. A subject by name is resolved in
    the versions' own read (``subject_key``); by id, here."""
    now = store._now()
    valid = require_aware(valid_at, "valid_at") if valid_at is not None else now
    known = require_aware(known_at, "known_at") if known_at is not None else LATEST
    if predicate is not None:
        store.registry.get(predicate)
    objects = store.entity_ids(obj)
    if objects == [] and obj is not None and not normalize_name(obj):
        return []
    subjects: list[dict[str, Any]] = [{}]
    if subject is not None and could_be_entity_id(subject):
        subjects = [{"subject_id": s} for s in store.entity_ids(subject) or []]
    elif subject is not None:
        subjects = [{"subject_key": normalize_name(subject)}] if normalize_name(
            subject) else []
    window: dict[str, Any] = {"predicate": predicate, "valid_at": valid, "known_at": known,
                              "live_at": now if valid_at is None else None, "limit": limit}
    queries = []
    for by in subjects:
        if obj is None:
            queries.append(VersionQuery(**by, **window))
            continue
        queries += [VersionQuery(**by, object_id=o, **window) for o in objects or []]
        queries.append(VersionQuery(**by, object_value=obj, **window))
    return queries


def in_fact_order(versions: Sequence[FactVersion], limit: int | None) -> list[FactVersion]:
    """``versions`` once each, by subject, predicate, valid-time start and recording, the
    first ``limit``."""
    seen = {v.version_id: v for v in reversed(versions)}  # the first of each id wins
    out = sorted(seen.values(), key=lambda v: (v.subject_id, v.predicate, start_us(
        v.valid_from), v.recorded_at, v.version_id))
    return out[:limit] if limit is not None else out
