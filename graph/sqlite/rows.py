"""Rows of the SQLite adapter: models to statement parameters and back, the ``find_versions``
statement assembled from its fragments, and the entity reads the store and the write
transaction share.

Reads validate every row back into its model (pydantic's validator is faster than
``model_construct`` and catches rows edited behind the store's back: :class:`IntegrityError`).
The write transaction's version reads (``current_versions``, ``expired_versions``) are not
enriched with episode ids or names: the write rules do not need them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Final, TypeVar

from pydantic import ValidationError

from asof.graph.adapter_helpers import ERASED_TEXT
from asof.graph.contract import Source, VersionQuery
from asof.graph.errors import IntegrityError, InvalidInputError
from asof.graph.ids import canonical_json
from asof.graph.instants import MAX_US, MIN_US, from_us, from_us_from_start, from_us_to_end, to_us
from asof.graph.models import AuditEvent, Claim, Entity, Episode, FactVersion
from asof.graph.sqlite import sql

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)

# find_versions names the index it relies on (INDEXED BY): the tenant column leads every index
# and, without statistics, SQLite would rather scan a tenant in ORDER BY order than narrow by
# fact_key or object. Naming the index also turns a lost index into an error, not a slow scan.
# NOT INDEXED (an entity's versions) still allows the rowid lookups of fragment/entity_versions.
_VERSIONS_FROM: Final = {
    "fact_key": "FROM versions AS v INDEXED BY versions_by_fact_key",
    "subject": "FROM versions AS v INDEXED BY versions_by_subject",
    "object": "FROM versions AS v INDEXED BY versions_by_object",
    "entity": "FROM versions AS v NOT INDEXED",
    "any": "FROM versions AS v",
}
_VERSIONS_ORDER: Final = (
    "ORDER BY v.subject_id, v.predicate, v.valid_from, v.recorded_at, v.version_id LIMIT ?")


def version_sql(tenant: str, query: VersionQuery) -> tuple[str, list[Any]]:
    """The statement and parameters of a :class:`VersionQuery`: ``fragment/version_columns``,
    the FROM clause of the index that serves it, ``fragment/version_joins`` and the filters it
    sets. Values are only ever parameters."""
    where = ["v.tenant = ?"]
    params: list[Any] = [tenant]
    for column, value in (
        ("v.subject_id = ?", query.subject_id),
        ("v.predicate = ?", query.predicate),
        ("v.object_id = ?", query.object_id),
        ("v.object_value = ?", query.object_value),
        ("v.fact_key = ?", query.fact_key),
    ):
        if value is not None:
            where.append(column)
            params.append(value)
    if query.subject_key is not None:
        where.append(sql.load("fragment/subject_key_versions"))
        params += [tenant, query.subject_key, tenant, query.subject_key]
    if query.entity_id is not None:
        where.append(sql.load("fragment/entity_versions"))
        params += [tenant, query.entity_id, tenant, query.entity_id]
    if query.valid_at is not None:
        at = to_us(query.valid_at)
        where.append("v.valid_from <= ? AND ? < v.valid_to")
        params += [at, at]
    if query.known_at is not None:
        at = to_us(query.known_at)
        where.append("v.recorded_at <= ? AND ? < v.superseded_at")
        params += [at, at]
    if query.live_at is not None:
        where.append("? < v.expires_at")
        params.append(to_us(query.live_at))
    if query.limit is not None and query.limit < 0:
        raise InvalidInputError(f"limit: must be >= 0, got {query.limit}")
    params.append(-1 if query.limit is None else query.limit)
    if query.fact_key is not None:
        source = "fact_key"
    elif query.subject_id is not None or query.subject_key is not None:
        source = "subject"
    elif query.object_id is not None:
        source = "object"
    elif query.entity_id is not None:
        source = "entity"
    else:
        source = "any"
    statement = "\n".join((sql.load("fragment/version_columns"), _VERSIONS_FROM[source],
                           sql.load("fragment/version_joins"), "WHERE " + " AND ".join(where),
                           _VERSIONS_ORDER))
    return statement, params


# --------------------------------------------------------------------------- value translation


def us(value: datetime) -> int:
    """:func:`graph.instants.to_us`, with a fast path for the UTC instants models hold
    (a batch converts several per row)."""
    if value.tzinfo is UTC:
        delta = value - _EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return to_us(value)


def _start_us(value: datetime | None) -> int:
    return MIN_US if value is None else us(value)


def _end_us(value: datetime | None) -> int:
    return MAX_US if value is None else us(value)


def ids_param(ids: Iterable[str]) -> str:
    """A list of ids as one parameter, expanded in SQL by ``json_each``."""
    return json.dumps(list(ids), ensure_ascii=False)


M = TypeVar("M", FactVersion, Claim, Episode, AuditEvent)


def _load(model: type[M], data: dict[str, Any]) -> M:
    """Validate a stored row (pydantic's validator is also faster than ``model_construct``);
    a row that no longer validates was changed behind the store's back."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise IntegrityError(f"stored {model.__name__} row is invalid: {exc}") from exc
def version(row: Sequence[Any]) -> FactVersion:
    episode_ids = sorted(i for i in json.loads(row[20]) if i is not None) if row[20] else ()
    return _load(FactVersion, {
        "version_id": row[0], "tenant": row[1], "fact_key": row[2], "subject_id": row[3],
        "predicate": row[4], "object_id": row[5], "object_value": row[6],
        "valid_from": from_us_from_start(row[7]), "valid_to": from_us_to_end(row[8]),
        "valid_from_basis": row[9], "granularity": row[10], "recorded_at": from_us(row[11]),
        "superseded_at": from_us_to_end(row[12]), "supersedes": row[13],
        "expires_at": from_us_to_end(row[14]), "extractor": row[15], "confidence": row[16],
        "evidence": row[17], "episode_ids": tuple(episode_ids), "subject_name": row[18],
        "object_name": row[19],
    })


def version_params(tenant: str, v: FactVersion) -> tuple[Any, ...]:
    return (
        tenant, v.version_id, v.fact_key, v.subject_id, v.predicate, v.object_id,
        v.object_value, _start_us(v.valid_from), _end_us(v.valid_to), v.valid_from_basis.value,
        None if v.granularity is None else v.granularity.value, us(v.recorded_at),
        _end_us(v.superseded_at), v.supersedes, _end_us(v.expires_at), v.extractor,
        float(v.confidence), v.evidence,
    )


def claim(row: Sequence[Any]) -> Claim:
    return _load(Claim, {
        "claim_id": row[0], "tenant": row[1], "subject_id": row[2], "predicate": row[3],
        "object_key": row[4], "object_id": row[5], "object_value": row[6],
        "retraction": bool(row[7]), "valid_from": from_us_from_start(row[8]),
        "valid_to": from_us_to_end(row[9]), "basis": row[10], "granularity": row[11],
        "observed_at": from_us(row[12]), "episode_id": row[13], "recorded_at": from_us(row[14]),
        "superseded_at": from_us_to_end(row[15]), "confidence": row[16], "evidence": row[17],
        "extractor": row[18],
    })


def claim_params(tenant: str, c: Claim) -> tuple[Any, ...]:
    return (
        tenant, c.claim_id, c.subject_id, c.predicate, c.object_key, c.object_id,
        c.object_value, int(c.retraction), _start_us(c.valid_from), _end_us(c.valid_to),
        c.basis.value, None if c.granularity is None else c.granularity.value,
        us(c.observed_at), c.episode_id, us(c.recorded_at), _end_us(c.superseded_at),
        float(c.confidence), c.evidence, c.extractor,
    )


def episode(row: Sequence[Any]) -> Episode:
    redacted = bool(row[9])
    return _load(Episode, {
        "id": row[0], "tenant": row[1], "conversation_id": row[2], "speaker": row[3],
        "role": row[4], "occurred_at": from_us(row[5]),
        "text": ERASED_TEXT if redacted else row[6], "ingested_at": from_us_from_start(row[7]),
        "metadata": json.loads(row[8]),
    })


def episode_params(tenant: str, e: Episode) -> tuple[Any, ...]:
    return (
        tenant, e.id, e.conversation_id, e.speaker, e.role.value, us(e.occurred_at), e.text,
        _start_us(e.ingested_at), canonical_json(e.metadata),
    )


def event(row: Sequence[Any]) -> AuditEvent:
    return _load(AuditEvent, {
        "seq": row[0], "tenant": row[1], "at": from_us(row[2]), "actor": row[3],
        "action": row[4], "targets": tuple(json.loads(row[5])),
        "superseded": tuple(json.loads(row[6])), "episode_id": row[7], "fact_key": row[8],
        "reason": row[9], "content_hash": row[10], "prev_hash": row[11], "hash": row[12],
        "signature": row[13], "key_id": row[14], "commitments": json.loads(row[15]),
    })


def event_params(tenant: str, e: AuditEvent) -> tuple[Any, ...]:
    return (
        tenant, e.seq, us(e.at), e.actor, e.action.value, json.dumps(list(e.targets)),
        json.dumps(list(e.superseded)), e.episode_id, e.fact_key, e.reason, e.content_hash,
        e.prev_hash, e.hash, e.signature, e.key_id, canonical_json(e.commitments),
    )



def source_params(tenant: str, s: Source) -> tuple[Any, ...]:
    return (tenant, s.version_id, s.claim_id, s.episode_id, us(s.recorded_at))


# ------------------------------------------------------------------------------------- reads
# Shared by the store (under its lock) and the write transaction.


def entities(conn: sqlite3.Connection, tenant: str, ids: Sequence[str]) -> list[Entity]:
    """Entities by id, ordered by (name, id), with their aliases in the order added."""
    if not ids:
        return []
    rows = sorted(conn.execute(sql.load("read/entities_by_id"),
                               (tenant, ids_param(dict.fromkeys(ids)))),
                  key=lambda row: (row[2], row[0]))
    return with_aliases(conn, tenant, rows)


def with_aliases(conn: sqlite3.Connection, tenant: str,
                 rows: Sequence[Sequence[Any]]) -> list[Entity]:
    if not rows:
        return []
    aliases: dict[str, list[str]] = {}
    for entity_id, alias in conn.execute(sql.load("read/aliases_of"),
                                         (tenant, ids_param(row[0] for row in rows))):
        aliases.setdefault(entity_id, []).append(alias)
    return [
        Entity.model_construct(id=row[0], tenant=row[1], name=row[2], type=row[3],
                               aliases=tuple(aliases.get(row[0], ())))
        for row in rows
    ]


def find_entities(conn: sqlite3.Connection, tenant: str, keys: Sequence[str]) -> list[Entity]:
    if not keys:
        return []
    param = ids_param(dict.fromkeys(keys))
    ids = [row[0] for row in conn.execute(sql.load("read/entity_ids_by_key"),
                                          (tenant, param, tenant, param))]
    return entities(conn, tenant, ids)
