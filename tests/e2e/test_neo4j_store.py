"""Neo4jStore against a real Neo4j 5.26: round trips, plans, concurrency, idempotency."""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from neo4j.exceptions import TransientError

from asof import cypher
from asof.graph.clock import FakeClock
from asof.graph.contract import Capability, VersionQuery
from asof.graph.errors import InvalidInputError, StoreUnavailableError
from asof.graph.instants import MAX_US, MIN_US
from asof.graph.models import AssertionKind, EntityRef, Episode, FactAssertion
from asof.graph.neo4j import Neo4jStore
from asof.graph.neo4j.tx import Neo4jTx
from asof.graph.predicates import Cardinality, default_registry

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

START = datetime(2025, 6, 1, 12, tzinfo=UTC)


def at(month: int, day: int = 1, year: int = 2024) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def person(name: str) -> EntityRef:
    return EntityRef(name=name, type="person")


def org(name: str) -> EntityRef:
    return EntityRef(name=name, type="organization")


def works_at(who: str, where: str, start: datetime | None = None, *,
             kind: AssertionKind = AssertionKind.ASSERT) -> FactAssertion:
    return FactAssertion(subject=person(who), predicate="works_at", object=org(where),
                         valid_from=start, kind=kind, evidence=f"{who} works at {where}")


def uses(who: str, tool: str) -> FactAssertion:
    return FactAssertion(subject=person(who), predicate="uses",
                         object=EntityRef(name=tool, type="product"))


def episode(tenant: str, text: str, when: datetime, speaker: str = "Priya") -> Episode:
    return Episode.create(tenant=tenant, speaker=speaker, occurred_at=when, text=text)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def store(neo4j_driver: Any, fresh_tenant: str, clock: FakeClock) -> Neo4jStore:
    s = Neo4jStore(neo4j_driver, tenant=fresh_tenant, clock=clock)
    s.migrate()
    return s


def node_counts(store: Neo4jStore) -> dict[str, int]:
    records, _, _ = store.driver.execute_query(
        "MATCH (n {tenant: $tenant}) RETURN labels(n)[0] AS label, count(*) AS n "
        "UNION ALL MATCH ({tenant: $tenant})-[r]->() RETURN type(r) AS label, count(*) AS n",
        tenant=store.tenant)
    return {r["label"]: r["n"] for r in records}


# ------------------------------------------------------------------------------ round trips


def test_constructor_does_no_io() -> None:
    class NoDriver:
        def __getattr__(self, name: str) -> Any:
            raise AssertionError(f"the constructor touched the driver ({name})")

    store = Neo4jStore(NoDriver(), tenant="t-1")  # type: ignore[arg-type]
    assert store.tenant == "t-1"
    assert store.supports(Capability.FULLTEXT) and store.supports(Capability.EXPLAIN)
    assert store.supports(Capability.CONCURRENT_WRITERS)


def test_migrate_is_idempotent_and_recorded(store: Neo4jStore) -> None:
    assert store.migrate() == []
    records, _, _ = store.driver.execute_query("MATCH (m:SchemaMigration) RETURN m.name AS n")
    names = {r["n"] for r in records}
    assert {m.split("/")[1] for m in cypher.migrations()} <= names


