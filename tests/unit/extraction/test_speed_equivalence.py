"""The speed-ups must not change what the statistical pipeline and the matcher produce: the
cached attribute ruler gives the model's own ruler's annotations, and the rule matcher run
on the relevant rules only gives the matches of all the rules. Sentences are the tests'
own, chosen for the ruler's special cases (negations, "gonna", "y'all", "ain't", auxiliaries,
expletive "there", odd whitespace)."""

from __future__ import annotations

import pytest

from asof.extraction import build_nlp

pytestmark = pytest.mark.unit

TEXTS = [
    "I joined Corvid Labs in May and I report to Ines Duarte.",
    "Y'all ain't seen nothin' yet, we're gonna ship it on Friday!",
    "There are two cats.  \n  And there is a dog named Pip.",
    "She doesn't use Plane anymore; they'd done it before I had.",
    "we switched from Trello to Plane last week, haven't looked back",
    "My sister Wren moved to Turku, she's a pharmacist at Halvard.",
    "Is it true that you'll be at the Tuesday Chess Club?",
    "I'd have said no, but Maren did, so whatever.",
]


@pytest.fixture(scope="module")
def pair():  # type: ignore[no-untyped-def]
    return build_nlp(fast_attributes=False), build_nlp()


def _signature(doc):  # type: ignore[no-untyped-def]
    return [(t.text, t.pos_, t.tag_, t.dep_, t.lemma_, str(t.morph)) for t in doc]


def test_fast_attributes_equal_the_models_ruler(pair) -> None:  # type: ignore[no-untyped-def]
    slow, fast = pair
    assert type(fast.get_pipe("attribute_ruler")).__name__ == "FastAttributes"
    own = [n for n in slow.pipe_names if n.startswith("asof_")]
    with slow.select_pipes(disable=own), fast.select_pipes(disable=own):
        for a, b in zip(slow.pipe(TEXTS), fast.pipe(TEXTS), strict=True):
            assert _signature(a) == _signature(b)


def test_relevant_rules_match_like_all_rules(pair) -> None:  # type: ignore[no-untyped-def]
    _, nlp = pair
    finder = nlp.get_pipe("asof_relations_v1")
    own = [n for n in nlp.pipe_names if n.startswith("asof_")]
    with nlp.select_pipes(disable=own):
        docs = list(nlp.pipe(TEXTS))
    for doc in docs:
        subset = finder._matcher_for(doc)
        assert list(finder.matcher(doc)) == (list(subset(doc)) if subset else [])
