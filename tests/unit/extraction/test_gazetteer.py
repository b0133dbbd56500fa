"""The gazetteer (``data/places.txt.gz``, GeoNames) tells a town from a company when the small
model cannot: a move between two towns is a move, not two employers. Sentences and names are
the tests' own."""

from __future__ import annotations

import pytest

from asof.extraction.gazetteer import is_place_name
from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", ["Chennai", "Coimbatore", "Reykjavík", "Hafnarfjörður",
                                  "Santa Maria da Feira", "Kuala Lumpur"])
def test_towns_and_countries_are_places(name: str) -> None:
    assert is_place_name(name)


@pytest.mark.parametrize("name", [
    "Nice", "Orange", "Reading",  # towns, but everyday words in chat
    "PSA", "dbt", "chennai",      # capitals as an acronym, or not capitalised as written
    "Kestrel Labs", "Jira Cloud", "", "  "])
def test_words_acronyms_and_companies_are_not(name: str) -> None:
    assert not is_place_name(name)


def test_a_move_between_towns_is_a_move_not_two_employers(extract: Extract) -> None:
    found = extract("Ilse Brandt relocated from Chennai to Coimbatore on 3 March.")
    facts = {(a.subject.name, a.predicate, a.object.name if a.object else "") for a in found}
    assert ("Ilse Brandt", "lives_in", "Coimbatore") in facts
    assert not any(p == "works_at" for _, p, _ in facts)


def test_a_town_two_people_have_a_flat_in_is_both_homes(learned_extract: Extract) -> None:
    # the tagger reads the town as something "had"; a gazetteer town is a home for each
    found = learned_extract("Tomasz and I have a three-bedroom in Mohammadpur.")
    homes = {(a.subject.name, a.object.name if a.object else "") for a in found
             if a.predicate == "lives_in"}
    assert homes == {("Maren Holt", "Mohammadpur"), ("Tomasz", "Mohammadpur")}
