"""Resolution added in session 3 of issue 5: a short organisation name after its full form
("Meridian" after "my Meridian Bank call") is that organisation even when the model calls it a
place; an organisation "on X" runs a tool; a name the model missed, taken up by "he"/"she"
right after it, is a person; "joined them" means the organisation "they" would. Sentences and
names are the tests' own."""

from __future__ import annotations

from datetime import date

import pytest

from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import AT, TZ, Extract, Talk, triples

pytestmark = pytest.mark.unit


def test_short_form_of_an_organisation_named_before(extract: Extract) -> None:
    found = extract("notes from the Quorra Bank meeting. spoke to Ilse Brandt, she's been "
                    "at Quorra since 2019.")
    jobs = [a for a in found if a.predicate == "works_at"]
    assert [(a.subject.name, a.object.name) for a in jobs if a.object] == \
        [("Ilse Brandt", "Quorra Bank")]
    assert jobs[0].valid_from is not None
    assert jobs[0].valid_from.astimezone(TZ).date() == date(2019, 1, 1)


def test_an_organisation_on_a_tool(extract: Extract) -> None:
    found = triples(extract("call notes for Harrowgate Mills: they're on Tableau and want "
                            "something faster."))
    assert ("assert", "Harrowgate Mills", "uses", "tableau") in found
    assert not any(t[2] == "lives_in" for t in found)


def test_a_missed_name_taken_up_by_a_pronoun(extract: Extract) -> None:
    found = triples(extract("Kestrel Dairy has a new buyer.",
                            "Obi Nwachukwu, he's their procurement lead, joined them in "
                            "February."))
    assert ("assert", "Obi Nwachukwu", "works_at", "kestrel dairy") in found
    assert any(t[1] == "Obi Nwachukwu" and t[2] == "job_title" for t in found)


def test_joined_them_without_an_organisation_says_nothing(extract: Extract) -> None:
    found = triples(extract("my neighbour Obi Nwachukwu joined them in February."))
    assert not any(t[2] == "works_at" for t in found)


def test_a_scheduled_start_in_a_clause_that_also_looks_back(extract: Extract) -> None:
    # "gave" makes the clause past; "August 5" hangs off "start", a scheduled future
    found = extract("Harrowgate Mills hired me, I start August 5, already gave notice at Quorra.")
    jobs = [a for a in found if a.predicate == "works_at" and a.object is not None and
            a.object.name == "Harrowgate Mills"]
    assert jobs and jobs[0].valid_from is not None
    assert jobs[0].valid_from.astimezone(TZ).date() == date(2024, 8, 5)



def test_an_adverb_after_and_before_a_new_subject_opens_a_clause(extract: Extract) -> None:
    # "and somehow I've been asked": its past participle does not make the wedding past
    found = [a for a in extract("My sister Ingrid is marrying Tomas Holm on 15 August and "
                                "somehow I've been asked to give the speech.")
             if a.predicate == "married_to"]
    assert found and found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).date() == date(2024, 8, 15)

def test_a_fragment_title_the_tagger_calls_a_verb(extract: Extract) -> None:
    # "backend" is often tagged VERB; as a modifier of the title head it is part of the title
    found = triples(extract("quick context: backend engineer at Harrowgate Mills, on the "
                            "Billing team."))
    assert ("assert", "Maren Holt", "job_title", "backend engineer") in found
    assert ("assert", "Maren Holt", "works_at", "harrowgate mills") in found


def test_a_team_merged_into_another_moves_its_members(extract: Extract) -> None:
    found = extract("I'm on the Ledger team at Harrowgate Mills.",
                    "as of today Ledger is merged into the Core Services team.")
    teams = {(a.kind.value, a.object.name) for a in found
             if a.predicate == "member_of" and a.subject.name == "Maren Holt" and a.object}
    assert ("assert", "Core Services team") in teams
    assert ("retract", "Ledger team") in teams
    assert not any(a.subject.name == "Ledger" for a in found)


