"""Builders and fixtures of the SQLite adapter's primitive tests: an in-memory store, a
small world of entities, versions and claims written through one batch."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from asof.graph import ids
from asof.graph.clock import FakeClock
from asof.graph.contract import (
    Source,
    WriteBatch,
    WriteTx,
)
from asof.graph.models import (
    AuditAction,
    AuditEvent,
    Basis,
    Claim,
    Entity,
    Episode,
    FactVersion,
    Granularity,
)
from asof.graph.sqlite import SqliteStore
from asof.graph.store import GraphStore

T0 = datetime(2024, 1, 1, 9, 30, 15, 123456, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


# ------------------------------------------------------------------------------ model builders


def make_episode(tenant: str, text: str, n: int = 0, **extra: Any) -> Episode:
    episode = Episode.create(tenant=tenant, speaker="Priya", occurred_at=day(n), text=text,
                             conversation_id="conv-1", metadata={"channel": "chat", "n": [n]},
                             **extra)
    return episode.model_copy(update={"ingested_at": day(n)})


def make_entity(tenant: str, name: str, type_: str = "person",
                aliases: tuple[str, ...] = ()) -> Entity:
    return Entity(id=ids.entity_id(tenant, type_, name), tenant=tenant, name=name, type=type_,
                  aliases=aliases)


def make_version(tenant: str, version_id: str, subject: Entity, predicate: str, *,
                 obj: Entity | None = None, value: str | None = None,
                 valid_from: datetime | None = None, valid_to: datetime | None = None,
                 recorded_at: datetime = T0, superseded_at: datetime | None = None,
                 expires_at: datetime | None = None, evidence: str | None = None,
                 supersedes: str | None = None) -> FactVersion:
    object_key = obj.id if obj is not None else ids.literal_key(value or "")
    return FactVersion(
        version_id=version_id, tenant=tenant,
        fact_key=ids.fact_key(tenant, subject.id, predicate, object_key),
        subject_id=subject.id, predicate=predicate,
        object_id=obj.id if obj is not None else None, object_value=value,
        valid_from=valid_from, valid_to=valid_to,
        valid_from_basis=Basis.STATED if valid_from is not None else Basis.UNKNOWN,
        granularity=Granularity.DAY, recorded_at=recorded_at, superseded_at=superseded_at,
        supersedes=supersedes, expires_at=expires_at, extractor="test/1", confidence=0.875,
        evidence=evidence)


def make_claim(tenant: str, claim_id: str, subject: Entity, predicate: str, *,
               obj: Entity | None = None, value: str | None = None,
               valid_from: datetime | None = None, episode_id: str | None = None,
               retraction: bool = False, evidence: str | None = None,
               recorded_at: datetime = T0) -> Claim:
    return Claim(
        claim_id=claim_id, tenant=tenant, subject_id=subject.id, predicate=predicate,
        object_key=obj.id if obj is not None else ids.literal_key(value or ""),
        object_id=obj.id if obj is not None else None, object_value=value,
        retraction=retraction, valid_from=valid_from, valid_to=day(400),
        basis=Basis.STATED, granularity=Granularity.MONTH, observed_at=day(1),
        episode_id=episode_id, recorded_at=recorded_at, confidence=0.5, evidence=evidence,
        extractor="test/1")


def make_event(tenant: str, seq: int, prev_hash: str = "genesis", *,
               action: AuditAction = AuditAction.ASSERTED,
               at: datetime = T0) -> AuditEvent:
    return AuditEvent(
        seq=seq, tenant=tenant, at=at, actor="tester", action=action,
        targets=(f"version:v{seq}", f"claim:c{seq}"), superseded=("version:old",),
        episode_id="epi-x", fact_key="fk-x", reason="because", content_hash=f"content-{seq}",
        prev_hash=prev_hash, hash=f"hash-{seq}", signature="sig")


def write(store: GraphStore, batch: WriteBatch) -> None:
    store.run_write(lambda tx: tx.write(batch))


def in_tx(store: GraphStore, work: Callable[[WriteTx], Any]) -> Any:
    return store.run_write(work)


# --------------------------------------------------------------------------------- fixtures


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    yield connection
    connection.close()


@pytest.fixture
def store(conn: sqlite3.Connection) -> SqliteStore:
    created = SqliteStore(conn, tenant="t1", clock=FakeClock(T0))
    created.migrate()
    return created


@dataclass
class World:
    """A small graph in one tenant: Priya worked at Acme, now at Globex; a job title."""

    tenant: str
    priya: Entity
    acme: Entity
    globex: Entity
    e1: Episode
    e2: Episode
    c1: Claim
    c2: Claim
    v_acme: FactVersion
    v_globex: FactVersion
    v_title: FactVersion
    events: list[AuditEvent]


def build_world(tenant: str) -> tuple[World, WriteBatch]:
    priya = make_entity(tenant, "Priya Sharma", aliases=("Priya", "P. Sharma"))
    acme = make_entity(tenant, "Acme Corp", "organization")
    globex = make_entity(tenant, "Globex", "organization")
    e1 = make_episode(tenant, "Priya Sharma joined Acme Corp in January.", 0)
    e2 = make_episode(tenant, "I moved to Globex in March, says Priya.", 60)
    c1 = make_claim(tenant, "c1", priya, "works_at", obj=acme, valid_from=day(0),
                    episode_id=e1.id, evidence="joined Acme Corp")
    c2 = make_claim(tenant, "c2", priya, "works_at", obj=globex, valid_from=day(60),
                    episode_id=e2.id, evidence="moved to Globex")
    v_acme = make_version(tenant, "v-acme", priya, "works_at", obj=acme, valid_from=day(0),
                          valid_to=day(60), evidence="joined Acme Corp")
    v_globex = make_version(tenant, "v-globex", priya, "works_at", obj=globex,
                            valid_from=day(60), evidence="moved to Globex")
    v_title = make_version(tenant, "v-title", priya, "job_title", value="Staff Engineer",
                           evidence="staff engineer at Globex (zeppelin)")
    events = [make_event(tenant, 1), make_event(tenant, 2, "hash-1")]
    batch = WriteBatch(
        episodes=[e1, e2], entities=[priya, acme, globex], aliases=[(acme.id, "ACME")],
        claims=[c1, c2], versions=[v_acme, v_globex, v_title],
        sources=[Source("v-acme", "c1", e1.id, T0), Source("v-globex", "c2", e2.id, T0),
                 Source("v-globex", "c1", e1.id, T0), Source("v-title", "c2", e2.id, T0),
                 Source("v-title", "c-none", None, T0)],
        events=events)
    world = World(tenant, priya, acme, globex, e1, e2, c1, c2, v_acme, v_globex, v_title,
                  events)
    return world, batch


@pytest.fixture
def world(store: SqliteStore) -> World:
    built, batch = build_world(store.tenant)
    write(store, batch)
    return built


