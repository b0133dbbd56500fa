"""An erasure request carries its requester and ticket reference (issue #16, erasure), on
every backend: both are recorded in the ``erased`` event, and a field that would put the
erased name back into the chain is refused before anything is erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from asof.graph.clock import FakeClock
from asof.graph.errors import InvalidInputError, NotFoundError
from asof.graph.models import AuditAction, EntityRef, Episode, FactAssertion
from asof.graph.store import GraphStore

pytestmark = pytest.mark.contract


def _bob_works_at_initech(store: GraphStore, clock: FakeClock) -> None:
    clock.advance(timedelta(minutes=1))
    episode = Episode.create(tenant=store.tenant, speaker="Ann", text="Bob Stone works at Initech",
                             occurred_at=datetime(2024, 1, 2, tzinfo=UTC))
    store.apply(episode, [FactAssertion(
        subject=EntityRef(name="Bob Stone", type="person"), predicate="works_at",
        object=EntityRef(name="Initech", type="organization"))])


def test_the_erasure_event_records_requester_and_ticket(store: GraphStore,
                                                        clock: FakeClock) -> None:
    _bob_works_at_initech(store, clock)
    result = store.forget("Bob Stone", actor="dpo-desk", requester="the data subject",
                          ticket="DSR-2024-017")
    assert result.event.action is AuditAction.ERASED and result.event.actor == "dpo-desk"
    assert result.event.reason == ("erasure request; requester: the data subject; "
                                   "ticket: DSR-2024-017")
    assert store.audit()[-1] == result.event
    assert store.verify().ok


@pytest.mark.parametrize(("requester", "ticket"), [
    ("bob stone", None),  # the erased name, in any case
    ("Bo\u200bb Stone's lawyer", None),  # or spelled with an invisible character
    (None, "ticket for Bob Stone"),
    ("  ", None),
    ("dpo\nforged: line", None),
    (None, "x" * 201),
])
def test_a_request_field_that_is_blank_malformed_or_names_the_person_is_refused(
        store: GraphStore, clock: FakeClock, requester: str | None, ticket: str | None) -> None:
    _bob_works_at_initech(store, clock)
    before = store.audit()
    with pytest.raises(InvalidInputError):
        store.forget("Bob Stone", requester=requester, ticket=ticket)
    assert store.audit() == before
    assert store.current("Bob Stone")  # nothing was erased


# ---------------------------------------------------------------- erasure by speaker
# Issue #16: erase by entity and by speaker. Ann spoke, but no fact is about her: she is no
# entity, and her erasure takes the text of her messages and the quotes they gave.

def test_a_speaker_who_is_no_entity_is_erased_by_name(store: GraphStore,
                                                      clock: FakeClock) -> None:
    _bob_works_at_initech(store, clock)
    assert store.entity("Ann") is None
    result = store.forget("Ann", requester="the data subject")
    assert result.entity_id is None and result.episodes == 1 and result.versions == 0
    assert not any(t.startswith("entity:") for t in result.event.targets)
    (episode,) = store.get_episodes([t.partition(":")[2] for t in result.event.targets
                                     if t.startswith("episode:")])
    assert "Bob" not in episode.text and episode.speaker != "Ann"
    (job,) = store.facts("Bob Stone", "works_at")  # Bob's fact stays
    assert job.object_name == "Initech" and job.episode_ids == (episode.id,)
    assert store.verify().ok


def test_a_name_nobody_has_erases_nothing(store: GraphStore, clock: FakeClock) -> None:
    _bob_works_at_initech(store, clock)
    before = store.audit()
    with pytest.raises(NotFoundError, match="no entity or speaker named 'Zed Nobody'"):
        store.forget("Zed Nobody")
    assert store.audit() == before
    (job,) = store.facts("Bob Stone", "works_at")
    assert store.get_episodes(list(job.episode_ids))[0].text == "Bob Stone works at Initech"


def test_a_speaker_erasure_takes_names_where_words_start(store: GraphStore,
                                                         clock: FakeClock) -> None:
    """Erasing Ann takes what she said and every message naming her, inflected forms too
    ("Anns Rechner"), but not Joanna's messages or Hannah's (names were once matched as
    substrings, which took both)."""
    _bob_works_at_initech(store, clock)
    kept = []
    for speaker, text in [("Joanna", "Back from holiday"), ("Dave", "Hannah is back")]:
        clock.advance(timedelta(minutes=1))
        episode = Episode.create(tenant=store.tenant, speaker=speaker, text=text,
                                 occurred_at=datetime(2024, 1, 3, tzinfo=UTC))
        store.apply(episode, [])
        kept.append(episode)
    named = []
    for text in ["ann's laptop is fixed", "Anns Rechner läuft wieder"]:
        clock.advance(timedelta(minutes=1))
        episode = Episode.create(tenant=store.tenant, speaker="Dave", text=text,
                                 occurred_at=datetime(2024, 1, 4, tzinfo=UTC))
        store.apply(episode, [])
        named.append(episode)
    result = store.forget("Ann")
    assert result.episodes == 3  # what she said, and the two messages naming her
    assert [(e.speaker, e.text) for e in store.get_episodes([e.id for e in kept])] == [
        ("Joanna", "Back from holiday"), ("Dave", "Hannah is back")]
    assert all("ann" not in e.text.casefold()
               for e in store.get_episodes([e.id for e in named]))
    assert store.verify().ok
