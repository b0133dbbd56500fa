"""Subject access export (issue #16: ``asof export-subject NAME``), on every backend."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from asof.graph.clock import FakeClock
from asof.graph.errors import NotFoundError
from asof.graph.models import EntityRef, Episode, FactAssertion
from asof.graph.store import GraphStore
from asof.graph.subject import export_subject

pytestmark = pytest.mark.contract


def _say(store: GraphStore, clock: FakeClock, speaker: str, text: str, day: int,
         *facts: tuple[str, str, str]) -> Episode:
    clock.advance(timedelta(minutes=1))
    episode = Episode.create(tenant=store.tenant, speaker=speaker, text=text,
                             occurred_at=datetime(2024, 1, day, tzinfo=UTC))
    store.apply(episode, [FactAssertion(
        subject=EntityRef(name=who, type="person"), predicate="works_at",
        object=EntityRef(name=org, type="organization")) for who, _, org in facts])
    return episode


def test_the_export_holds_every_fact_version_source_and_event_about_the_person(
        store: GraphStore, clock: FakeClock) -> None:
    first = _say(store, clock, "Ann", "Priya Raman works at Initech", 1,
                 ("Priya Raman", "works_at", "Initech"))
    moved = _say(store, clock, "Ann", "Priya Raman moved to Globex", 2,
                 ("Priya Raman", "works_at", "Globex"))
    spoke = _say(store, clock, "Priya Raman", "my knee hurts", 3)
    named = _say(store, clock, "Ann", "lunch with priya raman", 4)
    other = _say(store, clock, "Bob Stone", "Bob Stone works at Umbrella", 5,
                 ("Bob Stone", "works_at", "Umbrella"))
    export = export_subject(store, "Priya Raman")
    json.dumps(export)  # plain JSON
    assert export["subject"]["name"] == "Priya Raman"
    objects = {(v["object_name"], v["superseded_at"] is None) for v in export["versions"]}
    assert ("Initech", False) in objects and ("Globex", True) in objects  # both time axes
    assert len(export["claims"]) == 2
    episodes = {e["id"] for e in export["episodes"]}
    assert episodes == {first.id, moved.id, spoke.id, named.id}
    assert other.id not in json.dumps(export) and "Umbrella" not in json.dumps(export)
    written = {t for e in export["events"] for t in e["targets"]}
    assert {f"episode:{i}" for i in episodes} <= written
    assert {f"version:{v['version_id']}" for v in export["versions"]} <= written
    assert store.verify().ok  # reading changed nothing


def test_an_unknown_subject_is_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFoundError):
        export_subject(store, "Nobody")
