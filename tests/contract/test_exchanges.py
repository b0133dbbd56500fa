"""The exchange around a message (``GraphStore.episodes_around``) and the hybrid ranking that
reads it (query/ranking.py), on every backend: neighbours in the order said, only within the
conversation, only what was recorded by ``known_at``, never erased text; an answer a turn away
from the words of the query is brought in and ranked with its exchange; the word feature's
rules (the message a reply answers, longer and shorter forms, speakers' names) and the vector
hits read past the candidates to set the cosine's scale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import SearchHit
from asof.graph.errors import InvalidInputError
from asof.graph.models import Episode
from asof.graph.store import GraphStore
from asof.query import ranking
from asof.query.ranking import WEIGHTS, rank
from asof.timex import find_times

pytestmark = pytest.mark.contract

T0 = datetime(2024, 3, 2, 18, 0, tzinfo=UTC)


def say(store: GraphStore, clock: FakeClock, minutes: float, text: str, *,
        conversation: str = "kitchen", speaker: str = "Ines Duarte") -> Episode:
    when = T0 + timedelta(minutes=minutes)
    clock.set(when)
    episode = Episode.create(tenant=store.tenant, speaker=speaker, occurred_at=when, text=text,
                             conversation_id=conversation)
    store.apply(episode)
    return episode


def _texts(found: dict[str, list[Episode]], anchor: Episode) -> list[str]:
    return [e.text for e in found[anchor.id]]


def test_the_messages_around_one_in_the_order_said(store: GraphStore, clock: FakeClock) -> None:
    said = [say(store, clock, i, f"message {i}") for i in range(6)]
    say(store, clock, 2.5, "elsewhere", conversation="garden")  # another conversation
    found = store.episodes_around([said[0].id, said[3].id, "no-such-id"], places=2)
    assert _texts(found, said[0]) == ["message 1", "message 2"]
    assert _texts(found, said[3]) == ["message 1", "message 2", "message 4", "message 5"]
    assert "no-such-id" not in found
    assert store.episodes_around([said[3].id], places=0) == {said[3].id: []}
    assert store.episodes_around([], places=2) == {}
    with pytest.raises(InvalidInputError, match="places"):
        store.episodes_around([said[3].id], places=-1)


def test_known_at_hides_what_was_recorded_later_and_erased_text_is_left_out(
        store: GraphStore, clock: FakeClock) -> None:
    said = [say(store, clock, i, f"message {i}") for i in range(3)]
    said.append(say(store, clock, 3, "Tomas Berg moved to Porto.", speaker="Tomas Berg"))
    known = T0 + timedelta(minutes=1, seconds=30)
    assert _texts(store.episodes_around([said[1].id], places=2, known_at=known),
                  said[1]) == ["message 0"]
    store.forget("Tomas Berg")
    assert _texts(store.episodes_around([said[2].id], places=2), said[2]) == [
        "message 0", "message 1"]


def test_tenants_are_kept_apart(store_factory: Any, clock: FakeClock) -> None:
    ours, theirs = store_factory(), store_factory()
    mine = say(ours, clock, 0, "ours")  # the same conversation id in both tenants
    say(theirs, clock, 1, "theirs")
    assert ours.episodes_around([mine.id], places=2) == {mine.id: []}
    assert theirs.episodes_around([mine.id], places=2) == {}


def _kitchen(store: GraphStore, clock: FakeClock) -> list[Episode]:
    return [
        say(store, clock, 0, "Guess what I baked on Saturday!"),
        say(store, clock, 1, "Tell me!", speaker="assistant"),
        say(store, clock, 2, "A lemon cake with poppy seeds."),
        say(store, clock, 3, "My sister loved it."),
        # the next morning: another exchange of the same conversation
        say(store, clock, 900, "Lemon tea for the cold."),
    ]


def test_an_answer_a_turn_away_from_the_query_words_is_ranked_with_its_exchange(
        store: GraphStore, clock: FakeClock) -> None:
    said = _kitchen(store, clock)
    query = "What did Ines bake, the lemon cake?"
    found = store.search("Ines bake lemon cake", limit=50)
    ranked = rank(store, query, found, [], pool=50, periods=[], known_at=None)
    order = [h.id for h in ranked]
    # the answer holds "lemon cake" and its exchange holds "baked": it comes first, above
    # the next morning's "lemon" alone; the assistant's "Tell me!" matched no word and is
    # brought in by its exchange
    assert order[0] == said[2].id
    assert order.index(said[2].id) < order.index(said[4].id)
    assert said[1].id in order
    assert ranked[0].score > ranked[-1].score > 0


def test_an_exchange_ends_at_an_hour_of_silence(store: GraphStore, clock: FakeClock) -> None:
    said = _kitchen(store, clock)
    ranked = rank(store, "a cold", store.search("cold", limit=50), [], pool=50, periods=[],
                  known_at=None)
    # the morning's message is alone in its exchange: the evening before brings nothing in
    assert [h.id for h in ranked] == [said[4].id]


def test_a_message_said_in_the_period_the_query_names_ranks_first(
        store: GraphStore, clock: FakeClock) -> None:
    march = say(store, clock, 0, "We pitched the tent by the lake.", conversation="march")
    june = say(store, clock, 60 * 24 * 100, "We pitched the tent by the river.",
               conversation="june")
    query = "the tent we pitched in June 2024"
    periods = [m.value for m in find_times(query, datetime(2024, 12, 1, tzinfo=UTC))]
    found = store.search("tent pitched", limit=50)
    untimed = rank(store, query, found, [], pool=50, periods=[], known_at=None)
    assert untimed[0].score == untimed[1].score  # the same words: tied without the period
    timed = rank(store, query, found, [], pool=50, periods=periods, known_at=None)
    assert [h.id for h in timed] == [june.id, march.id] and timed[0].score > timed[1].score


def _score(store: GraphStore, query: str, found: list[SearchHit], episode: Episode) -> float:
    """The score ``rank`` gives ``episode`` for ``query`` over the full-text hits ``found``."""
    ranked = rank(store, query, found, [], pool=50, periods=[], known_at=None)
    return next(h.score for h in ranked if h.id == episode.id)


def test_a_query_word_said_in_the_message_a_reply_answers_counts_for_the_reply(
        store: GraphStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    say(store, clock, 0, "Which instrument did you take up this year?", speaker="assistant")
    reply = say(store, clock, 1, "The cello, since March.")
    query = "What instrument did Ines take up?"
    found = store.search("instrument", limit=50)  # the question; the reply is its exchange
    with_context = _score(store, query, found, reply)
    monkeypatch.setattr(ranking, "CONTEXT_SHARE", 0.0)
    alone = _score(store, query, found, reply)
    assert with_context > alone


def test_a_query_word_matches_a_longer_or_shorter_form_of_it(
        store: GraphStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    said = say(store, clock, 0, "My mentor at the studio changed how I paint.")
    query = "Who was Ines's mentorship with?"
    found = store.search("mentor", limit=50)
    by_prefix = _score(store, query, found, said)
    monkeypatch.setattr(ranking, "MIN_PREFIX", 99)
    exact = _score(store, query, found, said)
    assert by_prefix > exact


def test_a_speaker_named_in_the_query_is_weighed_by_speaker_not_by_words(
        store: GraphStore, clock: FakeClock) -> None:
    said = say(store, clock, 0, "I baked rye bread this morning.")
    found = store.search("bread", limit=50)
    # "Ines" is not a word the message must hold: only the speaker feature tells them apart
    assert _score(store, "What bread did Ines bake?", found, said) == pytest.approx(
        _score(store, "What bread did you bake?", found, said) + WEIGHTS["speaker"])


def test_vector_hits_past_the_pool_set_the_scale_but_are_not_candidates(
        store: GraphStore, clock: FakeClock) -> None:
    said = [say(store, clock, 120 * i, f"note {i}") for i in range(4)]  # four exchanges
    cosines = (0.90, 0.80, 0.79, 0.78)
    vector = [SearchHit(kind="episode", id=e.id, score=c, text=e.text, episode=e)
              for e, c in zip(said, cosines, strict=True)]
    deep = rank(store, "a note", [], vector, pool=1, periods=[], known_at=None)
    assert [h.id for h in deep] == [said[0].id]
    shallow = rank(store, "a note", [], vector[:1], pool=1, periods=[], known_at=None)
    # alone, the nearest hit stands out from nothing; against the others it stands out
    assert deep[0].score > shallow[0].score