def test_a_known_first_name_in_lower_case_is_the_subject(extract: Extract) -> None:
    found = triples(extract("my manager is Ilse Brandt.",
                            "ilse's been at Harrowgate Mills since 2015, she knows everyone."))
    assert ("assert", "Ilse Brandt", "works_at", "harrowgate mills") in found
    assert not any(t[1] == "Maren Holt" and t[3] == "harrowgate mills" for t in found)


def test_a_later_date_for_an_undated_plan_corrects_its_start(talk: Talk) -> None:
    found = talk(("Ruth Adler", "Obi and I are moving to Leeds."),
                 ("Obi Nwachukwu", "we move August 20."))
    dated = [a for a in found[1] if a.predicate == "lives_in"]
    # "Obi" is the speaker Obi Nwachukwu, known before he speaks; both movers get the date
    assert sorted(a.subject.name for a in dated) == ["Obi Nwachukwu", "Ruth Adler"]
    assert all(a.kind is AssertionKind.CORRECT and a.valid_from is not None and
               a.valid_from.astimezone(TZ).date() == date(2024, 8, 20) for a in dated)


@pytest.mark.parametrize("text", ["Kofi and I got married in June 2019.",
                                  "I married Kofi in June 2019."])
def test_marriage_phrasings_with_their_date(extract: Extract, text: str) -> None:
    found = [a for a in extract(text) if a.predicate == "married_to"]
    assert [(a.subject.name, a.object.name) for a in found if a.object] == \
        [("Maren Holt", "Kofi")]
    assert found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).date() == date(2019, 6, 1)


def test_a_name_after_the_verb_is_not_the_noun_subject(extract: Extract) -> None:
    # "my sister" is unnamed: Tom is who she married, not the subject
    found = triples(extract("my sister married Tom last year."))
    assert not any(t[1] == "Tom" for t in found)


def test_working_remotely_for(extract: Extract) -> None:
    assert ("assert", "Maren Holt", "works_at", "harrowgate mills") in triples(
        extract("I'm still working remotely for Harrowgate Mills."))


def test_a_length_before_a_known_start(extract: Extract) -> None:
    found = extract("I've been head of research at Quorra Bank since 2021.",
                    "before Quorra I was an analyst at Harrowgate Mills for three years.")
    job = [a for a in found if a.predicate == "works_at" and a.object is not None and
           a.object.name == "Harrowgate Mills"]
    assert job and job[0].valid_from is not None and job[0].valid_to is not None
    assert (job[0].valid_from.astimezone(TZ).year, job[0].valid_to.astimezone(TZ).year) == \
        (2018, 2021)


def test_left_after_a_length(extract: Extract) -> None:
    # the length dates the start back from the leaving, not from the message
    found = [a for a in extract("my sister Ilse Brandt left Quorra Bank in March after five "
                                "years.") if a.predicate == "works_at"]
    assert found and found[0].valid_from is not None and found[0].valid_to is not None
    assert found[0].valid_from.astimezone(TZ).year == 2019
    assert found[0].valid_to.astimezone(TZ).date() == date(2024, 3, 1)


def test_a_length_is_not_when_a_move_happens(extract: Extract) -> None:
    found = [a for a in extract("leaving Harrogate after ten years here, feels strange.")
             if a.predicate == "lives_in"]
    assert all(a.valid_to is None or a.valid_to.astimezone(TZ).year == 2024 for a in found)


def test_been_there_since_is_a_tenure_at_the_place_named_before(extract: Extract) -> None:
    found = [a for a in extract("my friend Obi Nwachukwu is at Tessaly Foods, he's been there "
                                "since 2017.") if a.predicate == "works_at"]
    assert [(a.subject.name, a.object.name) for a in found if a.object] == \
        [("Obi Nwachukwu", "Tessaly Foods")]
    assert found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).year == 2017


def test_been_there_without_a_start_is_a_visit(extract: Extract) -> None:
    found = triples(extract("I work at Tessaly Foods.", "Lisbon? I've been there twice."))
    assert not any(t[2] == "works_at" and t[3] != "tessaly foods" for t in found)


