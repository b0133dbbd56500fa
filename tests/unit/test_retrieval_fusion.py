"""Reciprocal rank fusion and its time boost (query/retrieval.py), on hits built by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from asof.graph.contract import SearchHit
from asof.graph.models import Episode
from asof.query.retrieval import content_words, fuse
from asof.timex import find_times


def said(text: str, month: int) -> SearchHit:
    when = datetime(2024, month, 10, tzinfo=UTC)
    episode = Episode.create(tenant="t", speaker="Ines", occurred_at=when, text=text)
    return SearchHit(kind="episode", id=episode.id, score=1.0, text=text, episode=episode)


def test_a_hit_both_lists_find_comes_first() -> None:
    a, b, c = said("a", 1), said("b", 1), said("c", 1)
    assert [h.id for h in fuse([[a, b], [c, b]])][0] == b.id


def test_a_message_said_in_the_period_the_query_names_wins_a_tie() -> None:
    march, june = said("We pitched the tent by the lake.", 3), said("Tent trip.", 6)
    periods = [m.value for m in find_times("camping in June 2024",
                                           datetime(2024, 12, 1, tzinfo=UTC))]
    # tied: each first in one list, so the same score without a period
    untimed = {h.id: h.score for h in fuse([[march], [june]])}
    assert untimed[march.id] == untimed[june.id]
    for rankings in ([[march], [june]], [[june], [march]]):
        timed = fuse(rankings, periods=periods)
        assert timed[0].id == june.id and timed[0].score > timed[1].score


def test_content_words_drop_function_words() -> None:
    assert content_words("When did Maya run a marathon?") == "Maya run marathon"
    assert content_words("when did it") == ""