def test_round_trip(store: Neo4jStore, clock: FakeClock) -> None:
    t = store.tenant
    first = episode(t, "I joined Acme in January and I use Slack.", at(3))
    result = store.apply(first, [works_at("Priya", "Acme", at(1)), uses("Priya", "Slack")])
    assert len(result.written) == 2
    clock.advance()
    second = episode(t, "I moved to Globex in May.", at(6))
    result = store.apply(second, [works_at("Priya", "Globex", at(5))])
    assert len(result.closed) == 1

    march = store.facts("Priya", "works_at", valid_at=at(3))
    assert [(v.object_name, v.valid_from, v.valid_to) for v in march] == [
        ("Acme", at(1), at(5))]
    assert march[0].episode_ids == (first.id,)
    assert march[0].subject_name == "Priya"
    now = store.current("Priya")
    assert sorted((v.predicate, v.object_name) for v in now) == [
        ("uses", "Slack"), ("works_at", "Globex")]
    # As known before the second message, Acme was open-ended.
    before = store.facts("Priya", "works_at", valid_at=at(7), known_at=START)
    assert [(v.object_name, v.valid_to) for v in before] == [("Acme", None)]
    acme = march[0]
    history = store.versions(acme.fact_key)
    assert [(v.valid_to, v.superseded_at is None) for v in history] == [
        (None, False), (at(5), True)]
    assert store.get_versions([acme.version_id, "nope"])[0].version_id == acme.version_id
    assert store.find_claims(acme.subject_id, "works_at")
    assert [e.text for e in store.get_episodes([second.id, first.id])] == [
        second.text, first.text]
    assert [e.name for e in store.list_entities()] == ["Acme", "Globex", "Priya", "Slack"]
    by_entity = store.find_versions(VersionQuery(entity_id=acme.object_id))
    assert {v.version_id for v in by_entity} == {v.version_id for v in history}
    assert store.verify().ok
    assert [e.seq for e in store.audit()] == list(range(1, len(store.audit()) + 1))


def test_aliases_and_entity_lookup(store: Neo4jStore) -> None:
    t = store.tenant
    store.apply(episode(t, "Hi, I'm Priya (Pri).", at(1)),
                [FactAssertion(subject=EntityRef(name="Priya", type="person",
                                                 aliases=("Pri", "P. Sharma")),
                               predicate="uses", object=EntityRef(name="Slack", type="product"))])
    found = store.resolve("p. sharma")
    assert found.name == "Priya" and found.aliases == ("Pri", "P. Sharma")
    assert store.entity("PRI") == found


def test_literal_values_and_object_value_path(store: Neo4jStore) -> None:
    t = store.tenant
    store.apply(episode(t, "I'm a staff engineer.", at(2)),
                [FactAssertion(subject=person("Priya"), predicate="job_title",
                               value="Staff Engineer")])
    found = store.find_versions(VersionQuery(object_value="Staff Engineer"))
    assert [v.object_value for v in found] == ["Staff Engineer"]


def test_forget_erases_and_verifies(store: Neo4jStore, clock: FakeClock) -> None:
    t = store.tenant
    first = episode(t, "Priya works at Acme.", at(1), speaker="Sam")
    store.apply(first, [works_at("Priya", "Acme", at(1))])
    clock.advance()
    other = episode(t, "Sam uses Slack.", at(2), speaker="Sam")
    store.apply(other, [uses("Sam", "Slack")])
    clock.advance()
    result = store.forget("Priya")
    assert result.versions == 1 and result.episodes == 1
    assert store.entity("Priya") is None
    assert store.current("Acme") == [] and store.facts(valid_at=at(3)) != []
    assert store.get_episodes([first.id])[0].text == "[erased]"
    assert store.search("Priya") == []
    assert store.get_episodes([other.id])[0].text == other.text
    assert store.verify().ok


def test_search_round_trip_and_odd_input(store: Neo4jStore, clock: FakeClock) -> None:
    t = store.tenant
    store.apply(episode(t, "I joined Acme Corp in January.", at(2)),
                [works_at("Priya", "Acme", at(1))])
    hits = store.search("acme")
    assert {h.kind for h in hits} == {"episode", "fact"}
    fact = next(h for h in hits if h.kind == "fact")
    assert fact.text == "Priya works_at Acme" and fact.version is not None
    assert store.search("acme", valid_at=at(1, 1, 2023)) == [
        h for h in hits if h.kind == "episode"]
    assert store.search("acme", known_at=START - timedelta(days=1)) == []
    for text in ['"', "*", "AND", "OR", "NOT", "~", "(", ")", "acme~", "text:acme", "\\",
                 "'; MATCH (n) DETACH DELETE n //", "} RETURN 1 //", "a" * 5000, "",
                 "   ", "ünïcödé 東京", "tenant:x", f'tenant:"{t}"']:
        store.search(text)  # never raises
    assert store.search('"Acme* AND (~') and store.search("ACME", limit=1)


