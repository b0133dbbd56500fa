"""graph.ids.says_name: how erasure and the subject-access export find a person's name in a
message or a speaker field (folded; where a word starts, wherever the script marks word
starts). An erasure must not miss a message, so inflected forms count."""

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
    ("banana, then Ana", "Ana"),  # a later hit at a word start counts
    ("Annas Auto ist rot", "Anna"),  # inflected: a suffix without an apostrophe
    ("Я видел Ивана", "Иван"),
    ("z Piotrem", "Piotr"),
    ("the Smiths came", "Smith"),
    ("@ann2 said so", "Ann"),  # a handle
    ("山田さんは東京に住んでいます", "山田"),  # no spaces between words
    ("민수가 왔어요", "민수"),  # a particle attached to the name
    ("Meeting with 山田", "山田"),
    ("رأيت وأحمد", "أحمد"),  # Arabic: "and" prefixed to the name
    ("ולדוד", "דוד"),  # Hebrew: "and to" prefixed
])
def test_a_name_said_where_a_word_starts_is_found(text: str, name: str) -> None:
    assert says_name(fold(text), fold(name))


@pytest.mark.parametrize(("text", "name"), [
    ("I had a banana", "Ana"),
    ("Joanna", "Ann"),
    ("Hannah is back", "Ann"),
    ("route 166", "66"),
    ("", "Ana"),
    ("Ana", ""),
])
def test_a_name_inside_another_word_is_not(text: str, name: str) -> None:
    assert not says_name(fold(text), fold(name))
