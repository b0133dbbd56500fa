"""Singing, rowing or drumming for a named group is membership ("I sing lead for Nyota Sound",
"Katja plays for SV Blau-Weiss"); a place, a person, a language or a league read by another rule is
not such a group. Sentences and names are the tests' own."""

from __future__ import annotations

import pytest

from tests.unit.extraction.conftest import Extract
from tests.unit.extraction.test_account_notes import facts

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("text", "group"), [
    ("I sing lead for Velvet Static, we gig most Fridays.", "Velvet Static"),
    ("and I drum for Los Tigres del Puerto now", "Los Tigres del Puerto"),
    ("Katja plays for SV Blau-Weiss, left back.", "SV Blau-Weiss"),
])
def test_performing_for_a_named_group_is_membership(extract: Extract, text: str,
                                                    group: str) -> None:
    assert any(p == "member_of" and o == group for _, p, o in facts(extract(text)))


@pytest.mark.parametrize("text", [
    "we played in Galway last weekend, great crowd",  # a place
    "I sing for Anna Kowalska at her wedding in May.",  # a person
    "We sing in Swahili and English mostly.",  # a language
])
def test_performing_in_a_place_for_a_person_or_in_a_language_is_no_group(
        extract: Extract, text: str) -> None:
    assert not any(p == "member_of" for _, p, _ in facts(extract(text)))


def test_a_league_played_in_keeps_its_whole_name(extract: Extract) -> None:
    found = facts(extract("I used to play in the Namba Thursday futsal league but quit."))
    assert {o for _, p, o in found if p == "member_of"} == {"Namba Thursday futsal league"}


@pytest.mark.parametrize(("text", "group"), [
    ("I joined Laulupidu Kaar in February, a choir, just for the summer festival.",
     "Laulupidu Kaar"),
    ("I'm joining Tammela Soutajat on Saturday, the rowing club — indoor machines until "
     "spring.", "Tammela Soutajat"),
])
def test_a_name_described_as_a_group_after_it_is_joined_not_worked_at(
        extract: Extract, text: str, group: str) -> None:
    found = extract(text)
    assert any(a.predicate == "member_of" and a.object and a.object.name == group
               for a in found)
    assert not any(a.predicate == "works_at" for a in found)
    assert any(a.predicate == "works_at" for a in extract("I joined Kestrel Labs in March, "
                                                          "the best company ever."))


@pytest.mark.parametrize(("text", "group"), [
    ("We became KGA corporate members in August, needed it for a tender.", "KGA"),
    ("And I finally became a socia of Club Nacional, papá would be proud.", "Club Nacional"),
])
def test_becoming_members_of_a_named_body(extract: Extract, text: str, group: str) -> None:
    assert any(a.predicate == "member_of" and a.object and a.object.name == group
               for a in extract(text))


def test_becoming_something_else_is_no_membership(extract: Extract) -> None:
    assert not any(a.predicate == "member_of" for a in extract("She became CEO in May."))
