"""Titles the small English model parses badly: an acronym it takes for a pronoun ("IT
coordinator" is no "it"), a department it calls an organisation ("head of QA"), and a title
after a name that it makes a clause of its own."""

from __future__ import annotations

from tests.unit.extraction.conftest import Extract
from tests.unit.extraction.test_account_notes import facts


def test_taking_over_as_an_it_title_at_an_employer(extract: Extract) -> None:
    found = facts(extract("Hi, this is Daniela Ríos. I took over from Alejandro as IT "
                          "coordinator at Grupo Comal on 17 July.", speaker="Daniela Ríos"))
    assert {("Daniela Ríos", "job_title", "it coordinator"),
            ("Daniela Ríos", "works_at", "Grupo Comal")} <= found
    assert not any(p == "job_title" and o == "it" for _, p, o in found)


def test_the_employer_after_an_as_title(extract: Extract) -> None:
    assert ("Maren Holt", "works_at", "Kora") in facts(
        extract("I started in May as a data engineer at Kora."))
    # "of" a department names no employer
    found = facts(extract("Muthu Natarajan joined today as head of ML."))
    assert not any(p == "works_at" and o == "ML" for _, p, o in found)


def test_a_title_the_parser_split_from_the_name_before_it(extract: Extract) -> None:
    found = facts(extract("Caio Almeida, CTO da Bossa Calçados. We use Conta Azul.",
                          speaker="Larissa Teixeira"))
    assert ("Caio Almeida", "job_title", "cto") in found
    assert not any(p == "studies_at" for _, p, _ in found)


def test_the_pronoun_it_stays_a_pronoun(extract: Extract) -> None:
    assert not facts(extract("Thanks, it works now. IT is down again though.",
                             speaker="Jure Kos"))


def test_head_of_a_department_names_no_employer(extract: Extract) -> None:
    found = facts(extract("I'm at Tamsui Micro. Irina Volkova, deputy head of QA, takes over "
                          "as head of QA from 1 March."))
    assert ("Irina Volkova", "job_title", "head of qa") in found
    assert not any(o in ("QA", "ML") for _, p, o in found if p == "works_at")
    assert not any(p == "works_at" and o == "ML" for _, p, o in facts(
        extract("Muthu Natarajan is our head of ML.")))


def test_a_title_closing_a_clause_about_a_new_job(extract: Extract) -> None:
    found = facts(extract("Tom joins Kora on Monday, data engineer 🎉"))
    assert {("Tom", "works_at", "Kora"), ("Tom", "job_title", "data engineer")} <= found
    # not after a meeting: "great engineer" is praise, not anyone's title
    assert not any(p == "job_title" for _, p, _ in facts(
        extract("I met Tom at the fair, great engineer.")))


def test_a_title_opening_a_line_with_a_rank_word_the_parser_takes_for_a_verb(
        extract: Extract) -> None:
    found = extract("news: lead naval architect from 1/9!! reporting straight to the cto")
    titles = {a.value for a in found if a.predicate == "job_title" and
              a.subject.name == "Maren Holt"}
    assert titles == {"lead naval architect"}
    assert not any(a.predicate == "job_title" for a in extract("I lead naval architects."))
