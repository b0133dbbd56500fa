"""Rows inserted behind the audit chain's back are caught, on every backend (issue #16 item 2:
an inserted episode that search then returns, a forged claim)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from asof.graph.clock import FakeClock
from asof.graph.models import EntityRef, Episode, FactAssertion
from asof.graph.store import GraphStore

pytestmark = pytest.mark.contract


def _history(store: GraphStore, clock: FakeClock) -> None:
    for day, (text, org) in enumerate([("I work at Initech", "Initech"),
                                       ("I moved to Globex", "Globex")], start=1):
        clock.advance(timedelta(minutes=1))
        episode = Episode.create(tenant=store.tenant, speaker="Bob Stone", text=text,
                                 occurred_at=datetime(2024, 1, day, tzinfo=UTC))
        store.apply(episode, [FactAssertion(
            subject=EntityRef(name="Bob Stone", type="person"), predicate="works_at",
            object=EntityRef(name=org, type="organization"))])


@pytest.mark.parametrize("kind", ["episode", "claim"])
def test_a_row_inserted_without_an_event_is_caught_naming_it(
        store: GraphStore, clock: FakeClock, tamper: Any, kind: str) -> None:
    _history(store, clock)
    assert store.verify().ok
    head = store.audit()[-1].seq
    forged = f"{kind[:3]}_forged"
    tamper.insert_row(store, kind, forged)
    assert forged in store.row_ids()[kind]
    report = store.verify()
    assert not report.ok, report
    assert report.first_bad_seq == head + 1
    assert f"{kind}:{forged}" in (report.reason or "") and "behind the chain" in (
        report.reason or "")


def test_row_ids_lists_what_the_chain_wrote(store: GraphStore, clock: FakeClock) -> None:
    _history(store, clock)
    written: dict[str, set[str]] = {"episode": set(), "claim": set()}
    for event in store.audit():
        for t in event.targets:
            kind, _, row_id = t.partition(":")
            if kind in written:
                written[kind].add(row_id)
    found = store.row_ids()
    assert {k: set(v) for k, v in found.items()} == written
    assert all(v == sorted(v) for v in found.values())