def test_a_date_glued_to_a_name_by_the_model_is_cut(extract: Extract) -> None:
    found = [a for a in extract("my sister Ilse Brandt started at Harrowgate General Hospital "
                                "on Feb 3.") if a.predicate == "works_at"]
    assert [a.object.name for a in found if a.object] == ["Harrowgate General Hospital"]


@pytest.mark.parametrize(("text", "name"), [
    ("I've been on the board of Friends of the Tessaly Library since 2021.",
     "friends of the tessaly library"),
    ("I've had a Rega Planar 3 turntable since 2019.", "rega planar 3"),
])
def test_names_with_lower_case_words_or_a_model_number(extract: Extract, text: str,
                                                       name: str) -> None:
    assert any(t[3] == name for t in triples(extract(text)))


def test_a_number_of_years_after_a_name_is_not_part_of_it(extract: Extract) -> None:
    found = triples(extract("I joined Harrowgate Mills 3 years ago."))
    assert ("assert", "Maren Holt", "works_at", "harrowgate mills") in found


def test_moving_to_a_tool_when_the_message_is_about_tools(extract: Extract) -> None:
    found = triples(extract("I work at Tessaly Foods.",
                            "we moved to Notion in March and don't use Confluence anymore."))
    assert ("assert", "Tessaly Foods", "uses", "notion") in found
    assert not any(t[2] == "lives_in" for t in found)


def test_moving_to_a_city_stays_a_move(extract: Extract) -> None:
    found = triples(extract("we moved to Leeds in March and still use Slack."))
    assert ("assert", "Maren Holt", "lives_in", "leeds") in found


def test_a_fronted_time_belongs_to_the_clause_it_opens(extract: Extract) -> None:
    found = extract("I moved to Leeds in 2021 with our cat Miso, and since last October "
                    "I've been working at Tessaly Foods.")
    pet = [a for a in found if a.predicate == "has_pet"]
    job = [a for a in found if a.predicate == "works_at"]
    assert job and job[0].valid_from is not None
    assert job[0].valid_from.astimezone(TZ).date() == date(2023, 10, 1)
    assert all(a.valid_from is None or a.valid_from.astimezone(TZ).year != 2023 for a in pet)


def test_moving_to_a_workplace_at_an_organisation_is_a_job_move(extract: Extract) -> None:
    found = triples(extract("I work at Tessaly Foods.",
                            "from August 1 I'm moving to the research lab at Quorra Bank."))
    assert ("assert", "Maren Holt", "works_at", "quorra bank") in found
    assert not any(t[2] == "lives_in" for t in found)


def test_people_who_move_along(extract: Extract) -> None:
    found = triples(extract("I moved to Leeds in 2020 with my son Tomas and our dog Rex."))
    assert ("assert", "Tomas", "lives_in", "leeds") in found
    assert not any(t[1] == "Rex" and t[2] == "lives_in" for t in found)


def test_a_place_is_not_introduced_as_a_person(extract: Extract) -> None:
    found = triples(extract("we moved to Leeds last year.", "I moved to Leeds with Ana."))
    assert not any(t[2] == "works_at" for t in found)


@pytest.mark.parametrize("text", [
    "my manager is Ilse Brandt, she's been at Quorra Bank forever — since 2016 I think.",
    "my manager is Ilse Brandt, she's been at Quorra Bank forever (since 2016).",
])
def test_a_time_aside_dates_the_part_before_it(extract: Extract, text: str) -> None:
    job = [a for a in extract(text) if a.predicate == "works_at"]
    assert job and job[0].valid_from is not None
    assert job[0].valid_from.astimezone(TZ).year == 2016


def test_reports_to_her(extract: Extract) -> None:
    found = triples(extract("my skip-level is Ilse Brandt.",
                            "my actual manager is Obi Nwachukwu, he reports to her."))
    assert ("assert", "Obi Nwachukwu", "reports_to", "ilse brandt") in found


