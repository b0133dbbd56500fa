"""The Neo4j adapter's write transaction: one managed transaction (``session.execute_write``),
serialised per tenant by the write lock on the tenant's ``(:AuditHead)``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, LiteralString

import neo4j
from neo4j import ManagedTransaction

from asof.graph.adapter_helpers import ERASED_TEXT, check_tenant, claim_order, version_order
from asof.graph.contract import AuditHead, Erasure, Source, WriteBatch
from asof.graph.errors import IntegrityError, InvalidInputError, StoreError
from asof.graph.ids import fold, normalize_name, says_name
from asof.graph.instants import MAX_US, from_us, to_us
from asof.graph.models import Claim, Entity, FactVersion
from asof.graph.neo4j.driver import Runner
from asof.graph.neo4j.rows import (
    claim,
    claim_row,
    entity,
    episode_row,
    event_row,
    source_row,
    version,
    version_row,
)

__all__ = ["Neo4jTx"]


class Neo4jTx:
    """The :class:`~graph.contract.WriteTx` of one managed write transaction.

    Round trips dominate a write, so the current claims and versions of every entity the
    planner looks up (``find_entities``, called once with every name of the batch) are
    prefetched in one statement; ``current_claims``/``current_versions`` of a prefetched
    subject are then answered from memory, others with one statement per group. The cache is
    only valid until this transaction writes (the head lock keeps other writers out)."""

    def __init__(self, tx: ManagedTransaction, runner: Runner) -> None:
        self._tx = tx
        self._runner = runner
        self._tenant = runner.tenant
        self.closed = False
        #: subject_id -> (claims by predicate, versions by predicate), complete for the subject
        self._subjects: dict[str, tuple[dict[str, list[Claim]],
                                        dict[str, list[FactVersion]]]] = {}
        #: (subject_id, predicate) -> (claims, versions)
        self._groups: dict[tuple[str, str], tuple[list[Claim], list[FactVersion]]] = {}
        #: True once find_entities prefetched every entity the planner can use as a subject
        self._prefetched = False

    def _run(self, name: LiteralString, **params: Any) -> list[neo4j.Record]:
        if self.closed:
            raise StoreError(f"{name}: this write transaction has already ended")
        return self._runner.run(self._tx, name, **params)

    def _forget_cache(self) -> None:
        self._subjects.clear()
        self._groups.clear()
        self._prefetched = False

    def lock_head(self) -> AuditHead | None:
        records = self._run("write/lock_head")
        row: neo4j.Record | None = records[0]
        if row is not None and row["seq"] is None and row["hint"]:
            # Events at or after the hint are gone (removed behind the chain's back): the
            # latest surviving event is the head, as in every other backend.
            records = self._run("write/latest_event")
            row = records[0] if records else None
        if row is None or row["seq"] is None:
            return None
        return AuditHead(seq=row["seq"], hash=row["hash"], at=from_us(row["at"]),
                         signed=bool(row["signed"]), key_id=row["key_id"])

    def tenant_secret(self, create: bytes | None = None) -> bytes | None:
        records = self._run("write/tenant_secret", create=create)
        return bytes(records[0]["secret"]) if records else None

    def existing_episodes(self, episode_ids: Sequence[str]) -> set[str]:
        if not episode_ids:
            return set()
        return {r["id"] for r in self._run("write/existing_episodes",
                                           ids=list(dict.fromkeys(episode_ids)))}

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        if not keys:
            return []
        found = [entity(r) for r in self._run("read/entities_by_key",
                                               keys=list(dict.fromkeys(keys)))]
        self._prefetch([e.id for e in found if e.id not in self._subjects])
        self._prefetched = True
        return found

    def _prefetch(self, subject_ids: Sequence[str]) -> None:
        if not subject_ids:
            return
        for r in self._run("write/current_of_subjects", subject_ids=list(subject_ids),
                           open=MAX_US):
            claims: dict[str, list[Claim]] = {}
            versions: dict[str, list[FactVersion]] = {}
            for p in r["claims"]:
                claims.setdefault(p["predicate"], []).append(claim(p))
            for p in r["versions"]:
                versions.setdefault(p["predicate"], []).append(version(p, bare=True))
            self._subjects[r["subject_id"]] = (claims, versions)

    def _group(self, subject_id: str, predicate: str) -> tuple[list[Claim], list[FactVersion]]:
        cached = self._subjects.get(subject_id)
        if cached is not None:
            claims, versions = cached[0].get(predicate, []), cached[1].get(predicate, [])
        elif self._prefetched:
            # The planner resolves every subject of the batch through find_entities (one call
            # with every name); a subject it did not find is an entity this batch creates, and
            # a subject without an entity node has no claims or versions (entities are written
            # with their first claim and erased with all of them).
            claims, versions = [], []
        else:
            group = self._groups.get((subject_id, predicate))
            if group is None:
                row = self._run("write/current_of_group", subject_id=subject_id,
                                predicate=predicate, open=MAX_US)[0]
                group = ([claim(p) for p in row["claims"]],
                         [version(p, bare=True) for p in row["versions"]])
                self._groups[(subject_id, predicate)] = group
            claims, versions = group
        return sorted(claims, key=claim_order), sorted(versions, key=version_order)

    def current_claims(self, subject_id: str, predicate: str) -> list[Claim]:
        return self._group(subject_id, predicate)[0]

    def current_versions(self, subject_id: str, predicate: str) -> list[FactVersion]:
        return self._group(subject_id, predicate)[1]

    def expired_versions(self, now: datetime) -> list[FactVersion]:
        return [version(r["version"], bare=True)
                for r in self._run("write/expired_versions", open=MAX_US, now=to_us(now))]

    def mentions(self, entity_id: str | None, names: Sequence[str]) -> tuple[
            list[str], list[str], list[str]]:
        episode_ids: set[str] = set()
        version_ids = set()
        claim_ids = set()
        if entity_id is not None:
            for r in self._run("write/mentioned_versions", entity_id=entity_id):
                version_ids.add(r["id"])
                episode_ids.update(i for i in r["episode_ids"] if i is not None)
            for r in self._run("write/mentioned_claims", entity_id=entity_id):
                claim_ids.add(r["id"])
                episode_ids.update(i for i in (r["episode_id"], *r["episode_ids"])
                                   if i is not None)
        # Folded text matched in Python (graph.ids.says_name), the same everywhere;
        # Cypher's toLower differs on some scripts, and erasure must not under-match.
        folded = [fold(name) for name in names if name.strip()]
        if folded:
            for r in self._run("write/episode_texts"):
                said, by = fold(r["text"]), fold(r["speaker"])
                if any(says_name(said, name) or says_name(by, name) for name in folded):
                    episode_ids.add(r["id"])
        return sorted(version_ids), sorted(claim_ids), sorted(episode_ids)

    def sourced_from(self, episode_ids: Sequence[str]) -> tuple[list[str], list[str]]:
        if not episode_ids:
            return [], []
        row = self._run("write/sourced_from", episode_ids=list(dict.fromkeys(episode_ids)))[0]
        return sorted(row["version_ids"]), sorted(row["claim_ids"])

    def _count(self, name: LiteralString, column: str, expected: int, **params: Any) -> None:
        records = self._run(name, **params)
        got = records[0][column] if records else 0
        if got != expected:
            raise IntegrityError(
                f"{name}: expected {expected} rows, got {got} (a closed or unknown id was "
                "listed, or the write lock was not taken); nothing was written")

    def write(self, batch: WriteBatch) -> None:
        for rows in (batch.episodes, batch.entities, batch.claims, batch.versions,
                     batch.events):
            check_tenant(self._tenant, rows)
        try:
            closing_versions, closing_claims = batch.closings()
        except ValueError as exc:
            raise InvalidInputError(str(exc)) from None
        self._forget_cache()
        # Close existing rows first, so a row inserted by this batch is never touched.
        if closing_versions:
            self._count("write/close_versions", "closed", len(closing_versions),
                        rows=[{"id": i, "at": to_us(at)} for i, at in closing_versions],
                        open=MAX_US)
        if closing_claims:
            self._count("write/close_claims", "closed", len(closing_claims),
                        rows=[{"id": i, "at": to_us(at)} for i, at in closing_claims],
                        open=MAX_US)
        if batch.episodes:
            self._run("write/merge_episodes", rows=[episode_row(e) for e in batch.episodes])
        if batch.entities:
            self._run("write/merge_entities", rows=[
                {"id": e.id, "name": e.name, "type": e.type, "norm_name": normalize_name(e.name)}
                for e in batch.entities])
        aliases = [(e.id, alias) for e in batch.entities for alias in e.aliases]
        aliases += batch.aliases
        if aliases:
            self._run("write/merge_aliases", rows=[
                {"entity_id": entity_id, "alias": alias, "norm_alias": normalize_name(alias)}
                for entity_id, alias in dict.fromkeys(aliases)])
        if batch.claims:
            self._run("write/merge_claims", rows=[claim_row(c) for c in batch.claims])
        if batch.versions:
            self._count("write/merge_facts", "written", len(batch.versions),
                        rows=[version_row(v) for v in batch.versions])
        if batch.sources:
            unique: dict[tuple[str, str], Source] = {}
            for s in batch.sources:  # the first link of a pair wins, as with MERGE
                unique.setdefault((s.version_id, s.claim_id), s)
            sources = list(unique.values())
            self._count("write/link_sources", "linked", len(sources),
                        rows=[source_row(s) for s in sources])
        if batch.events:
            self._count("write/create_events", "written", len(batch.events),
                        rows=[event_row(e) for e in batch.events])

    def erase(self, erasure: Erasure) -> None:
        check_tenant(self._tenant, [erasure.event])
        self._forget_cache()
        self._run("write/erase_entities", ids=list(erasure.entity_ids))
        self._run("write/erase_versions", ids=list(erasure.version_ids))
        self._run("write/erase_claims", ids=list(erasure.claim_ids))
        self._run("write/redact_versions", ids=list(erasure.redacted_version_ids))
        self._run("write/redact_claims", ids=list(erasure.redacted_claim_ids))
        self._run("write/redact_episodes", ids=list(erasure.episode_ids), erased=ERASED_TEXT)
        self._run("write/erase_embeddings", rows=[
            *({"kind": "fact", "id": i} for i in erasure.version_ids),
            *({"kind": "episode", "id": i} for i in erasure.episode_ids)])
        self._count("write/create_events", "written", 1, rows=[event_row(erasure.event)])
