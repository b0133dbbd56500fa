"""Language names come from data/languages.txt: any of them is a `speaks` object, and none is
a home, a place visited or a tool. Sentences are the tests' own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from asof.extraction import Conversation, Message, Pipeline
from asof.graph.models import Role
from tests.unit.extraction.conftest import AT, Extract

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


def test_languages_called_by_their_own_names_are_spoken(extract: Extract) -> None:
    found = extract("I speak Deutsch at work and Cymraeg with my kids.")
    spoken = {a.object.name for a in found if a.predicate == "speaks" and a.object}
    assert {"German", "Welsh"} <= spoken


def test_a_reply_listing_languages_gives_each_of_them(learned_nlp) -> None:  # type: ignore[no-untyped-def]
    messages = [Message("assistant", Role.ASSISTANT, AT, "Which languages do you work in?",
                        id="m0"),
                Message("Maren Holt", Role.USER, AT + timedelta(minutes=1),
                        "cymraeg, castellano, english", id="m1")]
    found = [a for _, f in Pipeline("unit", nlp=learned_nlp).extract(
        Conversation("c", messages)) for a in f]
    spoken = {a.object.name for a in found if a.predicate == "speaks" and a.object}
    assert spoken == {"Welsh", "Spanish", "English"}


def test_a_language_that_opens_the_next_clause_is_not_listed(learned_extract: Extract) -> None:
    found = learned_extract("I speak Dutch, English and French, Italian is a work in progress.")
    spoken = {a.object.name for a in found if a.predicate == "speaks" and a.object}
    assert "Italian" not in spoken and "French" in spoken


def test_languages_of_families_and_regions_are_spoken(extract: Extract) -> None:
    found = extract("With my grandma I speak Hokkien and Hakka, at work Dari.")
    spoken = {a.object.name for a in found if a.predicate == "speaks" and a.object}
    assert {"Hokkien", "Hakka", "Dari"} <= spoken
