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
    written: dict[str, set[str]] = {"episode": set(), "claim": set(), "entity": set()}
    for event in store.audit():
        for t in event.targets:
            kind, _, row_id = t.partition(":")
            if kind in written:
                written[kind].add(row_id)
    found = store.row_ids()
    assert {k: set(v) for k, v in found.items()} == written
    assert all(v == sorted(v) for v in found.values())


# ---------------------------------------------------------------- every row under the chain
# Issue #16, tamper case 2: entities, aliases and provenance links are rows of the events that
# wrote them, so an inserted, edited or deleted one fails verification naming seq and row.

def _bob(store: GraphStore) -> str:
    return store.resolve("Bob Stone").id


def test_an_inserted_alias_is_caught_naming_it(store: GraphStore, clock: FakeClock,
                                               tamper: Any) -> None:
    _history(store, clock)
    head = store.audit()[-1].seq
    tamper.insert_alias(store, _bob(store), "Mallory")
    assert store.facts("Mallory")  # the forged alias answers for Bob...
    report = store.verify()  # ...and verification names it
    assert not report.ok and report.first_bad_seq == head + 1, report
    assert f"alias:{_bob(store)}/als_" in (report.reason or "")
    assert "behind the chain" in (report.reason or "")


def test_an_inserted_entity_is_caught_naming_it(store: GraphStore, clock: FakeClock,
                                                tamper: Any) -> None:
    _history(store, clock)
    head = store.audit()[-1].seq
    tamper.insert_entity(store, "ent_forged", "Mallory")
    report = store.verify()
    assert not report.ok and report.first_bad_seq == head + 1, report
    assert "entity:ent_forged" in (report.reason or "")


def test_deleted_provenance_is_caught_naming_the_event(store: GraphStore, clock: FakeClock,
                                                       tamper: Any) -> None:
    _history(store, clock)
    version = store.facts("Bob Stone", "works_at")[0]
    writer = next(e for e in store.audit() if f"version:{version.version_id}" in e.targets)
    tamper.delete_sources(store, version.version_id)
    report = store.verify()
    assert not report.ok and report.first_bad_seq == writer.seq, report
    assert f"source:{version.version_id}/" in (report.reason or "")
    assert "missing" in (report.reason or "")


def test_an_edited_entity_name_is_caught(store: GraphStore, clock: FakeClock,
                                         tamper: Any) -> None:
    _history(store, clock)
    bob = _bob(store)
    writer = next(e for e in store.audit() if f"entity:{bob}" in e.targets)
    tamper.rename_entity(store, bob, "Mallory Stone")
    report = store.verify()
    assert not report.ok and report.first_bad_seq == writer.seq, report
    assert "content hash" in (report.reason or "")


def test_an_alias_stated_later_is_under_the_chain(store: GraphStore, clock: FakeClock,
                                                  tamper: Any) -> None:
    """An alias added to an existing entity rides on the event of the write that stated it."""
    _history(store, clock)
    clock.advance(timedelta(minutes=1))
    episode = Episode.create(tenant=store.tenant, speaker="Bob Stone", text="Call me Bobby",
                             occurred_at=datetime(2024, 1, 9, tzinfo=UTC))
    store.apply(episode, [FactAssertion(
        subject=EntityRef(name="Bob Stone", type="person", aliases=("Bobby",)),
        predicate="lives_in", object=EntityRef(name="Berlin", type="location"))])
    assert store.verify().ok
    named = [t for e in store.audit() for t in e.targets if t.startswith("alias:")]
    assert len(named) == 1 and named[0].startswith(f"alias:{_bob(store)}/")
    assert "Bobby" not in named[0]  # events carry no names


def test_a_retraction_about_no_one_known_stores_no_entity(store: GraphStore,
                                                          clock: FakeClock) -> None:
    """The write planner stored an entity no event named when a retraction found nothing
    holding (the apply_many property test found it); now such a name is stored nowhere."""
    episode = Episode.create(tenant=store.tenant, speaker="Ann", text="Zed left his job",
                             occurred_at=datetime(2024, 1, 1, tzinfo=UTC))
    store.apply(episode, [FactAssertion(subject=EntityRef(name="Zed", type="person"),
                                        predicate="works_at", kind="retract")])
    assert store.row_ids()["entity"] == []
    assert store.verify().ok


def test_an_edited_fulltext_entry_is_caught_naming_the_version(
        store: GraphStore, clock: FakeClock, tamper: Any) -> None:
    """The full-text index is held against the rows it is built from: an entry edited so that
    search finds Bob's job under another employer's name fails verification."""
    _history(store, clock)
    version = store.facts("Bob Stone", "works_at")[0]
    writer = next(e for e in store.audit() if f"version:{version.version_id}" in e.targets)
    tamper.edit_fulltext(store, version.version_id, "Umbrella")
    assert any(h.id == version.version_id for h in store.search("Umbrella"))
    report = store.verify()
    assert not report.ok and report.first_bad_seq == writer.seq, report
    assert f"full-text index entry of version:{version.version_id}" in (report.reason or "")


