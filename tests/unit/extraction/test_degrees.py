"""A degree "from" a school is a place of study that is over ("B.Tech from NIT Trichy,
2010-14"), as one "at" a school is a place of study. Sentences and names are the tests' own."""

from __future__ import annotations

import pytest

from asof.graph.models import AssertionKind
from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("text", "school"), [
    ("Education — B.Tech from VIT Vellore, 2009-13.", "VIT Vellore"),
    ("BCom from the University of Nairobi, class of 2015.", "University of Nairobi"),
])
def test_a_degree_from_a_school_was_studied_there(extract: Extract, text: str,
                                                  school: str) -> None:
    found = [a for a in extract(text) if a.predicate == "studies_at"]
    assert [(a.object.name if a.object else None) for a in found] == [school]
    assert found[0].kind is AssertionKind.ASSERT and found[0].valid_to is not None


def test_a_degree_from_no_named_school_is_no_study(extract: Extract) -> None:
    assert not [a for a in extract("Got a degree from my uncle's workshop lol")
                if a.predicate == "studies_at"]
