"""The fallback for DATE spans the patterns of :mod:`asof.timex.expressions` do not know:
dateparser, always with ``RELATIVE_BASE`` set to the aware message time, cached."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from asof.timex.values import Tense, TimeValue, day_value, month_value, year_value
from asof.timex.vocabulary import MONTH_PATTERN

#: What dateparser can turn into a date: a number (digits or words), a month or weekday name,
#: or "ago". Other DATE spans of the NER ("a busy week", "the day") are not worth its cost.
_DATEPARSER_WORTH = re.compile(
    r"\d|\bago\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|a\s+couple)\b|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\b|"
    + MONTH_PATTERN, re.IGNORECASE)


@lru_cache(maxsize=4096)
def _dateparser_cached(text: str, ref_iso: str, prefer: str) -> tuple[str, str] | None:
    from dateparser.date import DateDataParser

    ref = datetime.fromisoformat(ref_iso)
    parser = DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": ref, "PREFER_DATES_FROM": prefer,
        "RETURN_AS_TIMEZONE_AWARE": True})
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj.date().isoformat(), str(data.period or "day")


def parse_with_dateparser(text: str, ref: datetime, tense: Tense) -> TimeValue | None:
    """Fallback for DATE spans the patterns above do not know (cached)."""
    if not _DATEPARSER_WORTH.search(text):
        return None  # "a long day", "the weekend", "each day": no date to find
    prefer = "future" if tense is Tense.FUTURE else "past"
    # only the date is kept, so the cache is keyed by the message's day and offset
    day_ref = ref.replace(hour=12, minute=0, second=0, microsecond=0)
    result = _dateparser_cached(text, day_ref.isoformat(), prefer)
    if result is None:
        return None
    day, kind = result
    tz = ref.tzinfo
    assert tz is not None
    parsed = date.fromisoformat(day)
    if kind == "year":
        return year_value(parsed.year, tz)
    if kind == "month":
        return month_value(parsed.year, parsed.month, tz)
    return day_value(parsed, tz)
