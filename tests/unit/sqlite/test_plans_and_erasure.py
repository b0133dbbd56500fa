"""The SQLite adapter's primitives, tested directly (no write rules): query plans,
mentions and erasure."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import (
    Embedding,
    Erasure,
    VersionQuery,
    WriteBatch,
    WriteTx,
)
from asof.graph.models import (
    AuditAction,
)
from asof.graph.sqlite import ERASED_TEXT, SqliteStore
from tests.unit.sqlite.conftest import (
    T0,
    World,
    build_world,
    day,
    in_tx,
    make_episode,
    make_event,
    make_version,
    write,
)

pytestmark = pytest.mark.contract


# ----------------------------------------------------------------------------- query plans


def test_as_of_query_uses_the_subject_index(store: SqliteStore) -> None:
    plan = store.explain_versions(VersionQuery(
        subject_id="ent_x", predicate="works_at", valid_at=T0, known_at=T0, live_at=T0))
    assert plan[0].startswith(
        "SEARCH v USING INDEX versions_by_subject (tenant=? AND subject_id=? AND predicate=?")
    assert not [step for step in plan if step.startswith("SCAN")]


_ALLOWED_SCANS = {"json_each", "facts_fts", "episodes_fts", "schema_migrations",
                  "CONSTANT"}
#: An index used only for the tenant (or the tenant and a lower bound, as "x IS NOT NULL"
#: gives): a walk over the whole tenant.
_TENANT_WIDE = re.compile(r"USING (COVERING )?(INDEX \w+|PRIMARY KEY) \(tenant=\?"
                          r"( AND \w+>\?)?\)$")
#: Statements that read a whole tenant on purpose (or stop after a LIMIT).
_TENANT_WIDE_BY_DESIGN = [
    r"FROM versions AS v\s+LEFT JOIN .* WHERE v\.tenant = '\w+'"
    r"( AND v\.(valid_from|recorded_at) <= [-\d]+ AND [-\d]+ < v\.(valid_to|superseded_at))*"
    r" ORDER BY",  # find_versions without a narrowing filter (snapshots, verify)
    r"ORDER BY name, id LIMIT",  # list_entities: a page in index order
    r"ORDER BY seq DESC LIMIT 1",  # lock_head: the last event
    r"^SELECT id, text, speaker FROM episodes WHERE",  # mentions: reads every episode
    r"^SELECT 'episode', e\.id FROM episodes AS e WHERE",  # unembedded: every row, for reindex
]


def test_no_statement_scans_a_table(conn: sqlite3.Connection) -> None:
    """Run every primitive with a statement trace, then EXPLAIN each statement traced."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    store = SqliteStore(conn, tenant="t1", clock=FakeClock(T0))
    store.migrate()
    w, batch = build_world("t1")
    write(store, batch)
    write(store, WriteBatch(superseded_versions=["v-acme"], superseded_claims=["c1"],
                            superseded_at=day(1)))
    for query in (VersionQuery(), VersionQuery(subject_id=w.priya.id),
                  VersionQuery(subject_id=w.priya.id, predicate="works_at", valid_at=day(1),
                               known_at=day(1), live_at=day(1)),
                  VersionQuery(entity_id=w.acme.id, known_at=day(2)),
                  VersionQuery(fact_key=w.v_acme.fact_key), VersionQuery(object_id=w.acme.id),
                  VersionQuery(valid_at=day(1), known_at=day(1)),
                  VersionQuery(subject_key="priya", predicate="works_at", valid_at=day(1),
                               known_at=day(1))):
        store.find_versions(query)
    store.get_versions(["v-acme"])
    store.get_provenance(["v-acme"])
    store.get_claims(["c1"])
    store.find_claims(w.priya.id)
    store.find_claims(w.priya.id, "works_at")
    store.get_entities([w.priya.id])
    store.find_entities(["priya"])
    store.list_entities()
    store.get_episodes([w.e1.id])
    store.episodes_around([w.e1.id], places=2, known_at=day(1))
    store.audit_events(1, 2)
    store.search("Globex", valid_at=day(1), known_at=day(1))
    store.put_embeddings("m", [Embedding(kind="episode", id=w.e1.id, vector=[1.0, 0.0]),
                               Embedding(kind="fact", id="v-acme", vector=[0.0, 1.0])])
    store.unembedded("m")
    store.vector_search([1.0, 0.5], model="m", valid_at=day(1), known_at=day(1))

    def tx_reads(tx: WriteTx) -> None:
        tx.lock_head()
        tx.existing_episodes([w.e1.id])
        tx.find_entities(["priya"])
        tx.current_claims(w.priya.id, "works_at")
        tx.current_versions(w.priya.id, "works_at")
        tx.expired_versions(day(1))
        tx.sourced_from([w.e1.id])
        tx.mentions(w.acme.id, ["Acme"])
        tx.erase(Erasure(entity_ids=[w.acme.id], version_ids=["v-acme"], claim_ids=["c1"],
                         episode_ids=[w.e1.id], redacted_version_ids=["v-globex"],
                         redacted_claim_ids=["c2"], event=make_event("t1", 3)))

    store.run_write(tx_reads)
    conn.set_trace_callback(None)

    checked = 0
    for sql in statements:
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if sql.startswith("--") or head not in {"SELECT", "UPDATE", "DELETE"}:
            continue
        if "'main'." in sql:  # FTS5 reading its own shadow tables, not a statement of ours
            continue
        checked += 1
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        scans = {m.group(1) for step in plan if (m := re.match(r"SCAN (\w+)", step))}
        assert scans <= _ALLOWED_SCANS, (sql, plan)
        flat = " ".join(sql.split())
        if not any(re.search(pattern, flat) for pattern in _TENANT_WIDE_BY_DESIGN):
            wide = [step for step in plan if _TENANT_WIDE.search(step)]
            assert not wide, (sql, plan)
    assert checked >= 30


