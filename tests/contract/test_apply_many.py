"""Property: ``apply_many`` stores exactly what ``apply`` on each item in order stores.

Each example draws the random histories of the oracle property test (retractions, corrections,
"used to", events, a clock that sometimes goes backwards), packs them into episodes of one to
three assertions, repeats some episodes (duplicates) and cuts the sequence into transactions.
The history is applied twice under the *same* tenant name (ids and audit hashes include it):
once one ``apply`` per episode, once one ``apply_many`` per transaction, with the clock at the
same reading for both. The tenant is emptied in between. Both runs must return the same results
and leave bit-for-bit the same audit chain, versions (both time axes, provenance), claims,
entities and episodes; and the chain verifies.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from test_oracle_property import Step, day, steps, to_assertion

from asof.graph.audit import CLAIM, split_target
from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.errors import InvalidInputError
from asof.graph.models import Episode, FactAssertion
from asof.graph.store import GraphStore
from asof.graph.writes import WriteResult

pytestmark = pytest.mark.contract

_PROFILE = (settings.get_profile("ci") if settings.get_current_profile_name() == "default"
            else settings.default)
# Two full replays and a full dump per example (~2.5 s each on Neo4j): a twentieth of the
# oracle test's examples keeps it near a minute in make test; the thorough profile runs 500.
_EXAMPLES = max(20, (_PROFILE.max_examples or 100) // 20)

CLOCK_START = datetime(2025, 1, 1, tzinfo=UTC)

Item = tuple[Episode, list[FactAssertion]]


@st.composite
def plans(draw: st.DrawFn) -> list[tuple[int, list[Item]]]:
    """Transactions: (clock step before it in seconds, its items)."""
    history: list[Step] = draw(st.lists(steps(), min_size=1, max_size=14))
    items: list[Item] = []
    i = 0
    while i < len(history):
        size = draw(st.integers(1, 3))
        group = history[i:i + size]
        first = group[0]
        msg = day(first.msg_day) + (timedelta(hours=12) if first.msg_noon else timedelta()) \
            + i * timedelta(seconds=1)
        episode = Episode.create(tenant="placeholder", speaker="user", occurred_at=msg,
                                 text=f"episode {i}: " + ", ".join(s.kind for s in group))
        items.append((episode, [to_assertion(s) for s in group]))
        i += size
        if items and draw(st.integers(0, 5)) == 0:  # now and then, an episode again
            items.append(draw(st.sampled_from(items)))
    out: list[tuple[int, list[Item]]] = []
    while items:
        size = draw(st.integers(1, 5))
        step = draw(st.one_of(st.integers(0, 3600), st.integers(-7200, 0)))
        out.append((step, items[:size]))
        items = items[size:]
    return out


def _for(tenant: str, item: Item) -> Item:
    episode, assertions = item
    return episode.model_copy(update={"tenant": tenant}), assertions


def _result(r: WriteResult) -> tuple[Any, ...]:
    return (r.recorded_at, r.duplicate, r.episode_ids, r.written, r.closed, r.confirmed,
            r.claims, r.events)


def _dump(store: GraphStore) -> dict[str, Any]:
    events = store.audit_events(1)
    claim_ids = sorted({row for e in events for t in (*e.targets, *e.superseded)
                        for kind, row in [split_target(t)] if kind == CLAIM})
    versions = store.find_versions(VersionQuery())
    episode_ids = sorted({e.episode_id for e in events if e.episode_id})
    return {
        "events": events,
        "versions": versions,
        "claims": store.get_claims(claim_ids),
        "entities": store.list_entities(limit=10_000),
        "episodes": store.get_episodes(episode_ids),
    }


def _replay(store: GraphStore, clock: FakeClock, plan: list[tuple[int, list[Item]]], *,
            many: bool) -> tuple[list[Any], dict[str, Any]]:
    """Apply ``plan``; returns each transaction's outcome and the store's contents."""
    clock.set(CLOCK_START)
    outcomes: list[Any] = []
    for step, items in plan:
        clock.advance(timedelta(seconds=step))
        mine = [_for(store.tenant, item) for item in items]
        if many:
            outcomes.append([_result(r) for r in store.apply_many(mine)])
        else:
            outcomes.append([_result(store.apply(*item)) for item in mine])
    return outcomes, _dump(store)


def _valid_plan(store: GraphStore, clock: FakeClock,
                plan: list[tuple[int, list[Item]]]) -> list[tuple[int, list[Item]]]:
    """The plan without the transactions in which some item is rejected (an inverted
    correction): apply_many rejects those whole, so both runs skip them."""
    clock.set(CLOCK_START)
    kept = []
    for step, items in plan:
        clock.advance(timedelta(seconds=step))
        try:
            store.apply_many([_for(store.tenant, item) for item in items])
        except InvalidInputError as exc:
            note(f"transaction skipped: {exc}")
            continue
        kept.append((step, items))
    return kept


@settings(_PROFILE, max_examples=_EXAMPLES)
@given(plan=plans())
def test_apply_many_equals_sequential_apply(store_factory: Any, tamper: Any,
                                            plan: list[tuple[int, list[Item]]]) -> None:
    clock = FakeClock(CLOCK_START)
    store = store_factory(clock=clock)
    try:
        plan = _valid_plan(store, clock, plan)
        tamper.drop_tenant(store)
        one_by_one, stored_sequentially = _replay(store, clock, plan, many=False)
        tamper.drop_tenant(store)
        batched, stored_batched = _replay(store, clock, plan, many=True)
        flat = [r for outcome in one_by_one for r in outcome]
        assert [r for outcome in batched for r in outcome] == flat
        for name, rows in stored_sequentially.items():
            assert stored_batched[name] == rows, name
        assert store.verify().ok
    finally:
        store.close()


def test_apply_many_is_all_or_nothing(store: GraphStore, clock: FakeClock) -> None:
    from asof.graph.models import AssertionKind, EntityRef

    priya = EntityRef(name="Priya", type="person")
    acme = EntityRef(name="Acme", type="organization")
    good = (Episode.create(tenant=store.tenant, speaker="user", occurred_at=day(1),
                           text="Priya joined Acme"),
            [FactAssertion(subject=priya, predicate="works_at", object=acme,
                           valid_from=day(1), valid_to=day(5))])
    bad = (Episode.create(tenant=store.tenant, speaker="user", occurred_at=day(6),
                          text="actually from the 7th"),
           # the corrected start lies after the stated end: rejected
           [FactAssertion(subject=priya, predicate="works_at", object=acme,
                          valid_from=day(7), kind=AssertionKind.CORRECT)])
    with pytest.raises(InvalidInputError):
        store.apply_many([good, bad])
    assert store.audit_events(1) == []
    assert store.find_versions(VersionQuery()) == []
    results = store.apply_many([good, good])
    assert [r.duplicate for r in results] == [False, True]
    assert store.apply_many([]) == []


def test_an_assertion_corrected_in_the_same_episode(store: GraphStore,
                                                    clock: FakeClock) -> None:
    """The corrected claim is never stored, so the correction must not link to it (Neo4j
    refused the whole write: a provenance link to a claim that does not exist)."""
    from asof.graph.models import AssertionKind, EntityRef

    priya = EntityRef(name="Priya", type="person")
    acme, globex = EntityRef(name="Acme", type="organization"), EntityRef(
        name="Globex", type="organization")
    episode = Episode.create(tenant=store.tenant, speaker="user", occurred_at=day(3),
                             text="Priya joined Acme... sorry, Globex")
    store.apply(episode, [
        FactAssertion(subject=priya, predicate="works_at", object=acme, valid_from=day(1)),
        FactAssertion(subject=priya, predicate="works_at", object=globex, corrects=acme,
                      kind=AssertionKind.CORRECT)])
    [version] = store.current("Priya", "works_at")
    assert (version.object_name, version.valid_from, version.episode_ids) == (
        "Globex", day(1), (episode.id,))
    assert store.verify().ok
