"""Planning many episodes in one write transaction (:meth:`GraphStore.apply_many`):
:class:`PendingTx` answers the planner's reads as the store will be once the batches planned so
far are written, and :func:`merge_batches` folds those batches into the one the adapter
writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from asof.graph import ids
from asof.graph.adapter_helpers import claim_order, version_order
from asof.graph.contract import WriteBatch, WriteTx
from asof.graph.models import Claim, Entity, FactVersion

__all__ = ["PendingTx", "merge_batches"]


class PendingTx:
    """The planner's reads (:class:`~graph.contract.PlanningReads`) and duplicate checks of a
    :class:`~graph.contract.WriteTx`, as the store will be once the batches absorbed so far are
    written: lets one transaction plan many episodes exactly as if each had been committed
    before the next was planned (:meth:`GraphStore.apply_many`).

    Reads go to the wrapped transaction once (entities per lookup key, claims and versions per
    (subject, predicate) group); :meth:`absorb` then layers each planned batch on top. The
    transaction itself is not written until every batch is planned."""

    def __init__(self, tx: WriteTx) -> None:
        self.tx = tx
        self._looked_up: set[str] = set()
        self._entities: dict[str, Entity] = {}  #: id -> entity as it will be stored
        self._by_key: dict[str, set[str]] = {}  #: normalised name or alias -> entity ids
        #: (subject_id, predicate) -> (current claims by id, current versions by id)
        self._groups: dict[tuple[str, str], tuple[dict[str, Claim],
                                                  dict[str, FactVersion]]] = {}
        self._claim_group: dict[str, tuple[str, str]] = {}
        self._version_group: dict[str, tuple[str, str]] = {}
        self._episodes: set[str] = set()

    # ------------------------------------------------------------------ reads

    def existing_episodes(self, episode_ids: Sequence[str]) -> set[str]:
        pending = {i for i in episode_ids if i in self._episodes}
        rest = [i for i in episode_ids if i not in self._episodes]
        return pending | (self.tx.existing_episodes(rest) if rest else set())

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        missing = [k for k in dict.fromkeys(keys) if k not in self._looked_up]
        if missing:
            for entity in self.tx.find_entities(missing):
                if entity.id not in self._entities:  # ours may carry aliases added since
                    self._add_entity(entity)
            self._looked_up.update(missing)
        found = set().union(*(self._by_key.get(k, ()) for k in keys))
        return [self._entities[i] for i in sorted(found)]

    def current_claims(self, subject_id: str, predicate: str) -> list[Claim]:
        claims = self._group(subject_id, predicate)[0]
        return sorted(claims.values(), key=claim_order)

    def current_versions(self, subject_id: str, predicate: str) -> list[FactVersion]:
        versions = self._group(subject_id, predicate)[1]
        return sorted(versions.values(), key=version_order)

    # ------------------------------------------------------------------ layering

    def absorb(self, batch: WriteBatch) -> None:
        """Layer a planned batch on top of what this view answers."""
        self._episodes.update(e.id for e in batch.episodes)
        for entity in batch.entities:
            if entity.id not in self._entities:
                self._add_entity(entity)
        for entity_id, alias in batch.aliases:
            entity = self._entities[entity_id]
            if alias not in entity.aliases:
                self._add_entity(entity.model_copy(update={"aliases": (*entity.aliases,
                                                                       alias)}))
        versions_closed, claims_closed = batch.closings()
        for claim_id, _ in claims_closed:
            del self._groups[self._claim_group.pop(claim_id)][0][claim_id]
        for version_id, _ in versions_closed:
            del self._groups[self._version_group.pop(version_id)][1][version_id]
        for c in batch.claims:
            key = (c.subject_id, c.predicate)
            self._group(*key)[0][c.claim_id] = c
            self._claim_group[c.claim_id] = key
        for v in batch.versions:
            key = (v.subject_id, v.predicate)
            self._group(*key)[1][v.version_id] = v
            self._version_group[v.version_id] = key

    def _add_entity(self, entity: Entity) -> None:
        self._entities[entity.id] = entity
        for name in (entity.name, *entity.aliases):
            self._by_key.setdefault(ids.normalize_name(name), set()).add(entity.id)

    def _group(self, subject_id: str, predicate: str) -> tuple[dict[str, Claim],
                                                              dict[str, FactVersion]]:
        key = (subject_id, predicate)
        group = self._groups.get(key)
        if group is None:
            group = ({c.claim_id: c for c in self.tx.current_claims(subject_id, predicate)},
                     {v.version_id: v for v in self.tx.current_versions(subject_id, predicate)})
            self._groups[key] = group
            self._claim_group.update(dict.fromkeys(group[0], key))
            self._version_group.update(dict.fromkeys(group[1], key))
        return group


_Row = TypeVar("_Row", Claim, FactVersion)


def merge_batches(batches: Sequence[WriteBatch]) -> WriteBatch:
    """One batch that writes what ``batches`` write one after the other.

    Each closed row keeps its own closing instant (``closed_at``); a row inserted by an earlier
    batch and closed by a later one is inserted already closed, which leaves the store exactly
    as the sequential writes would."""
    merged = WriteBatch()
    new_versions: dict[str, int] = {}
    new_claims: dict[str, int] = {}

    def close(closings: Sequence[tuple[str, datetime]], new_rows: dict[str, int],
              rows: list[_Row], superseded: list[str]) -> None:
        for row_id, at in closings:
            index = new_rows.get(row_id)
            if index is None:  # stored before this batch: the adapter closes it
                superseded.append(row_id)
                merged.closed_at[row_id] = at
            else:  # inserted earlier in this batch: insert it already closed
                rows[index] = rows[index].model_copy(update={"superseded_at": at})

    for batch in batches:
        versions_closed, claims_closed = batch.closings()
        close(versions_closed, new_versions, merged.versions, merged.superseded_versions)
        close(claims_closed, new_claims, merged.claims, merged.superseded_claims)
        merged.episodes += batch.episodes
        merged.entities += batch.entities
        merged.aliases += batch.aliases
        for c in batch.claims:
            new_claims[c.claim_id] = len(merged.claims)
            merged.claims.append(c)
        for v in batch.versions:
            new_versions[v.version_id] = len(merged.versions)
            merged.versions.append(v)
        merged.sources += batch.sources
        merged.events += batch.events
    return merged
