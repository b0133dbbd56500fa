"""Entity ids and the rows' audit hashes are keyed with a secret per tenant (issue #16 item 10):
an erasure's tombstone keeps ids and hashes, and neither may confirm a guessed name to anyone
without the secret. Tenants created before the secret keep their plain hashes and verify."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from asof.graph import ids
from asof.graph.audit import ENTITY, row_hash, target
from asof.graph.clock import FakeClock
from asof.graph.models import AuditAction, EntityRef, Episode, FactAssertion
from asof.graph.predicates import default_registry
from asof.graph.store import GraphStore
from asof.graph.writes import WritePlanner

pytestmark = pytest.mark.contract

BOB = EntityRef(name="Bob Stone", type="person")


def _said(store: GraphStore, clock: FakeClock, day: int, text: str, org: str) -> None:
    clock.advance(timedelta(minutes=1))
    episode = Episode.create(tenant=store.tenant, speaker="Bob Stone", text=text,
                             occurred_at=datetime(2024, 1, day, tzinfo=UTC))
    store.apply(episode, [FactAssertion(subject=BOB, predicate="works_at",
                                        object=EntityRef(name=org, type="organization"))])


def _plain_entity_row(store: GraphStore, entity_id: str) -> dict[str, Any]:
    return {"id": entity_id, "tenant": store.tenant, "name": "Bob Stone", "type": "person"}


def test_a_new_tenants_entity_ids_and_row_hashes_are_keyed(store: GraphStore,
                                                            clock: FakeClock) -> None:
    _said(store, clock, 1, "I work at Initech", "Initech")
    bob = store.resolve("Bob Stone").id
    assert store.tenant_secret() is not None
    assert bob != ids.entity_id(store.tenant, "person", "Bob Stone")  # not recomputable
    assert bob == store.entity_id_for("person", "Bob Stone")
    assert all(e.content_hash.startswith("v3:") for e in store.audit())
    assert store.verify().ok


def test_an_erasure_tombstone_confirms_no_guessed_name(store: GraphStore,
                                                       clock: FakeClock) -> None:
    _said(store, clock, 1, "I work at Initech", "Initech")
    _said(store, clock, 2, "I moved to Globex", "Globex")
    bob = store.resolve("Bob Stone").id
    secret = store.tenant_secret()
    store.forget("Bob Stone")
    tombstone = store.audit()[-1]
    assert tombstone.action is AuditAction.ERASED
    committed = tombstone.commitments[target(ENTITY, bob)]
    # A guesser who knows the name and the format recomputes neither the id nor the hash...
    assert target(ENTITY, ids.entity_id(store.tenant, "person", "Bob Stone")) not in (
        tombstone.targets)
    assert row_hash(_plain_entity_row(store, bob)) != committed
    # ...while the store, holding the secret, still checks the events that wrote Bob.
    assert row_hash(_plain_entity_row(store, bob), secret) == committed
    assert store.verify().ok


def test_a_deleted_secret_fails_verification_at_the_first_keyed_event(
        store: GraphStore, clock: FakeClock, tamper: Any) -> None:
    _said(store, clock, 1, "I work at Initech", "Initech")
    assert store.verify().ok
    tamper.delete_secret(store)
    report = store.verify()
    assert not report.ok and report.first_bad_seq == 1, report
    assert "secret" in (report.reason or "")


def test_a_tenant_created_before_secrets_keeps_plain_ids_and_verifies(
        store: GraphStore, clock: FakeClock) -> None:
    # Write the tenant's first episode as a store did before secrets: no secret, plain hashes.
    first = Episode.create(tenant=store.tenant, speaker="Bob Stone", text="I work at Initech",
                           occurred_at=datetime(2024, 1, 1, tzinfo=UTC))

    def as_before(tx: Any) -> None:
        assert tx.lock_head() is None
        planner = WritePlanner(tx, tenant=store.tenant, now=clock.now(), head=None,
                               registry=default_registry(), actor="asof", audit_key=None)
        planner.add_episode(first)
        planner.add_assertions([FactAssertion(
            subject=BOB, predicate="works_at",
            object=EntityRef(name="Initech", type="organization"))],
            observed_at=first.occurred_at, episode_id=first.id)
        tx.write(planner.batch)

    store.run_write(as_before)
    _said(store, clock, 2, "I moved to Globex", "Globex")  # a write by today's code
    assert store.tenant_secret() is None
    assert store.resolve("Bob Stone").id == ids.entity_id(store.tenant, "person", "Bob Stone")
    assert store.resolve("Globex").id == ids.entity_id(store.tenant, "organization", "Globex")
    assert all(e.content_hash.startswith("v2:") for e in store.audit())
    assert store.verify().ok
    store.forget("Bob Stone")
    assert store.verify().ok


def test_a_handle_for_another_tenant_uses_that_tenants_secret(store: GraphStore,
                                                              clock: FakeClock) -> None:
    """for_tenant copies the handle: the copy must not keep the first tenant's cached
    secret, or it would compute ids the other tenant's entities do not have."""
    _said(store, clock, 2, "Bob Stone works at Initech", "Initech")
    store.entity_id_for("person", "Bob Stone")  # caches this tenant's secret
    other = store.for_tenant(store.tenant + "-other")
    _said(other, clock, 3, "Bob Stone works at Globex", "Globex")
    assert other.tenant_secret() != store.tenant_secret()
    assert other.entity_id_for("person", "Bob Stone") == other.resolve("Bob Stone").id
