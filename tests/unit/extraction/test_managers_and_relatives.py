"""Who someone reports to, where a relative lives, and who a speaker introduces, read from
informal chat."""

from __future__ import annotations

from datetime import date

import pytest

from asof.extraction.assembly.situations import _names_a_job
from asof.extraction.tagger import component
from asof.extraction.tagger.model import TaggedSpan
from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import TZ, Extract
from tests.unit.extraction.test_account_notes import facts


def test_people_listed_then_both_report_to_the_speaker(extract: Extract) -> None:
    found = facts(extract("Amara Diallo = CEO, me = CTO. Engineering is Lena Vogt and Okan "
                          "Yıldız, both report to me.", speaker="Jonas Weber"))
    assert {("Lena Vogt", "reports_to", "Jonas Weber"),
            ("Okan Yıldız", "reports_to", "Jonas Weber")} <= found


def test_a_manager_named_in_lower_case(extract: Extract) -> None:
    assert ("Aoife Brennan", "reports_to", "Sophie Tremblay") in facts(
        extract("over here my lead is sophie tremblay, she's great", speaker="Aoife Brennan"))
    assert ("Aoife Brennan", "reports_to", "Ciarán Ó Súilleabháin") in facts(
        extract("my lead is ciarán ó súilleabháin, lovely but a bit of a ghost",
                speaker="Aoife Brennan"))
    for mood in ("thrilled", "stoked", "super chill tbh"):
        assert not facts(extract(f"my boss is {mood}", speaker="Rohan Mehta"))


class _TitleTagger:
    """Stands in for a tagger that reads "my mgr" as a job title."""

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        return [TaggedSpan(i, i + 2, "job_title", 0.9) for i, token in enumerate(features)
                if "w=my" in token and i + 1 < len(features) and "w=mgr" in features[i + 1]]


