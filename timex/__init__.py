"""Time expressions: find and resolve "last May", "since 2019", "the 8th and 9th", "3/1" in
text against a reference instant. A leaf: extraction, query (``ask``) and the evaluations all
read times through this one module, and it imports nothing of asof's but the granularity enum.
"""

from asof.timex.expressions import duration_before, find_times
from asof.timex.fallback import parse_with_dateparser
from asof.timex.ranges import weekday_range
from asof.timex.values import Role, Tense, TimeMention, TimeValue, period
from asof.timex.vocabulary import MONTHS, SEASONS, WEEKDAY_ABBREVIATIONS, WEEKDAYS

__all__ = ["MONTHS", "SEASONS", "WEEKDAYS", "WEEKDAY_ABBREVIATIONS", "Role", "Tense",
           "TimeMention", "TimeValue", "duration_before", "find_times", "parse_with_dateparser",
           "period", "weekday_range"]
