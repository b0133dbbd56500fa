"""A lower-case particle inside a Portuguese or Spanish name ("Vale do Sousa") opens no
sentence: the English model took "do" for a verb and cut the name, and the clause, in two.
Sentences and names are the tests' own."""

from __future__ import annotations

import pytest

from asof.extraction.pipeline import load_model
from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit

_TEXT = "Olá, Maren Holt. I joined Adega Vale do Sousa on 2 May as IT coordinator."


def test_the_bare_model_cuts_the_name_there() -> None:
    # the premise: without asof's component the model starts a sentence at "do"
    doc = load_model()(_TEXT)
    assert any(t.is_sent_start for t in doc if t.text == "do")


def test_no_sentence_starts_inside_the_name(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(_TEXT)
    for _name, component in nlp.pipeline[:nlp.pipe_names.index("parser") + 1]:
        doc = component(doc)
    assert not any(t.is_sent_start for t in doc if t.text in ("do", "Sousa"))


def test_the_whole_name_is_the_employer(extract: Extract) -> None:
    found = extract(_TEXT)
    employers = {a.object.name for a in found if a.predicate == "works_at" and a.object}
    assert employers == {"Adega Vale do Sousa"}
