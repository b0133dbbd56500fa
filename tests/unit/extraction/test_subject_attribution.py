"""Who a fact is about when the clause does not say it plainly: a pronoun means the closest
fitting person named before it in the message; a title right before a name is that person's;
a roster line "Name — …" is about that name; a span that cannot be a name is no subject; a
name never runs across a dash or a bracket. Sentences and names are the tests' own."""

from __future__ import annotations

import pytest

from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import AT, Extract

pytestmark = pytest.mark.unit


def _facts(found) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(a.subject.name, a.predicate, (a.object.name if a.object else a.value) or "")
            for a in found}


def test_a_pronoun_means_the_person_named_before_it_in_the_message(
        learned_extract: Extract) -> None:
    facts = _facts(learned_extract("My sister Ilse Brandt came over from Vienna last year and "
                                   "she works at Kestrel Labs now."))
    assert ("Ilse Brandt", "works_at", "Kestrel Labs") in facts
    assert ("Maren Holt", "works_at", "Kestrel Labs") not in facts


def test_a_title_before_a_name_is_that_persons(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("I run support at Fjordline Freight. Our new operations "
                                   "director, Tomasz Wilk, starts next week."))
    assert ("Tomasz Wilk", "job_title", "operations director") in facts
    assert ("Maren Holt", "job_title", "operations director") not in facts


def test_a_roster_line_is_about_the_name_it_opens_with(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("Team update:\nOskar Lindgren — lives in Tromsø, joined in "
                                   "May\nIlse Brandt — on leave"))
    assert ("Oskar Lindgren", "lives_in", "Tromsø") in facts
    assert ("Maren Holt", "lives_in", "Tromsø") not in facts


def test_a_job_title_is_no_subject(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("I work at Kestrel Labs.",
                                   "Senior Data Engineer, starts Monday, reports to Ilse "
                                   "Brandt."))
    assert not any(s == "Senior Data Engineer" for s, _, _ in facts)


def test_a_hyphenated_given_name_stays_whole(extract: Extract) -> None:
    found = extract("Darnell Reyes, COO, and Min-ji Cho, lead recruiter, joined us.",
                    "Seo-yeon Park, data lead.",
                    "Jung Da-eun, backend team lead at Kestrel Labs since 2022.")
    titles = {(a.subject.name, a.value) for a in found if a.predicate == "job_title"}
    assert titles == {("Darnell Reyes", "coo"), ("Min-ji Cho", "lead recruiter"),
                      ("Seo-yeon Park", "data lead"), ("Jung Da-eun", "backend team lead")}


def test_a_company_or_a_title_is_no_person(extract: Extract) -> None:
    facts = _facts(extract("Got the offer: Kestrel Systems, systems analyst, start 1 April!",
                           "Our VP Ops lives in Oslo and reports to Ilse Brandt."))
    assert not any(s in ("Kestrel Systems", "VP Ops") for s, _, _ in facts), facts


def test_a_place_is_not_the_person_a_pronoun_means(extract: Extract) -> None:
    # a place named in a plan that gives no fact, and a place someone is from
    facts = _facts(extract("my brother Levan lives in Tbilisi.",
                           "he says we should move to Kutaisi one day. maybe. he only started "
                           "at TBC Bank last month"))
    assert ("Levan", "works_at", "TBC Bank") in facts, facts
    facts = _facts(extract("my sister Amra from Mostar — she's front desk manager at Hotel "
                           "Kujundžiluk"))
    assert ("Amra", "works_at", "Hotel Kujundžiluk") in facts, facts
    assert not any(s == "Mostar" for s, _, _ in facts)


def test_a_cv_line_after_a_candidate_heading_is_the_candidates(extract: Extract) -> None:
    facts = _facts(extract("Hi, I'm Maren from talent acquisition at Kestrel Labs. I'm "
                           "verifying a candidate, Oskar Lindgren. His CV: Operations Manager "
                           "at Fjordline Freight (Tromsø), 2019–present."))
    assert ("Oskar Lindgren", "works_at", "Fjordline Freight") in facts, facts
    assert ("Maren Holt", "works_at", "Fjordline Freight") not in facts