# ---------------------------------------------------------------- the same edits after erasure
# Issue #16, tamper case 1: erasing the speaker used to switch off the content check of every
# event that wrote one of the erased rows, so Bob's surviving fact, written by the same events,
# could be edited unnoticed. The erased event now keeps each erased row's hash.

_SAID = "I moved to Berlin last week. My colleague Bob Stone works at Initech."


def _erased_speaker(store: GraphStore, clock: FakeClock) -> None:
    """Ann says where she moved and where Bob works; then Ann is erased."""
    clock.advance(timedelta(minutes=1))
    episode = Episode.create(tenant=store.tenant, speaker="Ann Lee", text=_SAID,
                             occurred_at=datetime(2024, 3, 8, tzinfo=UTC))
    store.apply(episode, [
        FactAssertion(subject=EntityRef(name="Ann Lee", type="person"), predicate="lives_in",
                      object=EntityRef(name="Berlin", type="location"),
                      evidence="I moved to Berlin last week"),
        FactAssertion(subject=EntityRef(name="Bob Stone", type="person",
                                        aliases=("Bobby",)),
                      predicate="works_at", object=EntityRef(name="Initech",
                                                             type="organization"),
                      evidence="Bob Stone works at Initech")])
    clock.advance(timedelta(minutes=1))
    store.forget("Ann Lee")
    assert store.verify().ok
    (bob_job,) = store.facts("Bob Stone", "works_at")
    assert bob_job.evidence is None  # it quoted Ann's erased message


def _writer(store: GraphStore, row_target: str) -> int:
    return next(e.seq for e in store.audit() if row_target in e.targets)


@pytest.mark.parametrize("edit", ["version", "entity name", "alias", "sources", "fulltext",
                                  "episode", "claim"])
def test_edits_after_an_erasure_are_caught(store: GraphStore, clock: FakeClock, tamper: Any,
                                           edit: str) -> None:
    _erased_speaker(store, clock)
    (job,) = store.facts("Bob Stone", "works_at")
    bob = _bob(store)
    head = store.audit()[-1].seq
    expected_seq, named = {
        # Bob's job quoted Ann's message: the erasure redacted it, and holds it to that
        "version": (_writer(store, f"version:{job.version_id}"),
                    f"version:{job.version_id}, redacted by an erasure"),
        "entity name": (_writer(store, f"entity:{bob}"), "content hash"),
        "alias": (head + 1, f"alias:{bob}/als_"),
        "sources": (_writer(store, f"version:{job.version_id}"),
                    f"source:{job.version_id}/"),
        "fulltext": (_writer(store, f"version:{job.version_id}"),
                     f"version:{job.version_id}"),
        "episode": (head + 1, "episode:epi_forged"),
        "claim": (head + 1, "claim:cla_forged"),
    }[edit]
    if edit == "version":
        tamper.edit_version(store, job.version_id, valid_from=datetime(2020, 1, 1, tzinfo=UTC))
    elif edit == "entity name":
        tamper.rename_entity(store, bob, "Mallory Stone")
    elif edit == "alias":
        tamper.insert_alias(store, bob, "Mallory")
    elif edit == "sources":
        tamper.delete_sources(store, job.version_id)
    elif edit == "fulltext":
        tamper.edit_fulltext(store, job.version_id, "Umbrella")
    else:
        tamper.insert_row(store, edit, f"{edit[:3]}_forged")
    report = store.verify()
    assert not report.ok, report
    assert report.first_bad_seq == expected_seq, report
    assert named in (report.reason or ""), report


def test_a_redacted_message_edited_after_the_erasure_is_caught(
        store: GraphStore, clock: FakeClock, tamper: Any) -> None:
    """A redacted row is held to what the erasure left: text put back into Ann's message."""
    _erased_speaker(store, clock)
    (episode_id,) = store.row_ids()["episode"]
    tamper.unredact_episode(store, episode_id, "I moved to Paris last week.")
    report = store.verify()
    assert not report.ok and report.first_bad_seq == 1, report
    assert f"episode:{episode_id}, redacted by an erasure" in (report.reason or "")


def test_the_tombstone_keeps_hashes_never_names(store: GraphStore, clock: FakeClock) -> None:
    _erased_speaker(store, clock)
    (erased,) = [e for e in store.audit() if e.action.value == "erased"]
    assert erased.commitments and set(erased.commitments) >= set(erased.targets)
    stored = repr(erased.model_dump())
    for word in ("Ann", "Berlin", "moved"):
        assert word not in stored