def test_my_mgr_is_a_relation_not_a_title(learned_extract: Extract, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(component, "load", lambda _model: _TitleTagger())
    found = facts(learned_extract("update ur notes: marta moved teams in may, rui carvalho's "
                                  "been my mgr since then", speaker="Camila Restrepo"))
    assert not any(p == "job_title" for _, p, _ in found)


def test_a_relative_named_with_a_place_lives_there(extract: Extract) -> None:
    assert ("Njeri", "lives_in", "Nakuru") in facts(extract(
        "If he says no, my cousin Njeri in Nakuru can take one of them.",
        speaker="Wanjiru Kamau"))
    assert ("Tom", "lives_in", "Leeds") in facts(extract(
        "my brother Tom in Leeds can't make it", speaker="Wanjiru Kamau"))
    assert not facts(extract("my son Kofi in Accounts is great", speaker="Wanjiru Kamau"))
    mover = extract("I'm moving in with my daughter Maria in Kalamaria in June.",
                    speaker="Stavros Papadakis")
    assert {("Maria", "lives_in", "Kalamaria"),
            ("Stavros Papadakis", "lives_in", "Kalamaria")} <= facts(mover)


def test_an_introduction_in_another_language_names_the_speaker(extract: Extract) -> None:
    assert ("Florencia Bentancur", "job_title", "recruiter") in facts(extract(
        "Buenas! Soy Flor, recruiter en Rambla Talento (Montevideo).",
        speaker="Florencia Bentancur"))
    assert not any(s.startswith(("Soy", "Desde")) for s, _, _ in facts(extract(
        "Belén se fue de Tandil Hnos. Desde el lunes 19 es gerente de abastecimiento.",
        speaker="Micaela Ruiz")))


def test_a_partner_typed_in_lower_case_shares_the_trip(extract: Extract) -> None:
    found = facts(extract("wanjiru n i were in mombasa last wk 🌴 kids w/ cucu.",
                          speaker="Amani Njoroge"))
    assert {s for s, p, _ in found if p == "visited"} == {"Amani Njoroge", "Wanjiru"}
    assert {s for s, p, _ in facts(extract("ok so work and i went to Porto last week",
                                           speaker="Tom Ray")) if p == "visited"} <= {"Tom Ray"}


def test_an_executive_title_before_a_managers_name_is_not_the_name(extract: Extract) -> None:
    found = facts(extract("Mikko Laine, head of BI, reports to the CIO Riikka Salonen.",
                          speaker="Aino Virtanen"))
    assert {o for s, p, o in found if p == "reports_to"} == {"Riikka Salonen"}


def test_a_name_beside_a_person_to_person_relation_is_a_person(extract: Extract) -> None:
    # "Tyler" is also an everyday word and the NER calls it an organisation here
    assert ("Tyler", "married_to", "Brooke") in facts(
        extract("Tyler married Brooke 9/9 in Asheville!!!", speaker="Dana Whitfield"))
    # a title is still no one's name
    assert not any(s == "Junior Unity Developer" for s, _, _ in facts(extract(
        "Junior Unity Developer, reports to Mikko Laine, starts 10 June.",
        speaker="Hanna Virtanen")))


@pytest.mark.parametrize(("text", "partner", "day"), [
    ("Elvin and I get married 20 september!! and I'm moving to Baku in october", "Elvin",
     date(2024, 9, 20)),
    ("Ruwan and I are getting married on 7 September.", "Ruwan", date(2024, 9, 7)),
    ("I've lived in Douglas since Dermot and I married in 1975.", "Dermot", date(1975, 1, 1)),
    ("Nils and I booked the venue today — we're getting married on 14 September!!", "Nils",
     date(2024, 9, 14)),
])
def test_a_wedding_announced_with_its_date_marries_from_that_day(
        extract: Extract, text: str, partner: str, day: date) -> None:
    found = [a for a in extract(text) if a.predicate == "married_to" and a.object is not None]
    assert [(a.object.name, a.valid_from.astimezone(TZ).date() if a.valid_from else None)
            for a in found] == [(partner, day)]


def test_we_married_with_no_partner_named_with_the_speaker_gives_nothing(
        extract: Extract) -> None:
    assert not [a for a in extract("we got married in May") if a.predicate == "married_to"]


def test_reporting_straight_to_someone(extract: Extract) -> None:
    assert ("Lena Vogt", "reports_to", "Jonas Weber") in facts(
        extract("I report straight to Jonas Weber now.", speaker="Lena Vogt"))


def test_reporting_to_a_title_typed_in_lower_case_then_the_name(extract: Extract) -> None:
    found = facts(extract("New contract signed! I'll be reporting to their head of platform, "
                          "Sara Moe.", speaker="Lena Vogt"))
    assert ("Lena Vogt", "reports_to", "Sara Moe") in found, found


def test_a_lower_case_title_then_a_name_is_no_object_of_other_verbs(
        learned_extract: Extract) -> None:
    found = facts(learned_extract("Pia is not the one who signs: anything above 10k goes to "
                                  "the managing director, Oskar Wahl."))
    assert not any(o == "Oskar Wahl" and p not in ("job_title", "reports_to")
                   for _s, p, o in found), found


def test_going_back_to_a_known_person_is_no_visit(extract: Extract) -> None:
    # "went back to Tomas" had made him a visited place, so "he" no longer found him
    found = facts(extract("Top candidate: Tomas Okello, senior accountant at Kiira Mills.",
                          "Good news: I went back to Tomas but he said no thanks, he got "
                          "promoted to finance manager at Kiira Mills."))
    assert not any(predicate == "visited" for _, predicate, _ in found)
    assert ("Tomas Okello", "job_title", "finance manager") in found


class _PetTagger:
    """Tags the word after a number as a pet ("my 2 cats"), as the shipped model did."""

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        return [TaggedSpan(i + 1, i + 2, "has_pet", 0.9) for i, token in enumerate(features)
                if "w=2" in token and i + 1 < len(features)]


def test_the_kind_of_animal_is_no_pet_name(learned_extract: Extract, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(component, "load", lambda _model: _PetTagger())
    found = facts(learned_extract("yes my 2 cats, Mochi and Dubu", "and my 2 Pixels lol"))
    pets = {o for _, p, o in found if p == "has_pet"}
    assert "cats" not in {o.lower() for o in pets}
    assert "Pixels" in pets  # a name after the number still is one


def test_home_for_the_holidays_is_a_visit(extract: Extract) -> None:
    found = facts(extract("I live in Doha.",
                          "I was home in Iloilo City from Dec 20 to Jan 4, first time in years."))
    assert ("Maren Holt", "visited", "Iloilo City") in found
    assert ("Maren Holt", "lives_in", "Iloilo City") not in found
    assert not facts(extract("I was home in bed all weekend."))


def test_my_manager_set_off_by_commas_is_whom_the_speaker_reports_to(extract: Extract) -> None:
    found = facts(extract("My manager, Piotr Zielinski, is on leave until May."))
    assert ("Maren Holt", "reports_to", "Piotr Zielinski") in found
    assert ("Piotr Zielinski", "job_title", "manager") not in found


def test_a_title_after_the_relation_in_brackets_is_the_named_persons(
        learned_extract: Extract) -> None:
    found = facts(learned_extract("Good news: I'm getting the team lead role from April! "
                                  "Tomas Lindgren (my manager, head of design) backed me all "
                                  "the way."))
    assert ("Maren Holt", "reports_to", "Tomas Lindgren") in found
    assert ("Tomas Lindgren", "job_title", "head of design") in found
    assert ("Maren Holt", "job_title", "head of design") not in found
    assert ("Tomas Lindgren", "job_title", "manager") not in found


def test_where_the_boss_is_from_is_no_boss(extract: Extract) -> None:
    found = facts(extract("my boss is Dutch, so no small talk",
                          "and my manager's Canadian, so keep it polite"))
    assert not any(p == "reports_to" for _, p, _ in found)


@pytest.mark.parametrize("role", [", my boss,", " (my boss)"])
def test_a_manager_named_after_a_sentence_that_ends_in_a_capitalised_word(
        extract: Extract, role: str) -> None:
    found = facts(extract(f"The audit is due Thursday. Lena Berg{role} wants it early.",
                          speaker="Maren Holt"))
    assert ("Maren Holt", "reports_to", "Lena Berg") in found, found


def test_a_name_typed_in_lower_case_opening_a_sentence_is_its_subject(extract: Extract) -> None:
    found = facts(extract("sanne starts at Brattli School on the 1st, grade 3 teacher"))
    assert ("Sanne", "works_at", "Brattli School") in found
    assert ("Maren Holt", "works_at", "Brattli School") not in found
    # a place, an everyday word of another language or a title is no one's name
    assert not any(s in ("Munich", "Elle", "Backend Dev") for s, _, _ in facts(extract(
        "munich starts looking good, the offer is at Nordlys Data",
        "elle starts at Brattli School on monday",
        "backend dev starts at Nordlys Data on monday")))


def test_a_boss_in_apposition_followed_by_more_words(extract: Extract) -> None:
    found = facts(extract("Candidate: Desmond Ruddick, welder.",
                          "Ref 1 done — Shauna Gillis, his direct boss the whole time he was "
                          "at Cape Breton Fabricators."))
    assert ("Desmond Ruddick", "reports_to", "Shauna Gillis") in found
    assert not any(f[0] == "Maren Holt" and f[1] == "reports_to" for f in found)


def test_his_after_a_sentence_led_by_a_title_continues_the_chain(extract: Extract) -> None:
    found = extract("Candidate: Rhys Morgan, welder at Tarrant Steel.",
                    "He signed! Welding supervisor, starts 4 November, reporting to Bethan "
                    "Ellis, our yard lead. His last day at Tarrant Steel is 1 November.")
    ended = {a.subject.name for a in found if a.predicate == "works_at" and
             a.kind is AssertionKind.RETRACT}
    assert ended == {"Rhys Morgan"}


@pytest.mark.parametrize(("role", "job"), [
    ("ceo", True), ("general director", True), ("head of data", True), ("ops manager", True),
    ("director", True), ("manager", False), ("line manager", False), ("admin", False),
    ("old director", False), ("former ops manager", False), ("boss", False)])
def test_which_roles_name_a_job(role: str, job: bool) -> None:
    assert _names_a_job(role) is job


@pytest.mark.parametrize(("text", "person", "title"), [
    ("Payroll question from our general director Saule Omarova today.", "Saule Omarova",
     "general director"),
    ("Start 14 Oct, boss will be Marit de Groot, their plant manager.", "Marit de Groot",
     "plant manager"),
])
def test_a_role_that_names_a_job_is_the_persons_title(extract: Extract, text: str,
                                                      person: str, title: str) -> None:
    found = facts(extract(text, speaker="Aoife Brennan"))
    assert (person, "job_title", title) in found
    assert [f[0] for f in found if f[1] == "job_title"] == [person]


def test_a_line_manager_named_after_my_has_no_title_from_the_role(extract: Extract) -> None:
    found = facts(extract("Payroll question from my manager Saule Omarova today.",
                          speaker="Aoife Brennan"))
    assert not [f for f in found if f[1] == "job_title"]


def test_the_team_of_a_team_lead_is_no_subject(extract: Extract) -> None:
    # the parser reads "team" as the subject of "lead"
    found = facts(extract("Lena Berg is our CS team lead and reports to me.",
                          speaker="Aoife Brennan"))
    assert ("Lena Berg", "reports_to", "Aoife Brennan") in found


def test_a_clause_led_by_a_title_is_the_title_holders(extract: Extract) -> None:
    found = facts(extract("Offer out to Sindre Lie, and he signed!! Crane supervisor, starts "
                          "Monday 4 November, reporting to Hege Moen.", speaker="Aoife Brennan"))
    assert ("Sindre Lie", "reports_to", "Hege Moen") in found


class _JoinerTagger:
    """Tags the two words before "joins" as an employer, as the shipped model does for a name
    the NER calls an organisation."""

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        return [TaggedSpan(i - 2, i, "works_at", 0.9) for i, token in enumerate(features)
                if "w=joins" in token and i >= 2]


def test_who_joins_us_is_a_person_not_an_employer(learned_extract: Extract,
                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(component, "load", lambda _model: _JoinerTagger())
    found = facts(learned_extract("Two things: Levan Beridze joins us as guide coordinator on "
                                  "1 June, reporting to me.", speaker="Aoife Brennan"))
    assert ("Levan Beridze", "reports_to", "Aoife Brennan") in found
    assert not [f for f in found if f[1] == "works_at" and f[2] == "Levan Beridze"]


@pytest.mark.parametrize(("text", "spouse"), [
    ("I live in Ballarat with my hubby Dale and two cats.", "Dale"),
    ("Moved to Geelong with the missus Shannon last year.", "Shannon"),
    ("My husband, Dr Minh Trần, says we should close for a week.", "Minh Trần"),
])
def test_a_spouse_said_any_way_is_married_to_the_speaker(extract: Extract, text: str,
                                                         spouse: str) -> None:
    assert ("Maren Holt", "married_to", spouse) in facts(extract(text))


def test_a_spouse_named_as_someone_elses_is_theirs(extract: Extract) -> None:
    found = facts(extract("News from Essen: Nadia, Farid's wife, finally got her visa."))
    assert ("Farid", "married_to", "Nadia") in found
    assert not any(s == "Maren Holt" and p == "married_to" for s, p, _o in found)


def test_a_partner_typed_in_lower_case_who_married_the_speaker(extract: Extract) -> None:
    found = facts(extract("tapio and i got married sat!! tiny, sauna after ofc"))
    assert any(s == "Maren Holt" and p == "married_to" and o.lower() == "tapio"
               for s, p, o in found)


def test_everyone_listed_after_with_lives_there_too(extract: Extract) -> None:
    found = facts(extract("My family. Teodor lives in Tromsø with his wife Ilse and my "
                          "granddaughter Ronja.",
                          "We moved to Narvik with Tomas, Ana and our dog Rex."))
    assert {("Teodor", "lives_in", "Tromsø"), ("Ilse", "lives_in", "Tromsø"),
            ("Ronja", "lives_in", "Tromsø"), ("Tomas", "lives_in", "Narvik"),
            ("Ana", "lives_in", "Narvik")} <= found, found
    assert ("Rex", "lives_in", "Narvik") not in found


def test_a_manager_in_brackets_with_more_words_is_the_speakers(extract: Extract) -> None:
    found = facts(extract("Tomas Lindgren (my manager, head of design) backed me all the way."))
    assert ("Maren Holt", "reports_to", "Tomas Lindgren") in found
    assert not any(p == "reports_to" for _s, p, _o in facts(extract(
        "Tomas Lindgren (my manager, head of design backed me all the way.")))


def test_a_manager_named_beside_a_promotion_is_the_manager_now(extract: Extract) -> None:
    """The promotion starts on its day; the manager who "pushed for it" is the one now."""
    found = extract("I become research lead from 1 July! Tomas Lindgren (my manager) pushed "
                    "for it.")
    starts = {a.predicate: a.valid_from.astimezone(TZ).date() if a.valid_from else None
              for a in found if a.kind is AssertionKind.ASSERT}
    assert starts["job_title"] == date(2024, 7, 1)
    assert starts["reports_to"] == date(2024, 6, 12), starts
