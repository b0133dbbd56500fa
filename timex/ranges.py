"""Ranges: two time mentions joined into one ("from March to June", "2019 until 2021",
"the 8th–10th", "mon–wed", "sat & sun"), and the weekday pairs that make an abbreviated
weekday a day ("mon–wed") where it would otherwise need a date word before it."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from asof.timex.values import Role, Tense, TimeMention, TimeValue, add_months
from asof.timex.vocabulary import WEEKDAY_ABBREVIATIONS, WEEKDAYS

_WEEKDAY_WORD = "(?:" + "|".join(sorted(set(WEEKDAYS) | set(WEEKDAY_ABBREVIATIONS), key=len,
                                         reverse=True)) + r")\.?"
_RANGE_MARK = r"\s*(?:-|–|—|&|to|till|until|through|thru)\s*"
_WEEKDAY_AFTER = re.compile("^" + _RANGE_MARK + _WEEKDAY_WORD + r"\b")
_WEEKDAY_BEFORE = re.compile(r"\b" + _WEEKDAY_WORD + _RANGE_MARK + "$")


def weekday_pair(low: str, start: int, end: int) -> bool:
    """An abbreviated weekday joined to another weekday as a range ("mon–wed", "sat & sun",
    "fri to sun") is a day, whatever word comes before it."""
    return bool(_WEEKDAY_AFTER.match(low[end:end + 16]) or
                _WEEKDAY_BEFORE.search(low[max(0, start - 16):start]))


_BETWEEN_RANGE = re.compile(r"^\s*(?:-|–|—|&|to|until|till|through|thru|and)\s*(?:the\s+)?$",
                            re.IGNORECASE)


#: "between 2019 and 2021": an "and" that joins two times into one range ("since 2021 and
#: this year I want …" is a start and another time).
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
#: "drove up on the 20th and came back on the 22nd": the day of a return ends a stay begun on
#: the day before it.
_RETURN = re.compile(r"^\s*,?\s*(?:and\s+)?(?:came|got|flew|drove|went|headed|sailed|were|was)"
                     r"\s+(?:back|home)(?:\s+home)?\s+(?:on\s+)?(?:the\s+)?$", re.IGNORECASE)


def _next_day(first: TimeMention, second: TimeMention) -> bool:
    """"Monday and Tuesday", "sat and sun": two weekdays in a row are one stretch (not
    "Monday and Thursday", two days)."""
    return _is_weekday(first.text) and _is_weekday(second.text) and \
        (second.value.start - first.value.start).days % 7 == 1


def ordinal_range_months(first_day: int, last_day: int, today: date,
                         tense: Tense) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (year, month) of each end of "the 8th to the 10th": this month's days, or the
    next month's (future) or the last's (past) where they are not yet or no longer ahead or
    behind; "the 28th to the 2nd" runs over a month's end (a past one ends this month)."""
    y, m = today.year, today.month
    if tense is Tense.FUTURE and first_day < today.day:
        y, m = add_months(y, m, 1)
    elif tense is not Tense.FUTURE and last_day > today.day:
        y, m = add_months(y, m, -1)
    if last_day >= first_day:
        return (y, m), (y, m)
    if tense is Tense.FUTURE:
        return (y, m), add_months(y, m, 1)
    return add_months(y, m, -1), (y, m)


def a_year_later(value: TimeValue) -> TimeValue:
    """The same period a year on (29 February becomes 28 February)."""
    def shift(when: datetime) -> datetime:
        try:
            return when.replace(year=when.year + 1)
        except ValueError:
            return when.replace(year=when.year + 1, day=28)
    return TimeValue(shift(value.start), shift(value.end), value.granularity)


def _is_weekday(text: str) -> bool:
    return re.fullmatch(_WEEKDAY_WORD, text.lower().strip()) is not None


def weekday_range(mention: TimeMention) -> bool:
    """A range from one weekday to another ("mon–wed", "Tue–Thu"): the days of a trip, or of
    a weekly schedule ("night shift Tue–Thu"), never the start and end of a job or a home."""
    parts = re.split(_RANGE_MARK, mention.text.lower(), maxsplit=1)
    return mention.role is Role.RANGE and len(parts) == 2 and all(
        _is_weekday(part) for part in parts)


def _days_later(value: TimeValue, days: int) -> TimeValue:
    return TimeValue(value.start + timedelta(days=days), value.end + timedelta(days=days),
                     value.granularity)


def merge_ranges(text: str, found: list[TimeMention]) -> list[TimeMention]:
    """"from March to June", "2019 until 2021": join two mentions into one range."""
    merged: list[TimeMention] = []
    index = 0
    while index < len(found):
        current = found[index]
        if index + 1 < len(found):
            nxt = found[index + 1]
            between = text[current.end_char:nxt.start_char]
            joined = _BETWEEN_RANGE.match(between) and (
                "and" not in between.lower() or _BETWEEN.search(text[:current.start_char]) or
                _next_day(current, nxt))
            # a stay is begun on a day ("left at the end of March, flew home on the 2nd of
            # April" is two statements)
            returned = _RETURN.match(between) and nxt.value.start > current.value.start \
                and current.value.granularity == "day"
            if (joined or returned) and current.role in (Role.START, Role.AT):
                end = nxt.value
                start_value = current.value
                if end.start < start_value.start and _is_weekday(current.text) and \
                        _is_weekday(nxt.text):
                    # "fri–mon" said on a Tuesday: the days just past, Friday to Monday
                    start_value = _days_later(start_value, -7)
                elif end.start < start_value.start and not re.search(r"\d{4}|'\d\d",
                                                                      nxt.text):
                    end = a_year_later(end)  # "from 3 June to 30 November": this November
                merged.append(TimeMention(current.start_char, nxt.end_char,
                                          text[current.start_char:nxt.end_char],
                                          start_value, Role.RANGE, end))
                index += 2
                continue
        merged.append(current)
        index += 1
    return merged


