"""Words that make a title ("sr backend dev", "Administrator bei …"), a verbless reply to an
assistant's question about a job applied for (no fact), and the time of a statement taken
from its own part of a clause ("notice in tmrw, last day at X 30 aug"). Sentences and names
are the tests' own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from asof.extraction import Conversation, Message, Pipeline
from asof.graph.models import AssertionKind, FactAssertion, Role
from tests.unit.extraction.conftest import AT, TZ, Extract, triples

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("text", "who", "title", "employer"), [
    ("I'm an administrator at Huber Feinmechanik.", "Maren Holt", "administrator",
     "huber feinmechanik"),
    ("i'm sr backend dev @ Corvane", "Maren Holt", "sr backend dev", "corvane"),
    ("Ana Ruiz, ingeniera en Petrolera Andina.", "Ana Ruiz", "ingeniera", None),
])
def test_chat_and_other_languages_name_titles(extract: Extract, text: str, who: str,
                                              title: str, employer: str | None) -> None:
    found = triples(extract(text))
    assert ("assert", who, "job_title", title) in found
    if employer is not None:
        assert ("assert", who, "works_at", employer) in found


def _chat(nlp, *turns: tuple[str, str]) -> list[FactAssertion]:  # type: ignore[no-untyped-def]
    messages = [Message("Maren Holt" if who == "user" else "assistant",
                        Role.USER if who == "user" else Role.ASSISTANT,
                        AT + timedelta(minutes=i), text, id=f"m{i}")
                for i, (who, text) in enumerate(turns)]
    return [a for _, f in Pipeline("unit", nlp=nlp).extract(Conversation("c", messages))
            for a in f]


def test_a_verbless_reply_about_a_job_applied_for_is_no_fact(nlp) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("user", "frontend dev @ Shipwise, 2 yrs there"),
                          ("assistant", "And the role you're interviewing for?"),
                          ("user", "senior frontend @ Payhawk. fully remote")))
    assert ("assert", "Maren Holt", "works_at", "shipwise") in found
    assert not [t for t in found if t[3] == "payhawk"]


def test_a_verbless_reply_to_a_plain_question_stays_a_fact(nlp) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("assistant", "What would you like me to keep track of?"),
                          ("user", "frontend dev @ Shipwise, 2 yrs there")))
    assert ("assert", "Maren Holt", "works_at", "shipwise") in found


def test_a_time_in_the_statements_own_part_of_the_clause_is_its_own(extract: Extract) -> None:
    found = extract("frontend dev @ Shipwise.", "notice in tmrw, last day at shipwise 30 aug")
    ends = {a.predicate: a.valid_from.astimezone(TZ).date() for a in found
            if a.kind is AssertionKind.RETRACT and a.valid_from is not None}
    assert ends["works_at"] == date(2024, 8, 30)


@pytest.mark.parametrize("question", ["What does Idris do now?", "Who's Idris?",
                                      "Congrats! Is Idris your husband?"])
def test_a_reply_that_names_no_one_answers_about_the_person_asked_about(
        nlp, question: str) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("user", "Idris says hi btw, my husband"),
                          ("assistant", question),
                          ("user", "data analyst @ Shipwise, 2 yrs there")))
    assert ("assert", "Idris", "works_at", "shipwise") in found, found
    assert not [t for t in found if t[1] == "Maren Holt" and t[2] == "works_at"], found


def test_a_reply_that_says_i_stays_the_speakers(nlp) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("assistant", "What does Idris do now?"),
                          ("user", "no idea, I'm data analyst @ Shipwise tho")))
    assert ("assert", "Maren Holt", "works_at", "shipwise") in found, found


def test_a_place_asked_about_is_no_person(nlp) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("assistant", "Is Lisbon your home now?"),
                          ("user", "data analyst @ Shipwise, 2 yrs there")))
    assert ("assert", "Maren Holt", "works_at", "shipwise") in found, found


@pytest.mark.parametrize(("question", "reply", "married"), [
    ("Ha, cute! Is Oriane your wife?", "ya, 9 yrs now. pharmacist", True),
    ("Who's Oriane?", "my wife 😄 pharmacist @ Vestby Apotek", True),
    ("Who's Oriane?", "minha esposa 😄", True),
    ("Is Oriane your wife?", "nope, my sister lol", False),
    ("Is Oriane your boss?", "ya, since March", False),
])
def test_a_reply_says_who_the_spouse_is(nlp, question: str, reply: str,
                                        married: bool) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("user", "dinner w/ Oriane tonight"), ("assistant", question),
                          ("user", reply)))
    assert (("assert", "Maren Holt", "married_to", "oriane") in found) is married, found


@pytest.mark.parametrize(("question", "reply", "fact"), [
    ("Nice. Are you based in Tromsø?", "ya, near the harbour",
     ("Maren Holt", "lives_in", "tromsø")),
    ("Are you moving to Bodø then?", "ja, in august", ("Maren Holt", "lives_in", "bodø")),
    ("Ha! Is Bruno your dog?", "sí, beagle, 3 yrs", ("Maren Holt", "has_pet", "bruno")),
    ("Is Kaffebar Nord your café?", "yep, since 2021", ("Maren Holt", "owns", "kaffebar nord")),
    ("Did Oriane start at Vestby Apotek?", "oui, le 8 janvier",
     ("Oriane", "works_at", "vestby apotek")),
])
def test_a_yes_confirms_the_assistants_question(nlp, question: str, reply: str,
                                                fact: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("assistant", question), ("user", reply)))
    assert ("assert", *fact) in found, found


@pytest.mark.parametrize(("question", "reply"), [
    ("Are you based in Tromsø?", "no, Bergen"),
    ("Is Bruno your boss?", "ya, since March"),  # not a pet
    ("Are you based in the north?", "ya"),  # no name asked about
])
def test_no_yes_or_no_name_confirms_nothing(nlp, question: str, reply: str) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("assistant", question), ("user", reply)))
    assert not [t for t in found if t[2] in ("lives_in", "has_pet")], found


def test_a_time_in_the_reply_starts_the_confirmed_fact(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _chat(nlp, ("assistant", "Did Oriane start at Vestby Apotek?"),
                  ("user", "yes, on 3 June"))
    (job,) = [a for a in found if a.predicate == "works_at"]
    assert job.valid_from is not None and job.valid_from.astimezone(TZ).date() == date(2024, 6, 3)


@pytest.mark.parametrize(("question", "reply", "home"), [
    ("Where do you live?", "Tromsø", "tromsø"),
    ("Nice! Where are you based these days?", "bergen, sandviken side", "bergen"),
    ("Where's home, and any pets?", "skien still. 2 cats", "skien"),
    ("Where are you based?", "lol yes, the north", None),
    ("What's your role, and where are you based?", "ux designer @ Fjellkode, Bodø", None),
    ("Where do you live?", "home mostly lol", None),
    ("Where you living these days?", "moss still, w/ the twins", "moss"),
    ("Which part of Ljubljana are you in?", "šiška. 10 min by bus", "šiška"),
    ("What neighbourhood do you live in?", "bakklandet, by the river", "bakklandet"),
    ("Where in Oslo are you based?", "gamle-oslo, near the park", "gamle-oslo"),
    ("Which part of Oslo are you in?", "the east side lol", None),
    ("Is Grorud near where you live?", "nei, tøyen.", "tøyen"),
    ("Is Grorud near where you live?", "nei, not really", None),
    ("Do you live close to the office?", "grünerløkka. 10 min on the bike", "grünerløkka"),
    ("Do you live near campus?", "no", None),
])
def test_the_opening_name_answers_where_the_speaker_lives(
        nlp, question: str, reply: str, home: str | None) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("assistant", question), ("user", reply)))
    homes = {t[3] for t in found if t[1] == "Maren Holt" and t[2] == "lives_in"}
    assert homes == ({home} if home else set()), found


@pytest.mark.parametrize(("reply", "companions"), [
    ("majorstua. me + ingrid (fiancée 💍). and our cat", {"Ingrid"}),
    ("majorstua still. ingrid and me + the dog", {"Ingrid"}),
    ("majorstua still. me and the kids", set()),
])
def test_a_person_named_with_me_in_the_answer_lives_there_too(
        nlp, reply: str, companions: set[str]) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("assistant", "Which part of Oslo are you in?"), ("user", reply)))
    homes = {t[1] for t in found if t[2] == "lives_in" and t[3] == "majorstua"}
    assert homes == {"Maren Holt"} | companions, found


@pytest.mark.parametrize("reply", ["ingvild rasmussen. head of compliance, v chill",
                                   "Ingvild Rasmussen, head of compliance. v chill"])
def test_the_opening_name_answers_who_the_manager_is(nlp, reply: str) -> None:  # type: ignore[no-untyped-def]
    found = triples(_chat(nlp, ("assistant", "Who's your manager, by the way?"),
                          ("user", reply)))
    assert ("assert", "Maren Holt", "reports_to", "ingvild rasmussen") in found, found
    assert ("assert", "Ingvild Rasmussen", "job_title", "head of compliance") in found, found
    assert not any(t[1] == "Maren Holt" and t[2] == "job_title" for t in found)


def test_a_reply_title_after_a_yes(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _chat(nlp, ("assistant", "Are you at Dunavik too? What do you do there?"),
                  ("user", "yep backend dev, 2 yrs already. mostly go"))
    assert [a.value for a in found if a.predicate == "job_title"] == ["backend dev"]