def test_a_sentence_opening_with_starts_is_someone_elses(extract: Extract) -> None:
    # "starts" has no "I": the person of the sentence before, not the writer
    facts = _facts(extract("I run people ops at Kestrel Labs.",
                           "We made the offer to Oskar Lindgren and he accepted. starts 2 "
                           "December as senior analyst, reporting to Ilse Brandt."))
    assert ("Oskar Lindgren", "reports_to", "Ilse Brandt") in facts, facts
    assert ("Maren Holt", "reports_to", "Ilse Brandt") not in facts


@pytest.mark.parametrize("text", ["me and Luca Ferri moved to Bologna in May.",
                                  "me and my boyfriend Luca Ferri moved to Bologna in May."])
def test_me_and_a_named_person_are_both_subjects(extract: Extract, text: str) -> None:
    subjects = {a.subject.name for a in extract(text) if a.predicate == "lives_in"}
    assert subjects == {"Maren Holt", "Luca Ferri"}


def test_a_relative_said_with_an_apostrophe_s_is_the_subject_not_the_speaker(
        extract: Extract) -> None:
    """"wife's starting at X": the wife's job (the spouse named before), never the
    speaker's."""
    assert not [a for a in extract("wife's starting at Brasa Digital next month")
                if a.predicate == "works_at"]
    found = [a for a in extract("My wife Amina Diallo loves Lagos.",
                                "wife's starting at Brasa Digital next month")
             if a.predicate == "works_at"]
    assert [a.subject.name for a in found] == ["Amina Diallo"]


def test_a_name_the_model_takes_for_a_date_is_still_a_name(extract: Extract) -> None:
    """The small model tags "Joon" DATE (like "June"); no time word explains it."""
    found = _facts(extract("my husband Joon works at Samsung as an engineer"))
    assert ("Maren Holt", "married_to", "Joon") in found
    assert ("Joon", "works_at", "Samsung") in found


def test_an_introduction_with_a_title_names_the_employer(extract: Extract) -> None:
    found = _facts(extract("Hi, Maren here, IT lead at Kanmi Foods.",
                           "We upgraded to the Pro plan on 1 March."))
    assert ("Maren Holt", "works_at", "Kanmi Foods") in found
    assert ("Maren Holt", "job_title", "it lead") in found
    assert ("Kanmi Foods", "uses", "pro plan") in found


def test_a_candidate_notes_heading_names_whose_facts_follow(
        learned_extract: Extract) -> None:
    found = _facts(learned_extract("Candidate notes — Selam Tesfaye: currently Senior QA at Kifiya "
                           "since 2021. Lives in Addis, open to relocating."))
    assert ("Selam Tesfaye", "works_at", "Kifiya") in found
    assert not [f for f in found if f[0] == "Maren Holt"]


@pytest.mark.parametrize(("text", "fact"), [
    ("Call with Priya Shah from Acme Robotics today.", ("Priya Shah", "works_at", "Acme Robotics")),
    ("Spoke with Dana Kim at Quillon Labs about the renewal.",
     ("Dana Kim", "works_at", "Quillon Labs")),
    ("Met Tomás Vera (IT manager at Viña Sol) at the expo.",
     ("Tomás Vera", "works_at", "Viña Sol")),
])
def test_someone_met_with_their_organisation_works_there_not_the_speaker(
        learned_extract: Extract, text: str, fact: tuple[str, str, str]) -> None:
    found = _facts(learned_extract(text))
    assert fact in found
    assert not [f for f in found if f[0] == "Maren Holt" and f[1] == "works_at"]


def test_a_message_about_someone_else_gives_them_its_verbless_facts(extract: Extract) -> None:
    facts = _facts(extract("Reference notes: Oskar Lindgren, applying for the ops lead role. "
                           "Previous job: Fjordline Freight, Tromsø — operations manager, "
                           "2019–2023."))
    assert ("Oskar Lindgren", "job_title", "operations manager") in facts, facts
    assert ("Maren Holt", "job_title", "operations manager") not in facts


