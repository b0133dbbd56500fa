"""Notes about a client organisation (B2B and CRM style): whose people, whose tools, and
when a job someone leaves ends."""

from __future__ import annotations

from datetime import date

import pytest

from asof.extraction.assembly.words import product_and_plan
from asof.extraction.tagger import component
from asof.extraction.tagger.model import TaggedSpan
from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import TZ, Extract


def facts(found: list) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
    return {(a.subject.name, a.predicate, a.object.name if a.object else str(a.value))
            for a in found if a.kind is AssertionKind.ASSERT}


def test_people_titled_in_a_note_about_an_organisation_work_there(extract: Extract) -> None:
    found = facts(extract("New logo call: Lakeshore Staffing (Chicago). Darnell Price, COO, "
                          "and Sun-hee Park, lead recruiter. They run Bullhorn as their ATS.",
                          speaker="Naledi Dlamini"))
    assert {("Darnell Price", "works_at", "Lakeshore Staffing"),
            ("Sun-hee Park", "works_at", "Lakeshore Staffing"),
            ("Lakeshore Staffing", "uses", "Bullhorn")} <= found


def test_a_stack_line_in_a_note_about_an_organisation_is_its_own(
        learned_extract: Extract) -> None:
    # the tools of a "Stack:" line (the rules' tool-list reader and the learned tagger)
    found = facts(learned_extract("Koivu Forest Oy discovery call, notes: Mikko Laine, head of BI, "
                          "reports to the CIO Riikka Salonen. Stack: SAP + Tableau for "
                          "reporting.", speaker="Aino Virtanen"))
    assert {("Koivu Forest Oy", "uses", "SAP"),
            ("Riikka Salonen", "works_at", "Koivu Forest Oy")} <= found
    assert not any(s == "Aino Virtanen" for s, _, _ in found)


def test_a_note_that_speaks_of_its_writer_gives_nobody_else_its_employer(
        extract: Extract) -> None:
    found = facts(extract("I'm a paramedic wi' the Scottish Ambulance Service, twelve-hour "
                          "shifts. Ruaraidh's a joiner, self-employed.",
                          speaker="Ishbel Docherty"))
    assert not any(s == "Ruaraidh" and p == "works_at" for s, p, _ in found)


def test_a_name_typed_as_initials_is_the_organisation_it_abbreviates(extract: Extract) -> None:
    found = extract("Lena Hoffmann works at Brandt & Söhne Maschinenbau GmbH as head of legal.",
                    "Lena's last day at B&S is 28 June.", speaker="Sarah Klein")
    ended = [a for a in found if a.predicate == "works_at" and a.kind is AssertionKind.RETRACT]
    assert [a.object.name for a in ended if a.object] == ["Brandt & Söhne Maschinenbau GmbH"]


def test_a_job_left_without_a_time_ends_where_the_next_begins(extract: Extract) -> None:
    found = extract("Spoke to Nusrat Jahan, head of supply chain at Bengal Textiles.",
                    "Nusrat is leaving them, she starts at Apex Apparel on July 1.",
                    speaker="Rafiq Islam")
    ended = [a for a in found if a.kind is AssertionKind.RETRACT and a.predicate == "works_at"]
    assert ended and all(a.valid_from is not None and
                         a.valid_from.astimezone(TZ).date() == date(2024, 7, 1)
                         for a in ended)


def test_a_company_the_model_calls_a_person_is_no_antecedent(extract: Extract) -> None:
    found = facts(extract("Ji-ho here. Added Haejin Shipping (Busan) from the meetup: Park "
                          "Seo-yeon, data team lead. They're on Power BI.",
                          speaker="Ji-ho Shin"))
    assert ("Haejin Shipping", "uses", "Power BI") in found




def test_a_tool_shop_and_everything_on_a_tool_are_the_organisations(extract: Extract) -> None:
    assert ("Kobo Foods", "uses", "Salesforce") in facts(extract(
        "we closed our first enterprise customer!!! Kobo Foods. catch is they're a "
        "Salesforce shop", speaker="Chidinma Obi"))
    assert not facts(extract("she's a Microsoft employee", speaker="Tom Ray"))
    found = extract("I'm IT administrator at Mwangaza Microfinance.",
                    "We have never used Dropbox. Everything is on SharePoint.",
                    speaker="Grace Achieng")
    assert ("Mwangaza Microfinance", "uses", "SharePoint") in facts(found)


