"""How :meth:`GraphStore.verify` reads a consistent picture of a tenant (its events and the
rows they point to) and holds the audit chain against it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from asof.graph.audit import (
    CLAIM,
    ENTITY,
    EPISODE,
    VERSION,
    Checkpoint,
    StoredRow,
    VerifyReport,
    alias_row,
    keyring,
    source_row,
    split_target,
    target,
    verify_chain,
)
from asof.graph.contract import VersionQuery, WriteTx
from asof.graph.models import AuditEvent
from asof.graph.writes import episode_content

if TYPE_CHECKING:
    from asof.graph.store import GraphStore


#: Readings tried without a lock before verify holds the writers off.
_OPTIMISTIC_ATTEMPTS = 3


def verify_store(store: GraphStore, checkpoint: Checkpoint | None) -> VerifyReport:
    """Verify ``store``'s tenant (see :meth:`GraphStore.verify`)."""
    # The events and the rows are separate reads: a write committed between them would look
    # like a row no event wrote. Only a consistent reading counts: one snapshot where the
    # backend has them; else retry while the chain grew under the reads, then read once more
    # with the writers held off.
    with store._snapshot() as consistent:
        if consistent:
            return _verify_reading(store, checkpoint)[1]
    for _ in range(_OPTIMISTIC_ATTEMPTS):
        events, report = _verify_reading(store, checkpoint)
        after = events[-1].seq + 1 if events else 1
        if not store.audit_events(after, after):
            return report

    def with_writers_held_off(tx: WriteTx) -> VerifyReport:
        tx.lock_head()
        return _verify_reading(store, checkpoint)[1]

    return store.run_write(with_writers_held_off)


def _verify_reading(store: GraphStore, checkpoint: Checkpoint | None
                    ) -> tuple[list[AuditEvent], VerifyReport]:
    events = store.audit_events(1)
    rows, stored, mismatches = chain_rows(store, events)
    keys = keyring([k for k in (store.audit_key, *store.old_audit_keys) if k is not None])
    return events, verify_chain(events, rows, all_row_targets=stored, keys=keys,
                                checkpoint=checkpoint, fulltext_mismatches=mismatches,
                                row_secret=store.stored_tenant_secret())


def chain_rows(store: GraphStore, events: Sequence[AuditEvent]
               ) -> tuple[dict[str, StoredRow], list[str], list[str]]:
    """The rows ``events`` wrote or closed, by typed target id; the typed ids of every row
    stored (to catch rows no event wrote); and of the versions whose full-text entry differs
    from them."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        for t in (*event.targets, *event.superseded):
            kind, row_id = split_target(t)
            wanted.setdefault(kind, set()).add(row_id)
    rows: dict[str, StoredRow] = {}
    all_versions = store.find_versions(VersionQuery())
    for v in all_versions:
        rows[target(VERSION, v.version_id)] = StoredRow(v.content(), v.superseded_at)
    for c in store.get_claims(sorted(wanted.get(CLAIM, ()))):
        rows[target(CLAIM, c.claim_id)] = StoredRow(c.content(), c.superseded_at)
    for e in store.get_episodes(sorted(wanted.get(EPISODE, ()))):
        rows[target(EPISODE, e.id)] = StoredRow(episode_content(e))
    for n in store.get_entities(sorted(wanted.get(ENTITY, ()))):
        rows[target(ENTITY, n.id)] = StoredRow(
            {"id": n.id, "tenant": n.tenant, "name": n.name, "type": n.type})
    stored = [target(VERSION, v.version_id) for v in all_versions]
    stored += [target(kind, i) for kind, found in store.row_ids().items() for i in found]
    links = store.link_rows()
    for kind, row_id, content in [*(alias_row(*a) for a in links.aliases),
                                  *(source_row(*s) for s in links.sources)]:
        rows[target(kind, row_id)] = StoredRow(content)
        stored.append(target(kind, row_id))
    return rows, stored, [target(VERSION, i) for i in links.fulltext_mismatches]
