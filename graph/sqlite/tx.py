"""The SQLite adapter's write transaction: one ``BEGIN IMMEDIATE`` transaction, which holds the
database's write lock from its first statement, so nobody else can append meanwhile."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from asof.graph.adapter_helpers import check_tenant
from asof.graph.contract import AuditHead, Erasure, WriteBatch
from asof.graph.errors import IntegrityError, InvalidInputError, StoreError
from asof.graph.ids import fold, normalize_name, says_name
from asof.graph.instants import MAX_US, from_us, to_us
from asof.graph.models import Claim, Entity, FactVersion
from asof.graph.sqlite import rows, sql
from asof.graph.sqlite.connect import sqlite_errors

__all__ = ["SqliteTx"]


class SqliteTx:
    """The :class:`~graph.contract.WriteTx` of one ``BEGIN IMMEDIATE`` transaction."""

    def __init__(self, conn: sqlite3.Connection, tenant: str) -> None:
        self._conn = conn
        self._tenant = tenant
        self.closed = False

    @contextmanager
    def _db(self, action: str) -> Iterator[sqlite3.Connection]:
        if self.closed:
            raise StoreError(f"{action}: this write transaction has already ended")
        with sqlite_errors(action):
            yield self._conn

    def lock_head(self) -> AuditHead | None:
        with self._db("lock head") as conn:
            row = conn.execute(sql.load("write/lock_head"), (self._tenant,)).fetchone()
        return None if row is None else AuditHead(seq=row[0], hash=row[1], at=from_us(row[2]),
                                                  signed=bool(row[3]), key_id=row[4])

    def tenant_secret(self, create: bytes | None = None) -> bytes | None:
        with self._db("tenant secret") as conn:
            row = conn.execute(sql.load("read/tenant_secret"), (self._tenant,)).fetchone()
            if row is None and create is not None:
                conn.execute(sql.load("write/insert_tenant_secret"), (self._tenant, create))
                return create
        return None if row is None else bytes(row[0])

    def existing_episodes(self, episode_ids: Sequence[str]) -> set[str]:
        if not episode_ids:
            return set()
        with self._db("existing episodes") as conn:
            found = conn.execute(sql.load("write/existing_episodes"),
                                 (self._tenant, rows.ids_param(dict.fromkeys(episode_ids))))
            return {row[0] for row in found}

    def find_entities(self, keys: Sequence[str]) -> list[Entity]:
        with self._db("find entities") as conn:
            return rows.find_entities(conn, self._tenant, keys)

    def current_claims(self, subject_id: str, predicate: str) -> list[Claim]:
        with self._db("current claims") as conn:
            found = conn.execute(sql.load("write/current_claims"),
                                 (self._tenant, subject_id, predicate, MAX_US)).fetchall()
        return [rows.claim(row) for row in found]

    def current_versions(self, subject_id: str, predicate: str) -> list[FactVersion]:
        with self._db("current versions") as conn:
            found = conn.execute(sql.load("write/current_versions"),
                                 (self._tenant, subject_id, predicate, MAX_US)).fetchall()
        return [rows.version(row) for row in found]

    def expired_versions(self, now: datetime) -> list[FactVersion]:
        with self._db("expired versions") as conn:
            found = conn.execute(sql.load("write/expired_versions"),
                                 (self._tenant, MAX_US, to_us(now))).fetchall()
        return [rows.version(row) for row in found]

    def mentions(self, entity_id: str | None, names: Sequence[str]) -> tuple[
            list[str], list[str], list[str]]:
        tenant = self._tenant
        with self._db("find mentions") as conn:
            # No entity (a speaker only): "= NULL" matches no row
            version_ids = sorted(row[0] for row in conn.execute(
                sql.load("write/mentioned_versions"), (tenant, entity_id, tenant, entity_id)))
            claim_ids = sorted(row[0] for row in conn.execute(
                sql.load("write/mentioned_claims"), (tenant, entity_id, tenant, entity_id)))
            versions, claims = rows.ids_param(version_ids), rows.ids_param(claim_ids)
            episode_ids = {row[0] for row in conn.execute(
                sql.load("write/mentioned_episodes"),
                (tenant, versions, tenant, claims, tenant, claims))} - {None}
            # Folded text and speaker matched in Python (graph.ids.says_name): SQLite's
            # lower() folds ASCII only.
            folded = [fold(name) for name in names if name.strip()]
            if folded:
                for episode_id, text, speaker in conn.execute(
                        sql.load("write/episode_texts"), (tenant,)):
                    said, by = fold(text), fold(speaker)
                    if any(says_name(said, name) or says_name(by, name) for name in folded):
                        episode_ids.add(episode_id)
        return version_ids, claim_ids, sorted(episode_ids)

    def write(self, batch: WriteBatch) -> None:
        tenant = self._tenant
        for written in (batch.episodes, batch.entities, batch.claims, batch.versions,
                        batch.events):
            check_tenant(tenant, written)
        try:
            closing_versions, closing_claims = batch.closings()
        except ValueError as exc:
            raise InvalidInputError(str(exc)) from None
        with self._db("write") as conn:
            # Close existing rows first, so a row inserted by this batch is never touched.
            for name, pairs, kind in (("write/supersede_versions", closing_versions, "versions"),
                                      ("write/supersede_claims", closing_claims, "claims")):
                if not pairs:
                    continue
                closed = conn.executemany(sql.load(name), [(rows.us(at), tenant, i, MAX_US)
                                                           for i, at in pairs])
                if closed.rowcount != len(pairs):
                    raise IntegrityError(
                        f"asked to close {len(pairs)} {kind} but only {closed.rowcount} were "
                        "open: a closed or unknown id was listed; nothing was written")
            if batch.episodes:
                conn.executemany(sql.load("write/insert_episodes"),
                                 [rows.episode_params(tenant, e) for e in batch.episodes])
            if batch.entities:
                conn.executemany(sql.load("write/insert_entities"), [
                    (tenant, e.id, e.name, e.type, normalize_name(e.name))
                    for e in batch.entities])
            aliases = [(e.id, alias) for e in batch.entities for alias in e.aliases]
            aliases += batch.aliases
            if aliases:
                conn.executemany(sql.load("write/insert_aliases"), [
                    (tenant, entity_id, alias, normalize_name(alias))
                    for entity_id, alias in aliases])
            if batch.claims:
                conn.executemany(sql.load("write/insert_claims"),
                                 [rows.claim_params(tenant, c) for c in batch.claims])
            if batch.versions:
                conn.executemany(sql.load("write/insert_versions"),
                                 [rows.version_params(tenant, v) for v in batch.versions])
                conn.execute(sql.load("write/index_facts"),
                             (tenant, rows.ids_param(v.version_id for v in batch.versions)))
            if batch.sources:
                conn.executemany(sql.load("write/insert_sources"),
                                 [rows.source_params(tenant, s) for s in batch.sources])
            if batch.events:
                conn.executemany(sql.load("write/insert_events"),
                                 [rows.event_params(tenant, e) for e in batch.events])

    def sourced_from(self, episode_ids: Sequence[str]) -> tuple[list[str], list[str]]:
        if not episode_ids:
            return [], []
        tenant, episodes = self._tenant, rows.ids_param(dict.fromkeys(episode_ids))
        with self._db("find rows sourced from episodes") as conn:
            claim_ids = sorted(row[0] for row in conn.execute(
                sql.load("write/sourced_claims"), (tenant, episodes)))
            version_ids = sorted({row[0] for row in conn.execute(
                sql.load("write/sourced_versions"), (tenant, episodes))})
        return version_ids, claim_ids

    def erase(self, erasure: Erasure) -> None:
        tenant = self._tenant
        check_tenant(tenant, [erasure.event])
        entities = rows.ids_param(erasure.entity_ids)
        versions = rows.ids_param(erasure.version_ids)
        claims = rows.ids_param(erasure.claim_ids)
        with self._db("erase") as conn:
            for name, ids in (
                ("write/erase_aliases", entities),
                ("write/erase_entities", entities),
                ("write/erase_version_sources", versions),
                ("write/erase_claim_sources", claims),
                ("write/erase_versions", versions),
                ("write/erase_claims", claims),
                ("write/redact_version_evidence",
                 rows.ids_param(erasure.redacted_version_ids)),
                ("write/redact_claim_evidence", rows.ids_param(erasure.redacted_claim_ids)),
                ("write/redact_episodes", rows.ids_param(erasure.episode_ids)),
                ("write/erase_fact_embeddings", versions),
                ("write/erase_episode_embeddings", rows.ids_param(erasure.episode_ids)),
            ):
                conn.execute(sql.load(name), (tenant, ids))
            for statement in sql.statements("schema/optimize_fulltext"):
                conn.execute(statement)
            conn.execute(sql.load("write/insert_events"), rows.event_params(tenant, erasure.event))
