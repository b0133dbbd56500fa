"""The cheap pre-filter: messages without a possible trigger skip the statistical pipeline,
and the light path still keeps who was named for later pronouns. Sentences are the tests'
own."""

from __future__ import annotations

import pytest

from asof.extraction import Conversation, Message, Pipeline
from asof.extraction.prefilter import needs_parse
from asof.graph.models import Role
from tests.unit.extraction.conftest import AT, Extract, triples

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text", [
    "I joined Corvid Labs in May.", "we switched from Trello to Plane", "I love bouldering",
    "she's at Halvard Bank now", "my sister Wren moved to Turku", "I speak Basque",
    "we keep invoices in Ledgerly", "I came over from Porto in 2019",
    "actually it was April, not May", "I'm a pharmacist", "we're on the Starter plan",
    "I stopped going to the Tuesday Chess Club", "Amsel & Rook hired me",
    "I can't stand loud offices", "first day is 3 March", "his last working day was Friday",
    "I really like Plane", "we work with Ledgerly", "Maren from Corvid Labs, hi!",
    "Love the new Plane release", "I accepted the offer from Tallis", "Ines here at Halvard",
    "sorry, it was April, not May", "I'm with Halvard Bank", "it's Pip, not Pop",
])
def test_possible_facts_are_parsed(text: str) -> None:
    assert needs_parse(text)


@pytest.mark.parametrize("text", [
    "haha that's so true", "thanks, that helps a lot!", "what a great day it was",
    "I did my own thing today", "sounds good, see you soon", "it was fun",
    "that looks like a great idea", "lots of love to you", "that's so cool, Maren!",
    "sorry, running late", "wait what happened", "it takes time", "the work is hard",
])
def test_chatter_takes_the_light_path(text: str) -> None:
    assert not needs_parse(text)


def test_light_path_keeps_people_for_pronouns(extract: Extract) -> None:
    found = extract("My colleague Ines Duarte works at Corvid Labs.",
                    "haha Ines was great today", "she lives in Braga.")
    assert ("assert", "Ines Duarte", "lives_in", "braga") in triples(found)


def test_prefilter_off_parses_everything(nlp) -> None:  # type: ignore[no-untyped-def]
    messages = [Message("Maren Holt", Role.USER, AT, "haha that's so true", id="u0")]
    for prefilter in (True, False):
        pairs = Pipeline("unit", nlp=nlp, prefilter=prefilter).extract(
            Conversation("c1", messages))
        assert pairs[0][1] == []
