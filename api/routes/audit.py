"""The audit chain: events (ids and hashes only) and verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from asof.api.deps import Limit, Offset, Store, instant, record_read
from asof.api.schemas import AuditEventOut, AuditOut, VerifyIn, VerifyOut
from asof.graph.audit import Checkpoint
from asof.graph.models import AuditAction

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", response_model=AuditOut, dependencies=[Depends(record_read)],
            summary="Audit events (ids and hashes only), in seq order, filtered and paged.")
def get_audit(store: Store,
              from_seq: Annotated[int, Query(ge=1, le=2**53,
                                             description="The first seq to list.")] = 1,
              entity: Annotated[str | None, Query(
                  max_length=300, description="Only events about this entity (id, name or "
                                              "alias): its rows, claims, versions, facts.")]
              = None,
              actor: Annotated[str | None, Query(max_length=200,
                                                 description="Only events by this actor.")]
              = None,
              action: Annotated[AuditAction | None, Query(
                  description="Only events of this action.")] = None,
              since: Annotated[str | None, Query(
                  description="Only events recorded at or after this time (ISO 8601 with "
                              "offset).")] = None,
              until: Annotated[str | None, Query(
                  description="Only events recorded before this time.")] = None,
              limit: Limit = 100, offset: Offset = 0) -> AuditOut:
    from asof.query.views import AuditFilter, audit_log

    where = AuditFilter(entity=entity, actor=actor, action=action,
                        since=instant(since, "since"), until=instant(until, "until"))
    page = audit_log(store, from_seq=from_seq, where=where, limit=limit, offset=offset)
    return AuditOut(items=[AuditEventOut(**e.model_dump(mode="json")) for e in page],
                    **page.window())


@router.post("/verify", response_model=VerifyOut,
             summary="Recompute the audit chain; report the first bad seq.")
def post_verify(store: Store, body: VerifyIn | None = None) -> VerifyOut:
    checkpoint = None
    if body and body.checkpoint:
        checkpoint = Checkpoint(tenant=store.tenant, seq=body.checkpoint.seq,
                                hash=body.checkpoint.hash)
    return VerifyOut(**store.verify(checkpoint).as_dict())
