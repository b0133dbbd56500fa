"""A start moved to another date after it was announced: "Go-live moves to 22 April", "Wang
Fang's start moved to 3/24", "optima start got pushed, july 1 now", "she started a week late
— today, the 13th".

A sentence that names a start (a cue of ``data/start_cues.txt`` other than the moving word
itself) and a word that moves it (``data/reschedule_words.txt``), with a day or month in it,
gives that date to the start of facts announced earlier for a time still to come when they
were said: those of the person or thing the sentence names, else of the speaker when it says
"my", else the latest such announcement. The facts announced together (the job, its title,
its manager) move together, except one the message names anew ("…, reporting to Piotr now").
The new date is the first said after the start cue, past the one it moved from; it may come
in the next sentence ("they pushed it two weeks. April 15 now", where "it" stands for what
was announced). A date said without its year is taken in the year nearest the
start it replaces ("moved to 3/24" in March is this March, not last year's, whatever the
tense of "moved").
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from spacy.tokens import Doc, Span, Token

from asof.extraction.assembly.start_cues import start_cue_words
from asof.extraction.assembly.state import ConversationState, Record
from asof.extraction.lexicons import SELF_WORDS, data_lines
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis, Granularity
from asof.timex import Role, TimeMention
from asof.timex.vocabulary import WEEKDAY_ABBREVIATIONS, WEEKDAY_NAMES

__all__ = ["rescheduled_starts"]


#: Before the date a start moved from: "moved from 3 June to 10 June", "not the 3rd".
_FROM_BEFORE = re.compile(r"\b(?:from|not|instead\s+of)(?:\s+the)?\s*$", re.IGNORECASE)

#: The objects of a moving verb that stand for the announced start ("pushed it a week").
_MOVED_PRONOUNS = frozenset({"it", "everything", "that", "this", "things"})


@cache
def _moving_words() -> frozenset[str]:
    return frozenset(line.lower() for line in data_lines("reschedule_words.txt"))


def _moves(token: Token) -> bool:
    """Whether the token is a word that moves a start, by its lemma or as written."""
    moving = _moving_words()
    return token.lemma_.lower() in moving or token.lower_ in moving


def _start_cues(sentence: Span) -> tuple[frozenset[str], int, set[int]]:
    """The predicates the start cues of the sentence begin, where the last cue ends (a
    character offset; the sentence's start without a cue) and the tokens of the cues, leaving
    out a cue that is the moving word itself ("Go-live moves to …": "moves" is no move
    home)."""
    tokens = [t for t in sentence if t.text != "-"]  # "go-live" as "go", "-", "live"
    lemmas, lows = [t.lemma_.lower() for t in tokens], [t.lower_ for t in tokens]
    found: set[str] = set()
    covered: set[int] = set()
    after = sentence.start_char
    for words, predicates in start_cue_words():
        words = tuple(w for part in words for w in part.split("-"))
        for i in range(len(tokens) - len(words) + 1):
            if all(lemmas[i + k] == w or lows[i + k] == w for k, w in enumerate(words)) and \
                    not (len(words) == 1 and _moves(tokens[i])):
                found |= predicates
                last = tokens[i + len(words) - 1]
                after = max(after, last.idx + len(last.text))
                covered.update(t.i for t in tokens[i:i + len(words)])
    return frozenset(found), after, covered


def _new_date(sentence: Span, times: list[TimeMention], after: int) -> TimeMention | None:
    """The date the start moved to: the first day or month said after the start cue, past
    the one it moved from ("Start is now 1 September and I fly on 25 August", "moved from 3
    June to 10 June"), else the sentence's last. A bare weekday gives way to a date: "now
    15 October (a Tuesday, Monday is Thanksgiving)"."""
    text = sentence.doc.text
    # "moved from 17/6 to 24/6" is one range: the start moved to its end
    times = [TimeMention(t.start_char, t.end_char, t.text, t.end_value, Role.AT)
             if t.role is Role.RANGE and t.end_value is not None else t
             for t in times if t.role is Role.RANGE or
             not _FROM_BEFORE.search(text[max(0, t.start_char - 12):t.start_char])]
    inside = [t for t in times if sentence.start_char <= t.start_char < sentence.end_char and
              t.role in (Role.AT, Role.START) and
              t.value.granularity in (Granularity.DAY, Granularity.MONTH)]
    dated = [t for t in inside if not _bare_weekday(t.text)] or inside
    following = [t for t in dated if t.start_char >= after]
    return following[0] if following else dated[-1] if dated else None


def _bare_weekday(text: str) -> bool:
    return all(word in WEEKDAY_NAMES or word in WEEKDAY_ABBREVIATIONS
               for word in re.findall(r"[^\W\d_]+", text.lower()))


def _moves_without_date(sentence: Span, times: list[TimeMention]) -> bool:
    """A sentence that moves a start or an announced thing and says no time, the new date
    coming next ("my start got pushed again. 8 July now"). "I moved in the week before" is
    no such sentence: its moving word is the start cue itself."""
    if any(sentence.start_char <= t.start_char < sentence.end_char for t in times):
        return False
    _predicates, _after, cue_tokens = _start_cues(sentence)
    return _moved_thing(sentence) or bool(cue_tokens) and any(
        _moves(t) and t.i not in cue_tokens for t in sentence)


def _moved_thing(sentence: Span) -> bool:
    """Whether the moving word's object is a pronoun for what was announced: "they pushed it
    two weeks", "Dubai pushed everything one month"."""
    moving = _moving_words()
    return any(t.lemma_.lower() in moving and any(
        c.dep_ in ("dobj", "obj") and c.lower_ in _MOVED_PRONOUNS for c in t.children)
        for t in sentence)


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
    sentences = list(doc.sents)
    for k, sentence in enumerate(sentences):
        if not any(_moves(t) for t in sentence):
            continue
        if k + 1 < len(sentences) and _moves_without_date(sentence, times):
            # the new date in the next sentence: "Dubai pushed everything one month. Start is
            # now 1 September.", "my start got pushed again. 8 July now"
            sentence = doc[sentence.start:sentences[k + 1].end]
        predicates, after, _cue_tokens = _start_cues(sentence)
        if not predicates and _moved_thing(sentence):
            # "they pushed it two weeks. April 15 now": whatever start was announced
            predicates = frozenset().union(*(found for _words, found in start_cue_words()))
        fix = _new_date(sentence, times, after) if predicates else None
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
            if start == record.valid_from or any(
                    r.message == index and r.kind is AssertionKind.ASSERT and
                    r.valid_to is None and r.subject == record.subject and
                    r.predicate == record.predicate and
                    normalize_name(r.obj) != normalize_name(record.obj) for r in buffer):
                continue  # unmoved, or the message states what holds instead ("still
                # reporting to me")
            buffer[:] = [r for r in buffer if not (
                r.subject == record.subject and r.predicate == record.predicate and
                normalize_name(r.obj) == normalize_name(record.obj))]
            buffer.append(Record(record.subject, record.predicate, record.obj,
                                 record.literal, AssertionKind.CORRECT, start, None,
                                 Basis.STATED, fix.value.granularity, record.group, index,
                                 (fix.start_char, fix.end_char), 0.6))
