"""An event is attended, whichever verb led to it: "go to <X> Expo" is no school, "back from
the <X> Festival" no club. A meetup group is still joined. Sentences and names are the
tests' own."""

from __future__ import annotations

import pytest

from asof.extraction.assembly.words import is_event
from tests.unit.extraction.conftest import TZ, Extract

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", ["Fjordline Travel Expo", "Nordland Aviation Trade Show",
                                  "Tromsø Jazz Festival", "Bergen Rust Meetup"])
def test_event_words_make_an_event(name: str) -> None:
    assert is_event(name)


def test_going_to_an_expo_is_attending_it(extract: Extract) -> None:
    found = extract("Oskar and I go to Fjordline Travel Expo, 26–29 September.")
    facts = {(a.subject.name, a.predicate, a.object.name if a.object else "") for a in found}
    assert ("Maren Holt", "attended", "Fjordline Travel Expo") in facts
    assert not any(p == "studies_at" for _, p, _ in facts)


@pytest.mark.parametrize(("text", "fact"), [
    ("We're back from Wrocław! The anniversary party was lovely.", ("visited", "Wrocław")),
    ("just back from kyoto, 4 days", ("visited", "kyoto")),
    ("Back from ProWein, great leads.", ("attended", "ProWein")),  # somewhere no place
])
def test_back_from_a_place_or_an_event(extract: Extract, text: str,
                                       fact: tuple[str, str]) -> None:
    found = {(a.predicate, a.object.name) for a in extract(text) if a.object is not None}
    assert found == {fact}


def test_back_from_leave_is_no_trip(extract: Extract) -> None:
    assert not extract("back from maternity leave on Monday")


def test_a_few_days_somewhere_are_a_trip_not_a_home(learned_extract: Extract,
                                                   extract: Extract) -> None:
    # the tagger reads the home; the range makes it a trip
    stays = [(a.predicate, a.object.name if a.object else None)
             for a in learned_extract("back home in Tromsø 14–21 June with my husband")]
    assert stays == [("visited", "Tromsø")]
    assert [a.predicate for a in extract("We live in Tromsø 14–21 June.")] == ["visited"]


def test_a_range_said_of_another_place_makes_no_trip_of_this_one(extract: Extract) -> None:
    found = extract("Back in Oslo 🥲 I was home in Bodø from Dec 18 to Jan 5.")
    assert not [a for a in found if a.object and a.object.name == "Oslo" and
                a.predicate == "visited"]


@pytest.mark.parametrize("name", ["Bergen Datadag Konferenz", "Fórum Varejo Norte",
                                  "Kestrel Logistics Indaba", "Yazılım Zirvesi",
                                  "Feria del Libro Tromsø"])
def test_event_words_of_other_languages_make_an_event(name: str) -> None:
    assert is_event(name)


def test_an_event_of_last_week_is_dated_by_its_month(extract: Extract) -> None:
    # the annotation conventions: "last week", "this week" = the month
    found = [a for a in extract("I was at the Bergen Food Fair last week.")
             if a.predicate == "attended"]
    assert len(found) == 1 and found[0].valid_from is not None and found[0].valid_to is not None
    start, end = found[0].valid_from.astimezone(TZ), found[0].valid_to.astimezone(TZ)
    assert (start.day, end.day, end.month - start.month) == (1, 1, 1)


def test_a_trip_last_weekend_is_dated_by_its_month_and_one_on_named_days_by_its_days(
        extract: Extract) -> None:
    month = [a for a in extract("I was in Lyon last weekend.") if a.predicate == "visited"]
    days = [a for a in extract("Ana and I went to Bergen sat & sun.")
            if a.predicate == "visited"]
    assert month and month[0].valid_from is not None and \
        month[0].valid_from.astimezone(TZ).day == 1
    assert days and days[0].valid_from is not None and days[0].valid_to is not None and \
        (days[0].valid_to - days[0].valid_from).days == 2


def test_an_event_word_after_the_name_is_part_of_the_event(extract: Extract,
                                                          learned_extract: Extract) -> None:
    # the tagger reads "BKFA" alone; with the event word after it both read one event
    for read in (extract, learned_extract):
        found = {(a.subject.name, a.predicate, a.object.name if a.object else "")
                 for a in read("I was at the BKFA conference 14–16 March.")}
        assert found == {("Maren Holt", "attended", "BKFA conference")}


@pytest.mark.parametrize(("text", "mate", "fact"), [
    ("I was at the Nordkapp Food Expo in May with my boss Live Aune.", "Live Aune",
     ("attended", "Nordkapp Food Expo")),
    ("I went to Bergen last week with my friend Siri.", "Siri", ("visited", "Bergen")),
])
def test_people_named_after_with_were_there_too(extract: Extract, text: str, mate: str,
                                                fact: tuple[str, str]) -> None:
    found = {(a.subject.name, a.predicate, a.object.name if a.object else "")
             for a in extract(text)}
    assert ("Maren Holt", *fact) in found and (mate, *fact) in found


def test_a_pet_taken_along_attends_nothing(extract: Extract) -> None:
    found = extract("I went to the Nordkapp Food Expo with our dog Rex.")
    assert [a.subject.name for a in found if a.predicate == "attended"] == ["Maren Holt"]


def test_a_name_the_model_calls_a_place_beside_i_is_a_partner(extract: Extract) -> None:
    found = {(a.subject.name, a.predicate) for a in
             extract("Eoghan and I went to Bergen last week.")}
    assert ("Eoghan", "visited") in found


def test_a_name_the_model_calls_an_organisation_beside_i_is_a_partner(extract: Extract) -> None:
    found = {(a.subject.name, a.predicate) for a in
             extract("Veikko and I have lived in Tammela since 2020.")}
    assert ("Veikko", "lives_in") in found


def test_the_missus_named_after_with_moved_too(extract: Extract) -> None:
    found = {a.subject.name for a in extract("live in Tammela with the missus Aino")
             if a.predicate == "lives_in"}
    assert found == {"Maren Holt", "Aino"}


def test_a_few_days_at_a_name_are_an_event_not_a_job(extract: Extract) -> None:
    found = {(a.predicate, a.object.name if a.object else "")
             for a in extract("I will be at Nordvik Seafood Market 6–9 May, Norway pavilion.")}
    assert found == {("attended", "Nordvik Seafood Market")}
    # a weekly schedule is no stay
    found = {(a.predicate, a.object.name if a.object else "")
             for a in extract("I am at Fjellheim Academy Mon–Thu, teaching music.")}
    assert ("attended", "Fjellheim Academy") not in found


@pytest.mark.parametrize("text", ["Ola and I took the kids to Bodø for the holidays.",
                                  "Yesterday I walked to Bodø, like every year."])
def test_taking_someone_or_walking_somewhere_is_a_trip(extract: Extract, text: str) -> None:
    assert ("Maren Holt", "visited", "Bodø") in {
        (a.subject.name, a.predicate, a.object.name if a.object else "")
        for a in extract(text)}
