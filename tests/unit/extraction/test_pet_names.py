"""A pet's name said as an aside after the pet noun, past the clause ("adopted a cat, Jollof
🐈", "got a puppy yesterday!! Saga, a lagotto"), and what such an aside is not. Sentences and
names are the tests' own."""

from __future__ import annotations

import pytest

from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit


def _pets(found: list) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(a.subject.name, a.object.name) for a in found
            if a.predicate == "has_pet" and a.object is not None}


@pytest.mark.parametrize(("text", "pet"), [
    ("oh and we adopted a cat, Bramble 🐈", "Bramble"),
    ("I adopted a kitten yesterday 🐈‍⬛ Tofu, 2 months old, from the shelter.", "Tofu"),
    ("I finally got my dog!! Herr Knopf, a grumpy old dachshund.", "Herr Knopf"),
])
def test_a_name_set_off_after_the_pet_is_its_name(extract: Extract, text: str,
                                                   pet: str) -> None:
    assert ("Maren Holt", pet) in _pets(extract(text))


@pytest.mark.parametrize("text", [
    "We adopted a cat yesterday! Black, enormous and very loud.",  # a description
    "I adopted a cat, Sara helped me choose.",  # a person doing something
    "and we adopted a puppy, si mango 🐶",  # lower case: no name said as an aside
])
def test_what_is_no_name_set_off_after_the_pet(extract: Extract, text: str) -> None:
    assert not _pets(extract(text))
