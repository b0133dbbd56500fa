"""Starts said with a date: "he kicks off on 14 October", "first day 3 March", "Andes Data
sent the contract!! I start there on Sept 9 as Staff Engineer".

A date right after a start cue (``data/start_cues.txt``, words between them from
``data/start_cue_gaps.txt``) is when the undated facts said beside it begin, for the
predicates the cue begins ("start" a job, a course or a membership; "move" a home): those of
its sentence, or of the sentence before or after it, whose subject is one that sentence (or
the one before) speaks of, unless the cue's verb says the start of something or someone else
("the contract starts March 1", "he starts March 4" beside the speaker's own job).

The rules read the date as the cue's own; without this, the facts of the same announcement
("he'll report to Sizwe", "as a data engineer") took the message time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Token

from asof.extraction.assembly.state import Record
from asof.extraction.assembly.words import names_within
from asof.extraction.lexicons import data_lines
from asof.extraction.spans import text_of
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis, Granularity
from asof.timex import Role, TimeMention

__all__ = ["date_cued_starts", "moves_to_new_jobs", "start_cue_words", "tenure_dates_the_job",
           "titled_starts", "trailing_starts", "with_us"]

#: How far back from a date a cue may stand, in tokens.
_REACH = 6
#: Pronouns that name someone other than the one who speaks.
_THIRD_PERSON = frozenset({"he", "she", "they"})


@cache
def _cues() -> tuple[tuple[tuple[tuple[str, ...], frozenset[str]], ...], frozenset[str]]:
    """The cues (lemma tuples, longest first) with the predicates each begins, and the gap
    words."""
    cues: list[tuple[tuple[str, ...], frozenset[str]]] = []
    predicates: frozenset[str] = frozenset()
    for line in data_lines("start_cues.txt"):
        if line.startswith("["):
            predicates = frozenset(line.strip("[]").split())
        else:
            cues.append((tuple(line.lower().split()), predicates))
    cues.sort(key=lambda cue: len(cue[0]), reverse=True)
    return tuple(cues), frozenset(line.lower() for line in data_lines("start_cue_gaps.txt"))


def start_cue_words() -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    """The start cues (lemma tuples, longest first), each with the predicates it begins."""
    return _cues()[0]


@dataclass(frozen=True, slots=True)
class _Cue:
    time: TimeMention
    sentence: int
    predicates: frozenset[str]
    #: who or what the cue's verb says starts ("the contract starts March 1"), if it says
    said_of: Token | None


def _cue_before(doc: Doc, time: TimeMention) -> tuple[int, frozenset[str]] | None:
    """The first token of a start cue right before ``time`` (past gap words and an "at
    Name" aside) and the predicates it begins."""
    cues, gaps = _cues()
    span = doc.char_span(time.start_char, time.end_char, alignment_mode="expand")
    if span is None:
        return None
    i = span.start - 1
    floor = max(0, span.start - _REACH)
    while i >= floor and (doc[i].lower_ in gaps or doc[i].pos_ == "PROPN" and
                          any(doc[k].lower_ == "at" for k in range(max(0, i - 3), i))):
        i -= 1
    for words, predicates in cues:
        lo = i - len(words) + 1
        if lo >= 0 and all(doc[lo + k].lemma_.lower() == word or doc[lo + k].lower_ == word
                           for k, word in enumerate(words)):
            return lo, predicates
    return None


def _said_of(doc: Doc, i: int) -> Token | None:
    verb = doc[i]
    return next((k for k in verb.children if k.dep_ in ("nsubj", "nsubjpass")), None)


def _belongs(record: Record, cue: _Cue, speakers: set[str]) -> bool:
    """Whether the start the cue states can be ``record``'s: not when the cue's verb says
    it of something else ("the contract starts March 1") or of a third person while the
    record is a speaker's ("he starts March 4")."""
    said_of = cue.said_of
    if said_of is None:
        return True
    if said_of.pos_ == "PRON":
        return not (said_of.lower_ in _THIRD_PERSON and record.subject in speakers)
    name = normalize_name(said_of.text)
    return name in normalize_name(record.subject).split()


def date_cued_starts(doc: Doc, buffer: list[Record], speakers: set[str]) -> None:
    """Give the undated state facts of ``buffer`` (this message's records) the date a start
    cue beside them states (see the module docstring). ``speakers``: the names of those who
    speak in the conversation."""
    sentences = [(s.start_char, s.end_char) for s in doc.sents]

    def sentence_of(offset: int) -> int:
        return next((k for k, (lo, hi) in enumerate(sentences) if lo <= offset < hi), -1)

    cues = []
    for time in doc._.asof_times or []:
        if time.role not in (Role.AT, Role.START) or \
                time.value.granularity not in (Granularity.DAY, Granularity.MONTH):
            continue
        found = _cue_before(doc, time)
        if found is not None:
            cues.append(_Cue(time, sentence_of(time.start_char), found[1],
                             _said_of(doc, found[0])))
    if not cues:
        return
    for record in buffer:
        if record.kind is not AssertionKind.ASSERT or record.valid_from is not None or \
                record.valid_to is not None or record.basis is Basis.UNKNOWN:
            continue
        here = sentence_of(record.evidence[0])
        fitting = [c for c in cues if record.predicate in c.predicates]
        near = [c for c in fitting if c.sentence == here] or \
            [c for c in fitting if c.sentence in (here - 1, here + 1)]
        if not near or not _belongs(record, near[0], speakers):
            continue
        time = near[0].time
        # whose start it is: the subjects spoken of up to the date in its sentence ("Ops is Bea
        # Lund, she joined in June" dates her facts, not those of the sentence before), else in
        # the one before ("Thabo joins on the 14th. he'll report to Sizwe" — not Sizwe's)
        spoken = [(sentence_of(r.evidence[0]), r.subject) for r in buffer
                  if r.evidence[0] <= time.start_char]
        owners = {who for k, who in spoken if k == near[0].sentence} or \
            {who for k, who in spoken if k == near[0].sentence - 1}
        if owners and record.subject not in owners:
            continue
        record.valid_from, record.basis = time.value.start, Basis.STATED
        record.granularity, record.stated_time = time.value.granularity, time.value


#: Words a sentence that only says since when may hold beside its time ("since 2016 I
#: think", "2 yrs there already").
_TRAILING_WORDS = frozenset({"since", "from", "i", "think", "guess", "about", "around",
                             "already", "now", "there", "here", "so", "far", "tho", "lol",
                             "and", "counting", "roughly", "approx", "ish"})
_JOB = frozenset({"works_at", "job_title"})


def trailing_starts(doc: Doc, buffer: list[Record]) -> None:
    """A sentence that says only since when ("founder @ yeti trail treks, pkr based. since
    2016", "frontend dev @ Shipwise, remote from plovdiv. 2 yrs there") dates the undated
    job said before it in the message, or, with no job there, the facts of the sentence right
    before it."""
    times: list[TimeMention] = doc._.asof_times or []
    sentences = list(doc.sents)
    for k, sentence in enumerate(sentences):
        inside = [t for t in times if sentence.start_char <= t.start_char < sentence.end_char
                  and t.role in (Role.START, Role.DURATION)]
        if k == 0 or len(inside) != 1:
            continue
        time = inside[0]
        rest = [t for t in sentence if not t.is_punct and not (
            time.start_char <= t.idx < time.end_char) and t.lower_ not in _TRAILING_WORDS]
        if rest:
            continue
        undated = [r for r in buffer if r.kind is AssertionKind.ASSERT and
                   r.valid_from is None and r.valid_to is None and
                   r.basis is not Basis.UNKNOWN and r.evidence[0] < sentence.start_char]
        jobs = [r for r in undated if r.predicate in _JOB]
        previous = sentences[k - 1]
        for record in jobs or [r for r in undated
                               if previous.start_char <= r.evidence[0] < previous.end_char]:
            record.valid_from, record.basis = time.value.start, Basis.STATED
            record.granularity, record.stated_time = time.value.granularity, time.value


def titled_starts(buffer: list[Record], held: Callable[[str, str], set[str]]) -> None:
    """"started at Fjordline on the 3rd — 'business analyst' on paper": a new
    title said without a time, beside the one job its subject starts in the message on a
    stated day, begins with that job; so does a new reporting line beside the job or the
    title ("Ilse started on 16 September and reports to Oskar"). ``held(subject,
    predicate)`` gives the titles or managers a subject has already (those are no part of
    the new job). A tenure ("head of data, at Kestrel since 2020") is no start on a day: the
    title is known from the message."""
    for predicate, starters in (("job_title", ("works_at",)),
                                ("reports_to", ("works_at", "job_title"))):
        for record in buffer:
            if record.predicate != predicate or record.kind is not AssertionKind.ASSERT or \
                    record.valid_from is not None or record.valid_to is not None or \
                    record.basis is Basis.UNKNOWN or \
                    normalize_name(record.obj) in held(record.subject, predicate):
                continue
            jobs = [r for r in buffer if r.subject == record.subject and
                    r.predicate in starters and r.kind is AssertionKind.ASSERT and
                    r.basis is Basis.STATED and r.valid_from is not None and
                    r.valid_to is None and r.granularity is Granularity.DAY]
            if len({normalize_name(r.obj) for r in jobs if r.predicate == "works_at"}) <= 1 \
                    and len({r.valid_from for r in jobs}) == 1:
                job = jobs[0]
                record.valid_from, record.basis = job.valid_from, Basis.STATED
                record.granularity, record.stated_time = job.granularity, job.stated_time


#: A tenure at a workplace: "been there since 2017", "with us since 2019", "6 years there".
_TENURE_BEFORE = re.compile(r"\b(?:there|here|dey|with\s+us|at\s+the\s+company)\s+(?:since|for)"
                            r"\s*$", re.IGNORECASE)
_TENURE_AFTER = re.compile(r"(?:^|\s)(?:there|here|with\s+us|at\s+the\s+company)\b",
                           re.IGNORECASE)


def tenure_dates_the_job(doc: Doc, buffer: list[Record]) -> None:
    """"payroll supervisor at Nordvik Steel, been there since 2017", "tech lead at Pampa
    Software, 6 years there": a tenure at the workplace dates the job, not the title or the
    reporting line held there now, which are known from the message (as a tenure said in a
    sentence of its own already left them)."""
    # (most messages date no title beside a job: the text is read only when one does)
    dated = [record for record in buffer
             if record.predicate in ("job_title", "reports_to") and
             record.kind is AssertionKind.ASSERT and record.stated_time is not None and
             any(r.subject == record.subject and r.predicate == "works_at" and
                 r.stated_time == record.stated_time for r in buffer)]
    if not dated:
        return
    text = text_of(doc)
    tenures = [t.value for t in doc._.asof_times or [] if
               _TENURE_BEFORE.search(text[max(0, t.start_char - 30):t.start_char]) or
               t.role is Role.DURATION and (_TENURE_AFTER.search(t.text) or
                                            _TENURE_AFTER.match(text[t.end_char:]))]
    for record in dated:
        if record.stated_time in tenures:
            record.valid_from, record.basis = None, Basis.OBSERVED
            record.granularity, record.stated_time = None, None


def moves_to_new_jobs(buffer: list[Record]) -> None:
    """"Ilse got hired by Bergen Kommune … she flies to Bergen on 1 August", "the postdoc
    at the University of Tromsø … we fly to Tromsø in late September": a trip,
    in the message that starts a job or a course, to the town the new place is named after
    is a move there."""
    for record in buffer:
        if record.predicate != "visited" or record.kind is not AssertionKind.ASSERT:
            continue
        if any(r.subject == record.subject and r.kind is AssertionKind.ASSERT and
               r.predicate in ("works_at", "studies_at") and names_within(record.obj, r.obj)
               for r in buffer):
            record.predicate, record.valid_to = "lives_in", None


def with_us(doc: Doc, after: int) -> list[tuple[int, int, str, bool]]:
    """"First day with us 2 June", "starts with us on Monday": the start of a place at the
    speaker's organisation (routed to it as "us"), not of a job said elsewhere."""
    if after + 1 < len(doc) and doc[after].lower_ in ("with", "at") and \
            doc[after + 1].lower_ == "us":
        return [(after + 1, after + 2, "us", False)]
    return []
