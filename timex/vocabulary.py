"""The words and regex building blocks of time expressions: English month, weekday, number,
season and holiday names; those of the languages English chat switches into
(``data/other_languages.json``); and the pattern pieces (a day, a year, a month name…) that
:mod:`asof.timex.expressions` resolves: ``MASTER``, one regex of every form, each a named group."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

from asof.timex.first_chars import with_first_chars

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
#: Abbreviations people type ("last Fri", "fri", "on Sat"): "mon", "wed", "sat" and "sun" are
#: read alone only after a word that expects a date (see _date_cue).
WEEKDAY_ABBREVIATIONS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3,
                         "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
           "fifteen": 15, "twenty": 20, "couple of": 2, "a couple of": 2, "couple": 2,
           "a couple": 2, "few": 3, "a few": 3}
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
HOLIDAYS = {"new year's eve": (12, 31), "new years eve": (12, 31), "new year's day": (1, 1),
            "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
            "valentine's day": (2, 14), "valentines day": (2, 14), "halloween": (10, 31)}


def _other_languages() -> dict[str, Any]:
    text = resources.files("asof.timex").joinpath("data/other_languages.json").read_text(
        "utf-8")
    return dict(json.loads(text))


#: Time words of the languages chat in English switches into (data/other_languages.json).
OTHER_LANGUAGES = _other_languages()
#: Month and weekday names of every language read, English first.
MONTH_NAMES: dict[str, int] = {**MONTHS, **OTHER_LANGUAGES["months"]}
WEEKDAY_NAMES: dict[str, int] = {**WEEKDAYS, **OTHER_LANGUAGES["weekdays"]}
#: Month names that are also everyday words, read alone only after a date word.
AMBIGUOUS_MONTHS = frozenset({"may", "mar", "jan", "jun", "sep", "dec",
                               *OTHER_LANGUAGES["ambiguous_months"]})
#: Of those, the other languages' ones that are also given names ("Marco", "Mai", "Abril"):
#: capitalised after an English date word ("from Marco") they are the person.
NAME_LIKE_MONTHS = frozenset(OTHER_LANGUAGES["ambiguous_months"])


def alternatives(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, as a trie ("ma(?:rzo|yo|rs|i)"): the time pattern
    is tried at every character of every message, and a flat list of some hundred words cost
    half again the time of the English patterns alone."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(char) + pattern(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else \
            "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return pattern(trie)


#: A month name or abbreviation ("sept.", "March", "septiembre").
MONTH_PATTERN = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|" \
    r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|" + \
    alternatives(OTHER_LANGUAGES["months"]) + r")\.?"
#: "1 de septiembre", "2 do março": the word between a day and its month.
DAY_MONTH_LINK = r"(?:of|" + alternatives(OTHER_LANGUAGES["day_month_links"]) + ")"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
NUM = r"(?:\d{1,2}|a couple of|couple of|a couple|couple|a few|few|an?|one|two|three|four|" \
       r"five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
#: The units of "… ago" and "in …", with the abbreviations of chat ("2 yrs ago", "in 3 wks"):
#: each word (singular) → the calendar unit it counts and how many of them.
UNITS: dict[str, tuple[str, int]] = {
    "day": ("day", 1), "week": ("week", 1), "wk": ("week", 1), "fortnight": ("week", 2),
    "month": ("month", 1), "mo": ("month", 1), "mth": ("month", 1), "year": ("year", 1),
    "yr": ("year", 1)}
UNIT = "(?:" + "|".join(f"{word}s?" for word in sorted(UNITS, key=len, reverse=True)) + ")"
WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|" + \
    alternatives(OTHER_LANGUAGES["weekdays"]) + ")"
WD_ABBR = r"(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?"
HOL = "|".join(re.escape(h) for h in sorted(HOLIDAYS, key=len, reverse=True))
SEASON = r"(?:spring|summer|autumn|fall|winter)"
#: "in the summer of …": taken with the season so it is not read as the latest summer.
THE_SEASON = rf"(?:(?:in|over|during)\s+)?(?:the\s+)?(?:early\s+|late\s+)?{SEASON}"
#: Qualifiers of a year or month ("late 2023", "mid-March", "the first half of 2023").
PART = r"(?:early|mid|late|(?:the\s+)?middle\s+of|(?:the\s+)?(?:start|beginning|end)\s+of|" \
        r"(?:the\s+)?(?:first|second)\s+half\s+of)"
PART_SEP = r"(?:\s+|\s*-\s*)"  # "mid 2022", "mid-2022"
ABOUT = r"(?:over|about|around|almost|nearly|roughly|more\s+than|close\s+to)"


#: A day of the month in a range ("12th", "14") and what joins two of them.
_DAY_NUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DAYS_JOIN = r"(?:-|–|—|to|until|till|through|thru|&)"


#: Chat spellings of the calendar units ("last wknd", "next wk").
UNIT_SHORT = {"wk": "week", "wknd": "weekend", "wkend": "weekend", "mo": "month", "yr": "year"}

# Order matters: longer, more specific forms first. Each alternative is a named group.
PATTERNS: list[tuple[str, str]] = [
    ("iso_day", rf"\b{YEAR}-[01]\d-[0-3]\d\b|" +
     # year first with slashes or, zero-padded (a version is "2024.1.5"), dots ("2025/2/3",
     # "2024.09.09.": East Asian, Hungarian)
     rf"\b{YEAR}/(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])(?![\d/])|"
     rf"\b{YEAR}\.(?:1[0-2]|0[1-9])\.(?:[12]\d|3[01]|0[1-9])(?![\d/]|\.\d)"),
    # and with a dot, zero-padded ("since 2022.03": East Asian notes; a version is "2024.1")
    ("iso_month", rf"\b{YEAR}-(?:0[1-9]|1[0-2])\b|\b{YEAR}\.(?:0[1-9]|1[0-2])(?!\d|\.\d)"),
    # year ranges written short, month ranges sharing a year, day ranges: "2010-14",
    # "Jul–Aug 2019", "the 8th–11th", "8th to 11th"
    ("range_year_yy", rf"\b{YEAR}\s*[-–—]\s*\d\d\b(?![-/.]\d)"),
    ("range_mon_year", rf"\b{MONTH_PATTERN}\s*(?:-|–|—|to|until|till|through|thru)\s*"
                       rf"{MONTH_PATTERN},?\s+{YEAR}\b"),
    # day ranges inside one month: "12th–14th July", "14–16 June 2023", "June 12-14"
    ("range_days_mon", rf"\b{_DAY_NUM}\s*{_DAYS_JOIN}\s*{_DAY_NUM}\s+(?:of\s+)?"
                       rf"{MONTH_PATTERN}\b(?:,?\s+{YEAR}\b)?"),
    ("range_mon_days", rf"\b{MONTH_PATTERN}\.?\s+{_DAY_NUM}\s*{_DAYS_JOIN}\s*{_DAY_NUM}"
                       rf"(?![\d:/.]|\s*(?:am|pm|h)\b)(?:,?\s+{YEAR}\b)?"),
    ("range_ord", r"\b(?:the\s+)?(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\s*"
                  r"(?:-|–|—|to|until|till|through|thru|and|&)\s*(?:the\s+)?"
                  r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"),
    # numeric dates: 1.5.2023, 30/06/2023, 6/30/24, 12-5-1984 (order: see picking.numeric_order)
    ("num_dmy", r"(?<![\d./-])(?:" + "|".join(
        rf"(?:[12]\d|3[01]|0?[1-9]){sep}(?:[12]\d|3[01]|0?[1-9]){sep}(?:(?:19|20)\d\d|\d\d)"
        for sep in (r"\.", "/", "-")) +
     # "1. 10. 2024": Central European typing, a space after each dot (four-digit year only)
     r"|(?:[12]\d|3[01]|0?[1-9])\. (?:1[0-2]|0?[1-9])\. (?:19|20)\d\d"
     r")(?![\d/-]|\.\d)"),
    # month and year: 04/2021, 06.2019
    ("num_my", rf"(?<![\d./-])(?:0?[1-9]|1[0-2])[/.]{YEAR}(?![\d/-]|\.\d)"),
    # day and month without a year: "17.4.", "6/30", "3/1", and after a stricter cue day-first
    # with one dot ("last day 27.9": "4.2" is often a version) or a dash ("29-3": "9-5" is
    # often office hours)
    # "1. 4.": Central European typing again, a space after the first dot, both dots said
    ("num_dm", r"(?<![\d./-])(?:[12]\d|3[01]|0?[1-9])(?:\.(?:1[0-2]|0?[1-9])\.|"
               r"\. (?:1[0-2]|0?[1-9])\.(?! ?\d)|"
               r"\.(?:1[0-2]|0?[1-9])(?!\.?\d)|"
               r"/(?:[12]\d|3[01]|0?[1-9])|-(?:1[0-2]|0?[1-9])(?![\d-]))(?![\d/]|\.\d)"),
    # two-digit years: "march '21", "'16 to '19", "since '86"
    ("mon_year2", rf"\b{MONTH_PATTERN}\s+['’]\d\d\b"),
    ("range_years2", r"(?<![\w'’])['’]\d\d\s*(?:-|–|—|to|until|till|through)\s*['’]\d\d\b"),
    ("year2", r"(?<![\w'’])['’]\d\d\b"),
    ("hol_year", rf"\b(?:{HOL})(?:,)?\s+{YEAR}\b"),
    ("mon_day_year", rf"\b{MONTH_PATTERN}\s+{DAY}(?:,)?\s+{YEAR}\b"),
    ("day_mon_year", rf"\b{DAY}\.?\s+(?:{DAY_MONTH_LINK}\s+)?{MONTH_PATTERN}"
                     rf"(?:,|\s+{DAY_MONTH_LINK})?\s+{YEAR}\b"),
    ("range_years", rf"\b{YEAR}\s*(?:-|–|—|to|until|till|through)\s*{YEAR}\b"),
    ("ago_this_month", rf"\b{NUM}\s+years?\s+ago\s+this\s+month\b"),
    ("weekends_ago", rf"\b{NUM}\s+weekends?\s+(?:ago|back)\b"),
    ("ago", rf"\b{NUM}\s+{UNIT}\s+(?:ago|back)\b"),
    # "in 2 weeks", "in three months": that far ahead (not in a past clause)
    ("in_units", rf"\bin\s+{NUM}\s+{UNIT}\b"),
    ("mon_rel_year", rf"\b{MONTH_PATTERN}\s+(?:of\s+)?(?:last|this|next)\s+year\b"),
    ("part_mon_year", rf"\b{PART}{PART_SEP}{MONTH_PATTERN}\s+(?:of\s+)?{YEAR}\b"),
    ("mon_year", rf"\b{MONTH_PATTERN}(?:,)?\s+(?:{DAY_MONTH_LINK}\s+)?{YEAR}\b"),
    ("season_year", rf"\b{THE_SEASON}\s+(?:of\s+)?{YEAR}\b"),
    ("season_rel_year", rf"\b{THE_SEASON}\s+of\s+(?:last|this|next)\s+year\b"),
    ("quarter_year", rf"\bq[1-4]\s+(?:of\s+)?{YEAR}\b"),
    ("rel_season", rf"\b(?:last|this|next)\s+{SEASON}\b"),
    ("over_season", rf"\b(?:over|during|in)\s+the\s+{SEASON}\b"),
    ("rel_quarter", r"\b(?:last|this|next)\s+quarter\b"),
    ("quarter", r"\bq[1-4]\b"),
    ("part_year", rf"\b{PART}{PART_SEP}{YEAR}\b"),
    ("end_of_rel", r"\b(?:the\s+)?(?:end|start|beginning)\s+of\s+(?:the\s+)?(?:this\s+|next\s+|"
                   r"last\s+)?(?:month|year|week)\b"),
    ("part_mon", rf"\b{PART}{PART_SEP}{MONTH_PATTERN}(?![^\W\d_])"),
    ("hol", rf"\b(?:{HOL})\b"),
    ("mon_day", rf"\b{MONTH_PATTERN}\s+{DAY}\b(?!\s*(?:am|pm|%|:))"),
    ("day_mon", rf"\b{DAY}\.?\s+(?:{DAY_MONTH_LINK}\s+)?{MONTH_PATTERN}(?![^\W\d_])"),
    ("the_day", rf"\bthe\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
                rf"(?!\s+(?:{DAY_MONTH_LINK}\s+)?{MONTH_PATTERN})"),
    ("rel_mon", rf"\b(?:last|this|next)\s+{MONTH_PATTERN}(?![^\W\d_])"),
    ("rel_wd", rf"\b(?:last|this|next)\s+(?:{WD}|{WD_ABBR})(?![^\W\d_])"),
    ("rel_unit", rf"\b(?:last|this|next|past)\s+(?:week|weekend|month|year|"
                 rf"{'|'.join(UNIT_SHORT)})\b"),
    ("day_word", r"\b(?:the\s+day\s+before\s+yesterday|yesterday|yday|yest|today|tdy|"
                 r"tonight|tomorrow|tmrw|tmr|tmw|2mrw|2moro|tomoz|this\s+morning|"
                 r"this\s+afternoon|this\s+evening|last\s+night)\b"),
    ("other_day_word",
     r"(?<![\w'])(?:" + alternatives(OTHER_LANGUAGES["day_words"]) + r"|(?-i:" +
     alternatives(OTHER_LANGUAGES["lower_case_day_words"]) + r"))(?![\w'])"),
    ("for_years", rf"\b(?:for|after)\s+(?:the\s+(?:past|last)\s+)?(?:{ABOUT}\s+)?{NUM}\s+"
                  r"(?:years?|months?)\b"),
    ("num_years", rf"\b(?:been\s+(?:\w+\s+){{1,4}}?){NUM}\s+years?\b"),
    # a length said up to now without "for": "5 yrs already", "2 years there", "3 months now"
    ("length_now", rf"\b{NUM}\s+(?:years?|yrs?|months?|mos?)\s+(?:already|now|there|so\s+far|"
                   r"and\s+counting)\b"),
    # the same in the languages chat switches into: "6 años ya", "lleva 6 años", "3 jaar al",
    # "depuis 3 ans", "seit 2 Jahren"
    ("other_length_now",
     rf"(?<![\w'])(?:{alternatives(OTHER_LANGUAGES['length_before'])})\s+{NUM}\s+"
     rf"(?:{alternatives(OTHER_LANGUAGES['length_units'])})(?![\w'])|"
     rf"\b{NUM}\s+(?:{alternatives(OTHER_LANGUAGES['length_units'])})\s+"
     rf"(?:{alternatives(OTHER_LANGUAGES['length_after'])})(?![\w'])"),
    ("wd", rf"\b{WD}s?\b"),
    ("wd_abbr", rf"\b{WD_ABBR}(?![^\W\d_])"),
    ("year", rf"(?<![\d-]){YEAR}(?![\d-])"),
    ("mon", rf"\b{MONTH_PATTERN}(?![^\W\d_])"),
]
MASTER = re.compile("|".join(f"(?P<{name}>{pat})" for name, pat in PATTERNS), re.IGNORECASE)
#: Each form alone. ``MASTER`` matches somewhere exactly when one of these does, and searching
#: them one by one costs about a third of one ``MASTER`` scan (which tries every form at every
#: position), so a text none of them matches, most chat messages, is passed over at that cost.
#: Each form is searched behind a test of the characters its matches can start with (the same
#: matches; half the time again over chat turns).
FORMS = tuple(re.compile(with_first_chars(pat, re.IGNORECASE), re.IGNORECASE)
              for _, pat in PATTERNS)


def may_hold_a_time(text: str) -> bool:
    """Whether ``MASTER`` finds anything in ``text`` (exactly: see :data:`FORMS`)."""
    return any(form.search(text) for form in FORMS)
