"""The values time expressions resolve to: a period ``[start, end)`` at a granularity, in
the message's own zone, and the mention that carries it (its offsets, text and role). Calendar
arithmetic on periods lives here too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from asof.graph.models import Granularity


class Tense(StrEnum):
    PAST = "past"
    FUTURE = "future"
    UNKNOWN = "unknown"


class Role(StrEnum):
    """How a time expression relates to the fact in its clause."""

    AT = "at"  #: the time the event/change happened ("in March", "on Saturday")
    START = "start"  #: "since", "from", "as of", "starting"
    END = "end"  #: "until", "till", "through"
    RANGE = "range"  #: "from 2018 to 2020", "2014–2019"
    DURATION = "duration"  #: "for six years": start = reference year − N


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A resolved period ``[start, end)`` at a granularity."""

    start: datetime
    end: datetime
    granularity: Granularity

    @property
    def day(self) -> date:
        return self.start.date()


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression found in text: char offsets, what it resolved to and its role."""

    start_char: int
    end_char: int
    text: str
    value: TimeValue
    role: Role = Role.AT
    end_value: TimeValue | None = None  #: for ranges: the end period


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def period(start: date, granularity: Granularity, tz: tzinfo) -> TimeValue:
    """The period of ``granularity`` that starts at ``start`` (already aligned)."""
    begin = datetime(start.year, start.month, start.day, tzinfo=tz)
    if granularity is Granularity.DAY:
        end = begin + timedelta(days=1)
    elif granularity is Granularity.WEEK:
        end = begin + timedelta(days=7)
    elif granularity in (Granularity.MONTH,):
        y, m = add_months(start.year, start.month, 1)
        end = datetime(y, m, 1, tzinfo=tz)
    elif granularity in (Granularity.QUARTER, Granularity.SEASON):
        y, m = add_months(start.year, start.month, 3)
        end = datetime(y, m, 1, tzinfo=tz)
    elif granularity is Granularity.YEAR:
        end = datetime(start.year + 1, 1, 1, tzinfo=tz)
    elif granularity is Granularity.DECADE:
        end = datetime(start.year + 10, 1, 1, tzinfo=tz)
    else:
        end = begin + timedelta(microseconds=1)
    return TimeValue(begin, end, granularity)


def day_value(d: date, tz: tzinfo) -> TimeValue:
    return period(d, Granularity.DAY, tz)


def month_value(year: int, month: int, tz: tzinfo) -> TimeValue:
    return period(date(year, month, 1), Granularity.MONTH, tz)


def year_value(year: int, tz: tzinfo) -> TimeValue:
    return period(date(year, 1, 1), Granularity.YEAR, tz)


def weekend_ago(today: date, n: int, tz: tzinfo) -> TimeValue:
    """The ``n``-th latest Saturday–Sunday that has ended by ``today`` (``n=1``: "last
    weekend"), a 2-day period at ``DAY`` granularity."""
    saturday = today - timedelta(days=(today.weekday() - 5) % 7 or 7)
    if saturday + timedelta(days=2) > today:
        saturday -= timedelta(days=7)
    saturday -= timedelta(weeks=max(n, 1) - 1)
    start = datetime(saturday.year, saturday.month, saturday.day, tzinfo=tz)
    return TimeValue(start, start + timedelta(days=2), Granularity.DAY)
