"""Parsing in worker processes (``Pipeline(n_process=2)``) and parsing every conversation in
one stream (``extract_each``) change how the work is scheduled, never what is extracted: the
facts equal those of one conversation at a time in this process, including what a later
conversation learns from an earlier one of the same tenant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from asof.extraction import Conversation, Message, Pipeline
from asof.graph.models import Role
from tests.unit.extraction.conftest import AT

pytestmark = pytest.mark.unit

FIRST = [
    ("Ilse Marek", Role.USER, "I joined Quarrybank Foods as a payroll analyst in March."),
    ("assistant", Role.ASSISTANT, "Nice! Where are you based?"),
    ("Ilse Marek", Role.USER, "tartu, moved here from Pärnu in 2021"),
    ("Ilse Marek", Role.USER, "My manager Oskar Lind uses Tableau for everything."),
]
SECOND = [
    ("Ilse Marek", Role.USER, "Update: I no longer use Tableau, we switched to Metabase."),
    ("Ilse Marek", Role.USER, "Oskar left Quarrybank last Friday, he's at Lumo Dairy now."),
    ("assistant", Role.ASSISTANT, "And you?"),
    ("Ilse Marek", Role.USER, "still there! promoted to senior payroll analyst on 2 June"),
]


def _conversations() -> list[Conversation]:
    out = []
    for number, turns in enumerate((FIRST, SECOND)):
        start = AT + timedelta(days=40 * number)
        out.append(Conversation(f"c{number}", [
            Message(speaker, role, start + timedelta(minutes=i), text, id=f"m{number}-{i}")
            for i, (speaker, role, text) in enumerate(turns)]))
    return out


def _facts(pairs) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return [(episode.id, a.kind.value, a.subject.name, a.predicate,
             a.object.name if a.object else a.value or "", str(a.valid_from), str(a.valid_to))
            for episode, found in pairs for a in found]


def test_one_stream_and_worker_processes_extract_the_same_facts(learned_nlp) -> None:  # type: ignore[no-untyped-def]
    one_at_a_time = Pipeline("t", nlp=learned_nlp)
    expected = [_facts(one_at_a_time.extract(c)) for c in _conversations()]
    assert expected[0] and expected[1]  # both conversations say something

    streamed = Pipeline("t", nlp=learned_nlp)
    assert [_facts(pairs) for pairs in streamed.extract_each(_conversations())] == expected

    workers = Pipeline("t", nlp=learned_nlp, n_process=2)
    assert [_facts(pairs) for pairs in workers.extract_each(_conversations())] == expected
    assert workers.mentions_found == one_at_a_time.mentions_found
