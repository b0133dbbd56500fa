"""A lower-case particle inside a Portuguese or Spanish name ("Vale do Sousa") opens no
sentence: the English model took "do" for a verb and cut the name, and the clause, in two. A
pronoun or a possessive after an emoji opens one. Sentences and names are the tests' own."""

from __future__ import annotations

import pytest

from asof.extraction.pipeline import load_model
from tests.unit.extraction.conftest import TZ, Extract

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


_EMOJI_TEXT = ("New job at Verdalia Foods, starting 3 September. I finish at the bakery on 28 "
               "Aug 🥹 my new boss will be Sara Lund.")


def test_a_pronoun_after_an_emoji_starts_a_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(_EMOJI_TEXT)
    for _name, component in nlp.pipeline[:nlp.pipe_names.index("parser") + 1]:
        doc = component(doc)
    assert next(t for t in doc if t.text == "my").is_sent_start
    bare = load_model()(_EMOJI_TEXT)  # the premise: the bare model reads one sentence there
    assert not next(t for t in bare if t.lower_ == "my").is_sent_start


def test_the_date_before_the_emoji_does_not_date_the_manager(extract: Extract) -> None:
    line = next(a for a in extract(_EMOJI_TEXT) if a.predicate == "reports_to")
    assert line.valid_from is not None and line.valid_from.astimezone(TZ).day == 3, line


def test_a_lower_case_word_after_a_dotted_day_and_month_starts_no_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Neuigkeiten!! Ab 1.8. bin ich bei Nordlicht Logistik, data engineer."
    doc = nlp.make_doc(text)
    for _name, component in nlp.pipeline[:nlp.pipe_names.index("parser") + 1]:
        doc = component(doc)
    assert not next(t for t in doc if t.text == "bin").is_sent_start


def test_the_dotted_date_starts_the_job_after_it(extract: Extract) -> None:
    (job,) = [a for a in extract("Neuigkeiten!! Ab 1.8. bin ich bei Nordlicht Logistik.")
              if a.predicate == "works_at"]
    assert job.valid_from is not None and job.valid_from.astimezone(TZ).month == 8, job


@pytest.mark.parametrize(("text", "employer"), [
    ("I work at Banque d’Haïti now.", "Banque d’Haïti"),
    ("Since 2021 I work at the Institut Régional de l'Eau in Tamatave.",
     "Institut Régional de l'Eau"),
])
def test_an_elided_de_or_le_keeps_the_name_whole(extract: Extract, text: str,
                                                 employer: str) -> None:
    assert employer in {a.object.name for a in extract(text)
                        if a.predicate == "works_at" and a.object}
