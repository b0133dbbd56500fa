"""Rows of the Neo4j adapter: models to statement parameters and back, the named statement and
parameters of a ``find_versions`` query, the Lucene query of a search and the operators of a
plan."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, LiteralString

from asof.graph.adapter_helpers import ERASED_TEXT, search_terms
from asof.graph.contract import Source, VersionQuery
from asof.graph.errors import InvalidInputError
from asof.graph.ids import canonical_json, validate_tenant
from asof.graph.instants import (
    MAX_US,
    MIN_US,
    end_us,
    from_us,
    from_us_from_start,
    from_us_to_end,
    start_us,
    to_us,
)
from asof.graph.models import (
    AuditAction,
    AuditEvent,
    Basis,
    Claim,
    Entity,
    Episode,
    FactVersion,
    Granularity,
    Role,
)

#: ``LIMIT`` when a query has none (Cypher's LIMIT needs a number).
_NO_LIMIT: Final = MAX_US


def _granularity(value: str | None) -> Granularity | None:
    return None if value is None else Granularity(value)


def _episode_ids(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({v for v in values if v is not None}))


def version(p: Mapping[str, Any], episode_ids: Iterable[str | None] = (), *,
             bare: bool = False) -> FactVersion:
    """A stored ``(:Fact)`` as a version; ``bare`` leaves out the read-side enrichments (what
    the write planner reads)."""
    # Rows were validated on the way in; model_construct skips re-validating them on every read.
    return FactVersion.model_construct(
        version_id=p["version_id"], tenant=p["tenant"], fact_key=p["fact_key"],
        subject_id=p["subject_id"], predicate=p["predicate"], object_id=p.get("object_id"),
        object_value=p.get("object_value"), valid_from=from_us_from_start(p["valid_from"]),
        valid_to=from_us_to_end(p["valid_to"]), valid_from_basis=Basis(p["valid_from_basis"]),
        granularity=_granularity(p.get("granularity")), recorded_at=from_us(p["recorded_at"]),
        superseded_at=from_us_to_end(p["superseded_at"]), supersedes=p.get("supersedes"),
        expires_at=from_us_to_end(p["expires_at"]), extractor=p["extractor"],
        confidence=p["confidence"], evidence=p.get("evidence"),
        episode_ids=() if bare else _episode_ids(episode_ids),
        subject_name=None if bare else p.get("subject_name"),
        object_name=None if bare else p.get("object_name"),
    )


def version_row(v: FactVersion) -> dict[str, Any]:
    return {
        "version_id": v.version_id, "subject_id": v.subject_id, "object_id": v.object_id,
        "props": {
            "fact_key": v.fact_key, "subject_id": v.subject_id, "predicate": v.predicate,
            "object_id": v.object_id, "object_value": v.object_value,
            "valid_from": start_us(v.valid_from), "valid_to": end_us(v.valid_to),
            "valid_from_basis": v.valid_from_basis.value,
            "granularity": None if v.granularity is None else v.granularity.value,
            "recorded_at": to_us(v.recorded_at), "superseded_at": end_us(v.superseded_at),
            "supersedes": v.supersedes, "expires_at": end_us(v.expires_at),
            "extractor": v.extractor, "confidence": float(v.confidence), "evidence": v.evidence,
        },
    }


def claim(p: Mapping[str, Any]) -> Claim:
    return Claim.model_construct(
        claim_id=p["claim_id"], tenant=p["tenant"], subject_id=p["subject_id"],
        predicate=p["predicate"], object_key=p["object_key"], object_id=p.get("object_id"),
        object_value=p.get("object_value"), retraction=bool(p["retraction"]),
        valid_from=from_us_from_start(p["valid_from"]), valid_to=from_us_to_end(p["valid_to"]),
        basis=Basis(p["basis"]), granularity=_granularity(p.get("granularity")),
        observed_at=from_us(p["observed_at"]), episode_id=p.get("episode_id"),
        recorded_at=from_us(p["recorded_at"]), superseded_at=from_us_to_end(p["superseded_at"]),
        confidence=p["confidence"], evidence=p.get("evidence"), extractor=p["extractor"],
    )


def claim_row(c: Claim) -> dict[str, Any]:
    return {
        "claim_id": c.claim_id, "episode_id": c.episode_id,
        "props": {
            "subject_id": c.subject_id, "predicate": c.predicate, "object_key": c.object_key,
            "object_id": c.object_id, "object_value": c.object_value,
            "retraction": c.retraction, "valid_from": start_us(c.valid_from),
            "valid_to": end_us(c.valid_to), "basis": c.basis.value,
            "granularity": None if c.granularity is None else c.granularity.value,
            "observed_at": to_us(c.observed_at), "episode_id": c.episode_id,
            "recorded_at": to_us(c.recorded_at), "superseded_at": end_us(c.superseded_at),
            "confidence": float(c.confidence), "evidence": c.evidence,
            "extractor": c.extractor,
        },
    }


def episode(p: Mapping[str, Any]) -> Episode:
    redacted = bool(p.get("redacted"))
    return Episode.model_construct(
        id=p["id"], tenant=p["tenant"], conversation_id=p["conversation_id"],
        speaker=p["speaker"], role=Role(p["role"]), occurred_at=from_us(p["occurred_at"]),
        text=ERASED_TEXT if redacted else p["text"],
        ingested_at=from_us_from_start(p["ingested_at"]), metadata=json.loads(p["metadata"]),
    )


def episode_row(e: Episode) -> dict[str, Any]:
    return {
        "id": e.id,
        "props": {
            "conversation_id": e.conversation_id, "speaker": e.speaker, "role": e.role.value,
            "occurred_at": to_us(e.occurred_at), "text": e.text,
            "ingested_at": start_us(e.ingested_at), "metadata": canonical_json(e.metadata),
            "redacted": False,
        },
    }


def entity(r: Mapping[str, Any]) -> Entity:
    return Entity.model_construct(id=r["id"], tenant=r["tenant"], name=r["name"], type=r["type"],
                                  aliases=tuple(r["aliases"] or ()))


def event(p: Mapping[str, Any]) -> AuditEvent:
    return AuditEvent.model_construct(
        seq=p["seq"], tenant=p["tenant"], at=from_us(p["at"]), actor=p["actor"],
        action=AuditAction(p["action"]), targets=tuple(p.get("targets") or ()),
        superseded=tuple(p.get("superseded") or ()), episode_id=p.get("episode_id"),
        fact_key=p.get("fact_key"), reason=p.get("reason"), content_hash=p["content_hash"],
        prev_hash=p["prev_hash"], hash=p["hash"], signature=p.get("signature"),
        key_id=p.get("key_id"), commitments=json.loads(p.get("commitments") or "{}"),
    )


def event_row(e: AuditEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "props": {
            "at": to_us(e.at), "actor": e.actor, "action": e.action.value,
            "targets": list(e.targets), "superseded": list(e.superseded),
            "episode_id": e.episode_id, "fact_key": e.fact_key, "reason": e.reason,
            "content_hash": e.content_hash, "prev_hash": e.prev_hash, "hash": e.hash,
            "signature": e.signature, "key_id": e.key_id,
            "commitments": canonical_json(e.commitments) if e.commitments else None,
        },
    }


def source_row(s: Source) -> dict[str, Any]:
    return {"version_id": s.version_id, "claim_id": s.claim_id, "episode_id": s.episode_id,
            "recorded_at": to_us(s.recorded_at)}


def version_statement(q: VersionQuery) -> LiteralString:
    """The named statement whose index seek serves ``q`` (the other filters are residual)."""
    if q.subject_key is not None:
        if q.predicate is not None:
            return "read/versions_by_subject_key_predicate"
        return "read/versions_by_subject_key"
    if q.fact_key is not None:
        return "read/versions_by_fact_key"
    if q.subject_id is not None:
        if q.predicate is not None:
            return "read/versions_by_subject_predicate"
        return "read/versions_by_subject"
    if q.entity_id is not None:
        return "read/versions_by_entity"
    if q.object_id is not None:
        return "read/versions_by_object"
    if q.object_value is not None:
        return "read/versions_by_value"
    if q.predicate is not None:
        return "read/versions_by_predicate"
    return "read/versions_all"


def version_params(q: VersionQuery, *, with_provenance: bool = False) -> dict[str, Any]:
    """The parameters of every ``read/versions_*`` statement. Unset bounds become the
    sentinels, so each bound is always the same integer range test (no NULL logic).
    ``with_provenance``: the statements by subject key also return each version's links."""
    if q.limit is not None and q.limit < 0:
        raise InvalidInputError(f"limit: must be >= 0, got {q.limit}")
    valid = None if q.valid_at is None else to_us(q.valid_at)
    known = None if q.known_at is None else to_us(q.known_at)
    return {
        "subject_id": q.subject_id, "subject_key": q.subject_key, "predicate": q.predicate,
        "object_id": q.object_id,
        "object_value": q.object_value, "fact_key": q.fact_key, "entity_id": q.entity_id,
        "valid_hi": MAX_US if valid is None else valid,
        "valid_lo": MIN_US if valid is None else valid,
        "known_hi": MAX_US if known is None else known,
        "known_lo": MIN_US if known is None else known,
        "live_at": MIN_US if q.live_at is None else to_us(q.live_at),
        "limit": _NO_LIMIT if q.limit is None else q.limit,
        "with_provenance": with_provenance,
    }


