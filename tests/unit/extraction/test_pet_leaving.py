"""A pet the conversation knows that goes to live elsewhere ("Pip moved to my aunt's
yesterday", "Rolo left us in May") ends its keeper's has_pet then; the same verbs after a
name that is no known pet end nothing. Sentences and names are the tests' own."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.extraction.conftest import Extract, ended_objects

pytestmark = pytest.mark.unit


def test_a_known_pet_that_went_to_a_relative_ends_then(extract: Extract) -> None:
    found = extract("I have two rabbits, Pip and Clover.",
                    "Pip went to my aunt Sigrun yesterday, Clover stays with me.")
    endings = ended_objects(found, "has_pet")
    assert endings.get("Pip") == date(2024, 6, 11)
    assert "Clover" not in endings


def test_a_known_pet_that_left_us_in_a_month_ends_in_that_month(extract: Extract) -> None:
    found = extract("I live with my old cat Rolo.", "Rolo left us in May, very peacefully.")
    ending = ended_objects(found, "has_pet").get("Rolo")
    assert ending is not None and (ending.year, ending.month) == (2024, 5)


def test_a_person_who_went_somewhere_ends_no_pet(extract: Extract) -> None:
    found = extract("I have a dog, Bruno.", "Oda went to Bergen yesterday for a conference.")
    assert ended_objects(found, "has_pet") == {}


def test_a_pet_named_in_lower_case_after_my_cat(extract: Extract) -> None:
    found = {(a.predicate, a.object.name) for a in extract("my cat pulla sends regards")
             if a.object is not None}
    assert found == {("has_pet", "Pulla")}
    assert not extract("my cat hates the vet")  # an everyday word is no name
