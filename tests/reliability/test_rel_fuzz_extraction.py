"""Fuzz the extraction pipeline with hypothesis text: it never raises, and it never produces
a fact without evidence — every assertion quotes a non-empty span of its own message (and
the offsets, when given, point at exactly that span)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.rel_support import CITIES, FIGURES, FIRST, LAST, ORGS, SOAK, TOOLS, depth

from asof.extraction.pipeline import Pipeline
from asof.extraction.readers import Conversation, Message
from asof.graph.models import Role

pytestmark = pytest.mark.e2e

#: Sentence fragments the extractor reacts to, mixed with arbitrary text around them.
FRAGMENTS = ["I work at", "I live in", "I moved to", "last month", "in March", "since 2019",
             "I no longer use", "Actually,", "not", "my manager is", "I used to", "next year",
             "yesterday", "I joined", "as a", "I left", "on 6 May", "we", "our", "I visited",
             "until June", "from 2020 to 2022", "my cat", "called"]
WORDS = st.sampled_from(FRAGMENTS + ORGS + CITIES + TOOLS + FIRST + LAST)
#: Text free of control characters (the readers reject those before extraction).
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1,
                    max_size=200)
MIXED = st.lists(st.one_of(WORDS, PRINTABLE, st.sampled_from([".", ",", "!", "?", "'s"])),
                 min_size=1, max_size=25).map(" ".join)
NAMEISH = st.one_of(st.sampled_from(ORGS + CITIES + TOOLS),
                    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1,
                            max_size=30))
TEMPLATES = ["I work at {x}.", "I live in {x} and I use {y}.", "I moved to {x} last month.",
             "I no longer use {x}.", "My manager is {x}.", "I joined {x} as a {y} in March.",
             "Actually, I live in {x}, not {y}.", "I used to live in {x}.",
             "I visited {x} in October.", "I left {x} in May.", "I started at {x} on 6 May."]
TEMPLATED = st.tuples(st.sampled_from(TEMPLATES), NAMEISH, NAMEISH, PRINTABLE | st.just(""),
                      PRINTABLE | st.just("")).map(
    lambda t: f"{t[3]} {t[0].format(x=t[1], y=t[2])} {t[4]}")
TEXTS = st.one_of(MIXED, PRINTABLE, TEMPLATED).filter(lambda t: t.strip() != "")
OFFSETS = st.sampled_from([0, 60, -300, 330, 840, -720])


@pytest.fixture(scope="module")
def pipeline(nlp: Any) -> Pipeline:
    return Pipeline("fuzz", nlp=nlp)


@pytest.mark.parametrize("kind", ["mixed", "templated", "unicode"])
def test_extraction_never_raises_and_every_fact_has_evidence(pipeline: Pipeline,
                                                             kind: str) -> None:
    texts = {"mixed": TEXTS, "templated": TEMPLATED,
             "unicode": PRINTABLE}[kind].filter(lambda t: t.strip() != "")
    seen = {"messages": 0, "assertions": 0}

    @settings(max_examples=depth(120, 2500), deadline=None, derandomize=not SOAK,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(texts, OFFSETS, st.integers(0, 10_000)), min_size=1,
                    max_size=6),
           st.sampled_from([f"{f} {s}" for f, s in zip(FIRST, LAST, strict=True)]))
    def run(items: list[tuple[str, int, int]], speaker: str) -> None:
        start = datetime(2024, 1, 1, tzinfo=UTC)
        messages = [Message(speaker=speaker, role=Role.USER,
                            at=(start + timedelta(hours=h)).astimezone(
                                timezone(timedelta(minutes=off))),
                            text=text, id=str(i))
                    for i, (text, off, h) in enumerate(sorted(items, key=lambda x: x[2]))]
        result = pipeline.extract(Conversation("fuzz", messages))
        assert len(result) == len(messages)
        for (episode, assertions), message in zip(result, messages, strict=True):
            seen["messages"] += 1
            for a in assertions:
                seen["assertions"] += 1
                assert a.evidence and a.evidence.strip(), (
                    f"no evidence: {a!r} from {message.text!r}")
                assert a.evidence in episode.text, (a.evidence, episode.text)
                if a.evidence_start is not None and a.evidence_end is not None:
                    span = episode.text[a.evidence_start:a.evidence_end]
                    assert span == a.evidence, (span, a.evidence)

    run()
    FIGURES.add(f"extraction-fuzz-{kind}", messages=seen["messages"],
                assertions=seen["assertions"])


def test_evidence_offsets_point_at_exactly_the_quote(pipeline: Pipeline) -> None:
    text = "Hello there. I work at Fernhill Robotics."
    message = Message("Ines Duarte", Role.USER, datetime(2024, 1, 1, tzinfo=UTC), text)
    [(episode, assertions)] = pipeline.extract(Conversation("c", [message]))
    assert assertions
    for a in assertions:
        assert a.evidence_start is not None and a.evidence_end is not None
        assert episode.text[a.evidence_start:a.evidence_end] == a.evidence
