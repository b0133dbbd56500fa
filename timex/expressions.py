"""Time expressions: find them in text and resolve them against the message time.

Resolution is calendar arithmetic in the message's own zone (its UTC offset), so "in March"
said at ``2024-04-02T09:00+09:00`` is March in that zone. Every value keeps its granularity
(a day, a month, a year…): a stated period is ``[start, end)``.

The common English forms are parsed here directly (fast, predictable), with the month and
weekday names, day words ("ayer", "heute") and start/end words ("desde", "à partir du", "bis")
of the languages English chat switches into (``data/other_languages.json``); anything else
that spaCy tags as a DATE goes to dateparser (:mod:`asof.timex.fallback`). The values are in
:mod:`asof.timex.values`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo

from asof.graph.models import Granularity
from asof.timex.picking import (
    from_cue_pick,
    numeric_day,
    pick_day,
    pick_year_for_month,
    slashed_order,
    two_digit_year,
)
from asof.timex.ranges import merge_ranges, ordinal_range_months, weekday_pair
from asof.timex.values import (
    Role,
    Tense,
    TimeMention,
    TimeValue,
    add_months,
    day_value,
    month_value,
    period,
    weekend_ago,
    year_value,
)
from asof.timex.vocabulary import (
    AMBIGUOUS_MONTHS as _AMBIGUOUS_MONTHS,
)
from asof.timex.vocabulary import (
    HOLIDAYS,
    NUMBERS,
    SEASONS,
    UNIT_SHORT,
    UNITS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    alternatives,
    may_hold_a_time,
)
from asof.timex.vocabulary import (
    MASTER as _MASTER,
)
from asof.timex.vocabulary import (
    MONTH_NAMES as _MONTH_NAMES,
)
from asof.timex.vocabulary import (
    NAME_LIKE_MONTHS as _NAME_LIKE_MONTHS,
)
from asof.timex.vocabulary import (
    NUM as _NUM,
)
from asof.timex.vocabulary import (
    OTHER_LANGUAGES as _OTHER,
)
from asof.timex.vocabulary import (
    WEEKDAY_NAMES as _WEEKDAY_NAMES,
)
from asof.timex.vocabulary import (
    YEAR as _YEAR,
)

_INT = re.compile(r"\d+")

# Words before a time expression that give it its role.
_START_CUES = ("since", "from", "as of", "starting", "starting on", "starting from",
               "effective", "beginning", "from around", "ever since", "as from",
               *_OTHER["start_cues"])
_END_CUES = ("until", "till", "til", "through", "up to", "up until", "by",
             *_OTHER["end_cues"])


def _num(text: str) -> int:
    text = text.strip().lower()
    return int(text) if text.isdigit() else NUMBERS.get(text, 1)


def _month_of(text: str) -> int:
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        if word in _MONTH_NAMES:
            return _MONTH_NAMES[word]
    raise ValueError(text)


def _years(text: str) -> list[int]:
    return [int(y) for y in re.findall(_YEAR, text)]


def _day_num(text: str) -> int:
    for match in _INT.finditer(text):
        value = int(match.group())
        if 1 <= value <= 31:
            return value
    raise ValueError(text)


def resolve(kind: str, text: str, ref: datetime, tense: Tense,
            order_hint: str | None = None) -> TimeMention | None:
    """Resolve one matched expression (``kind`` is the pattern name) against ``ref``
    (``order_hint``: the day/month order the text's other slashed dates settle)."""
    tz = ref.tzinfo
    assert tz is not None, "reference times are aware"
    today = ref.date()
    low = text.lower()
    value: TimeValue | None = None
    end_value: TimeValue | None = None
    role = Role.AT
    if kind == "iso_day":
        y, m, d = (int(p) for p in re.split(r"[-./]", low.rstrip("."))[:3])
        value = day_value(date(y, m, d), tz)
    elif kind == "iso_month":
        y, m = (int(p) for p in re.split(r"[-.]", low))
        value = month_value(y, m, tz)
    elif kind in ("mon_day_year", "day_mon_year"):
        year = _years(low)[-1]
        without_year = low.replace(str(year), "")
        value = day_value(date(year, _month_of(without_year), _day_num(without_year)), tz)
    elif kind in ("num_dmy", "num_dm"):
        value = numeric_day(low, ref, tense, order_hint)
    elif kind == "num_my":
        m, y = (int(p) for p in re.split(r"[/.]", low))
        value = month_value(y, m, tz)
    elif kind == "mon_year2":
        value = month_value(two_digit_year(low[-2:], today), _month_of(low), tz)
    elif kind == "range_year_yy":
        first = _years(low)[0]
        last = first // 100 * 100 + int(low[-2:])
        if last <= first:
            return None  # "2019-05" is no range; "2020-12" was read as a month above
        value, end_value, role = year_value(first, tz), year_value(last, tz), Role.RANGE
    elif kind == "range_mon_year":
        year = _years(low)[-1]
        first_month, last_month = (_MONTH_NAMES[w] for w in re.findall(r"[^\W\d_]+", low)
                                   if w in _MONTH_NAMES)
        value = month_value(year - (first_month > last_month), first_month, tz)
        end_value, role = month_value(year, last_month, tz), Role.RANGE
    elif kind in ("range_days_mon", "range_mon_days"):
        first_day, last_day = (int(x) for x in re.findall(r"\d+", re.sub(_YEAR, "", low))[:2])
        month = _month_of(low)
        years = _years(low)
        opening = date(years[-1], month, first_day) if years else \
            pick_day(month, first_day, today, tense)
        if opening is None or last_day <= first_day:
            return None
        value = day_value(opening, tz)
        end_value, role = day_value(opening.replace(day=last_day), tz), Role.RANGE
    elif kind == "range_ord":
        first_day, last_day = (int(x) for x in _INT.findall(low)[:2])
        (y, m), (ey, em) = ordinal_range_months(first_day, last_day, today, tense)
        try:
            value = day_value(date(y, m, first_day), tz)
            end_value, role = day_value(date(ey, em, last_day), tz), Role.RANGE
        except ValueError:
            return None
    elif kind == "range_years2":
        first, last = (two_digit_year(y, today) for y in re.findall(r"\d\d", low))
        value, end_value, role = year_value(first, tz), year_value(last, tz), Role.RANGE
    elif kind == "year2":
        value = year_value(two_digit_year(low[-2:], today), tz)
    elif kind == "hol_year":
        year = _years(low)[-1]
        name = re.sub(r"[,\s]*\d{4}$", "", low).strip()
        m, d = HOLIDAYS[name]
        value = day_value(date(year, m, d), tz)
    elif kind == "range_years":
        first, last = _years(low)[:2]
        value, end_value, role = year_value(first, tz), year_value(last, tz), Role.RANGE
    elif kind == "ago_this_month":
        n = _num(re.match(r"(.+?)\s+years?", low).group(1))  # type: ignore[union-attr]
        value = month_value(today.year - n, today.month, tz)
    elif kind == "weekends_ago":
        # "two weekends ago": the weekend before last; one weekend ago is "last weekend"
        n = _num(re.match(r"(.+?)\s+weekends?", low).group(1))  # type: ignore[union-attr]
        value = weekend_ago(today, n, tz)
    elif kind in ("ago", "in_units"):
        if kind == "in_units" and tense is Tense.PAST:
            return None  # "learned it in two months": a length, not a date
        match = re.match(r"(?:in\s+)?(.+?)\s+([a-z]+?)s?(?:\s+(?:ago|back))?$", low)
        assert match is not None
        unit, per = UNITS[match.group(2)]
        n = _num(match.group(1)) * per * (-1 if kind == "in_units" else 1)
        if unit == "day":
            value = day_value(today - timedelta(days=n), tz)
        elif unit == "week":
            value = day_value(today - timedelta(weeks=n), tz)
        elif unit == "month":
            y, m = add_months(today.year, today.month, -n)
            value = month_value(y, m, tz)
        else:
            value = year_value(today.year - n, tz)
    elif kind == "mon_rel_year":
        offset = -1 if "last" in low else (1 if "next" in low else 0)
        value = month_value(today.year + offset, _month_of(low.split()[0]), tz)
    elif kind in ("mon_year", "part_mon_year"):
        value = month_value(_years(low)[-1], _month_of(re.sub(_YEAR, "", low)), tz)
    elif kind in ("season_year", "season_rel_year"):
        season = next(s for s in SEASONS if s in low)
        if kind == "season_year":
            year = _years(low)[-1]
        else:  # "the summer of last year"
            year = today.year + (-1 if "last year" in low else (1 if "next year" in low else 0))
        value = period(date(year, SEASONS[season], 1), Granularity.SEASON, tz)
    elif kind == "quarter_year":
        q = int(re.search(r"q([1-4])", low).group(1))  # type: ignore[union-attr]
        value = period(date(_years(low)[-1], 3 * q - 2, 1), Granularity.QUARTER, tz)
    elif kind == "quarter":
        q = int(low[1])
        year = today.year
        if tense is Tense.FUTURE and 3 * q < today.month:
            year += 1
        elif tense is Tense.PAST and 3 * q - 2 > today.month:
            year -= 1
        value = period(date(year, 3 * q - 2, 1), Granularity.QUARTER, tz)
    elif kind == "rel_quarter":
        current = (today.month - 1) // 3
        delta = -1 if "last" in low else (1 if "next" in low else 0)
        y, m = add_months(today.year, current * 3 + 1, 3 * delta)
        value = period(date(y, m, 1), Granularity.QUARTER, tz)
    elif kind in ("rel_season", "over_season"):
        season = next(s for s in SEASONS if s in low)
        month = SEASONS[season]
        if "next" in low:
            year = today.year if month > today.month else today.year + 1
        elif "this" in low:
            year = today.year
        else:  # last / over the: the latest one that has started
            year = today.year if month < today.month else today.year - 1
            if season == "winter" and today.month <= 3 and "last" not in low:
                year = today.year - 1
        value = period(date(year, month, 1), Granularity.SEASON, tz)
    elif kind == "part_year":
        value = year_value(_years(low)[-1], tz)
    elif kind == "end_of_rel":
        offset = -1 if "last" in low else (1 if "next" in low else 0)
        if "year" in low:
            value = year_value(today.year + offset, tz)
        elif "week" in low:
            value = month_value(today.year, today.month, tz)
        else:
            y, m = add_months(today.year, today.month, offset)
            value = month_value(y, m, tz)
    elif kind in ("part_mon", "mon"):
        if kind == "mon" and low.rstrip(".") in _AMBIGUOUS_MONTHS:
            return None  # too ambiguous alone ("may" the verb); DATE-entity checked upstream
        month = _month_of(low)
        value = month_value(pick_year_for_month(month, today, tense), month, tz)
    elif kind == "hol":
        m, d = HOLIDAYS[low.strip()]
        picked = pick_day(m, d, today, tense if tense is not Tense.UNKNOWN else Tense.PAST)
        if picked is None:
            return None
        value = day_value(picked, tz)
    elif kind in ("mon_day", "day_mon"):
        picked = pick_day(_month_of(low), _day_num(low), today, tense)
        if picked is None:
            return None
        value = day_value(picked, tz)
    elif kind == "the_day":
        day = _day_num(low)
        y, m = today.year, today.month
        if tense is Tense.FUTURE and day < today.day:
            y, m = add_months(y, m, 1)
        elif tense is Tense.PAST and day > today.day:
            y, m = add_months(y, m, -1)
        try:
            value = day_value(date(y, m, day), tz)
        except ValueError:
            return None
    elif kind == "rel_mon":
        month = _month_of(low.split(None, 1)[1])
        if low.startswith("last"):
            year = today.year if month < today.month else today.year - 1
        elif low.startswith("next"):
            year = today.year if month > today.month else today.year + 1
        else:
            year = today.year
        value = month_value(year, month, tz)
    elif kind == "rel_wd":
        name = low.split()[1].rstrip(".")
        wd = WEEKDAYS.get(name, WEEKDAY_ABBREVIATIONS.get(name, -1))
        if wd < 0:
            return None
        if low.startswith("last"):
            delta = (today.weekday() - wd) % 7 or 7
            value = day_value(today - timedelta(days=delta), tz)
        else:
            delta = (wd - today.weekday()) % 7 or 7
            if low.startswith("next") and delta < 7 and "this" not in low:
                pass
            value = day_value(today + timedelta(days=delta), tz)
    elif kind in ("wd", "wd_abbr"):
        if kind == "wd" and low not in _WEEKDAY_NAMES:
            return None  # "on call most Thursdays", "rehearse on Tuesdays": every such day
        wd = _WEEKDAY_NAMES[low] if kind == "wd" else WEEKDAY_ABBREVIATIONS[low.rstrip(".")]
        ahead, back = (wd - today.weekday()) % 7 or 7, (today.weekday() - wd) % 7 or 7
        if tense is Tense.UNKNOWN:
            # no verb says which ("last day @ X fri", "vet thurs 4pm"): the nearer one, the
            # past one when both are as near; the day itself when it is today
            ahead = 0 if wd == today.weekday() else ahead
            value = day_value(today + timedelta(days=ahead) if ahead < back else
                              today - timedelta(days=back), tz)
        elif tense is Tense.FUTURE:
            value = day_value(today + timedelta(days=ahead), tz)
        else:
            value = day_value(today - timedelta(days=back), tz)
    elif kind == "rel_unit":
        sign = -1 if low.startswith(("last", "past")) else (1 if low.startswith("next") else 0)
        unit = UNIT_SHORT.get(low.split()[-1], low.split()[-1])
        if unit == "week":
            # the calendar week (Monday to Sunday) before, of or after today's
            monday = today - timedelta(days=today.weekday()) + timedelta(days=7 * sign)
            value = period(monday, Granularity.WEEK, tz)
        elif unit == "weekend":
            # last/past: the latest Saturday-Sunday that has ended; this: the one of this week
            if sign < 0:
                value = weekend_ago(today, 1, tz)
            else:
                saturday = today - timedelta(days=today.weekday()) + timedelta(days=5 + 7 * sign)
                start = datetime(saturday.year, saturday.month, saturday.day, tzinfo=tz)
                value = TimeValue(start, start + timedelta(days=2), Granularity.DAY)
        elif unit == "month":
            y, m = add_months(today.year, today.month, sign)
            value = month_value(y, m, tz)
        else:
            value = year_value(today.year + sign, tz)
    elif kind == "day_word":
        if "before yesterday" in low:
            value = day_value(today - timedelta(days=2), tz)
        elif "yesterday" in low or "last night" in low or low in ("yday", "yest"):
            value = day_value(today - timedelta(days=1), tz)
        elif "tomorrow" in low or low in ("tmrw", "tmr", "tmw", "2mrw", "2moro", "tomoz"):
            value = day_value(today + timedelta(days=1), tz)
        else:
            value = day_value(today, tz)
    elif kind == "other_day_word":
        offset = _OTHER["day_words"].get(low, _OTHER["lower_case_day_words"].get(low, 0))
        value = day_value(today + timedelta(days=offset), tz)
    elif kind in ("for_years", "num_years", "length_now", "other_length_now"):
        value = _length_back(low, today.year, today.month, tz)
        if value is None:
            return None
        role = Role.DURATION
    elif kind == "year":
        value = year_value(int(low), tz)
    if value is None:
        return None
    return TimeMention(0, 0, text, value, role, end_value)


def _length_back(text: str, year: int, month: int, tz: tzinfo) -> TimeValue | None:
    """The year or month a length in ``text`` ("for six years", "8 months") counts back to
    from ``year``/``month``, at the length's unit."""
    match = re.search(rf"({_NUM})\s+(year|yr|month|mo)s?\b", text) or \
        re.search(rf"({_NUM})\s+({alternatives(_OTHER['length_units'])})(?![\w'])", text)
    if match is None:
        return None
    n = _num(match.group(1))
    if _OTHER["length_units"].get(match.group(2), match.group(2)) in ("year", "yr"):
        return year_value(year - n, tz)
    y, m = add_months(year, month, -n)
    return month_value(y, m, tz)


def duration_before(mention: TimeMention, end: datetime) -> TimeValue | None:
    """The start of a span of ``mention``'s length ("for four years", "after five years")
    that ended at ``end``, at the duration's granularity."""
    if mention.role is not Role.DURATION:
        return None
    return _length_back(mention.text.lower(), end.year, end.month, end.tzinfo or UTC)


def find_times(text: str, ref: datetime, tense: Tense = Tense.UNKNOWN,
               tense_at: dict[int, Tense] | None = None) -> list[TimeMention]:
    """Every time expression in ``text`` (non-overlapping, left to right) with its role.

    ``tense_at`` optionally maps a char offset to the tense of its clause (else ``tense``)."""
    if not may_hold_a_time(text):
        return []
    found: list[TimeMention] = []
    low = text.lower()
    order = slashed_order(text)
    for match in _MASTER.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        start, end = match.span()
        if kind == "year" and _looks_like_model_year(text, start, end):
            continue
        local_tense = tense
        if tense_at:
            for offset in sorted(tense_at):
                if offset <= start:
                    local_tense = tense_at[offset]
        before = low[max(0, start - 14):start].rstrip()
        if before.endswith(("since", "last", "ago")):
            local_tense = Tense.PAST
        if kind in ("wd", "wd_abbr") and (re.search(r"\b(?:every|each)(?:\s+other)?$", before) or
                                         _HABIT_AFTER.match(low, end)):
            continue  # "every Monday", "sat mornings": every such day, no date
        if kind in ("wd", "wd_abbr") and local_tense is not Tense.PAST and \
                _STARTS_AHEAD.search(before):
            local_tense = Tense.FUTURE  # "joins Monday", "starts Monday", "from Monday": the next
        if kind == "mon" and re.search(r"\b(in|since|till|until|til|from|by|of|through|to|"
                                       r"early|late|mid|last|next|this)$", before) and not (
                match.group()[:1].isupper() and match.group().lower() in _NAME_LIKE_MONTHS):
            kind = "part_mon"  # "till May": a month, not the modal verb
        if kind == "wd_abbr" and re.match(r"-[^\W\d_]", text[end:end + 2]) and \
                not weekday_pair(low, start, end):
            continue  # "Sun-hee Park", "Sat-chit": a name, not a day ("Sat-Sun" is a range)
        if kind in ("num_dm", "wd_abbr") and not _date_cue(before, match.group(), kind) and \
                not (kind == "wd_abbr" and weekday_pair(low, start, end)) and \
                not _dates_a_change(low, start, end):
            continue  # "3/5 stars", "24/7", "I sat down", "the sun"
        try:
            if kind in _YEARLESS_KINDS and (
                    local_tense is not Tense.PAST and _FROM_CUE.search(before) or
                    local_tense is Tense.UNKNOWN and _until_cue(before, match.group())):
                mention = _from_cue_mention(kind, match.group(), ref, local_tense, order)
            else:
                mention = resolve(kind, match.group(), ref, local_tense, order)
        except (ValueError, KeyError, AttributeError):
            mention = None
        if mention is None:
            continue
        role = mention.role
        if role is Role.AT:
            role = _cue_role(before)
            if role is Role.AT and _to_end_of(before, match.group()):
                role = Role.END  # "runs to the end of November"
            if role is Role.AT and _SINCE_EVENT.search(low[max(0, start - 60):start]):
                role = Role.START  # "since the company started in 2016"
        found.append(TimeMention(start, end, match.group(), mention.value, role,
                                 mention.end_value))
    return merge_ranges(text, _weekday_labels_date(text, found))


#: The kinds of a date said without its year, whose year the tense picks.
_YEARLESS_KINDS = frozenset({"part_mon", "mon_day", "day_mon", "num_dm", "the_day"})
#: "from", "starting", "as of", "effective" (not "since"): a start that may lie either side of
#: the message.
_FROM_CUE = re.compile(r"\b(?:from|starting|as\s+of|as\s+from|effective|from\s+the)\s*$")


#: "until", "till", "through": an end that may lie either side of the message too ("the
#: contract runs until November", said in May).
_UNTIL_CUE = re.compile(r"\b(?:until|till|til|through|thru)\s*$")
_END_OF = re.compile(r"(?:the\s+)?end\s+of\b", re.IGNORECASE)


def _to_end_of(before: str, text: str) -> bool:
    """"runs to | the end of November": an end said with "to"."""
    return before.endswith(" to") and _END_OF.match(text) is not None


def _until_cue(before: str, text: str) -> bool:
    """An end cue before a yearless time: "until November", "runs to the end of November"."""
    return _UNTIL_CUE.search(before) is not None or _to_end_of(before, text)


def _from_cue_mention(kind: str, text: str, ref: datetime, tense: Tense,
                      order: str | None) -> TimeMention | None:
    """A yearless start after "from": the last or the next occurrence, as
    :func:`asof.timex.picking.from_cue_pick` decides."""
    past = resolve(kind, text, ref, Tense.PAST, order)
    future = resolve(kind, text, ref, Tense.FUTURE, order)
    value = from_cue_pick(past.value if past else None, future.value if future else None,
                          ref.date(), tense)
    if value is None:
        return None
    return TimeMention(0, 0, text, value, Role.AT)


def _weekday_labels_date(text: str, found: list[TimeMention]) -> list[TimeMention]:
    """"fri april 5", "Saturday, 12 August": a weekday right before a date only labels it;
    the date decides, with the role the weekday's place gave ("from Monday 3 June")."""
    kept: list[TimeMention] = []
    for mention in found:
        label = kept[-1] if kept else None
        if label is not None and mention.value.granularity is Granularity.DAY and \
                mention.role is Role.AT and \
                _WEEKDAY_NAMES.get(label.text.lower().rstrip(".s"),
                                   WEEKDAY_ABBREVIATIONS.get(label.text.lower().rstrip("."),
                                                             -1)) >= 0 and \
                re.fullmatch(r"[\s,]*(?:the\s+)?", text[label.end_char:mention.start_char]):
            kept[-1] = TimeMention(label.start_char, mention.end_char,
                                   text[label.start_char:mention.end_char], mention.value,
                                   label.role, mention.end_value)
            continue
        kept.append(mention)
    return kept


#: "last day is|was|will be …": a day word said before its date.
_DAY_IS = r"(?:day|date|shift)\s+(?:is|was|will\s+be)"

_DATE_CUE = re.compile(r"(?:^|\b)(?:on|from|since|until|till|til|by|effective|starting|start|"
                       r"started|starts|before|after|through|thru|to|and|day|of|"
                       r"from\s+the|as\s+of|due|moving|moved|retired|left|joined|back|"
                       rf"{_DAY_IS}|[-–—(,:])$")


#: A start said in the present with a bare weekday after it: the coming one ("joins Monday" on a
#: Wednesday, "starts monday" on a Monday is next week's).
_HABIT_AFTER = re.compile(r"\s+(?:nights|mornings|evenings|afternoons)\b")
_STARTS_AHEAD = re.compile(r"\b(?:start|starts|starting|join|joins|joining|begin|begins|"
                           r"beginning|resume|resumes|from|kicks\s+off)(?:\s+on)?$")


#: The words after which a dashed day and month ("I start 1-4", "last day is 29-3") is a date:
#: not "from" or "to", which also open office hours and scores ("from 9-5").
_DASHED_DATE_CUE = re.compile(r"(?:^|\b)(?:on|since|until|till|by|effective|start|starts|"
                              r"starting|started|as\s+of|due|moving|moved|retired|left|"
                              rf"joined|{_DAY_IS})$")


#: The words after which a day and month with one dot ("from 1.10", "last day 27.9") is a
#: date: a stricter list, since "to 4.2", "in 2.1" and "of 7.5" are versions and scores.
_DOTTED_DATE_CUE = re.compile(r"(?:^|\b)(?:on|since|from|until|till|by|effective|start|starts|"
                              rf"starting|started|as\s+of|due|moved|left|joined|day|{_DAY_IS})$")


def _date_cue(before: str, text: str, kind: str) -> bool:
    """A day-and-month or an abbreviated weekday stands alone only after a word that expects
    a date ("on 6/30", "from fri"); the form with two dots ("17.4.") and the unambiguous weekday
    abbreviations are dates wherever they are."""
    low = text.lower().rstrip(".")
    if kind == "num_dm" and text.count(".") == 2:
        return True
    if kind == "num_dm" and "-" in text:
        return bool(_DASHED_DATE_CUE.search(before))
    if kind == "num_dm" and text.count(".") == 1:
        return bool(_DOTTED_DATE_CUE.search(before))
    if kind == "wd_abbr" and low in ("tue", "tues", "thu", "thur", "thurs", "fri"):
        return True
    return bool(_DATE_CUE.search(before))


#: A change of job, home or family said before a bare date in its clause ("started at
#: fjellvik clinic mon as ward nurse", "got promoted to shift coordinator 3/1").
_CHANGE_BEFORE = re.compile(r"\b(?:start|started|starts|starting|join|joined|joins|joining|"
                            r"promoted|move|moved|moving|left|quit|retired|married|adopted|"
                            r"hired)\b[^.!?;:\n]{0,50}$")
#: What a bare date that closes such a clause is followed by: its end, "as …", punctuation
#: or an emoji.
_CLAUSE_END_AFTER = re.compile(r"\s*(?:$|as\b|[.,;!?)\n]|[^\w\s])")
#: Words right before "sun", "sat" or "wed" that make them a word, not a day.
_NOT_A_DAY_BEFORE = re.compile(r"\b(?:the|a|an|my|our|in|at|to|of|and|i|we|you|they|he|she|"
                               r"it)$")


def _dates_a_change(low: str, start: int, end: int) -> bool:
    """A bare abbreviated weekday or day/month that closes a clause about a change: "started
    at X mon", "promoted to shift coordinator 3/1 🙌"."""
    before = low[max(0, start - 60):start]
    return bool(_CHANGE_BEFORE.search(before)) and \
        bool(_CLAUSE_END_AFTER.match(low[end:end + 4])) and \
        not _NOT_A_DAY_BEFORE.search(before.rstrip())


def _looks_like_model_year(text: str, start: int, end: int) -> bool:
    """"a 2017 Mazda", "my 2021 Ford": a year used as an adjective of a product."""
    before = " " + text[max(0, start - 6):start].lower()
    after = text[end:end + 2]
    return before.rstrip().endswith((" a", " an", " my", " our", " the", " his", " her")) and \
        after[:1] == " " and after[1:2].isupper()


#: "since <something> started/opened/… in|on" right before a time: the time is a start.
_SINCE_EVENT = re.compile(r"\bsince\s+(?:the|it|they|we|he|she|i|our|my|their|its)\b[^.,;!?]{0,30}?"
                          r"\b(?:started|began|opened|launched|was founded|were founded|"
                          r"founded|moved|arrived|joined)\s+(?:in|on|back in)\s*$")


def _cue_role(before: str) -> Role:
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]*)*", before)
    tail1 = words[-1] if words else ""
    tail2 = " ".join(words[-2:]) if len(words) >= 2 else tail1
    if tail2 in _START_CUES or tail1 in _START_CUES:
        return Role.START
    if tail2 in _END_CUES or tail1 in _END_CUES:
        return Role.END
    return Role.AT