def test_tenants_are_isolated(store: Neo4jStore, fresh_tenant: str) -> None:
    store.apply(episode(store.tenant, "I use Slack.", at(1)), [uses("Priya", "Slack")])
    other = store.for_tenant(fresh_tenant + "x")
    assert other.current() == [] and other.search("Slack") == []
    assert other.entity("Priya") is None and other.audit() == []
    with pytest.raises(InvalidInputError):
        other.apply(episode(store.tenant, "x", at(1)), [])


def test_tracer_sees_names_and_shapes_never_values(neo4j_driver: Any, fresh_tenant: str,
                                                   clock: FakeClock) -> None:
    calls: list[tuple[str, dict[str, str], float]] = []
    store = Neo4jStore(neo4j_driver, tenant=fresh_tenant, clock=clock,
                       tracer=lambda name, shape, duration: calls.append((name, shape, duration)))
    store.migrate()
    store.apply(episode(fresh_tenant, "Secret text about Acme.", at(1)),
                [works_at("Priya", "Acme", at(1))])
    store.current("Priya")
    names = Counter(name for name, _, _ in calls)
    assert names["write/lock_head"] == 1 and names["read/versions_by_subject_predicate"] == 0
    assert names["read/versions_by_subject_key"] == 1  # the name resolved in the same read
    for _, shape, duration in calls:
        assert duration >= 0
        assert all(isinstance(v, str) for v in shape.values())
        assert fresh_tenant not in str(shape) and "Secret" not in str(shape)
    assert ("read/versions_by_subject_key", "str[" + str(len(fresh_tenant)) + "]") in {
        (n, s.get("tenant", "")) for n, s, _ in calls}


def test_unreachable_server_is_store_unavailable(fresh_tenant: str) -> None:
    with pytest.raises(StoreUnavailableError):
        Neo4jStore.from_url("bolt://127.0.0.1:1", tenant=fresh_tenant, user="neo4j",
                            password="x" * 8, connection_timeout=1,
                            max_transaction_retry_time=0)
    with pytest.raises(InvalidInputError):
        Neo4jStore.from_url("http://localhost:7474", tenant=fresh_tenant, user="u",
                            password="p")


# ------------------------------------------------------------------------------ EXPLAIN

T0 = 1_717_200_000_000_000
SEEKS = ("NodeIndexSeek", "NodeUniqueIndexSeek")


def _params(**over: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "subject_id": None, "subject_key": None, "predicate": None, "object_id": None,
        "object_value": None,
        "fact_key": None, "entity_id": None, "valid_hi": T0, "valid_lo": T0, "known_hi": T0,
        "known_lo": T0, "live_at": MIN_US, "limit": 10, "with_provenance": False}
    params.update(over)
    return params