def test_hired_as_a_title_gives_the_hire_the_title(extract: Extract) -> None:
    found = extract("I work at Tessaly Foods. I hired Obi Nwachukwu as logistics manager — he "
                    "starts August 5, will report to me.")
    got = {(a.subject.name, a.predicate): a for a in found}
    assert ("Obi Nwachukwu", "job_title") in got and ("Maren Holt", "job_title") not in got
    assert got[("Obi Nwachukwu", "works_at")].object.name == "Tessaly Foods"  # type: ignore[union-attr]
    for predicate in ("works_at", "job_title", "reports_to"):
        start = got[("Obi Nwachukwu", predicate)].valid_from
        assert start is not None and start.astimezone(TZ).date() == date(2024, 8, 5)


def test_since_then_at_the_end_of_the_clause_before(extract: Extract) -> None:
    found = [a for a in extract("Ilse Brandt left Tessaly Foods in May, and since then I "
                                "report to Obi Nwachukwu.") if a.predicate == "reports_to"]
    assert found and found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).date() == date(2024, 5, 1)


def test_since_then_dates_the_reporting_line_not_the_title_of_the_manager(
        extract: Extract) -> None:
    got = {a.predicate: a for a in extract("Our old head of IT retired in May, since then I "
                                           "report straight to our CEO, Ola Berg.")}
    assert got["reports_to"].valid_from is not None
    assert got["reports_to"].valid_from.astimezone(TZ).date() == date(2024, 5, 1)
    assert got["job_title"].value == "ceo" and got["job_title"].valid_from is None


def test_a_short_organisation_name_as_subject(extract: Extract) -> None:
    found = triples(extract("I just joined Tessaly Foods.", "Tessaly runs on Notion and Slack."))
    assert ("assert", "Tessaly Foods", "uses", "notion") in found
    assert not any(t[1] == "Maren Holt" and t[2] == "uses" for t in found)


def test_the_latest_started_job_is_where_a_manager_works(extract: Extract) -> None:
    found = triples(extract("I've been at Quorra Bank since 2019.",
                            "I'm joining Tessaly Foods on August 5.",
                            "first week at Tessaly done! my manager is Obi Nwachukwu, he's been "
                            "there since the company started in 2016."))
    assert ("assert", "Obi Nwachukwu", "works_at", "tessaly foods") in found
    assert ("assert", "Obi Nwachukwu", "works_at", "quorra bank") not in found
    job = [a for a in extract("first week at Tessaly Foods done! my manager is Obi Nwachukwu, "
                              "he's been there since the company started in 2016.")
           if a.predicate == "works_at" and a.subject.name == "Obi Nwachukwu"]
    assert job and job[0].valid_from is not None
    assert job[0].valid_from.astimezone(TZ).year == 2016



def test_been_there_after_a_home_named_in_the_sentence_before(extract: Extract) -> None:
    # "there" points back to the last "in <Name>": a home, not an employer
    found = [a for a in extract("my cousin Lorcan rents a flat in Ballymun. He's been there "
                                "since 2019, with two cats.")
             if a.subject.name == "Lorcan"]
    assert [(a.predicate, a.object.name if a.object else None) for a in found] == [
        ("lives_in", "Ballymun")]
    assert found[0].valid_from is not None and found[0].valid_from.astimezone(TZ).year == 2019

def test_a_singular_they_after_a_person(extract: Extract) -> None:
    found = triples(extract("my partner works at Quorra Bank.",
                            "our friend Sam can help — they live in Harrogate and own Tessaly "
                            "Bakery there."))
    assert ("assert", "Sam", "owns", "tessaly bakery") in found
    assert not any(t[1] == "Quorra Bank" for t in found)


def test_a_name_after_from_taken_up_by_he(extract: Extract) -> None:
    found = triples(extract("I took over as admin from Tavita — he relocated to Leeds last "
                            "month."))
    assert ("assert", "Tavita", "lives_in", "leeds") in found


def test_owning_a_responsibility_is_not_owning_a_thing(extract: Extract) -> None:
    assert not any(a.predicate == "owns" for a in extract(
        "Obi will own the Notion config from then."))


def test_a_city_named_inside_a_university_stays_a_city(extract: Extract) -> None:
    found = triples(extract("I'm a master's student at TU Harrowgate.",
                            "I live in Harrowgate btw so I can be on campus whenever."))
    assert ("assert", "Maren Holt", "lives_in", "harrowgate") in found
    assert not any(t[2] == "uses" for t in found)


