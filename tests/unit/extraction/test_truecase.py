"""A name typed in lower case right after the word for who the person is to the writer ("my
sister ilka", "mi hermana ilka") is capitalised before the parser, there and wherever the
conversation types it again; everyday words, verbs with an ending and other languages' common
words after such a word stay as typed. Sentences and names are the tests' own."""

from __future__ import annotations

import pytest

from asof.extraction.truecase import lower_case_names, truecase, truecase_conversation
from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("text", "names"), [
    ("my sister ilka is at brovik now", {"ilka"}),
    ("the wife, oriane, starts nights", {"oriane"}),
    ("mi hermana ilka vive en Tarragona", {"ilka"}),  # "vive": a Spanish word, no family name
    ("my bro teodor vasquin paid half", {"teodor", "vasquin"}),
    ("my father fished every morning", set()),  # an English verb with its ending
    ("meine oma ist aus Graz", set()),  # a German everyday word
    ("my wife got a job", set()),
    ("my mum rn is in town", set()),  # a chat word
    ("my manager ilka said no", set()),  # a boss is not kin: left to the role readers
])
def test_names_after_a_relation_word(text: str, names: set[str]) -> None:
    assert lower_case_names([text]) == names


def test_every_occurrence_is_capitalised_and_nothing_else_moves() -> None:
    names = lower_case_names(["my sister ilka is at brovik now"])
    text = "ilka says hi, and ilkanen is someone else"
    assert truecase(text, names) == "Ilka says hi, and ilkanen is someone else"
    assert len(truecase(text, names)) == len(text)


def test_the_named_sibling_holds_the_job_not_the_writer(extract: Extract) -> None:
    found = extract("my sister ilka is at Brovik Labs too, product owner")
    jobs = {(a.subject.name, a.object.name) for a in found
            if a.predicate == "works_at" and a.object}
    assert jobs == {("Ilka", "Brovik Labs")}, found


def test_a_name_announced_later_changes_nothing_before_it() -> None:
    texts = ["ilka says hi", "my sister ilka is at Brovik now", "ilka again"]
    assert truecase_conversation(texts) == [
        "ilka says hi", "my sister Ilka is at Brovik now", "Ilka again"]


def test_the_evidence_quotes_the_message_as_typed(extract: Extract) -> None:
    text = "my sister ilka is at Brovik Labs too, product owner"
    (job,) = [a for a in extract(text) if a.predicate == "works_at"]
    assert job.subject.name == "Ilka" and job.evidence is not None
    assert "ilka" in job.evidence and job.evidence in text, job.evidence
    assert text[job.evidence_start:job.evidence_end] == job.evidence