EXPLAINED: list[tuple[str, dict[str, Any], list[str]]] = [
    ("read/versions_by_subject_predicate",
     _params(subject_id="ent_x", predicate="works_at"),
     ["RANGE INDEX f:Fact(tenant, subject_id, predicate, valid_from)"]),
    ("read/versions_by_subject", _params(subject_id="ent_x"),
     ["RANGE INDEX f:Fact(tenant, subject_id, predicate, valid_from)"]),
    ("read/versions_by_subject_key_predicate",
     _params(subject_key="priya", predicate="uses", with_provenance=True),
     ["RANGE INDEX e:Entity(tenant, norm_name)", "RANGE INDEX a:Alias(tenant, norm_alias)",
      "RANGE INDEX f:Fact(tenant, subject_id, predicate, valid_from)",
      "UNIQUE e:Episode(tenant, id)"]),
    ("read/versions_by_subject_key", _params(subject_key="priya", with_provenance=True),
     ["RANGE INDEX e:Entity(tenant, norm_name)", "RANGE INDEX a:Alias(tenant, norm_alias)",
      "RANGE INDEX f:Fact(tenant, subject_id, predicate, valid_from)",
      "UNIQUE e:Episode(tenant, id)"]),
    ("read/versions_by_fact_key", _params(fact_key="fk_x"),
     ["RANGE INDEX f:Fact(tenant, fact_key)"]),
    ("read/versions_by_object", _params(object_id="ent_y"),
     ["RANGE INDEX f:Fact(tenant, object_id)"]),
    ("read/versions_by_value", _params(object_value="Staff"),
     ["RANGE INDEX f:Fact(tenant, object_value)"]),
    ("read/versions_by_predicate", _params(predicate="uses"),
     ["RANGE INDEX f:Fact(tenant, predicate)"]),
    ("read/versions_by_entity", _params(entity_id="ent_x"),
     ["RANGE INDEX f:Fact(tenant, subject_id, predicate, valid_from)",
      "RANGE INDEX f:Fact(tenant, object_id)"]),
    ("read/versions_all", _params(), ["UNIQUE f:Fact(tenant, version_id)"]),
    ("read/versions_by_id", {"ids": ["v1"]}, ["UNIQUE f:Fact(tenant, version_id)"]),
    ("read/claims_by_id", {"ids": ["c1"]}, ["UNIQUE c:Claim(tenant, claim_id)"]),
    ("read/claims_by_subject", {"subject_id": "s", "predicate": None},
     ["RANGE INDEX c:Claim(tenant, subject_id, predicate, superseded_at)"]),
    ("read/entities_by_id", {"ids": ["e"]}, ["UNIQUE e:Entity(tenant, id)"]),
    ("read/entities_by_key", {"keys": ["priya"]},
     ["RANGE INDEX e:Entity(tenant, norm_name)", "RANGE INDEX a:Alias(tenant, norm_alias)"]),
    ("read/entities_list", {"limit": 10, "offset": 0}, ["RANGE INDEX e:Entity(tenant, name)"]),
    ("read/episodes_by_id", {"ids": ["e"]}, ["UNIQUE e:Episode(tenant, id)"]),
    ("read/episodes_around", {"ids": ["e"], "places": 2, "ingested_by": T0},
     ["UNIQUE a:Episode(tenant, id)",
      "RANGE INDEX e:Episode(tenant, conversation_id, occurred_at)"]),
    ("read/provenance", {"ids": ["v1"]},
     ["UNIQUE f:Fact(tenant, version_id)", "UNIQUE e:Episode(tenant, id)"]),
    ("read/audit_events", {"start_seq": 1, "end_seq": 10},
     ["UNIQUE e:AuditEvent(tenant, seq)"]),
    ("write/current_of_group", {"subject_id": "s", "predicate": "p", "open": MAX_US},
     ["RANGE INDEX c:Claim(tenant, subject_id, predicate, superseded_at)",
      "RANGE INDEX f:Fact(tenant, subject_id, predicate, valid_from)"]),
    ("write/current_of_subjects", {"subject_ids": ["s"], "open": MAX_US},
     ["RANGE INDEX c:Claim(tenant, subject_id, predicate, superseded_at)",
      "RANGE INDEX f:Fact(tenant, subject_id, predicate, valid_from)"]),
    ("write/expired_versions", {"open": MAX_US, "now": T0},
     ["RANGE INDEX f:Fact(tenant, superseded_at, expires_at)"]),
    ("write/lock_head", {}, ["UNIQUE e:AuditEvent(tenant, seq)"]),
    ("write/existing_episodes", {"ids": ["e"]}, ["UNIQUE e:Episode(tenant, id)"]),
    ("write/sourced_from", {"episode_ids": ["e"]}, ["RANGE INDEX c:Claim(tenant, episode_id)"]),
    ("write/mentioned_claims", {"entity_id": "e"},
     ["RANGE INDEX c:Claim(tenant, subject_id, predicate, superseded_at)",
      "RANGE INDEX c:Claim(tenant, object_id)"]),
]


