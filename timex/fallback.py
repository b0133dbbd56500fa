"""The fallback for DATE spans the patterns of :mod:`asof.timex.expressions` do not know:
dateparser, always with ``RELATIVE_BASE`` set to the aware message time, cached."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from asof.timex.values import Tense, TimeValue, day_value, month_value, year_value
from asof.timex.vocabulary import MONTH_PATTERN, NUM

#: A length alone ("5 days", "for two weeks", "3 months"): dateparser reads it as that long
#: ago. A short one is how long a trip or a task took, never when; a length of months or
#: years in a clause that is not past ("6 years there", "seven years na ako dito") is how long
#: something has held, so it began that long ago, but in a past or future clause ("lived in
#: Rome for 3 years", "will stay two years") it is the length of another span.
_LENGTH = r"(?:for\s+)?(?:about\s+|around\s+|almost\s+|nearly\s+|over\s+|another\s+)?" \
    rf"(?:{NUM}|\d+|several|many)\s+(?:full\s+)?"
_SHORT_LENGTH = re.compile(_LENGTH + r"(?:days?|nights?|weeks?|hours?|minutes?|weekends?)",
                           re.IGNORECASE)
_LONG_LENGTH = re.compile(_LENGTH + r"(?:months?|years?)", re.IGNORECASE)

#: What dateparser can turn into a date: a number (digits or words), a month or weekday name,
#: or "ago". Other DATE spans of the NER ("a busy week", "the day") are not worth its cost.
_DATEPARSER_WORTH = re.compile(
    r"\d|\bago\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|a\s+couple)\b|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\b|"
    + MONTH_PATTERN, re.IGNORECASE)


#: How often, not when: "till 7 most days", "every other day", "3 days a week".
_HOW_OFTEN = re.compile(r"\b(?:most|every|each|some|all|other)\s+(?:days?|nights?|weeks?|"
                        r"weekends?|mornings?|evenings?)\b|\b(?:a|per)\s+(?:day|week|month)\b",
                        re.IGNORECASE)


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
    if not _DATEPARSER_WORTH.search(text) or _SHORT_LENGTH.fullmatch(text.strip()) or \
            _HOW_OFTEN.search(text) or (
            tense in (Tense.PAST, Tense.FUTURE) and _LONG_LENGTH.fullmatch(text.strip())):
        return None  # "a long day", "the weekend", "each day", "5 days": no date to find
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