def test_a_time_word_after_a_bought_thing_is_not_its_head(extract: Extract) -> None:
    found = triples(extract("sold the Hilux yesterday and picked up a 2021 Ford Ranger today."))
    assert ("assert", "Maren Holt", "owns", "ford ranger") in found


def test_a_name_subject_the_parser_calls_a_conjunct(extract: Extract) -> None:
    # after "oh and", the parser often attaches the subject as "conj"
    found = triples(extract("I just joined Tessaly Foods.",
                            "bought a bike on Saturday lol. oh and Tessaly runs on Notion and "
                            "Slack, very different from what I'm used to."))
    assert ("assert", "Tessaly Foods", "uses", "notion") in found
    assert not any(t[1] == "Maren Holt" and t[2] == "uses" for t in found)


def test_their_title_belongs_to_the_organisation_named(extract: Extract) -> None:
    found = triples(extract("I'm a solutions architect at Quorra Bank.",
                            "Tessaly Data — met their CTO, Ilse Brandt, she wants a demo."))
    assert ("assert", "Ilse Brandt", "works_at", "tessaly data") in found
    assert ("assert", "Ilse Brandt", "works_at", "quorra bank") not in found


def test_a_wish_for_a_thing_is_not_a_taste(extract: Extract) -> None:
    assert not any(a.predicate == "likes" for a in extract(
        "I'd love a second greyhound but we have no garden."))
    assert any(a.predicate == "likes" for a in extract("I'd love sushi tonight."))


def test_living_in_a_dwelling_in_a_place(extract: Extract) -> None:
    assert ("assert", "Maren Holt", "lives_in", "harrogate") in triples(
        extract("we live in a tiny flat in Harrogate though, so space is tight."))


def test_spending_a_holiday_somewhere_and_an_event_by_appositive(extract: Extract) -> None:
    found = extract("I went to Pagefest, the book fair here, on December 2nd, and spent New "
                    "Year's Eve in Oaxaca with my parents.", at=AT.replace(year=2025, month=1))
    got = {(a.predicate, a.object.name): a for a in found if a.object}
    assert ("attended", "Pagefest") in got and ("visited", "Pagefest") not in got
    oaxaca = got[("visited", "Oaxaca")]
    assert oaxaca.valid_from is not None
    assert oaxaca.valid_from.astimezone(TZ).date() == date(2024, 12, 31)


def test_a_pet_named_after_its_adoption_in_a_run_on_question(extract: Extract) -> None:
    found = [a for a in extract("We adopted a rescue greyhound on Saturday!! His name is Rufus "
                                "any tips for the first week?") if a.predicate == "has_pet"]
    assert [a.object.name for a in found if a.object] == ["Rufus"]
    assert found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).date() == date(2024, 6, 8)


def test_a_question_about_a_pet_is_still_a_question(extract: Extract) -> None:
    assert not extract("does your dog Rex like cats? any tips?")


def test_ships_via_a_carrier(extract: Extract) -> None:
    found = [a for a in extract("Hi, Maren at Tessaly Foods. we dropped FedEx — since January 2 "
                                "everything ships via UPS.") if a.predicate == "uses"]
    ups = [a for a in found if a.object is not None and a.object.name == "UPS"]
    assert ups and ups[0].subject.name == "Tessaly Foods"
    assert ups[0].valid_from is not None
    assert ups[0].valid_from.astimezone(TZ).date() == date(2024, 1, 2)


def test_used_to_ends_when_the_stop_verb_says(extract: Extract) -> None:
    found = [a for a in extract("I used to be a member of the Harrogate Rowing Club but "
                                "cancelled in 2020 when everything closed.")
             if a.predicate == "member_of"]
    assert found and found[0].valid_to is not None
    assert found[0].valid_to.astimezone(TZ).year == 2020


def test_a_counted_model_is_one_model(extract: Extract) -> None:
    assert ("assert", "Maren Holt", "owns", "zebra zd420") in triples(
        extract("I own three Zebra ZD420s for the warehouse."))