@pytest.mark.parametrize(("name", "params", "indexes"), EXPLAINED,
                         ids=[name for name, _, _ in EXPLAINED])
def test_read_paths_seek_an_index(store: Neo4jStore, name: str, params: dict[str, Any],
                                  indexes: list[str]) -> None:
    operators = store.explain(name, **params)
    plan = "\n".join(operators)
    assert not any(op.startswith(("NodeByLabelScan", "AllNodesScan")) for op in operators), plan
    for index in indexes:
        assert any(op.startswith(SEEKS) and index in op for op in operators), (index, plan)


def test_as_of_query_seeks_subject_predicate_and_valid_from(store: Neo4jStore) -> None:
    now = datetime.now(UTC)
    operators = store.explain_versions(VersionQuery(
        subject_id="ent_x", predicate="works_at", valid_at=now, known_at=now))
    seek = next(op for op in operators if op.startswith("NodeIndexSeek"))
    assert ("WHERE tenant = $tenant AND subject_id = $subject_id AND predicate = $predicate "
            "AND valid_from <= $valid_hi") in seek


def test_every_statement_plans(store: Neo4jStore) -> None:
    """EXPLAIN parses and plans every non-schema statement on the real server."""
    for name in cypher.names():
        if name.startswith("schema/"):
            continue
        assert store.explain(name), name


def test_search_queries_the_fulltext_index(store: Neo4jStore) -> None:
    for name in ("read/search_facts", "read/search_episodes"):
        operators = store.explain(name, query="x", candidates=10, limit=1, valid_hi=0,
                                  valid_lo=0, known_hi=0, known_lo=0, ingested_by=0)
        assert any("db.index.fulltext.queryNodes" in op for op in operators), operators


# ------------------------------------------------------------------------------ concurrency

PEOPLE = ["Ana", "Ben", "Chloe"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]
TOOLS = ["Slack", "Jira", "Figma"]


