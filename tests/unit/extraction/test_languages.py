"""Language names come from data/languages.txt: any of them is a `speaks` object, and none is
a home, a place visited or a tool. Sentences are the tests' own."""

from __future__ import annotations

import pytest

from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit


def test_less_common_languages_are_spoken(extract: Extract) -> None:
    found = extract("I speak Malagasy and English, and a little Luganda.")
    spoken = {a.object.name for a in found if a.predicate == "speaks" and a.object}
    assert {"Malagasy", "English", "Luganda"} <= spoken


def test_singing_in_a_language_is_no_home(learned_extract: Extract) -> None:
    # the learned tagger reads "in Gaelic" as it reads "in Glasgow"
    found = learned_extract("He sang along in Gaelic the whole time, he's from Lewis, grew up "
                            "with it.")
    assert not any(a.predicate in ("lives_in", "visited") for a in found)
