"""graph.ids.says_name: how erasure and the subject-access export find a person's name in a
message or a speaker field (folded, whole words where the script separates words)."""

from __future__ import annotations

import pytest

from asof.graph.ids import fold, says_name


@pytest.mark.parametrize(("text", "name"), [
    ("Ana moved to Lisbon", "Ana"),
    ("I met ana.", "Ana"),
    ("Ana's plan", "Ana"),
    ("(Ana)", "Ana"),
    ("Bob Stone works at Initech", "Bob Stone"),
    ("BOB  STONE", "bob  stone"),
    ("Bo\u200bb Stone called", "Bob Stone"),  # an invisible character folds away
    ("banana, then Ana", "Ana"),  # a later whole-word hit counts
    ("山田さんは東京に住んでいます", "山田"),  # no spaces between words: no boundary to check
    ("민수가 왔어요", "민수"),  # a particle attached to the name
    ("Meeting with 山田", "山田"),
])
def test_a_name_said_as_a_word_is_found(text: str, name: str) -> None:
    assert says_name(fold(text), fold(name))


@pytest.mark.parametrize(("text", "name"), [
    ("I had a banana", "Ana"),
    ("Anastasia called", "Ana"),
    ("the annual review", "Ann"),
    ("Joanna", "Ann"),
    ("Bob Stoneman", "Bob Stone"),
    ("route 66b", "66"),
    ("", "Ana"),
    ("Ana", ""),
])
def test_a_name_inside_another_word_is_not(text: str, name: str) -> None:
    assert not says_name(fold(text), fold(name))