def lucene_query(tenant: str, fields: Sequence[str], text: str) -> str | None:
    """A safe Lucene query for plain user text: the letter/digit runs of ``text``, each quoted
    (so Lucene syntax in the input — quotes, ``*``, ``~``, ``AND``, parentheses, field names —
    is only ever words), ORed over ``fields``, and required to be in ``tenant``. ``None`` when
    the text has no searchable term."""
    terms = search_terms(text)
    if not terms:
        return None
    # Terms hold only letters and digits and tenants only [A-Za-z0-9_.-]: nothing to escape
    # inside "...".
    quoted = " ".join(f'"{term}"' for term in terms)
    clauses = " ".join(f"{field}:({quoted})" for field in fields)
    return f'+tenant:"{validate_tenant(tenant)}" +({clauses})'


def plan_operators(plan: Mapping[str, Any] | None) -> list[str]:
    """The operators of a driver plan (``result.consume().plan``), depth first, each as
    ``"NodeIndexSeek RANGE INDEX f:Fact(tenant, ...) WHERE ..."``."""
    out: list[str] = []

    def walk(node: Mapping[str, Any]) -> None:
        operator = str(node.get("operatorType", "?")).split("@", 1)[0]
        details = node.get("args", {}).get("Details", "")
        out.append(f"{operator} {details}".strip())
        for child in node.get("children", ()):
            walk(child)

    if plan:
        walk(plan)
    return out