def test_getting_the_named_job_is_a_new_employer(extract: Extract) -> None:
    assert ("Sanne de Vries", "works_at", "Rabobank") in facts(extract(
        "AND I got the Rabobank job 🥳🥳", speaker="Sanne de Vries"))
    found = facts(extract("resigned 😬 notice period till 31 may. got PayNest, backend "
                          "engineer", speaker="Rohan Mehta"))
    assert {("Rohan Mehta", "works_at", "PayNest"),
            ("Rohan Mehta", "job_title", "backend engineer")} <= found
    for text in ("I got the Houston job!!", "I got Sara, our new designer, a coffee",
                 "got the Netflix password from Jo"):
        assert not any(p == "works_at" for _, p, _ in facts(extract(text, speaker="Shay Cohen")))


def test_a_tool_switched_off_is_its_one_holders(extract: Extract) -> None:
    found = extract("New logo call: Lakeshore Staffing (Chicago). Darnell Price, COO. They run "
                    "Bullhorn as their ATS.", "Bullhorn was switched off on Jan 31.",
                    speaker="Naledi Dlamini")
    ended = [a.subject.name for a in found
             if a.kind is AssertionKind.RETRACT and a.predicate == "uses"]
    assert ended == ["Lakeshore Staffing"]


def test_a_cv_heading_names_its_owner_and_a_cv_is_nobody(extract: Extract,
                                                         learned_extract: Extract) -> None:
    # the rules read no CV line; the learned tagger does
    found = facts(learned_extract("Finalista: Emilio Cordero.",
                                  "CV de Emilio:\n- SWE II @ Carbón Digital, 2018 – 2021",
                                  speaker="Maite Zepeda"))
    assert ("Emilio", "works_at", "Carbón Digital") in found
    assert not any(s.startswith("CV") or s == "Maite Zepeda" for s, _, _ in found)
    found = facts(extract("He never took it off the CV.",
                          "Isar Antriebe hired him. Quality manager, start 1. 10. 2024.",
                          speaker="Tereza Pokorná"))
    assert not any(s == "CV" for s, _, _ in found)


def test_an_employer_named_with_its_town_is_the_employer(extract: Extract) -> None:
    found = facts(extract("hi, Dana Kowalczyk, HR coordinator at Prairie Line Terminals in "
                          "Swift Current. prepping a probation review.",
                          speaker="Dana Kowalczyk"))
    assert ("Dana Kowalczyk", "works_at", "Prairie Line Terminals") in found


def test_a_roster_line_of_a_name_and_commas_is_that_persons(extract: Extract) -> None:
    found = facts(extract("New people this month:\n- Liisa Saar, designer, with us since 2019. "
                          "Languages: Estonian, Finnish, English", speaker="Ana Kask"))
    assert {("Liisa Saar", "speaks", "Estonian"), ("Liisa Saar", "speaks", "Finnish")} <= found
    assert not any(s == "Ana Kask" and p == "speaks" for s, p, _ in found)


def test_a_home_said_after_a_persons_title_between_commas(extract: Extract) -> None:
    found = facts(extract("Looping in Nikola Radović, our IT lead, based in Podgorica — he has "
                          "admin access.", speaker="Jelena Vuković"))
    assert ("Nikola Radović", "lives_in", "Podgorica") in found
    assert ("Jelena Vuković", "lives_in", "Podgorica") not in found


class _EmployerAsToolTagger:
    """Stands in for a tagger that reads an employer's name as a tool in use."""

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        return [TaggedSpan(i, i + 2, "uses", 0.9) for i, token in enumerate(features)
                if "w=lakeshore" in token and i + 1 < len(features) and
                "w=staffing" in features[i + 1]]


