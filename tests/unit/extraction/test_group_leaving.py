"""The speaker leaving a group of some kind ("I left the choir in March", "I quit the hiking
club in January") ends the open membership whose name has that word, or the only one open;
a group left by someone else ends none of the speaker's. Sentences and names are the tests'
own."""

from __future__ import annotations

import pytest

from tests.unit.extraction.conftest import Extract, ended_objects

pytestmark = pytest.mark.unit


def test_leaving_the_club_ends_the_club_named_so(extract: Extract) -> None:
    found = extract("I joined the Fjellstua Hiking Club in January.",
                    "Bad news, I quit the hiking club in April, my ankle is done.")
    ending = ended_objects(found, "member_of").get("Fjellstua Hiking Club")
    assert ending is not None and (ending.year, ending.month) == (2024, 4)


def test_leaving_the_choir_ends_the_only_membership(extract: Extract) -> None:
    found = extract("I'm in a choir, Nordlys Voices.",
                    "I left the choir in March, too many late nights.")
    ending = ended_objects(found, "member_of").get("Nordlys Voices")
    assert ending is not None and (ending.year, ending.month) == (2024, 3)


def test_someone_else_leaving_a_club_ends_nothing(extract: Extract) -> None:
    found = extract("I joined the Fjellstua Hiking Club in January.",
                    "Oda left the club in April.")
    assert ended_objects(found, "member_of") == {}