def test_a_language_list_after_a_name_and_a_colon(extract: Extract) -> None:
    found = triples(extract("finalists: Obi Nwachukwu lives in Leeds.",
                            "Obi: Igbo, English, French. the other one is undecided."))
    assert {t[3] for t in found if t[2] == "speaks" and t[1] == "Obi Nwachukwu"} == \
        {"igbo", "english", "french"}


def test_a_colon_list_of_other_words_is_not_languages(extract: Extract) -> None:
    found = triples(extract("my manager is Obi Nwachukwu.", "Obi: Monday, Tuesday, Friday."))
    assert not any(t[2] == "speaks" for t in found)


def test_left_the_company(extract: Extract) -> None:
    found = extract("I work at Tessaly Foods.", "our admin is Ilse Brandt.",
                    "Ilse left the company in January, our new admin is Obi Nwachukwu.")
    ended = [a for a in found if a.predicate == "works_at" and a.subject.name == "Ilse Brandt"
             and a.kind is AssertionKind.RETRACT]
    assert ended and ended[0].valid_from is not None
    assert ended[0].valid_from.astimezone(TZ).date() == date(2024, 1, 1)


def test_an_opening_is_not_a_job(extract: Extract) -> None:
    assert not any(a.predicate == "works_at" for a in extract(
        "the goal is Leeds — there's a job at Harrowgate General I could take next spring."))


def test_my_apartment_here_in(extract: Extract) -> None:
    assert ("assert", "Maren Holt", "lives_in", "osaka") in triples(extract(
        "I joined a climbing gym, ten minutes from my apartment here in Osaka."))


@pytest.mark.parametrize(("text", "who"), [
    ("I can actually hold a real conversation in German now.", "Maren Holt"),
    ("my son Tomas is 12 and his Polish is already better than mine.", "Tomas"),
])
def test_speaking_without_speak(extract: Extract, text: str, who: str) -> None:
    assert any(t[1] == who and t[2] == "speaks" for t in triples(extract(text)))


def test_a_language_said_to_be_weak_is_not_claimed(extract: Extract) -> None:
    assert not any(a.predicate == "speaks" for a in extract("my French is not good."))


def test_joined_with_only_a_date_means_the_organisation_in_context(talk: Talk) -> None:
    found = talk(("Ruth Adler", "Ruth here, finance director at Tessaly Foods. I've added Obi "
                  "from our IT side."),
                 ("Obi Nwachukwu", "Hi — I'm the IT manager here, joined in October 2022."),
                 ("Obi Nwachukwu", "I joined the fun last year."))
    jobs = [a for a in found[1] if a.predicate == "works_at"]
    assert [(a.subject.name, a.object.name) for a in jobs if a.object] == \
        [("Obi Nwachukwu", "Tessaly Foods")]
    assert jobs[0].valid_from is not None
    assert jobs[0].valid_from.astimezone(TZ).date() == date(2022, 10, 1)
    assert not found[2]


def test_she_is_his_boss(extract: Extract) -> None:
    found = triples(extract("my manager will be Ilse Brandt, she's head of data.",
                            "correction: I actually report to Obi Nwachukwu, not Ilse. she's his "
                            "boss."))
    assert ("assert", "Obi Nwachukwu", "reports_to", "ilse brandt") in found


def test_a_home_instead_of_another(extract: Extract) -> None:
    found = extract("moved flats last weekend, I'm in Headingley now instead of Chapeltown.")
    homes = {(a.object.name, a.valid_from is not None, a.valid_to is not None)
             for a in found if a.predicate == "lives_in" and a.object}
    assert homes == {("Headingley", True, False), ("Chapeltown", False, True)}


def test_they_after_an_organisation_acted(extract: Extract) -> None:
    assert not extract("I sell to Quorra Bank.")
    found = triples(extract("notes from the Quorra Bank call.",
                            "Obi called — Quorra dropped Tableau in August and they've been on "
                            "Snowflake since July."))
    assert ("assert", "Quorra Bank", "uses", "snowflake") in found


