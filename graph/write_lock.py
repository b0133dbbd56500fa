"""Taking a tenant's write lock, which every write does first: its audit head, its secret, and
the store held to its signing mode."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from asof.graph.audit import key_id, make_event
from asof.graph.contract import AuditHead, WriteBatch, WriteTx
from asof.graph.errors import AuditKeyRequiredError
from asof.graph.models import AuditAction
from asof.graph.writes import transaction_time


def lock_head(tx: WriteTx, *, tenant: str, audit_key: bytes | None,
              now: Callable[[], datetime], at: datetime | None = None
              ) -> tuple[AuditHead | None, bytes | None]:
    """Take the tenant's write lock; return its head and its secret (a new tenant, whose
    chain is empty, gets a random one now: its entity ids and row hashes are keyed with it).
    Hold the store to its signing mode: a signed chain takes no unsigned event
    (:class:`AuditKeyRequiredError`, nothing written); the first write with a key to an
    unsigned chain records a ``signing_enabled`` event ("signed from seq N") before anything
    else, so verification knows where signatures start (at ``at``, a replay's first message
    time, or ``now()``)."""
    head = tx.lock_head()
    secret = tx.tenant_secret(create=secrets.token_bytes(32) if head is None else None)
    if head is None:  # an empty chain: its first event sets the mode
        return None, secret
    if head.signed and audit_key is None:
        raise AuditKeyRequiredError(
            f"tenant {tenant!r}: the audit chain is signed (head seq {head.seq}), and this "
            "store was opened without its audit key; set ASOF_AUDIT_KEY (or pass audit_key) "
            "to write. Nothing was written.")
    mine = key_id(audit_key) if audit_key else None
    if head.key_id is not None and mine != head.key_id:
        raise AuditKeyRequiredError(
            f"tenant {tenant!r}: the audit chain is signed with key id {head.key_id} (head seq "
            f"{head.seq}), and this store's audit key is {mine}; set ASOF_AUDIT_KEY to the "
            "current key (after 'asof audit rotate-key', the new one). Nothing was written.")
    if not head.signed and audit_key is not None:
        seq = head.seq + 1
        enabled = make_event(
            seq=seq, prev_hash=head.hash, tenant=tenant,
            at=transaction_time(at or now(), head), actor="asof",
            action=AuditAction.SIGNING_ENABLED, contents=[],
            reason=f"signed from seq {seq}", key=audit_key, row_secret=secret)
        tx.write(WriteBatch(events=[enabled]))
        head = AuditHead(seq=seq, hash=enabled.hash, at=enabled.at, signed=True,
                         key_id=enabled.key_id)
    return head, secret
