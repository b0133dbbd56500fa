"""Subject access: everything a store holds about one person (or any entity), as JSON.

``export_subject(store, "Priya")`` answers a data-subject access request: the entity, every
version of every fact it is the subject or object of (both time axes, superseded ones too),
the claims behind them, every message that sourced them, names it or that it spoke (with their
text), and every audit event that wrote or closed any of those rows. It reads through the same
primitive erasure uses to find what to erase, so the export covers what ``forget`` would erase.
"""

from __future__ import annotations

from typing import Any

from asof.graph.audit import CLAIM, ENTITY, EPISODE, VERSION, target
from asof.graph.contract import WriteTx
from asof.graph.store import GraphStore

__all__ = ["export_subject"]


def export_subject(store: GraphStore, name_or_id: str) -> dict[str, Any]:
    """The subject-access export of the entity named ``name_or_id``.

    Raises:
        NotFoundError: no entity has this id, name or alias.
    """
    found = store.resolve(name_or_id)
    names = [found.name, *found.aliases]

    def find(tx: WriteTx) -> tuple[list[str], list[str], list[str]]:
        return tx.mentions(found.id, names)

    # mentions() is a write-transaction primitive (erasure's); nothing is written here.
    version_ids, claim_ids, episode_ids = store.run_write(find)
    rows = {target(ENTITY, found.id), *(target(VERSION, i) for i in version_ids),
            *(target(CLAIM, i) for i in claim_ids), *(target(EPISODE, i) for i in episode_ids)}
    events = [e for e in store.audit_events(1)
              if rows.intersection(e.targets) or rows.intersection(e.superseded)]
    return {
        "tenant": store.tenant,
        "subject": found.model_dump(mode="json"),
        "versions": [v.model_dump(mode="json") for v in store.get_versions(version_ids)],
        "claims": [c.model_dump(mode="json") for c in store.get_claims(claim_ids)],
        "episodes": [e.model_dump(mode="json") for e in store.get_episodes(episode_ids)],
        "events": [e.model_dump(mode="json") for e in events],
    }