# --------------------------------------------------------------------- mentions and erasure


def test_mentions_and_sourced_from(store: SqliteStore, world: World) -> None:
    other = make_episode("t1", "Lunch with PRIYA SHARMA tomorrow", 3)
    zoe = make_episode("t1", "ZOË said hi", 4)
    unrelated = make_episode("t1", "nothing to see", 5)
    write(store, WriteBatch(episodes=[other, zoe, unrelated], superseded_versions=["v-acme"],
                            superseded_at=day(1)))
    versions, claims, episodes = in_tx(
        store, lambda tx: tx.mentions(world.priya.id, ["Priya Sharma", "P. Sharma"]))
    assert versions == ["v-acme", "v-globex", "v-title"]  # superseded rows included
    assert claims == ["c1", "c2"]
    assert episodes == sorted([world.e1.id, world.e2.id, other.id])
    # Object side: Acme is the object of v-acme and c1; e1 is their source and names it.
    assert in_tx(store, lambda tx: tx.mentions(world.acme.id, ["Acme Corp"])) == (
        ["v-acme"], ["c1"], [world.e1.id])
    # Case-insensitive beyond ASCII; blank names match nothing.
    assert in_tx(store, lambda tx: tx.mentions("ent_zoe", ["zoë", " "])) == ([], [], [zoe.id])
    assert in_tx(store, lambda tx: tx.mentions("ent_none", ["", "  "])) == ([], [], [])

    assert in_tx(store, lambda tx: tx.sourced_from([world.e1.id])) == (
        ["v-acme", "v-globex"], ["c1"])
    assert in_tx(store, lambda tx: tx.sourced_from([world.e2.id, "missing"])) == (
        ["v-globex", "v-title"], ["c2"])
    assert in_tx(store, lambda tx: tx.sourced_from([])) == ([], [])


def _count(conn: sqlite3.Connection, sql: str, *params: Any) -> int:
    value = conn.execute(sql, params).fetchone()[0]
    assert isinstance(value, int)
    return value


def test_erase_removes_and_redacts_everywhere(store: SqliteStore, world: World,
                                              conn: sqlite3.Connection) -> None:
    bystander, bystander_batch = build_world("bystander")
    write(store.for_tenant("bystander"), bystander_batch)
    # Words only tenant t1 uses, to look for in the full-text index's raw pages.
    secret_episode = make_episode("t1", "Priya loves marzipan", 2)
    secret_version = make_version("t1", "v-pet", world.priya, "has_pet", value="Kumquat",
                                  evidence="a cat called kumquat")
    write(store, WriteBatch(episodes=[secret_episode], versions=[secret_version]))
    assert {h.id for h in store.search("marzipan kumquat")} == {secret_episode.id, "v-pet"}
    tombstone = make_event("t1", 3, "hash-2", action=AuditAction.ERASED)
    in_tx(store, lambda tx: tx.erase(Erasure(
        entity_ids=[world.priya.id], version_ids=["v-acme", "v-globex", "v-pet"],
        claim_ids=["c1"], episode_ids=[world.e1.id, secret_episode.id],
        redacted_version_ids=["v-title"],
        redacted_claim_ids=["c2"], event=tombstone)))

    assert store.get_entities([world.priya.id]) == []
    assert store.find_entities(["priya", "p. sharma", "priya sharma"]) == []
    assert store.get_versions(["v-acme", "v-globex"]) == []
    assert store.find_versions(VersionQuery(predicate="works_at")) == []
    assert store.get_claims(["c1"]) == []
    [title] = store.get_versions(["v-title"])
    assert title.evidence is None and title.subject_name is None
    assert store.get_claims(["c2"])[0].evidence is None
    assert _count(conn, "SELECT count(*) FROM sources WHERE tenant = 't1'"
                  " AND version_id IN ('v-acme', 'v-globex')") == 0
    assert _count(conn, "SELECT count(*) FROM entity_aliases WHERE tenant = 't1'"
                  " AND entity_id = ?", world.priya.id) == 0

    [e1, e2] = store.get_episodes([world.e1.id, world.e2.id])
    assert e1.text == ERASED_TEXT and e1.metadata == {} and e1.id == world.e1.id
    assert e2 == world.e2  # not listed: untouched
    assert _count(conn, "SELECT count(*) FROM episodes WHERE text LIKE '%Acme Corp%'"
                  " AND tenant = 't1'") == 0

    # Full text: the erased episode and versions no longer match; the redacted evidence
    # neither. Merged segments: the words are gone from the index's pages, not just hidden.
    assert {h.id for h in store.search("joined January")} == set()
    assert {h.id for h in store.search("zeppelin")} == set()
    assert {h.id for h in store.search("Globex")} == {world.e2.id}
    assert store.search("marzipan kumquat") == []
    assert _count(conn, "SELECT count(*) FROM episodes_fts_data"
                  " WHERE instr(block, CAST('marzipan' AS BLOB)) > 0") == 0
    assert _count(conn, "SELECT count(*) FROM facts_fts_data"
                  " WHERE instr(block, CAST('kumquat' AS BLOB)) > 0") == 0
    assert _count(conn, "SELECT count(*) FROM facts_fts_content"
                  " WHERE c3 LIKE '%kumquat%'") == 0

    assert store.audit_events(3) == [tombstone]
    # The other tenant keeps everything.
    b = store.for_tenant("bystander")
    assert len(b.find_versions(VersionQuery())) == 3
    assert b.get_episodes([bystander.e1.id])[0].text == bystander.e1.text
    assert {h.id for h in b.search("zeppelin")} == {"v-title"}