def test_cv_lines(extract: Extract) -> None:
    found = extract("2019–2022 at Tessaly Foods as a senior developer. and my first job was at "
                    "Quorra Bank, 2014 to 2019, as a developer.")
    jobs = {a.object.name: (a.valid_from, a.valid_to) for a in found
            if a.predicate == "works_at" and a.object}
    assert set(jobs) == {"Tessaly Foods", "Quorra Bank"}
    assert all(start is not None and end is not None for start, end in jobs.values())
    start, end = jobs["Tessaly Foods"]
    assert (start.astimezone(TZ).year, end.astimezone(TZ).year) == (2019, 2022)  # type: ignore[union-attr]


@pytest.mark.parametrize("text", [
    "since then two people report to me, Timur and Dana.",
    "Timur and Dana report to me now.",
])
def test_several_people_report_to_me(extract: Extract, text: str) -> None:
    found = triples(extract(text))
    assert {t[1] for t in found if t[2] == "reports_to" and t[3] == "maren holt"} == \
        {"Timur", "Dana"}


def test_switched_off_by_our_side(extract: Extract) -> None:
    found = extract("I work at Tessaly Foods.", "we're on Zendesk.",
                    "Zendesk was switched off last Friday, so we're fully on Notion now.")
    off = [a for a in found if a.predicate == "uses" and a.object is not None and
           a.object.name == "Zendesk" and a.kind is AssertionKind.RETRACT]
    assert off and off[0].subject.name == "Tessaly Foods"


def test_married_on_a_date_to(extract: Extract) -> None:
    found = [a for a in extract("I got married on June 29 to Kofi Mensah and I'm taking his "
                                "surname.") if a.predicate == "married_to"]
    assert [a.object.name for a in found if a.object] == ["Kofi Mensah"]
    assert found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).date() == date(2023, 6, 29)  # past tense


def test_known_as_is_a_name_not_a_title(extract: Extract) -> None:
    found = triples(extract("I'm a chemistry teacher at Tessaly School and the students all "
                            "know me as Holt Hoca."))
    titles = {t[3] for t in found if t[2] == "job_title"}
    assert titles == {"chemistry teacher"}


def test_a_band_named_in_apposition_and_its_break_up(extract: Extract) -> None:
    found = extract("I also play bass in a band, Routa, we rehearse on Thursdays.",
                    "Routa broke up in March, so no more band for me. picked up cross-country "
                    "skiing over the winter though, I love it.")
    kinds = [(a.kind.value, a.object.name) for a in found
             if a.predicate == "member_of" and a.object]
    assert kinds == [("assert", "Routa"), ("retract", "Routa")]
    assert ("assert", "Maren Holt", "likes", "cross-country skiing") in triples(found)
    assert not any(a.predicate == "owns" for a in found)


def test_pets_listed_and_whose_they_are_and_rehomed(extract: Extract) -> None:
    found = extract("we also have two budgies, Pip and Zaza — they're my daughter Leyla's.",
                    "we rehomed Zaza last month with my sister Shirin — Zaza kept fighting "
                    "with Pip.",
                    "and Leyla visits Zaza at Shirin's every weekend.")
    got = {(a.kind.value, a.subject.name, a.object.name) for a in found
           if a.predicate == "has_pet" and a.object}
    assert got == {("assert", "Leyla", "Pip"), ("assert", "Leyla", "Zaza"),
                   ("assert", "Shirin", "Zaza"), ("retract", "Leyla", "Zaza")}
    assert not any(a.predicate in ("visited", "uses") for a in found)


def test_a_pet_dated_by_the_adoption_after_its_name(extract: Extract) -> None:
    found = [a for a in extract("my bunny is sneezing. his name is Kiwi, he's about 3, we got "
                                "him from a shelter in 2021.") if a.predicate == "has_pet"]
    assert found and found[0].valid_from is not None
    assert found[0].valid_from.astimezone(TZ).year == 2021


