"""Gold answers of LoCoMo's temporal questions resolved to periods (:func:`resolve_gold`), and
which answers are times at all (:func:`is_time_answer`), for ``asof eval locomo``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from asof.timex import MONTHS, SEASONS, WEEKDAYS

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                 "twelve": 12, "a couple of": 2, "couple of": 2}

_M = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_D = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_Y = r"(?P<year>\d{4})"
_N = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>day|week|weekend|month|year|monday|tuesday|wednesday|thursday|friday|" \
        r"saturday|sunday)"

_ABS_DAY = [re.compile(rf"^{_D}\s+(?:of\s+)?{_M}\s+{_Y}$"), re.compile(rf"^{_M}\s+{_D}\s+{_Y}$"),
            re.compile(r"^(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})$")]
_ABS_MONTH = re.compile(rf"^(?:(?:early|mid|late|the\s+(?:start|beginning|middle|end)\s+of)"
                        rf"\s+)?{_M}\s+(?:of\s+)?{_Y}$")
_ABS_YEAR = re.compile(rf"^(?:(?:early|mid|late|the\s+(?:start|beginning|middle|end)\s+of)"
                       rf"\s+)?{_Y}$")
_ABS_SEASON = re.compile(rf"^(?:early\s+|late\s+)?(?P<season>spring|summer|autumn|fall|winter)"
                         rf"\s+(?:of\s+)?{_Y}$")
_DAY_NO_YEAR = [re.compile(rf"^{_D}\s+(?:of\s+)?{_M}$"), re.compile(rf"^{_M}\s+{_D}$")]
_MONTH_NO_YEAR = re.compile(rf"^{_M}$")
_RELATIVE = re.compile(rf"^(?:the\s+)?(?:{_N}\s+)?{_UNIT}s?\s+(?P<dir>before|after|of)\s+"
                       r"(?P<anchor>.+)$")
_AGO = re.compile(rf"^{_N}\s+(?P<unit>day|week|weekend|month|year)s?\s+ago$")
_LAST = re.compile(r"^(?P<dir>last|this|next)\s+(?P<unit>week|weekend|month|year|monday|"
                   r"tuesday|wednesday|thursday|friday|saturday|sunday)$")
_DAY_WORD = re.compile(r"^(?P<word>yesterday|today|tomorrow|the day before yesterday)$")
_SINCE = re.compile(r"^(?:since|from|starting|as of)\s+(?P<rest>.+)$")
_BETWEEN = re.compile(r"^between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$")


@dataclass(frozen=True, slots=True)
class GoldPeriod:
    """A gold answer's period ``[start, end)`` in calendar days, and the rule that gave it."""

    start: date
    end: date
    rule: str

    def contains(self, start: date, end: date) -> bool:
        return self.start <= start and end <= self.end


def normalise_answer(answer: Any) -> str:
    text = str(answer).strip().lower().rstrip(".")
    text = text.replace(",", " ").replace("’", "'")
    text = re.sub(r"^(?:on|in|at|around|about|approximately|roughly)\s+", "", text)
    return " ".join(text.split())


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_period(year: int, month: int) -> tuple[date, date]:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), nxt


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _number(text: str | None) -> int | None:
    if text is None:
        return 1
    text = text.strip()
    return int(text) if text.isdigit() else _NUMBER_WORDS.get(text)


def _day_of(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else MONTHS[groups["mon"]]
    try:
        return date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None


def _absolute(text: str, ref: date | None) -> GoldPeriod | None:
    """Rules 1–4: a stated day, month, season or year (a day or month without a year takes
    the year of ``ref``)."""
    for pattern in _ABS_DAY:
        match = pattern.match(text)
        if match and (day := _day_of(match)) is not None:
            return GoldPeriod(day, day + timedelta(days=1), "day")
    if match := _ABS_MONTH.match(text):
        start, end = _month_period(int(match["year"]), MONTHS[match["mon"]])
        return GoldPeriod(start, end, "month")
    if match := _ABS_SEASON.match(text):
        start, _ = _month_period(int(match["year"]), SEASONS[match["season"]])
        y, m = _shift_month(start.year, start.month, 3)
        return GoldPeriod(start, date(y, m, 1), "season")
    if match := _ABS_YEAR.match(text):
        year = int(match["year"])
        return GoldPeriod(date(year, 1, 1), date(year + 1, 1, 1), "year")
    if ref is not None:
        for pattern in _DAY_NO_YEAR:
            match = pattern.match(text)
            if match:
                try:
                    day = date(ref.year, MONTHS[match["mon"]], int(match["day"]))
                except ValueError:
                    return None
                return GoldPeriod(day, day + timedelta(days=1), "day, year of the session")
        if match := _MONTH_NO_YEAR.match(text):
            start, end = _month_period(ref.year, MONTHS[match["mon"]])
            return GoldPeriod(start, end, "month, year of the session")
    return None


def _relative(unit: str, direction: str, n: int, anchor: date) -> tuple[date, date] | None:
    """Rule 5: ``n`` units before/after/of an anchor day."""
    if unit == "day":
        day = anchor + timedelta(days=n if direction == "after" else -n)
        return (anchor, anchor + timedelta(days=1)) if direction == "of" else \
            (day, day + timedelta(days=1))
    if unit == "week":
        if direction == "of":
            return _monday(anchor), _monday(anchor) + timedelta(days=7)
        if direction == "before":
            # "the week before D": the calendar week before D's week through the day before
            # D, so both readings ("the 7 days before", "last week") are inside.
            return _monday(anchor) - timedelta(days=7 * n), anchor - timedelta(days=7 * (n - 1))
        return anchor + timedelta(days=1 + 7 * (n - 1)), \
            _monday(anchor) + timedelta(days=7 * (n + 1))
    if unit == "weekend":
        if direction == "of":
            saturday = _monday(anchor) + timedelta(days=5)
        elif direction == "before":
            # the latest Saturday–Sunday that ends before D
            saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7 or 7)
            if saturday + timedelta(days=2) > anchor:
                saturday -= timedelta(days=7)
            saturday -= timedelta(days=7 * (n - 1))
        else:
            saturday = anchor + timedelta(days=(5 - anchor.weekday()) % 7 or 7)
            saturday += timedelta(days=7 * (n - 1))
        return saturday, saturday + timedelta(days=2)
    if unit == "month":
        sign = {"before": -n, "after": n, "of": 0}[direction]
        return _month_period(*_shift_month(anchor.year, anchor.month, sign))
    if unit == "year":
        year = anchor.year + {"before": -n, "after": n, "of": 0}[direction]
        return date(year, 1, 1), date(year + 1, 1, 1)
    weekday = WEEKDAYS[unit]
    if direction == "before":
        day = anchor - timedelta(days=(anchor.weekday() - weekday) % 7 or 7)
        day -= timedelta(days=7 * (n - 1))
    elif direction == "after":
        day = anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
        day += timedelta(days=7 * (n - 1))
    else:  # "the Friday of D": that weekday in D's week
        day = _monday(anchor) + timedelta(days=weekday)
    return day, day + timedelta(days=1)


