"""Planning one erasure: the rows that go, the ``erased`` tombstone that records them, and the
commitments that keep the events which wrote those rows checkable (issue #16).

An event's content hash is built from each row's own hash (:func:`~graph.audit.row_hash`), so
the tombstone records, for every row it erases or redacts, the hash the row had; verification
uses it in place of the row, and holds a redacted row that survives (an episode without its
text, a version or claim without its quote) to the hash it had once redacted. The surviving
rows of the same events are checked as before. The hashes are keyed with the tenant's secret
(every tenant created since there is one), as are entity ids, so neither a tombstone's ids nor
its hashes confirm a guessed name to anyone without the secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from asof.graph.adapter_helpers import ERASED_TEXT
from asof.graph.audit import (
    CLAIM,
    ENTITY,
    EPISODE,
    GENESIS_HASH,
    VERSION,
    alias_row,
    make_event,
    row_hash,
    source_row,
    target,
)
from asof.graph.contract import Erasure, WriteTx
from asof.graph.errors import NotFoundError
from asof.graph.models import AuditAction, Entity
from asof.graph.writes import ErasureResult, episode_content, transaction_time

if TYPE_CHECKING:
    from asof.graph.store import GraphStore


def erase(store: GraphStore, tx: WriteTx, found: Entity | None, names: list[str], reason: str,
          actor: str | None) -> ErasureResult:
    """Erase ``found`` (see :meth:`GraphStore.forget`) inside the write transaction ``tx``;
    ``found`` None: a speaker who is no entity, of whom only the messages that ``names`` match
    go."""
    head, secret = store._lock_head(tx)
    entity_ids = [found.id] if found else []
    version_ids, claim_ids, episode_ids = tx.mentions(found.id if found else None, names)
    if found is None and not episode_ids:
        raise NotFoundError(f"no entity or speaker named {names[0]!r} in tenant "
                            f"{store.tenant!r}")
    sourced_versions, sourced_claims = tx.sourced_from(episode_ids)
    redacted_versions = sorted(set(sourced_versions) - set(version_ids))
    redacted_claims = sorted(set(sourced_claims) - set(claim_ids))
    targets = sorted(
        [target(ENTITY, i) for i in entity_ids]
        + [target(VERSION, i) for i in {*version_ids, *redacted_versions}]
        + [target(CLAIM, i) for i in {*claim_ids, *redacted_claims}]
        + [target(EPISODE, i) for i in episode_ids])
    commitments = _commitments(store, secret, found, sorted(version_ids), sorted(claim_ids),
                               sorted(episode_ids), redacted_versions, redacted_claims)
    event = make_event(
        seq=(head.seq if head else 0) + 1, prev_hash=head.hash if head else GENESIS_HASH,
        tenant=store.tenant, at=transaction_time(store._now(), head), actor=actor or "asof",
        action=AuditAction.ERASED, contents=[{"erased": targets}], targets=targets,
        reason=reason, key=store.audit_key, commitments=commitments, row_secret=secret)
    tx.erase(Erasure(
        entity_ids=entity_ids, version_ids=sorted(version_ids), claim_ids=sorted(claim_ids),
        episode_ids=sorted(episode_ids), redacted_version_ids=redacted_versions,
        redacted_claim_ids=redacted_claims, event=event))
    return ErasureResult(entity_id=found.id if found else None, versions=len(version_ids),
                         claims=len(claim_ids), episodes=len(episode_ids), event=event)


def _commitments(store: GraphStore, secret: bytes | None, found: Entity | None,
                 version_ids: list[str],
                 claim_ids: list[str], episode_ids: list[str], redacted_versions: list[str],
                 redacted_claims: list[str]) -> dict[str, str]:
    """The hash of every row the erasure deletes, and ``"<before> <after>"`` for every row it
    redacts: read before the erasure, under its transaction's lock."""
    deleted_versions, deleted_claims = set(version_ids), set(claim_ids)
    out: dict[str, str] = {} if found is None else {target(ENTITY, found.id): row_hash(
        {"id": found.id, "tenant": found.tenant, "name": found.name, "type": found.type},
        secret)}

    def commit(row_target: str, content: Mapping[str, Any],
               redacted: Mapping[str, Any] | None) -> None:
        before = row_hash(content, secret)
        out[row_target] = before if redacted is None else (
            f"{before} {row_hash({**content, **redacted}, secret)}")

    unquoted = {"evidence": None}
    for v in store.get_versions([*version_ids, *redacted_versions]):
        commit(target(VERSION, v.version_id), v.content(),
               None if v.version_id in deleted_versions else unquoted)
    for c in store.get_claims([*claim_ids, *redacted_claims]):
        commit(target(CLAIM, c.claim_id), c.content(),
               None if c.claim_id in deleted_claims else unquoted)
    for e in store.get_episodes(episode_ids):
        commit(target(EPISODE, e.id), episode_content(e),
               {"text": ERASED_TEXT, "speaker": ERASED_TEXT, "metadata": {}})
    links = store.link_rows()
    for kind, row_id, content in [
            *(alias_row(entity_id, alias) for entity_id, alias in links.aliases
              if found is not None and entity_id == found.id),
            *(source_row(*s) for s in links.sources
              if s[0] in deleted_versions or s[1] in deleted_claims)]:
        commit(target(kind, row_id), content, None)
    return out
