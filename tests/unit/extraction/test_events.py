"""An event is attended, whichever verb led to it: "go to <X> Expo" is no school, "back from
the <X> Festival" no club. A meetup group is still joined. Sentences and names are the
tests' own."""

from __future__ import annotations

import pytest

from asof.extraction.assembly.words import is_event
from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", ["Fjordline Travel Expo", "Nordland Aviation Trade Show",
                                  "Tromsø Jazz Festival", "Bergen Rust Meetup"])
def test_event_words_make_an_event(name: str) -> None:
    assert is_event(name)


def test_going_to_an_expo_is_attending_it(extract: Extract) -> None:
    found = extract("Oskar and I go to Fjordline Travel Expo, 26–29 September.")
    facts = {(a.subject.name, a.predicate, a.object.name if a.object else "") for a in found}
    assert ("Maren Holt", "attended", "Fjordline Travel Expo") in facts
    assert not any(p == "studies_at" for _, p, _ in facts)
