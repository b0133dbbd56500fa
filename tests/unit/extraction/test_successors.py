"""Successors: "His replacement as IT lead, Tina Zupan, starts 14 April" is about Tina Zupan,
who takes over the post where the one replaced worked."""

from __future__ import annotations

from datetime import date

from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import TZ, Extract, Talk
from tests.unit.extraction.test_account_notes import facts


def _starts(found: list, person: str) -> dict[str, date | None]:  # type: ignore[type-arg]
    return {a.predicate: a.valid_from.astimezone(TZ).date() if a.valid_from else None
            for a in found if a.subject.name == person and a.kind is AssertionKind.ASSERT}


def test_a_successor_named_after_a_comma_is_the_subject(extract: Extract) -> None:
    found = extract("I'm the IT lead at Bokeška Hotels.",
                    "My replacement as IT lead, Stefan Đukić, starts 4 November.",
                    speaker="Nikola Radović")
    assert {("Stefan Đukić", "job_title", "it lead"),
            ("Stefan Đukić", "works_at", "Bokeška Hotels")} <= facts(found)
    assert _starts(found, "Stefan Đukić") == {"job_title": date(2024, 11, 4),
                                              "works_at": date(2024, 11, 4)}
    assert not any(a.subject.name == "Nikola Radović" and a.valid_from is not None
                   for a in found)  # the date is not the speaker's


def test_a_successor_after_is_takes_the_title_and_the_reporting_line(extract: Extract) -> None:
    found = facts(extract("I work at Kafue Mills. Mr Mwansa retires, his last day is 31 July. "
                          "His replacement as maintenance superintendent is Johan Steyn, "
                          "starting 1 August, and Mutale will report to him.",
                          speaker="Natasha Phiri"))
    assert {("Johan Steyn", "job_title", "maintenance superintendent"),
            ("Johan Steyn", "works_at", "Kafue Mills"),
            ("Mutale", "reports_to", "Johan Steyn")} <= found
    assert not any(s == "Mutale" and o == "Mr Mwansa" for s, _, o in found)


def test_a_successor_works_where_the_one_replaced_worked_not_where_he_goes(talk: Talk) -> None:
    said = talk(("Jure Kos", "I'm the IT lead at Pekarna Kruhek. I report to Maja."),
                ("Maja Novak", "FYI Jure's last day is 4 April, he's joining Outfit7 on the "
                               "7th. His replacement, Tina Zupan, starts 14 April."))
    found = facts(said[-1])
    assert ("Tina Zupan", "works_at", "Pekarna Kruhek") in found
    assert ("Tina Zupan", "works_at", "Outfit7") not in found
    # no title in the sentence: she holds the post the one replaced held
    assert ("Tina Zupan", "job_title", "it lead") in found


def test_a_successor_of_someone_named_with_a_possessive(extract: Extract) -> None:
    found = facts(extract("I'm the CFO of Maslina Dalmacija. Marija's replacement in Šibenik is "
                          "Tomislav Jurić, started last Monday.", speaker="Ivana Babić"))
    assert ("Tomislav Jurić", "works_at", "Maslina Dalmacija") in found
    assert not any(s == "Šibenik" for s, _, _ in found)


def test_a_search_for_a_replacement_names_no_one(extract: Extract) -> None:
    found = facts(extract("Notes for the file:\n- me: Immaculate Namutebi, headteacher at "
                          "Kyebando Hill Primary School\n- Dismas Okumu is leaving us, still "
                          "looking for a replacement\n- bursar Prossy Namirembe is doing a "
                          "diploma at MUBS", speaker="Immaculate Namutebi"))
    assert not any(s == "Prossy Namirembe" and p == "works_at" for s, p, _ in found)
