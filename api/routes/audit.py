"""The audit chain: events (ids and hashes only) and verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from asof.api.deps import Store
from asof.api.schemas import AuditEventOut, AuditOut, VerifyIn, VerifyOut
from asof.graph.audit import Checkpoint

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", response_model=AuditOut,
            summary="Audit events (ids and hashes only), paginated by seq.")
def get_audit(store: Store, from_seq: Annotated[int, Query(ge=1, le=2**53)] = 1,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> AuditOut:
    events = store.audit_events(from_seq, from_seq + limit)
    page = events[:limit]
    return AuditOut(items=[AuditEventOut(**e.model_dump(mode="json")) for e in page],
                    next_seq=from_seq + limit if len(events) > limit else None)


@router.post("/verify", response_model=VerifyOut,
             summary="Recompute the audit chain; report the first bad seq.")
def post_verify(store: Store, body: VerifyIn | None = None) -> VerifyOut:
    checkpoint = None
    if body and body.checkpoint:
        checkpoint = Checkpoint(tenant=store.tenant, seq=body.checkpoint.seq,
                                hash=body.checkpoint.hash)
    return VerifyOut(**store.verify(checkpoint).as_dict())