@pytest.mark.parametrize("text", [
    # the speaker speaks of themselves in another language: "Mi puesto" is theirs
    "Hablé con Ilse Brandt, she says hi. Mi puesto ahora: operations manager, Fjordline "
    "Freight.",
    # a one-word "name" no fact has named is nobody the message is about
    "Hahaha she'll take all the credit. Job update: operations manager, Fjordline Freight.",
])
def test_a_verbless_fact_stays_the_speakers_when_no_one_else_is_its_topic(
        extract: Extract, text: str) -> None:
    facts = _facts(extract(text))
    assert ("Maren Holt", "job_title", "operations manager") in facts, facts



def test_a_call_notes_employer_is_the_contacts(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("Discovery call — Tarnwick Insurance (Leeds, ~300 staff). "
                                   "Contact: Oskar Lindgren, IT security lead; he reports to "
                                   "the CIO."))
    assert ("Oskar Lindgren", "works_at", "Tarnwick Insurance") in facts, facts
    assert ("Maren Holt", "works_at", "Tarnwick Insurance") not in facts


def test_an_employer_named_for_a_request_is_not_the_next_persons(
        learned_extract: Extract) -> None:
    facts = _facts(learned_extract("Please log these HR changes for Tarnwick Insurance: Oskar "
                                   "Lindgren resigned, his last working day was Friday."))
    assert ("Oskar Lindgren", "works_at", "Tarnwick Insurance") not in facts, facts


@pytest.mark.parametrize("text", ["my husband Takeshi and I finally moved to Tromsø on April 20.",
                                  "My wife Nokuthula and I live in Tromsø."])
def test_a_spouse_named_beside_i_shares_the_home(extract: Extract, text: str) -> None:
    facts = _facts(extract(text))
    partner = "Takeshi" if "Takeshi" in text else "Nokuthula"
    assert ("Maren Holt", "lives_in", "Tromsø") in facts, facts
    assert (partner, "lives_in", "Tromsø") in facts, facts


def test_the_and_inside_a_name_is_no_first_person(extract: Extract) -> None:
    # "i" is "and" in Polish and Catalan names: "Słowo i Sens" is not the speaker speaking
    found = _facts(extract("Ewelina Mazur starts on Monday, she joins Słowo i Sens as "
                           "project manager."))
    assert ("Ewelina Mazur", "job_title", "project manager") in found
    assert not [f for f in found if f[0] == "Maren Holt"]


