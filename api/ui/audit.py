"""The UI's audit pages: the event log (filtered, paged), "verify now" with an optional
checkpoint, and the diff between two instants on either time axis."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from asof.api.ui.pages import Offset, Text, optional_instant
from asof.api.ui.render import UiRoute, page
from asof.api.ui.session import Viewing
from asof.graph.audit import Checkpoint
from asof.graph.errors import InvalidInputError
from asof.graph.models import AuditAction
from asof.query import views

router = APIRouter(prefix="/ui", route_class=UiRoute, include_in_schema=False)

#: Audit events per page, unless the URL says otherwise.
PAGE_SIZE = 50
PageSize = Annotated[int, Query(ge=1, le=1_000)]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, viewer: Viewing, entity: Text = "", actor: Text = "",
               action: Text = "", since: Text = "", until: Text = "",
               offset: Offset = 0, limit: PageSize = PAGE_SIZE) -> HTMLResponse:
    store = viewer.store
    if entity.strip():
        viewer.about(entity.strip())
    where = views.AuditFilter(entity=entity.strip() or None, actor=actor.strip() or None,
                              action=_action(action), since=optional_instant(since, "since"),
                              until=optional_instant(until, "until"))
    events = views.audit_log(store, where=where, limit=limit, offset=offset)
    return page(request, "audit.html", viewer=viewer, events=list(events),
                next_offset=events.next_offset, offset=offset, page_size=limit,
                actions=[a.value for a in AuditAction], erased=AuditAction.ERASED,
                filters={"entity": entity, "actor": actor, "action": action, "since": since,
                         "until": until, "limit": limit if limit != PAGE_SIZE else None})


def _action(value: str) -> AuditAction | None:
    if not value.strip():
        return None
    try:
        return AuditAction(value.strip())
    except ValueError:
        raise InvalidInputError(f"action: one of {', '.join(a.value for a in AuditAction)}"
                                ) from None


@router.get("/audit/verify", response_class=HTMLResponse)
def verify_page(request: Request, viewer: Viewing,
                checkpoint_seq: Annotated[str, Query(max_length=20)] = "",
                checkpoint_hash: Annotated[str, Query(max_length=64)] = "") -> HTMLResponse:
    """Recompute the chain now; against a checkpoint (seq and hash, as ``asof audit
    checkpoint`` prints them) when one is given, which also catches truncation."""
    store = viewer.store
    checkpoint = None
    if checkpoint_seq.strip() or checkpoint_hash.strip():
        if not checkpoint_seq.strip().isdigit() or len(checkpoint_hash.strip()) != 64:
            raise InvalidInputError("checkpoint: give its seq (a number) and its hash "
                                    "(64 hex characters)")
        checkpoint = Checkpoint(tenant=store.tenant, seq=int(checkpoint_seq),
                                hash=checkpoint_hash.strip())
    report = store.verify(checkpoint)
    return page(request, "verify.html", viewer=viewer, report=report, checkpoint=checkpoint)


@router.get("/diff", response_class=HTMLResponse)
def diff_page(request: Request, viewer: Viewing, t1: Text = "", t2: Text = "",
              axis: Text = "valid", entity: Text = "", known_at: Text = "") -> HTMLResponse:
    store = viewer.store
    result = None
    if t1.strip() or t2.strip():
        first, second = optional_instant(t1, "t1"), optional_instant(t2, "t2")
        if first is None or second is None:
            raise InvalidInputError("give both instants, t1 and t2")
        if axis not in ("valid", "transaction"):
            raise InvalidInputError("axis: 'valid' or 'transaction'")
        if entity.strip():
            viewer.about(entity.strip())
            store.resolve(entity.strip())  # a name nobody has is "not found", not "no change"
        result = views.diff(store, first, second, axis="valid" if axis == "valid" else
                            "transaction", subject=entity.strip() or None,
                            known_at=optional_instant(known_at, "known_at"))
    return page(request, "diff.html", viewer=viewer, result=result, t1=t1, t2=t2, axis=axis,
                entity=entity, known_at=known_at)