def _history(tenant: str, seed: int, n: int) -> list[tuple[Episode, list[FactAssertion]]]:
    """Overlapping histories of the same few people, deterministic per seed. Every message
    time and start is unique (minutes encode seed and index) and retractions name their object,
    so the valid-time view does not depend on arrival order (docs/temporal-model.md)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        who = rng.choice(PEOPLE)
        when = at(1) + timedelta(days=rng.randrange(0, 360), minutes=seed * 100 + i)
        facts = [works_at(who, rng.choice(COMPANIES), when - timedelta(days=rng.randrange(30)))]
        if rng.random() < 0.5:
            facts.append(uses(who, rng.choice(TOOLS)))
        if rng.random() < 0.2:
            facts.append(FactAssertion(subject=person(who), predicate="works_at",
                                       object=org(rng.choice(COMPANIES)),
                                       kind=AssertionKind.RETRACT,
                                       valid_from=when + timedelta(days=3)))
        text = f"message {seed}-{i}: {who} at {when.isoformat()}"
        out.append((episode(tenant, text, when, speaker=who), facts))
    return out


def _check_no_overlap(store: Neo4jStore, known_at: datetime | None = None) -> None:
    registry = default_registry()
    versions = store.find_versions(VersionQuery(known_at=known_at or datetime.now(UTC)))
    groups: dict[tuple[str, str], list[Any]] = {}
    for v in versions:
        if registry.get(v.predicate).cardinality is Cardinality.ONE:
            groups.setdefault((v.subject_id, v.predicate), []).append(v)
    for group in groups.values():
        group.sort(key=lambda v: (v.valid_from or datetime.min.replace(tzinfo=UTC)))
        for a, b in zip(group, group[1:], strict=False):
            assert a.valid_to is not None and b.valid_from is not None
            assert a.valid_to <= b.valid_from, (a, b)


def _view(store: Neo4jStore) -> list[tuple[str | None, str, str, Any, Any]]:
    return sorted((v.subject_name, v.predicate, v.object_label, v.valid_from, v.valid_to)
                  for v in store.find_versions(VersionQuery(known_at=datetime.now(UTC))))


def test_concurrent_writers_keep_the_invariants(neo4j_driver: Any, fresh_tenant: str) -> None:
    histories = [_history(fresh_tenant, seed, 12) for seed in range(4)]
    clock = FakeClock(START)
    concurrent = Neo4jStore(neo4j_driver, tenant=fresh_tenant, clock=clock)
    concurrent.migrate()
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(histories))

    def ingest(items: list[tuple[Episode, list[FactAssertion]]]) -> None:
        try:
            handle = Neo4jStore(neo4j_driver, tenant=fresh_tenant, clock=clock)
            barrier.wait()
            for ep, facts in items:
                handle.apply(ep, facts)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=ingest, args=(h,)) for h in histories]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors

    report = concurrent.verify()
    assert report.ok, report
    _check_no_overlap(concurrent)
    for event in concurrent.audit()[::7]:  # every snapshot in transaction time
        _check_no_overlap(concurrent, known_at=event.at)

    sequential = concurrent.for_tenant(fresh_tenant + "-seq")
    assert isinstance(sequential, Neo4jStore)
    for items in histories:
        for ep, facts in items:
            sequential.apply(ep.model_copy(update={"tenant": sequential.tenant}), facts)
    assert sequential.verify().ok
    assert _view(concurrent) == _view(sequential)
    n = sum(len(h) for h in histories)
    assert len(concurrent.get_episodes([ep.id for h in histories for ep, _ in h])) == n
    assert len({c.claim_id for p in PEOPLE for c in concurrent.find_claims(
        concurrent.resolve(p).id)}) == len({c.claim_id for p in PEOPLE for c in
                                           sequential.find_claims(sequential.resolve(p).id)})


# ------------------------------------------------------------------------------ idempotency


def test_reapplying_after_a_lost_ack_changes_nothing(store: Neo4jStore, clock: FakeClock) -> None:
    ep = episode(store.tenant, "I work at Acme.", at(3))
    store.apply(ep, [works_at("Priya", "Acme", at(1))])
    before = (node_counts(store), store.checkpoint())
    clock.advance()
    # The commit went through but the client never heard: it retries the same episode.
    again = store.apply(ep, [works_at("Priya", "Acme", at(1))])
    assert again.duplicate
    assert (node_counts(store), store.checkpoint()) == before
    assert store.verify().ok


def test_a_retried_transaction_function_leaves_one_copy(
        store: Neo4jStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
        neo4j_driver: Any) -> None:
    """The driver re-runs the work after a transient failure late in the transaction (as after
    a deadlock or a leader switch): the state equals a run that never failed."""
    real_write = Neo4jTx.write
    attempts: list[int] = []

    def flaky_write(self: Neo4jTx, batch: Any) -> None:
        real_write(self, batch)
        attempts.append(1)
        if len(attempts) == 1:
            raise TransientError("simulated: the transaction was lost before commit")

    history = _history(store.tenant, 7, 5)
    monkeypatch.setattr(Neo4jTx, "write", flaky_write)
    ep, facts = history[0]
    store.apply(ep, facts)
    monkeypatch.setattr(Neo4jTx, "write", real_write)
    assert len(attempts) == 2
    for ep, facts in history[1:]:
        store.apply(ep, facts)

    control = Neo4jStore(neo4j_driver, tenant=store.tenant + "-ctl", clock=FakeClock(START))
    for ep, facts in history:
        control.apply(ep.model_copy(update={"tenant": control.tenant}), facts)
    assert node_counts(store) == node_counts(control)
    assert _view(store) == _view(control)
    assert [e.action for e in store.audit()] == [e.action for e in control.audit()]
    assert store.verify().ok
