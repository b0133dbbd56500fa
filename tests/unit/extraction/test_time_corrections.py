"""A time corrected in a later message ("…was June 10, not June 3", "from 25 March, not
April", "is from 2019, not 2018, so I left in 2019"): the earlier fact whose start or end lay
in the replaced time takes the new one, whoever says it and whatever the subject of the
correcting clause. Sentences and names are the tests' own."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from asof.extraction import Conversation, Message, Pipeline
from asof.graph.models import AssertionKind, FactAssertion, Role
from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit

TZ = timezone(timedelta(hours=1))


def _run(pipeline_nlp, *turns: tuple[str, datetime, str]) -> list[list[FactAssertion]]:  # type: ignore[no-untyped-def]
    pipeline = Pipeline("unit", nlp=pipeline_nlp)
    messages = [Message(speaker, Role.USER, at, text, id=f"m{i}")
                for i, (speaker, at, text) in enumerate(turns)]
    return [found for _, found in pipeline.extract(Conversation("c", messages))]


def _local(value: datetime | None) -> date | None:
    return value.astimezone(TZ).date() if value else None


def test_a_later_message_corrects_a_start_said_of_someone_else(learned_nlp) -> None:  # type: ignore[no-untyped-def]
    turns = _run(learned_nlp,
                 ("Nadia Rahman", datetime(2024, 6, 17, 14, tzinfo=TZ),
                  "Changes at Birchwood Clinic: Peter Holm retired May 31. Olga Brandt took "
                  "over his role as practice manager from June 3."),
                 ("Nadia Rahman", datetime(2024, 6, 17, 14, 20, tzinfo=TZ),
                  "correction: her start as practice manager was June 10, not June 3."))
    fixed = [a for a in turns[1] if a.predicate == "job_title"]
    assert [(a.kind, a.subject.name, _local(a.valid_from)) for a in fixed] == [
        (AssertionKind.CORRECT, "Olga Brandt", date(2024, 6, 10))]


def test_a_time_then_not_a_time_is_a_correction_without_a_cue_word(learned_nlp) -> None:  # type: ignore[no-untyped-def]
    turns = _run(learned_nlp,
                 ("Tomas Berg", datetime(2024, 3, 22, 17, tzinfo=TZ),
                  "news: Ewa is going on leave, so from April I report to Marek Lis."),
                 ("Tomas Berg", datetime(2024, 6, 12, 9, tzinfo=TZ),
                  "payroll says my move to Marek counted from 25 March, not April."))
    assert [(a.predicate, _local(a.valid_from)) for a in turns[1]] == [
        ("reports_to", date(2024, 3, 25))]


def test_a_corrected_year_that_was_an_end_moves_the_end(learned_nlp) -> None:  # type: ignore[no-untyped-def]
    turns = _run(learned_nlp,
                 ("Aroha Tane", datetime(2024, 2, 19, 14, tzinfo=TZ),
                  "before freelancing I was a junior designer at Kowhai Digital, 2016 to "
                  "2018."),
                 ("Aroha Tane", datetime(2024, 3, 2, 15, tzinfo=TZ),
                  "need to fix something: my last payslip from Kowhai is from 2019, not "
                  "2018. so I actually left in 2019."))
    fixed = {a.predicate: (_local(a.valid_from), _local(a.valid_to)) for a in turns[1]}
    assert fixed["works_at"] == (date(2016, 1, 1), date(2019, 1, 1))


def test_a_time_alone_answers_the_assistants_when(learned_nlp) -> None:  # type: ignore[no-untyped-def]
    pipeline = Pipeline("unit", nlp=learned_nlp)
    at = datetime(2023, 4, 12, 10, tzinfo=TZ)
    messages = [
        Message("Ravi Menon", Role.USER, at, "I got the job at Quillfin, backend engineer!",
                id="m0"),
        Message("assistant", Role.ASSISTANT, at + timedelta(minutes=1),
                "Congrats on Quillfin! When do you start there?", id="m1"),
        Message("Ravi Menon", Role.USER, at + timedelta(minutes=3), "5 june", id="m2")]
    found = [a for _, f in pipeline.extract(Conversation("c", messages)) for a in f]
    fixed = [(a.kind, a.predicate, _local(a.valid_from)) for a in found
             if a.kind is AssertionKind.CORRECT]
    assert (AssertionKind.CORRECT, "works_at", date(2023, 6, 5)) in fixed


@pytest.mark.parametrize(("text", "home"), [
    ("my sister Ilka lives in Tromsø — no wait, Bodø, I mix them up", "bodø"),
    ("I live in Skien, sorry, Porsgrunn", "porsgrunn"),
    ("we moved to Molde — nee, Ålesund", "ålesund"),
])
def test_a_name_corrected_in_the_same_breath_replaces_it(extract: Extract, text: str,
                                                         home: str) -> None:
    homes = {a.object.name.lower() for a in extract(text)
             if a.predicate == "lives_in" and a.object}
    assert homes == {home}, homes


@pytest.mark.parametrize("text", ["I use Slack, no Teams tho",
                                  "we never used Pipewise, so no CRM migration pain"])
def test_a_no_without_a_pause_corrects_nothing(extract: Extract, text: str) -> None:
    tools = {a.object.name for a in extract(text) if a.predicate == "uses" and a.object}
    assert "Teams" not in tools and "CRM" not in tools, tools
