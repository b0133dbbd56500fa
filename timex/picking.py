"""Which date an underspecified expression means: the year of a month or day said without one
("in March", "July 26", "6/30"), and the order of day and month in a numeric date ("01/05").

A yearless date is picked by the tense of its clause: the latest one for the past, the next
one for the future, the nearest one where nothing says which. A start said with "from"
("from 1 April I report to Sharmin", "from September he teaches") is a change of state that may
already have happened or be still to come, so its tense counts for less:
:func:`from_cue_pick` chooses between the two.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from asof.graph.models import Granularity
from asof.timex.values import Tense, TimeValue, day_value

#: UTC offsets (hours) of the places that write month/day (6/30): the US and Canada.
_MONTH_FIRST_OFFSETS = range(-10, -3)

#: How late a start may be reported and still be read as the past day rather than next
#: year's: "from 1 April I report to …" said on 2 April.
_LATE_REPORT_DAYS = 7


def pick_year_for_month(month: int, ref: date, tense: Tense) -> int:
    """The year of a bare month name: the latest one not after the reference month for the
    past, the next one not before it for the future."""
    if tense is Tense.FUTURE:
        return ref.year if month >= ref.month else ref.year + 1
    return ref.year if month <= ref.month else ref.year - 1


def pick_day(month: int, day: int, ref: date, tense: Tense) -> date | None:
    candidates = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    if tense is Tense.FUTURE:
        future = [c for c in candidates if c >= ref]
        return min(future) if future else None
    if tense is Tense.PAST:
        past = [c for c in candidates if c <= ref]
        return max(past) if past else None
    return min(candidates, key=lambda c: abs((c - ref).days))


def from_cue_pick(past: TimeValue | None, future: TimeValue | None, ref: date,
                  tense: Tense) -> TimeValue | None:
    """A yearless start after "from" in a clause not read as past: with no tense, the nearer
    of the last and the next occurrence ("from September he teaches" in May: this September;
    "Slack from March" in June: this March); in a present or future clause, the next one
    unless the day is at most a week gone ("from 1 April I report to …" said on 2 April)."""
    if past is None or future is None:
        return past or future
    ahead = (future.start.date() - ref).days
    back = (ref - past.start.date()).days
    if tense is Tense.UNKNOWN:
        return past if back <= ahead else future
    # a day, not a month: both sides of "from" come from one expression, so one granularity
    return past if back <= _LATE_REPORT_DAYS and past.granularity is Granularity.DAY \
        else future


#: A slashed day and month, with or without a year ("30/06", "6/30/24").
_SLASHED = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?:/\d{2,4})?(?![\d/])")


def slashed_order(text: str) -> str | None:
    """"dm" or "md" where the text's own slashed dates settle the order of all of them
    ("Auto1 01/05/2025 … Berlin 20/04": day first; "since 9/15/2022 … 10/3/2022": month
    first); None where none does or they disagree. "24/7" is a phrase, not a date."""
    orders: set[str] = set()
    for match in _SLASHED.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if (first, second) == (24, 7):
            continue
        if 12 < first <= 31 and 1 <= second <= 12:
            orders.add("dm")
        elif 12 < second <= 31 and 1 <= first <= 12:
            orders.add("md")
    return orders.pop() if len(orders) == 1 else None


def numeric_order(text: str, ref: datetime, hint: str | None = None) -> str:
    """"dm" or "md" for an ambiguous numeric date: a dotted or dashed date is day-first; a
    slashed one follows the other slashed dates of its text where they settle it (``hint``,
    from :func:`slashed_order`), else it is month-first where the message is written from a
    US/Canadian UTC offset, day-first elsewhere. (A date whose own first number is over 12
    settles it in :func:`numeric_day`.)"""
    if "/" not in text:
        return "dm"
    if hint is not None:
        return hint
    offset = ref.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return "md" if hours in _MONTH_FIRST_OFFSETS else "dm"


def numeric_day(text: str, ref: datetime, tense: Tense,
                hint: str | None = None) -> TimeValue | None:
    parts = [p for p in re.split(r"[./-]", text) if p]
    first, second = int(parts[0]), int(parts[1])
    order = numeric_order(text, ref, hint)
    if first > 12:
        order = "dm"
    elif second > 12:
        order = "md"
    day, month = (first, second) if order == "dm" else (second, first)
    if not 1 <= month <= 12:
        return None
    tz = ref.tzinfo
    assert tz is not None
    if len(parts) == 3:
        year = int(parts[2])
        if year < 100:
            year = two_digit_year(parts[2], ref.date())
        try:
            return day_value(date(year, month, day), tz)
        except ValueError:
            return None
    picked = pick_day(month, day, ref.date(), tense)
    return day_value(picked, tz) if picked else None


def two_digit_year(digits: str, today: date) -> int:
    """'21 → 2021, '86 → 1986: the latest year with those digits not after next year."""
    year = 2000 + int(digits)
    return year if year <= today.year + 1 else year - 100
