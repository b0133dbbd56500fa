"""A start moved to another date after it was announced: "Go-live moves to 22 April", "Wang
Fang's start moved to 3/24", "optima start got pushed, july 1 now", "she started a week late
— today, the 13th".

A sentence that names a start (a cue of ``data/start_cues.txt`` other than the moving word
itself) and a word that moves it (``data/reschedule_words.txt``), with a day or month in it,
gives that date to the start of facts announced earlier for a time still to come when they
were said: those of the person or thing the sentence names, else of the speaker when it says
"my", else the latest such announcement. The facts announced together (the job, its title,
its manager) move together. A date said without its year is taken in the year nearest the
start it replaces ("moved to 3/24" in March is this March, not last year's, whatever the
tense of "moved").
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from spacy.tokens import Doc, Span

from asof.extraction.assembly.start_cues import start_cue_words
from asof.extraction.assembly.state import ConversationState, Record
from asof.extraction.patterns import SELF_WORDS, data_lines
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis, Granularity
from asof.timex import Role, TimeMention

__all__ = ["rescheduled_starts"]


@cache
def _moving_words() -> frozenset[str]:
    return frozenset(line.lower() for line in data_lines("reschedule_words.txt"))


def _start_predicates(sentence: Span) -> frozenset[str]:
    """The predicates a start cue of the sentence begins, leaving out a cue that is the
    moving word itself ("Go-live moves to …": "moves" is no move home)."""
    moving = _moving_words()
    tokens = [t for t in sentence if t.text != "-"]  # "go-live" as "go", "-", "live"
    lemmas, lows = [t.lemma_.lower() for t in tokens], [t.lower_ for t in tokens]
    found: set[str] = set()
    for words, predicates in start_cue_words():
        words = tuple(w for part in words for w in part.split("-"))
        for i in range(len(tokens) - len(words) + 1):
            if all(lemmas[i + k] == w or lows[i + k] == w for k, w in enumerate(words)) and \
                    not (len(words) == 1 and (lemmas[i] in moving or lows[i] in moving)):
                found |= predicates
    return frozenset(found)


def _new_date(sentence: Span, times: list[TimeMention]) -> TimeMention | None:
    """The last day or month said in the sentence (the date the start moved to)."""
    inside = [t for t in times if sentence.start_char <= t.start_char < sentence.end_char and
              t.role in (Role.AT, Role.START) and
              t.value.granularity in (Granularity.DAY, Granularity.MONTH)]
    return inside[-1] if inside else None


def _nearest_year(time: TimeMention, old: datetime) -> datetime:
    """The date in the year, of the one before to the one after, nearest ``old``: a yearless
    "3/24" or "1 July" whose tense picked the wrong year."""
    new = time.value.start
    if re.search(r"(?<!\d)\d{4}(?!\d)", time.text):
        return new  # the year was said
    options = []
    for shift in (-1, 0, 1):
        try:
            options.append(new.replace(year=new.year + shift))
        except ValueError:
            continue
    local_old = old.astimezone(new.tzinfo)
    return min(options, key=lambda option: abs((option - local_old).total_seconds()))


def _announced(state: ConversationState, index: int,
               predicates: frozenset[str]) -> list[Record]:
    """Earlier facts of ``predicates`` whose start, when said, was still to come."""
    out = []
    for record in state.records:
        said = state.message_times.get(record.message)
        if record.message < index and record.predicate in predicates and \
                record.kind in (AssertionKind.ASSERT, AssertionKind.CORRECT) and \
                record.valid_from is not None and said is not None and \
                record.valid_from > said and record.valid_to is None:
            out.append(record)
    return out


def _named(record: Record, words: set[str]) -> bool:
    return any(part in words for part in normalize_name(record.subject).split()) or \
        any(part in words for part in normalize_name(record.obj).split() if len(part) > 2)


def rescheduled_starts(doc: Doc, index: int, speaker: str, state: ConversationState,
                       buffer: list[Record]) -> None:
    """Append to ``buffer`` the corrections that move announced starts (see the module
    docstring). ``index``: this message's place in the conversation."""
    times: list[TimeMention] = doc._.asof_times or []
    if not times:
        return
    moving = _moving_words()
    for sentence in doc.sents:
        if not any(t.lemma_.lower() in moving or t.lower_ in moving for t in sentence):
            continue
        predicates = _start_predicates(sentence)
        fix = _new_date(sentence, times) if predicates else None
        if fix is None:
            continue
        announced = _announced(state, index, predicates)
        if not announced:
            continue
        words = {normalize_name(t.text) for t in sentence if not t.is_punct}
        chosen = [r for r in announced if _named(r, words)] or \
            ([r for r in announced if r.subject == speaker]
             if words & SELF_WORDS else announced)
        if not chosen:
            continue
        latest = chosen[-1]
        moved = [r for r in announced if latest.starts_with(r)]
        for record in moved:
            assert record.valid_from is not None
            start = _nearest_year(fix, record.valid_from)
            if start == record.valid_from:
                continue
            buffer[:] = [r for r in buffer if not (
                r.subject == record.subject and r.predicate == record.predicate and
                normalize_name(r.obj) == normalize_name(record.obj))]
            buffer.append(Record(record.subject, record.predicate, record.obj,
                                 record.literal, AssertionKind.CORRECT, start, None,
                                 Basis.STATED, fix.value.granularity, record.group, index,
                                 (fix.start_char, fix.end_char), 0.6))