def test_an_employer_is_no_tool(learned_extract: Extract, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(component, "load", lambda _model: _EmployerAsToolTagger())
    found = facts(learned_extract("Darnell Price works at Lakeshore Staffing.",
                                  "Update: Lakeshore Staffing went live on Crewly Recruit.",
                                  speaker="Naledi Dlamini"))
    assert ("Darnell Price", "works_at", "Lakeshore Staffing") in found
    assert not any(p == "uses" and o == "Lakeshore Staffing" for _, p, o in found)


def test_we_at_a_business_the_speaker_owns(extract: Extract) -> None:
    found = facts(extract("Góðan daginn. Kári here — I own Gufudalur Grænmeti in Hveragerði. "
                          "We've used Climora since 2021, Grower plan.",
                          "Bergdís Hauksdóttir, our operations manager, runs the sensors.",
                          speaker="Kári Sigurjónsson"))
    assert {("Kári Sigurjónsson", "owns", "Gufudalur Grænmeti"),
            ("Gufudalur Grænmeti", "uses", "Climora"),
            ("Gufudalur Grænmeti", "uses", "grower plan"),
            ("Bergdís Hauksdóttir", "works_at", "Gufudalur Grænmeti")} <= found
    assert ("Kári Sigurjónsson", "uses", "Climora") not in found
    # a car owned is no business
    assert not any(s == "Tesla Model 3" for s, _, _ in facts(
        extract("I own a Tesla Model 3. We use Slack at work.", speaker="Ana Lima")))


def test_a_cv_line_that_opens_with_the_employer_names_where_the_title_was_held(
        extract: Extract) -> None:
    found = [a for a in extract("my CV so far:\nHarbourline Logistics — route planner, "
                                "2020–present\nNordvik Foods, Bergen — shift lead, 2016–2020\n"
                                "EDUCATION — BSc Logistics, 2012–2016")
             if a.predicate == "works_at"]
    assert [(a.subject.name, a.object.name if a.object else None) for a in found] == [
        ("Maren Holt", "Nordvik Foods")]
    start, end = found[0].valid_from, found[0].valid_to
    assert start is not None and end is not None
    assert (start.astimezone(TZ).year, end.astimezone(TZ).year) == (2016, 2020)  # the title's


def test_a_plural_everyday_word_opening_a_sentence_is_no_organisation(extract: Extract) -> None:
    found = facts(extract("I run the front desk at Fjellstua Hotel.",
                          "Rosters are all on Planday, the night shift checks them at noon."))
    assert not any(s == "Rosters" for s, _, _ in found)


class _SystemTagger:
    """Stands in for a tagger that reads the system after "is" as a tool in use."""

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        return [TaggedSpan(i, i + 2, "uses", 0.9) for i, token in enumerate(features)
                if "w=odoo" in token and i + 1 < len(features) and "w=17" in features[i + 1]]


def test_what_our_workplace_has_is_the_organisations(learned_extract: Extract,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(component, "load", lambda _model: _SystemTagger())
    found = facts(learned_extract("I work at Fjellstua Hotel.", "Our ERP is Odoo 17."))
    assert ("Fjellstua Hotel", "uses", "Odoo 17") in found
    assert not any(s == "ERP" for s, _, _ in found)


def test_a_tool_list_line_names_what_the_speakers_side_uses(extract: Extract) -> None:
    found = extract("I'm a data lead at Fjordlys Analyse. Stack: Postgres since 2020, dbt + "
                    "Looker. Tools: Linear, Sentry")
    assert {("Fjordlys Analyse", "uses", name)
            for name in ("Postgres", "dbt", "Looker", "Linear", "Sentry")} <= facts(found)
    (postgres,) = [a for a in found if a.object and a.object.name == "Postgres"]
    assert postgres.valid_from is not None and postgres.valid_from.astimezone(TZ).year == 2020


def test_a_listed_tool_is_nobodys_employer_and_a_sentence_is_no_list(extract: Extract) -> None:
    found = facts(extract("Call notes, Brattvåg Fisk AS: ERP: Visma Business desde 2017. "
                          "Contact Eirik Lie, CFO.", speaker="Aino Virtanen"))
    assert any(p == "uses" and o == "Visma Business" for _, p, o in found)
    assert not any(p == "works_at" and o == "Visma Business" for _, p, o in found)
    said = facts(extract("Tools: we moved everything over to the new one in March, and "
                         "Languages: Norwegian, English"))
    assert not [o for _, p, o in said if p == "uses" and " " in o]
    assert not any(p == "uses" and o in ("Norwegian", "English") for _, p, o in said)


@pytest.mark.parametrize(("name", "split"), [
    ("Wrenchly Standard", ("Wrenchly", "standard plan")),
    ("Arvelo Pro", ("Arvelo", "pro plan")),
    ("Dealbird Team plan", ("Dealbird", "team plan")),
    ("Microsoft Teams", None),
    ("WhatsApp Business", None),
    ("Business Standard", None),
    ("Slack", None),
])
def test_a_product_named_with_its_plan(name: str, split: tuple[str, str] | None) -> None:
    assert product_and_plan(name) == split


def test_a_product_and_its_plan_are_two_facts(extract: Extract) -> None:
    found = facts(extract("I run IT at Kafue Haulage. We're on Fernly Standard since January."))
    assert {f[2] for f in found if f[1] == "uses"} == {"Fernly", "standard plan"}


def test_an_organisations_own_department_names_no_employer(learned_extract: Extract) -> None:
    # "X's HR replied": the tagger's reading of X as the speaker's employer is dropped; "X's
    # CFO" would still say whose employer X is
    found = learned_extract("Good morning. I handle recruitment at Kestrel Labs and I'm "
                            "checking a finance hire.",
                            "Brisa Foods's HR replied. Dates on file: 11/03/2018 – 27/01/2022. "
                            "Title: Accountant.")
    employers = {a.object.name for a in found if a.predicate == "works_at" and
                 a.subject.name == "Maren Holt" and a.object is not None}
    assert employers == {"Kestrel Labs"}, employers