def test_a_pronoun_continues_the_he_of_the_sentence_before(extract: Extract) -> None:
    # "His" names no one in its own sentence; "He" opened the sentence before, so "His" is the
    # same person, not the manager named last
    found = extract("Candidate: Oskar Lindgren, dispatcher at Fjordline Freight.",
                    "Oskar accepted! He starts with us in May, reporting to our ops director "
                    "Ilse Brandt. His last day at Fjordline Freight is 30 April.")
    endings = {a.subject.name for a in found
               if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"}
    assert endings == {"Oskar Lindgren"}, found


def test_a_verb_before_w_slash_is_no_name(extract: Extract) -> None:
    # the model reads "Spoke w/" as a person; the title is the contact's
    facts = _facts(extract("Call notes, Kestrel Labs. Spoke w/ Oskar Lindgren, head of finance."))
    assert ("Oskar Lindgren", "job_title", "head of finance") in facts, facts
    assert not any(s.startswith("Spoke") for s, _, _ in facts), facts


def test_an_employer_named_earlier_is_nobodys_group() -> None:
    # a membership reading (the tagger's, here written by hand) of an organisation someone
    # works at, known from an earlier message, is dropped; a club stays
    from asof.extraction.assembly.records import RecordKeeping
    from asof.extraction.assembly.state import ConversationState, Record
    from asof.graph.predicates import default_registry

    def record(subject: str, predicate: str, obj: str, message: int) -> Record:
        return Record(subject, predicate, obj, False, AssertionKind.ASSERT, None, None, None,
                      None, 0, message, (0, 0), learned=True)

    keeping = RecordKeeping(ConversationState("unit", default_registry()))
    keeping.state.records.append(record("Dale Rourke", "works_at", "Bitterroot Resort", 0))
    kept = keeping._not_employers([record("Travis Holt", "member_of", "bitterroot resort", 1),
                                   record("Travis Holt", "member_of", "Whitefish Ski Club", 1)])
    assert [r.obj for r in kept] == ["Whitefish Ski Club"]


def test_a_name_holding_the_object_is_no_subject_of_it() -> None:
    # "an der Kestrel Klinik" read as a person who works at Kestrel Klinik
    from asof.extraction.assembly.records import RecordKeeping
    from asof.extraction.assembly.state import ConversationState, Record
    from asof.graph.predicates import default_registry

    def works_at(subject: str, employer: str = "Kestrel Klinik") -> Record:
        return Record(subject, "works_at", employer, False, AssertionKind.ASSERT, None,
                      None, None, None, 0, 0, (0, 0), learned=True)

    keeping = RecordKeeping(ConversationState("unit", default_registry()))
    assert not keeping._types_fit(works_at("der Kestrel Klinik"), AT)
    assert keeping._types_fit(works_at("Oskar Lindgren"), AT)
    # a one-word employer may be the family's name, and a name inside a word is no name
    assert keeping._types_fit(works_at("Oskar Berg", "Berg"), AT)
    assert keeping._types_fit(works_at("Annabel Lind", "Anna Lind"), AT)


def test_a_cv_under_his_or_her_heading_is_that_persons(learned_extract: Extract) -> None:
    facts = _facts(learned_extract("We're about to hire Oskar Lindgren, he interviewed well.",
                                   "his CV:\n- Fjordline Freight, dispatcher, 2019–present"))
    assert ("Oskar Lindgren", "works_at", "Fjordline Freight") in facts, facts
    assert ("Maren Holt", "works_at", "Fjordline Freight") not in facts, facts


def test_a_label_before_a_colon_is_no_person(learned_extract: Extract) -> None:
    # "Contacto" labels the line; the person is the full name after the colon
    facts = _facts(learned_extract("Notas — Kestrel Labs (Tromsø):\n- Contacto: Oskar Lindgren, "
                                   "gerente de finanzas. Seis años ahí."))
    assert ("Oskar Lindgren", "job_title", "gerente de finanzas") in facts, facts
    assert not any(s == "Contacto" for s, _, _ in facts), facts


def test_a_courtesy_title_before_a_name(extract: Extract) -> None:
    # "Mr Patrick Mwansa" is read past the "Mr"; "Mr Mwansa" is the one known Mwansa
    found = extract("I work at Kestrel Labs. Patrick Mwansa is our maintenance superintendent.",
                    "My boss is Mr Patrick Mwansa.",
                    "Mr. Mwansa retires, his last day is 31 July.")
    facts = _facts(found)
    assert ("Maren Holt", "reports_to", "Patrick Mwansa") in facts, facts
    ended = [a for a in found if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"]
    assert [(a.subject.name, a.valid_from.astimezone(AT.tzinfo).day) for a in ended] == [
        ("Patrick Mwansa", 31)], ended
    assert not any(s == "Mwansa" for s, _, _ in facts), facts


def test_an_organisation_ends_before_the_town_it_is_in(extract: Extract) -> None:
    # the model reads "Tumen Cashmere in Ulaanbaatar" as one organisation
    facts = _facts(extract("Sain baina uu! Oskar Lindgren, HR manager at Tumen Cashmere in "
                           "Ulaanbaatar. We have used Staffbook since March."))
    assert ("Oskar Lindgren", "works_at", "Tumen Cashmere") in facts, facts
    assert not any("Ulaanbaatar" in o for _, p, o in facts if p != "lives_in"), facts


def test_my_lead_at_an_organisation_names_where_the_lead_works(extract: Extract) -> None:
    facts = _facts(extract("Oskar Lindgren (my lead at Kestrel Labs) is out on Friday."))
    assert ("Maren Holt", "reports_to", "Oskar Lindgren") in facts, facts
    assert ("Oskar Lindgren", "works_at", "Kestrel Labs") in facts, facts
    assert ("Maren Holt", "reports_to", "Kestrel Labs") not in facts, facts


@pytest.mark.parametrize(("text", "boss"), [
    ("My nurse manager will be Ilse Brandt, she did the interview.", {"Ilse Brandt"}),
    ("My former manager is Ilse Brandt.", set()),
])
def test_a_kind_of_manager_is_still_the_manager(extract: Extract, text: str,
                                                boss: set[str]) -> None:
    found = extract(text)
    assert {a.object.name for a in found if a.predicate == "reports_to"} == boss, found


def test_a_title_after_a_colon_belongs_to_the_subject_before_it(extract: Extract) -> None:
    facts = _facts(extract("Back from Tromsø, our dog Rufus stayed with the neighbour. Also "
                           "Oskar got promoted: logistics manager from 1 June.",
                           "Quick one. Ilse took over from him: shift supervisor since 1 July.",
                           "I got promoted too: team lead from 1 August.",
                           "Tomasz is the problem — auditor at Brandt & Holm, so no trips "
                           "in March.",
                           "Kestrel Labs offered me a contract — product manager, from May.",
                           "Their CV says: warehouse supervisor at Fjordline Freight, "
                           "2019-2022."))
    assert ("Oskar", "job_title", "logistics manager") in facts
    assert ("Ilse", "job_title", "shift supervisor") in facts
    assert ("Maren Holt", "job_title", "team lead") in facts
    assert ("Tomasz", "job_title", "auditor") in facts
    assert ("Maren Holt", "job_title", "product manager") in facts
    assert not {("Maren Holt", "job_title", "logistics manager"),
                ("Maren Holt", "job_title", "shift supervisor")} & facts
    assert not any(s == "CV" for s, _, _ in facts)  # a document is nobody's subject


def test_a_title_fragment_after_he_did_something_is_his(extract: Extract) -> None:
    facts = _facts(extract("Oskar Lindgren called. He signed!! Welding supervisor, starts "
                           "Monday 4 November.",
                           "Copywriter, from 2019.",
                           "Start 1 October, reporting to our finance director, Dr. Ilse "
                           "Brandt."))
    assert ("Oskar Lindgren", "job_title", "welding supervisor") in facts
    assert ("Maren Holt", "job_title", "copywriter") in facts
    assert ("Ilse Brandt", "job_title", "finance director") in facts
    assert not {("Maren Holt", "job_title", "welding supervisor"),
                ("Maren Holt", "job_title", "finance director")} & facts


def test_a_title_after_a_label_that_names_no_one_is_the_person_before_it(
        extract: Extract) -> None:
    """"Oskar said yes!! Signed today: …": the label "Signed today" names no one, so the
    title and the reporting line after it are the person the sentence before was about;
    after "Great news!!" they are the speaker's."""
    facts = _facts(extract("Oskar Lindgren said yes!! Signed today: senior backend developer "
                           "with us, reporting to Ilse Brandt."))
    assert ("Oskar Lindgren", "job_title", "senior backend developer") in facts
    assert ("Oskar Lindgren", "reports_to", "Ilse Brandt") in facts
    assert not any(s == "Maren Holt" for s, _, _ in facts)
    own = _facts(extract("Great news!! Signed today: senior backend developer at Kestrel "
                         "Labs."))
    assert ("Maren Holt", "job_title", "senior backend developer") in own


def test_a_title_after_a_town_is_the_clause_subjects(extract: Extract) -> None:
    facts = _facts(extract("My brother Oskar Lindgren runs our ferry office in Bergen, "
                           "station manager since 2020."))
    assert ("Oskar Lindgren", "job_title", "station manager") in facts
    assert not any(s == "Bergen" for s, _, _ in facts)


def test_a_title_given_to_her_is_hers(extract: Extract) -> None:
    facts = _facts(extract("Ilse Brandt got an offer from a rival. She said no. I'm giving her "
                           "a raise and a new title — head of export, from 1 August."))
    assert ("Ilse Brandt", "job_title", "head of export") in facts
    assert ("Maren Holt", "job_title", "head of export") not in facts


def test_a_name_with_a_particle_keeps_its_first_name(extract: Extract) -> None:
    facts = _facts(extract("Got the job! My boss will be Ilse de Vries, their logistics "
                           "manager."))
    assert ("Ilse de Vries", "job_title", "logistics manager") in facts
    assert not any(s in ("Vries", "de Vries") for s, _, _ in facts)


def test_a_list_line_that_opens_with_a_title_is_about_the_name_after_it(
        extract: Extract) -> None:
    facts = _facts(extract("Crew list:\n- Site engineer: Oskar Lindgren, since 2021\n"
                           "- Manager: Ilse Brandt"))
    assert ("Oskar Lindgren", "job_title", "site engineer") in facts
    assert ("Maren Holt", "job_title", "site engineer") not in facts
    # whose manager she is, not her title
    assert ("Ilse Brandt", "job_title", "manager") not in facts


@pytest.mark.parametrize(("text", "owner", "title"), [
    # "our new X, Name": the name after the title
    ("Please copy our new logistics manager, Tomasz Wilk, on the invoices.",
     "Tomasz Wilk", "logistics manager"),
    # a fragment after "X hired him.": his
    ("I sent Oskar Lindgren to Kestrel Labs. Kestrel Labs hired him. Site engineer, starts "
     "1 July.", "Oskar Lindgren", "site engineer"),
    # a fragment after a sentence about a named person: theirs
    ("I run hiring at Kestrel Labs. Oskar Lindgren signed!! Site engineer, starts 3 June.",
     "Oskar Lindgren", "site engineer"),
])
def test_a_title_beside_someone_named_is_theirs_not_the_speakers(
        extract: Extract, text: str, owner: str, title: str) -> None:
    facts = _facts(extract(text))
    assert (owner, "job_title", title) in facts
    assert ("Maren Holt", "job_title", title) not in facts


def test_a_verbless_sentence_says_more_of_the_person_the_one_before_is_about(
        learned_extract: Extract) -> None:
    facts = _facts(learned_extract(
        "My colleague Ingrid Solberg is great.",
        "ingrid got promoted last week!! staff engineer now, she won't stop smiling 😄 oh and "
        "ingrid and i adopted a dog, Biscuit 🐕",
        "I got promoted too. Senior engineer now."))
    assert ("Ingrid Solberg", "job_title", "staff engineer") in facts
    assert ("Maren Holt", "job_title", "staff engineer") not in facts
    assert ("Maren Holt", "job_title", "senior engineer") in facts  # "I" in the one before


def test_a_known_person_opening_a_sentence_the_parser_misread_is_its_subject(
        learned_extract: Extract) -> None:
    facts = _facts(learned_extract("My sister married Sade Adeyemi last year.",
                                   "Sade flies for Kestrel Air, cabin lead, so half the time "
                                   "they're away."))
    assert ("Sade Adeyemi", "works_at", "Kestrel Air") in facts
    assert ("Maren Holt", "works_at", "Kestrel Air") not in facts


def test_a_name_described_as_a_company_is_one_and_the_speaker_titled_there_works_there(
        learned_extract: Extract) -> None:
    found = learned_extract("Context: Fjellkode is a 20-person software studio in Bodø, I'm "
                            "the QA lead and Siv reports to me.")
    got = {(a.subject.name, a.predicate, a.object.name if a.object else a.value)
           for a in found}
    assert ("Maren Holt", "works_at", "Fjellkode") in got, got
    assert not any(s == "Fjellkode" and p == "lives_in" for s, p, _o in got), got


def test_a_second_user_of_a_customer_thread_works_where_the_first_does(
        learned_nlp) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from asof.extraction import Conversation, Message, Pipeline
    from asof.graph.models import Role

    said = [("Maren Holt", Role.USER, "Hi! Maren Holt (Lumeira Furniture, ops lead) here. We "
                                      "start with Deskly next week."),
            ("assistant", Role.ASSISTANT, "Welcome! How can I help?"),
            ("Ines Dahl", Role.USER, "Hello, Ines Dahl here, support manager. Can we move "
                                     "our saved replies over from Zendesk?")]
    messages = [Message(who, role, AT + timedelta(minutes=i), text, id=f"m{i}")
                for i, (who, role, text) in enumerate(said)]
    found = [a for _ep, facts in Pipeline("unit", nlp=learned_nlp).extract(
        Conversation("c", messages)) for a in facts]
    assert ("Ines Dahl", "Lumeira Furniture") in {
        (a.subject.name, a.object.name) for a in found if a.predicate == "works_at" and a.object}


def test_a_verb_after_a_relative_clause_is_the_named_persons(extract: Extract) -> None:
    found = extract("Maren here, talent lead at Skagen Hull Works. Arvo Lindell, who runs "
                    "our paint shop, is retiring at the end of the month after 29 years.")
    ended = [(a.subject.name, a.predicate) for a in found if a.kind is AssertionKind.RETRACT]
    assert not [s for s, _p in ended if s == "Maren Holt"], ended


def test_a_weekday_in_lower_case_is_nobody(extract: Extract) -> None:
    found = extract("back at vestfrakt 😂 boomerang. started mon, senior PM now.")
    assert not [a for a in found if a.subject.name.lower() == "mon"], found


def test_a_name_opening_a_sentence_before_my_partner_is_that_person(
        learned_extract: Extract) -> None:
    facts = _facts(learned_extract("Tőnis, my boyfriend — from Pärnu, in Helsinki since 2020. "
                                   "He speaks Estonian and Finnish."))
    assert ("Tőnis", "lives_in", "Helsinki") in facts
    assert ("Tőnis", "speaks", "Finnish") in facts
    assert not any(subject == "Maren Holt" for subject, _p, _o in facts)


def test_a_notes_opening_verb_is_about_the_person_just_listed(learned_extract: Extract) -> None:
    # "LV" is tagged as a person and "Zane Kļava" is not: the name just listed is still who
    # "Speaks …" is about, and "Speaks Russian" names no one
    facts = _facts(learned_extract("Second one — Ceptuve Kalns (Cēsis, LV):\n"
                                   "- Kassio Basic since May\n"
                                   "- Zane Kļava, chief accountant. Speaks Russian, English "
                                   "only so-so"))
    assert {("Zane Kļava", "speaks", "Russian"), ("Zane Kļava", "speaks", "English")} <= facts
    assert not any(p == "speaks" and s != "Zane Kļava" for s, p, _o in facts)


def test_a_pronoun_in_a_roster_line_means_the_person_the_line_opens_with(
        learned_extract: Extract) -> None:
    facts = _facts(learned_extract("1) Armen Sahakyan — backend developer, starts 2 June. "
                                   "Reports to Davit Grigoryan, lead dev. He speaks Russian "
                                   "and Farsi."))
    assert ("Armen Sahakyan", "speaks", "Farsi") in facts
    assert not any(s == "Davit Grigoryan" and p == "speaks" for s, p, _o in facts)


def test_a_pronoun_after_a_name_called_at_the_start_is_not_that_name(
        learned_extract: Extract) -> None:
    facts = _facts(learned_extract("Armen, some good news: we hired Davit Grigoryan last week. "
                                   "He works at Kestrel Labs until May."))
    assert ("Davit Grigoryan", "works_at", "Kestrel Labs") in facts
    assert not any(s == "Armen" for s, _p, _o in facts)
