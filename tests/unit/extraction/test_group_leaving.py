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


@pytest.mark.parametrize(("text", "group"), [
    ("I joined the Lysefjord Sea Swimmers in May.", "Lysefjord Sea Swimmers"),
    ("I joined the Coro San Telmo in March.", "Coro San Telmo"),
    ("I joined Tromsø Turlag last spring.", "Tromsø Turlag"),
])
def test_a_group_named_by_its_members_or_in_another_language(extract: Extract, text: str,
                                                             group: str) -> None:
    found = extract(text)
    assert [a.object.name for a in found if a.predicate == "member_of" and a.object] == [group]
    assert not [a for a in found if a.predicate == "works_at"]


def test_an_academy_is_a_school_or_a_workplace_not_a_club(extract: Extract) -> None:
    found = extract("I work at Fjordside Academy as a maths teacher.")
    assert "works_at" in [a.predicate for a in found if a.object]
    assert "member_of" not in [a.predicate for a in found]
