"""Shared fixtures for the extraction tests: the spaCy pipeline is loaded once per session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest

from asof.extraction import Conversation, Message, Pipeline, build_nlp
from asof.graph.models import AssertionKind, FactAssertion, Role

TZ = timezone(timedelta(hours=2))
AT = datetime(2024, 6, 12, 10, 0, tzinfo=TZ)  # a Wednesday


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    # These tests pin the rules stage; the learned tagger is tested on its own (test_tagger.py)
    # and the whole pipeline by the gold evaluations.
    return build_nlp(learned=False)


@pytest.fixture()
def pipeline(nlp) -> Pipeline:  # type: ignore[no-untyped-def]
    # one per test: a pipeline remembers the conversations it extracted before
    return Pipeline("unit", nlp=nlp)


Extract = Callable[..., list[FactAssertion]]


@pytest.fixture()
def extract(pipeline: Pipeline) -> Extract:
    """Extract from user messages said by one speaker (all at ``AT`` unless given)."""

    def run(*texts: str, speaker: str = "Maren Holt", at: datetime = AT,
            spacing: timedelta = timedelta(minutes=1)) -> list[FactAssertion]:
        messages = [Message(speaker, Role.USER, at + spacing * i, text, id=f"u{i}")
                    for i, text in enumerate(texts)]
        pairs = pipeline.extract(Conversation("c1", messages))
        return [a for _, found in pairs for a in found]

    return run


Talk = Callable[..., list[list[FactAssertion]]]


@pytest.fixture()
def talk(pipeline: Pipeline) -> Talk:
    """Extract from user messages by several speakers, given as ``(speaker, text)`` pairs a
    minute apart from ``AT``: the assertions of each message, in order."""

    def run(*turns: tuple[str, str]) -> list[list[FactAssertion]]:
        messages = [Message(speaker, Role.USER, AT + timedelta(minutes=i), text, id=f"t{i}")
                    for i, (speaker, text) in enumerate(turns)]
        return [found for _, found in pipeline.extract(Conversation("talk", messages))]

    return run


def ended_objects(found: list[FactAssertion], predicate: str) -> dict[str, date | None]:
    """The objects of ``predicate`` the assertions end, with the local day they end."""
    return {(a.object.name if a.object else a.value or ""):
            a.valid_from.astimezone(TZ).date() if a.valid_from else None
            for a in found if a.predicate == predicate and a.kind is AssertionKind.RETRACT}


def triples(assertions: list[FactAssertion]) -> set[tuple[str, str, str, str]]:
    return {(a.kind.value, a.subject.name, a.predicate,
             (a.object.name if a.object is not None else (a.value or "")).lower())
            for a in assertions}


@pytest.fixture(scope="session")
def learned_nlp():  # type: ignore[no-untyped-def]
    """The whole default pipeline, learned tagger included: for facts the tagger's spans
    carry and the rules resolve."""
    return build_nlp()


@pytest.fixture()
def learned_extract(learned_nlp) -> Extract:  # type: ignore[no-untyped-def]
    """``extract`` with the whole default pipeline."""
    pipeline = Pipeline("unit", nlp=learned_nlp)

    def run(*texts: str, speaker: str = "Maren Holt") -> list[FactAssertion]:
        messages = [Message(speaker, Role.USER, AT + timedelta(minutes=i), text, id=f"u{i}")
                    for i, text in enumerate(texts)]
        return [a for _, found in pipeline.extract(Conversation("c1", messages))
                for a in found]

    return run
