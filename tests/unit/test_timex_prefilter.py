"""The pass over texts that hold no time expression (``timex.vocabulary.may_hold_a_time``)
never drops one: it says yes exactly when the one regex of every form finds something."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from asof.timex import find_times
from asof.timex.first_chars import with_first_chars
from asof.timex.vocabulary import FORMS, MASTER, PATTERNS, may_hold_a_time

# Pieces of time expressions and of text around them, so that random texts come near the
# forms' edges ("3/5", "Sat-Sun", "spring '23", "two weeks ago").
PIECES = ["jan", "March", "sept.", "mon", "Sat", "sun", "-", "/", "'", ".", ",", " ", "  ",
          "the", "of", "since", "ago", "last", "next", "this", "week", "weeks", "weekend",
          "year", "years", "month", "spring", "Q3", "christmas", "eve", "today", "yesterday",
          "1", "3", "12", "2023", "23", "'23", "5th", "1st", "am", "pm", "to", "till", "early",
          "mid", "late", "for", "now", "a", "couple", "few", "day", "days", "hola", "Mai"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_the_pass_agrees_with_the_full_scan(text: str) -> None:
    assert may_hold_a_time(text) == (MASTER.search(text) is not None)


def test_a_text_without_a_time_is_passed_over_and_one_with_a_time_is_not() -> None:
    from datetime import UTC, datetime

    ref = datetime(2024, 6, 12, tzinfo=UTC)
    assert not may_hold_a_time("Mochi knocked the plant over again")
    assert find_times("Mochi knocked the plant over again", ref) == []
    assert may_hold_a_time("we moved in March 2023")
    assert [m.text for m in find_times("we moved in March 2023", ref)] == ["March 2023"]


FORM_PATTERNS = [re.compile(pattern, re.IGNORECASE) for _, pattern in PATTERNS]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_a_form_behind_its_first_characters_matches_as_the_form_alone(text: str) -> None:
    for plain, fast in zip(FORM_PATTERNS, FORMS, strict=True):
        assert [m.span() for m in plain.finditer(text)] == \
            [m.span() for m in fast.finditer(text)]


def test_first_characters() -> None:
    months = with_first_chars(r"\b(?:jan(?:uary)?|feb)\b", re.IGNORECASE)
    assert months.startswith("(?=[")
    found = re.compile(months, re.IGNORECASE)
    assert found.search("since JANUARY")
    assert found.search("feb 3").span() == (0, 3)  # type: ignore[union-attr]
    assert not found.search("a fabulous band")
    # what may start anywhere, or match nothing, is left as it is
    for pattern in (r".x", r"a*b?", r"[^a]b", r"(?:x|)y?"):
        assert with_first_chars(pattern) == pattern
    # optional and zero-width parts in front: the first characters come from what follows
    assert re.fullmatch(with_first_chars(r"(?<!\d)(?:the\s+)?(?:end|start)"), "the end")
    assert re.fullmatch(with_first_chars(r"(?<!\d)(?:the\s+)?(?:end|start)"), "start")
