"""A weekday said in the plural ("most Thursdays", "montags") is every such day, not a date:
it neither dates nor starts a fact. Sentences and names are the tests' own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from asof.timex import find_times
from tests.unit.extraction.conftest import Extract

pytestmark = pytest.mark.unit

REF = datetime(2024, 6, 12, 10, 0, tzinfo=timezone(timedelta(hours=2)))  # Wednesday


@pytest.mark.parametrize("text", ["on call most Thursdays", "works from home except Tuesdays",
                                  "we rehearse on Fridays", "montags im Büro"])
def test_a_weekday_in_the_plural_is_no_date(text: str) -> None:
    assert find_times(text, REF) == []


@pytest.mark.parametrize("text", ["see you Thursday", "el jueves", "am Montag"])
def test_a_weekday_in_the_singular_is_still_a_date(text: str) -> None:
    assert len(find_times(text, REF)) == 1


@pytest.mark.parametrize("text", ["I work at Kestrel Labs, in the office except Tuesdays.",
                                  "I work at Kestrel Labs on Tuesdays."])
def test_a_recurring_day_does_not_date_a_job(extract: Extract, text: str) -> None:
    (job,) = [a for a in extract(text) if a.predicate == "works_at"]
    assert job.valid_from is None, job
