"""A sentence without a subject opens with its verb, capitalised ("Speaks Luganda and
English."): when the model runs that verb into a name, the name starts after it."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from asof.extraction.components.mentions import _trimmed
from asof.extraction.pipeline import load_model
from asof.extraction.spans import trim_name

pytestmark = pytest.mark.unit


def test_a_sentence_opening_verb_is_cut_from_a_name() -> None:
    doc = load_model()("Lives in Tromsø. Speaks Luganda and English.")
    speaks = next(t.i for t in doc if t.text == "Speaks")
    assert doc[speaks].pos_ == "VERB" and doc[speaks].is_sent_start  # the premise
    trimmed = _trimmed(Span(doc, speaks, speaks + 2, label="PERSON"))
    assert trimmed is not None and trimmed.text == "Luganda"


def test_a_name_that_opens_a_sentence_stays_whole() -> None:
    doc = load_model()("Lives in Tromsø. Oskar Lindgren speaks Luganda.")
    start = next(t.i for t in doc if t.text == "Oskar")
    trimmed = _trimmed(Span(doc, start, start + 2, label="PERSON"))
    assert trimmed is not None and trimmed.text == "Oskar Lindgren"


@pytest.mark.parametrize(("raw", "name"), [
    ("Also Smilla", "Smilla"), ("And Tomás Vera", "Tomás Vera"),
    ("Oh Seung-min", "Oh Seung-min"),  # a surname, not the interjection
    ("Also", "Also"),  # nothing after it: left as it is
])
def test_a_connective_opening_the_sentence_is_cut_from_a_name(raw: str, name: str) -> None:
    assert trim_name(raw) == name
