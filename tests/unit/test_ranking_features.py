"""The word and time features of the hybrid ranking (query/ranking.py), on texts alone; the
ranking itself runs on real stores in tests/contract/test_exchanges.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from asof.query.ranking import content_words, says_a_time, stems, time_asked, word_stem

SAID = datetime(2024, 6, 12, 9, 0, tzinfo=UTC)


def test_content_words_drop_function_words() -> None:
    assert content_words("When did Maya run a marathon?") == "Maya run marathon"
    assert content_words("when did it") == ""


def test_stems_join_the_forms_of_a_word_and_drop_function_words() -> None:
    assert stems("We went camping") == stems("camped going") == frozenset({"go", "camp"})
    assert stems("the and of") == frozenset()


def test_irregular_forms_are_read_as_their_base_word() -> None:
    # data/word_forms.tsv: a Snowball stem alone keeps these apart
    assert word_stem("children") == word_stem("child")
    assert word_stem("bought") == word_stem("buying")
    assert word_stem("mice") == word_stem("mouse")
    assert word_stem("cats") == word_stem("cat")  # regular forms are the stemmer's


@pytest.mark.parametrize(("query", "asks"), [
    ("When did Tomas move to Porto?", "past"),
    ("What year did she graduate?", "past"),
    ("How long has Ines played the cello?", "length"),
    ("How long ago did they marry?", "past"),
    ("When will Tomas start the course?", "ahead"),
    ("When is the next recital?", "ahead"),
    ("Where does Tomas live?", None),
])
def test_the_kind_of_time_a_query_asks_for(query: str, asks: str | None) -> None:
    assert time_asked(query) == asks


def test_a_message_says_a_time_of_the_kind_asked() -> None:
    assert says_a_time("I moved to Porto last March.", SAID, "past")
    assert not says_a_time("I'm moving to Porto next March.", SAID, "past")
    assert says_a_time("I'm moving to Porto next March.", SAID, "ahead")
    assert says_a_time("I've played the cello for six years.", SAID, "length")
    assert not says_a_time("I moved to Porto last March.", SAID, "length")
    assert not says_a_time("Porto is lovely.", SAID, "past")
