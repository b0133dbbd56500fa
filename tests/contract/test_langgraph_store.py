"""LangGraph's ``BaseStore`` semantics, ported from its documentation (langgraph ships no reusable
store tests), run on :class:`AsofStore` over every backend; plus what asof adds: every put is a
new version, ``get(..., as_of=...)``, transaction-time ``created_at``/``updated_at``, and the
audit chain covering each write.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from langgraph.store.base import (
    GetOp,
    InvalidNamespaceError,
    ListNamespacesOp,
    MatchCondition,
    PutOp,
    SearchOp,
)

from asof.api.langgraph_store import ITEM_PREDICATE, AsofStore
from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.errors import InvalidInputError, NaiveDatetimeError
from asof.graph.models import FactAssertion
from asof.graph.store import GraphStore

pytestmark = pytest.mark.contract

SECOND = timedelta(seconds=1)


@pytest.fixture
def lg(store: GraphStore) -> AsofStore:
    return AsofStore(store)


def _put(lg: AsofStore, clock: FakeClock, namespace: tuple[str, ...], key: str,
         value: dict[str, object] | None) -> datetime:
    """Put (or delete, for None) one second after the previous write; returns its time."""
    clock.advance(SECOND)
    if value is None:
        lg.delete(namespace, key)
    else:
        lg.put(namespace, key, value)
    return clock.now()


def test_put_then_get_returns_the_item_and_missing_keys_give_none(lg: AsofStore,
                                                                 clock: FakeClock) -> None:
    when = _put(lg, clock, ("users", "42"), "profile", {"name": "Priya", "langs": ["en", "hi"]})
    item = lg.get(("users", "42"), "profile")
    assert item is not None
    assert (item.namespace, item.key) == (("users", "42"), "profile")
    assert item.value == {"name": "Priya", "langs": ["en", "hi"]}
    assert item.created_at == item.updated_at == when
    assert lg.get(("users", "42"), "other") is None
    assert lg.get(("users", "43"), "profile") is None


def test_every_put_is_a_new_version_and_old_values_stay_readable(lg: AsofStore,
                                                                store: GraphStore,
                                                                clock: FakeClock) -> None:
    first = _put(lg, clock, ("prefs",), "ui", {"theme": "dark"})
    second = _put(lg, clock, ("prefs",), "ui", {"theme": "light"})
    third = _put(lg, clock, ("prefs",), "ui", {"theme": "light"})  # same value: still a put
    item = lg.get(("prefs",), "ui")
    assert item is not None and item.value == {"theme": "light"}
    assert item.created_at == first and item.updated_at == third
    versions = store.find_versions(VersionQuery(predicate=ITEM_PREDICATE.name))
    originals = [v for v in versions if v.supersedes is None]
    assert len(originals) == 3  # one written per put; closing writes copies, never updates
    assert [i.value if (i := lg.get(("prefs",), "ui", as_of=t)) else None
            for t in (first - SECOND, first, second, third)] == [
        None, {"theme": "dark"}, {"theme": "light"}, {"theme": "light"}]
    then = lg.get(("prefs",), "ui", as_of=second)
    assert then is not None and (then.created_at, then.updated_at) == (first, second)
    assert store.verify().ok


def test_delete_removes_the_item_keeps_its_history_and_a_new_put_starts_a_new_life(
        lg: AsofStore, clock: FakeClock) -> None:
    created = _put(lg, clock, ("notes",), "n1", {"text": "call Acme"})
    deleted = _put(lg, clock, ("notes",), "n1", None)
    assert lg.get(("notes",), "n1") is None
    assert lg.search(("notes",)) == []
    assert lg.list_namespaces() == []
    before = lg.get(("notes",), "n1", as_of=deleted - SECOND)
    assert before is not None and before.value == {"text": "call Acme"}
    assert before.created_at == created
    again = _put(lg, clock, ("notes",), "n1", {"text": "call Acme"})
    item = lg.get(("notes",), "n1")
    assert item is not None and item.created_at == item.updated_at == again


def test_deleting_a_missing_item_changes_nothing(lg: AsofStore, store: GraphStore,
                                                 clock: FakeClock) -> None:
    _put(lg, clock, ("a",), "k", {"v": 1})
    events = len(store.audit())
    lg.delete(("a",), "other")
    lg.delete(("b",), "k")
    assert len(store.audit()) == events


def test_keys_and_labels_are_exact_strings(lg: AsofStore, clock: FakeClock) -> None:
    """asof matches entity names case-insensitively; store keys must not be."""
    _put(lg, clock, ("Docs",), "Key", {"n": 1})
    _put(lg, clock, ("docs",), "key", {"n": 2})
    _put(lg, clock, ("docs",), "key ", {"n": 3})
    _put(lg, clock, ("docs", "a/b"), "c", {"n": 4})
    _put(lg, clock, ("docs", "a"), "b/c", {"n": 5})
    got = [lg.get(ns, k) for ns, k in [(("Docs",), "Key"), (("docs",), "key"),
                                       (("docs",), "key "), (("docs", "a/b"), "c"),
                                       (("docs", "a"), "b/c")]]
    assert [i.value["n"] if i else None for i in got] == [1, 2, 3, 4, 5]


def test_search_scopes_by_prefix_filters_and_pages(lg: AsofStore, clock: FakeClock) -> None:
    _put(lg, clock, ("docs", "u1"), "a", {"kind": "report", "score": 4.5,
                                          "meta": {"lang": "en"}})
    _put(lg, clock, ("docs", "u1"), "b", {"kind": "memo", "score": 2, "meta": {"lang": "de"}})
    _put(lg, clock, ("docs", "u2"), "c", {"kind": "report", "score": 3, "tags": ["x", "y"]})
    _put(lg, clock, ("other",), "d", {"kind": "report", "score": 9})

    def keys(**kwargs: object) -> list[str]:
        prefix = kwargs.pop("prefix", ("docs",))
        return [i.key for i in lg.search(prefix, **kwargs)]  # type: ignore[arg-type]

    assert keys() == ["c", "b", "a"]  # most recently updated first
    assert keys(prefix=()) == ["d", "c", "b", "a"]
    assert keys(prefix=("docs", "u1")) == ["b", "a"]
    assert keys(prefix=("doc",)) == []  # labels match whole, not as string prefixes
    assert keys(filter={"kind": "report"}) == ["c", "a"]
    assert keys(filter={"meta": {"lang": "en"}}) == ["a"]
    assert keys(filter={"tags": ["x", "y"]}) == ["c"]
    assert keys(filter={"score": {"$gt": 2.5}}) == ["c", "a"]
    assert keys(filter={"score": {"$gte": 2, "$lt": 4}}) == ["c", "b"]
    assert keys(filter={"score": {"$lte": 2}}) == ["b"]
    assert keys(filter={"kind": {"$ne": "report"}}) == ["b"]
    assert keys(filter={"kind": {"$eq": "memo"}}) == ["b"]
    assert keys(filter={"missing": 1}) == []
    assert keys(limit=2) == ["c", "b"]
    assert keys(limit=2, offset=2) == ["a"]
    with pytest.raises(InvalidInputError, match=r"\$regex"):
        lg.search(("docs",), filter={"kind": {"$regex": "r.*"}})


def test_search_query_ranks_by_the_share_of_words_found(lg: AsofStore,
                                                        clock: FakeClock) -> None:
    _put(lg, clock, ("mem",), "1", {"text": "Priya moved to Berlin"})
    _put(lg, clock, ("mem",), "2", {"text": "Priya likes tea"})
    _put(lg, clock, ("mem",), "3", {"text": "Sam likes coffee"})
    found = lg.search(("mem",), query="Priya Berlin")
    assert [(i.key, i.score) for i in found] == [("1", 1.0), ("2", 0.5)]
    assert lg.search(("mem",), query="nothing here") == []
    plain = lg.search(("mem",))
    assert {i.score for i in plain} == {None}


def test_list_namespaces_matches_prefixes_suffixes_wildcards_and_depth(
        lg: AsofStore, clock: FakeClock) -> None:
    for ns in [("a", "b", "c"), ("a", "b", "d"), ("a", "e"), ("x", "b", "c")]:
        _put(lg, clock, ns, "k", {"v": 1})
    assert lg.list_namespaces() == [("a", "b", "c"), ("a", "b", "d"), ("a", "e"),
                                    ("x", "b", "c")]
    assert lg.list_namespaces(prefix=("a",)) == [("a", "b", "c"), ("a", "b", "d"), ("a", "e")]
    assert lg.list_namespaces(suffix=("c",)) == [("a", "b", "c"), ("x", "b", "c")]
    assert lg.list_namespaces(prefix=("*", "b")) == [("a", "b", "c"), ("a", "b", "d"),
                                                     ("x", "b", "c")]
    assert lg.list_namespaces(prefix=("a",), suffix=("d",)) == [("a", "b", "d")]
    assert lg.list_namespaces(max_depth=2) == [("a", "b"), ("a", "e"), ("x", "b")]
    assert lg.list_namespaces(limit=2, offset=1) == [("a", "b", "d"), ("a", "e")]


def test_batch_runs_operations_in_order(lg: AsofStore, clock: FakeClock) -> None:
    clock.advance(SECOND)
    results = lg.batch([
        PutOp(("b",), "k1", {"v": 1}),
        PutOp(("b",), "k2", {"v": 2}),
        GetOp(("b",), "k1"),
        PutOp(("b",), "k1", None),
        GetOp(("b",), "k1"),
        SearchOp(("b",)),
        ListNamespacesOp(match_conditions=(MatchCondition("prefix", ("b",)),)),
    ])
    assert results[:2] == [None, None]
    assert results[2] is not None and results[2].value == {"v": 1}  # type: ignore[union-attr]
    assert results[3:5] == [None, None]
    assert [i.key for i in results[5]] == ["k2"]  # type: ignore[union-attr]
    assert results[6] == [("b",)]


def test_async_methods_give_the_same_answers(lg: AsofStore, clock: FakeClock) -> None:
    async def scenario() -> tuple[object, ...]:
        clock.advance(SECOND)
        await lg.aput(("async",), "k", {"v": "x"})
        when = clock.now()
        clock.advance(SECOND)
        await lg.aput(("async",), "k", {"v": "y"})
        return (await lg.aget(("async",), "k"), await lg.aget(("async",), "k", as_of=when),
                await lg.asearch(("async",)), await lg.alist_namespaces())

    now, then, found, namespaces = asyncio.run(scenario())
    assert now is not None and now.value == {"v": "y"}  # type: ignore[attr-defined]
    assert then is not None and then.value == {"v": "x"}  # type: ignore[attr-defined]
    assert [i.key for i in found] == ["k"]  # type: ignore[attr-defined]
    assert namespaces == [("async",)]


def test_bad_input_is_refused_and_writes_nothing(lg: AsofStore, store: GraphStore,
                                                 clock: FakeClock) -> None:
    _put(lg, clock, ("ok",), "k", {"v": 1})
    events = len(store.audit())
    with pytest.raises(InvalidNamespaceError):
        lg.put(("bad.label",), "k", {"v": 1})
    with pytest.raises(InvalidNamespaceError):
        lg.put((), "k", {"v": 1})
    with pytest.raises(InvalidNamespaceError):
        lg.batch([PutOp((), "k", {"v": 1})])
    with pytest.raises(InvalidInputError, match="JSON"):
        lg.put(("ok",), "k", {"v": object()})
    with pytest.raises(InvalidInputError, match="TTL"):
        lg.put(("ok",), "k", {"v": 1}, ttl=5)
    with pytest.raises(InvalidInputError, match="control character"):
        lg.put(("ok",), "line\nbreak", {"v": 1})
    with pytest.raises(NaiveDatetimeError):
        lg.get(("ok",), "k", as_of=datetime(2025, 6, 1, 12))
    # a batch is all or nothing: the good put before the bad one is not stored either
    with pytest.raises(InvalidInputError):
        lg.batch([PutOp(("ok",), "new", {"v": 2}), PutOp(("ok",), "k", {"v": object()})])
    assert len(store.audit()) == events
    assert lg.get(("ok",), "new") is None
    item = lg.get(("ok",), "k")
    assert item is not None and item.value == {"v": 1}


def test_tenants_do_not_see_each_other(store_factory: object, clock: FakeClock) -> None:
    make = store_factory
    one, two = AsofStore(make()), AsofStore(make())  # type: ignore[operator]
    _put(one, clock, ("shared",), "k", {"owner": "one"})
    assert two.get(("shared",), "k") is None
    assert two.search(("shared",)) == [] and two.list_namespaces() == []
    _put(two, clock, ("shared",), "k", {"owner": "two"})
    assert one.get(("shared",), "k").value == {"owner": "one"}  # type: ignore[union-attr]


def test_forgetting_an_entity_a_value_names_erases_that_item(lg: AsofStore, store: GraphStore,
                                                            clock: FakeClock) -> None:
    """Right to be forgotten reaches the store's items: their values are message text."""
    store.assert_facts([FactAssertion.parse({
        "subject": {"name": "Priya Raman", "type": "person"}, "predicate": "lives_in",
        "object": {"name": "Porto", "type": "location"}})], observed_at=clock.now())
    when = _put(lg, clock, ("users",), "p", {"name": "Priya Raman", "city": "Porto"})
    _put(lg, clock, ("users",), "s", {"name": "Sam"})
    store.forget("Priya Raman")
    assert lg.get(("users",), "p") is None
    assert lg.get(("users",), "p", as_of=when) is None
    assert [i.key for i in lg.search(("users",))] == ["s"]
    assert lg.get(("users",), "s") is not None
    assert store.verify().ok


def test_views_over_the_tenant_work_without_the_item_predicate(lg: AsofStore, store: GraphStore,
                                                               clock: FakeClock) -> None:
    """The items are facts of the tenant: readers with the plain registry (the CLI, REST,
    MCP) list and diff them too."""
    from asof.query import views

    first = _put(lg, clock, ("prefs",), "ui", {"theme": "dark"})
    second = _put(lg, clock, ("prefs",), "ui", {"theme": "light"})
    assert ITEM_PREDICATE.name not in store.registry
    assert [v.version.predicate for v in views.facts(store)] == [ITEM_PREDICATE.name]
    change = views.diff(store, first, second + SECOND)
    assert len(change.started) == 1 and len(change.ended) == 1 and not change.changed


def test_a_put_after_the_clock_went_back_still_becomes_the_value(lg: AsofStore,
                                                                clock: FakeClock) -> None:
    _put(lg, clock, ("c",), "k", {"v": "first"})
    clock.advance(-10 * SECOND)  # an NTP step, a VM resumed
    lg.put(("c",), "k", {"v": "second"})
    item = lg.get(("c",), "k")
    assert item is not None and item.value == {"v": "second"}
    lg.delete(("c",), "k")
    assert lg.get(("c",), "k") is None