def test_been_there_looks_before_the_pronoun_not_at_later_titles(extract: Extract) -> None:
    found = triples(extract("I started at Lumora Bank last March as a risk analyst.",
                            "my manager is Oskar Lind, he's been there since 2012. he reports "
                            "to our CRO, Hanne Berg."))
    assert ("assert", "Oskar Lind", "works_at", "lumora bank") in found
    assert ("assert", "Oskar Lind", "reports_to", "hanne berg") in found
    assert not any(t[3] == "cro" or t[1] == "CRO" for t in found)


def test_a_though_clause_keeps_its_condition_to_itself(extract: Extract) -> None:
    found = triples(extract("we're on Jira and Confluence, though there's a plan to move to "
                            "Linear if budget allows."))
    assert ("assert", "Maren Holt", "uses", "jira") in found
    assert not any(t[3] == "linear" for t in found)


def test_an_appositive_name_before_a_clause_with_a_title(extract: Extract) -> None:
    found = triples(extract("Maren from Harbor Freightways here.",
                            "my old boss, Rita Gomez, is now CFO at Tallow & Pine."))
    assert ("assert", "Rita Gomez", "works_at", "tallow & pine") in found
    assert not any(t[1] == "Maren Holt" and t[3] == "tallow & pine" for t in found)


def test_running_a_named_place_is_not_using_a_tool(extract: Extract) -> None:
    assert not any(a.predicate == "uses" for a in extract(
        "she used to run the Denver depot."))


def test_leaving_with_only_a_date_ends_the_known_job(extract: Extract) -> None:
    found = extract("I work at Harbor Freightways.", "my manager is Marcus Ito.",
                    "Marcus left last week.", "Hamid is on leave).")
    ended = [a for a in found if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"]
    assert [a.subject.name for a in ended] == ["Marcus Ito"]


@pytest.mark.parametrize(("text", "home"), [
    ("moving to vidnes 1/12", "vidnes"),
    ("moved to lindås last wknd w/ my friend", "lindås"),
    ("we live in fear of the landlord", None),
    ("moving to a bigger place soon", None),
])
def test_a_home_typed_in_lower_case(extract: Extract, text: str, home: str | None) -> None:
    homes = [a for a in extract(text) if a.predicate == "lives_in"]
    assert [a.object.name.lower() for a in homes if a.object] == ([home] if home else [])


@pytest.mark.parametrize("text", [
    "Hi, Maren at Tessaly Foods. ERP is Vardo, has been for years.",
    "Hi, Maren at Tessaly Foods. We do all the onboarding paperwork through Vardo now.",
    "Hi, Maren at Tessaly Foods. Here we sell only through Vardo.",
])
def test_a_system_named_by_its_kind_or_worked_through(extract: Extract, text: str) -> None:
    found = {(a.subject.name, a.object.name) for a in extract(text)
             if a.predicate == "uses" and a.object is not None}
    assert ("Tessaly Foods", "Vardo") in found


def test_a_named_thing_an_organisation_has_had_is_a_tool(extract: Extract) -> None:
    found = {(a.predicate, a.object.name) for a in extract(
        "Hi, Maren at Tessaly Foods. We've had Vardo on the Standard plan since 2022.")
        if a.object is not None and a.subject.name == "Tessaly Foods"}
    assert ("uses", "Vardo") in found and ("owns", "Vardo") not in found
    mine = {(a.predicate, a.object.name) for a in extract("I've had a Vardo since 2022.")
            if a.object is not None}
    assert mine == {("owns", "Vardo")}


def test_an_employer_named_with_a_particle_is_one_name(extract: Extract) -> None:
    employers = {a.object.name for a in extract("Maren Holt here, quality manager at Cortiças "
                                                "Vale do Sousa. Quick question.")
                 if a.predicate == "works_at" and a.object is not None}
    assert employers == {"Cortiças Vale do Sousa"}


def test_a_cv_lines_degree_then_school(extract: Extract) -> None:
    found = {(a.predicate, a.object.name) for a in extract(
        "Maren Holt — data engineer, Vardo Systems, 2020 – present. BSc Lakeside University "
        "2016–2019.") if a.object is not None}
    assert ("studies_at", "Lakeside University") in found
    # the subject studied is no school
    assert not [a for a in extract("MSc Interaction Design, 2014–2016.")
                if a.predicate == "studies_at"]