def resolve_gold(answer: Any, ref: date | None = None) -> GoldPeriod | None:
    """A gold answer → its period, or ``None`` when no rule applies ("4 years", "a few years
    ago": durations and vague spans are not dates).

    Rules, tried in order on the lower-cased answer with commas dropped and a leading
    "on/in/around" removed:

    1. a day: "7 May 2023", "May 7 2023", "2023-05-07" → that day;
    2. a month: "June 2023", "early June 2023" → the month (qualifiers keep the whole month);
    3. a season: "summer 2023" → three months from June (spring Mar, autumn Sep, winter Dec);
    4. a year: "2022" → the year;
    5. "[the] [N] <unit>[s] before/after/of <day>", unit ∈ day, week, weekend, month, year or a
       weekday: "the Sunday before 25 May 2023" is the latest Sunday before that day; "the week
       before D" spans from the Monday of the week before D's week to the day before D; "the
       week of D" is D's Monday–Sunday; "the weekend before D" is the latest Saturday–Sunday
       that ends before D ("two weekends before": a week earlier); months and years are
       calendar ones;
    6. "since X" / "from X" → X's period (the start);
    7. "between X and Y" → from X's start to Y's end;
    8. relative to ``ref`` (the session day of the gold evidence turn), where the answer is
       relative itself: "last year", "last week", "this month", "N days/weeks/months/years
       ago", "yesterday", and a day or month without a year ("13 August": ``ref``'s year).
    """
    text = normalise_answer(answer)
    if not text:
        return None
    if (found := _absolute(text, ref)) is not None:
        return found
    if match := _SINCE.match(text):
        inner = resolve_gold(match["rest"], ref)
        return None if inner is None else GoldPeriod(inner.start, inner.end,
                                                     f"since: {inner.rule}")
    if match := _BETWEEN.match(text):
        first, last = resolve_gold(match["a"], ref), resolve_gold(match["b"], ref)
        if first is None or last is None or last.end <= first.start:
            return None
        return GoldPeriod(first.start, last.end, "between")
    if match := _RELATIVE.match(text):
        n = _number(match["n"])
        anchor = resolve_gold(match["anchor"], ref)
        if n is None or anchor is None or anchor.rule.split(",")[0] != "day":
            return None
        span = _relative(match["unit"], match["dir"], n, anchor.start)
        return None if span is None else GoldPeriod(
            *span, f"{match['unit']} {match['dir']} a day")
    if ref is None:
        return None
    if match := _AGO.match(text):
        n = _number(match["n"])
        if n is None:
            return None
        unit = match["unit"]
        if unit == "day":
            day = ref - timedelta(days=n)
            return GoldPeriod(day, day + timedelta(days=1), "days ago")
        if unit in ("week", "weekend"):
            span = _relative(unit, "before", n, ref)
            return None if span is None else GoldPeriod(*span, f"{unit}s ago")
        if unit == "month":
            return GoldPeriod(*_month_period(*_shift_month(ref.year, ref.month, -n)),
                              "months ago")
        return GoldPeriod(date(ref.year - n, 1, 1), date(ref.year - n + 1, 1, 1), "years ago")
    if match := _LAST.match(text):
        direction = {"last": "before", "next": "after", "this": "of"}[match["dir"]]
        span = _relative(match["unit"], direction, 1, ref)
        return None if span is None else GoldPeriod(*span, f"{match['dir']} {match['unit']}")
    if match := _DAY_WORD.match(text):
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1,
                  "the day before yesterday": -2}[match["word"]]
        day = ref + timedelta(days=offset)
        return GoldPeriod(day, day + timedelta(days=1), match["word"])
    return None


_TIME_WORDS = re.compile(
    r"\d|\b(?:" + "|".join(MONTHS) + "|" + "|".join(WEEKDAYS) + "|" + "|".join(SEASONS)
    + r"|days?|weeks?|weekends?|months?|years?|ago|since|before|after|yesterday|today|"
      r"tomorrow|last|next|recently|never|always)\b")


def is_time_answer(answer: Any) -> bool:
    """Whether a gold answer is a time (a date, period or duration) rather than an entity."""
    return isinstance(answer, int | float) or bool(_TIME_WORDS.search(str(answer).lower()))

