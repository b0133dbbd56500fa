"""Times: the times a trigger owns, those inherited from a neighbouring clause, asides
("since 2019, I think"), dates given as context for an earlier fact, and one record per fact
with its interval."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from spacy.tokens import Doc

from asof.extraction.assembly.routing import PredicateRouting
from asof.extraction.assembly.state import Record
from asof.extraction.assembly.words import past_copula
from asof.extraction.components.base import Candidate, Clause
from asof.extraction.spans import is_emoji
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _tok
from asof.extraction.tagger.component import LEARNED_RULE
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis, Episode, Granularity
from asof.timex import Role, TimeMention, TimeValue, duration_before
from asof.timex import period as make_period

TITLE_RULES = frozenset({"title", "as_title", "title_at", "promoted", "title_colon"})
#: The facts of one job: a start announced for one of them holds for the others.
_JOB_PREDICATES = frozenset({"works_at", "job_title", "reports_to"})
#: "before Kōwhai", "before Xero": a name after "before" (its fact's start ends this one)
_BEFORE_NAME_RE = re.compile(
    r"\b[Bb]efore\s+((?!I\b)[A-Z][\w&'.-]*(?:\s+(?!I\b)[A-Z][\w&'.-]*)*)")


#: Words a time aside may carry besides the time ("since 2016 I think", "from May or so").
_ASIDE_WORDS = frozenset({"since", "from", "as", "of", "i", "think", "believe", "guess", "or",
                          "so", "ish", "roughly", "about", "around", "and", "starting",
                          "effective", "officially", "actually", "probably", "maybe",
                          "in", "on", "at", "back", "then", "early", "late", "mid"})


def _fronted(doc: Doc, time: TimeMention) -> bool:
    """A time right before a subject pronoun: it opens the clause that follows."""
    after = doc.char_span(time.start_char, time.end_char, alignment_mode="expand")
    if after is None or after.end >= len(doc):
        return False
    k = after.end + (1 if doc[after.end].text == "," else 0)
    return k < len(doc) and doc[k].lower_ in ("i", "we", "he", "she", "they") and \
        k + 1 < len(doc) and doc[k + 1].pos_ in ("AUX", "VERB")


def _governing_anchor(doc: Doc, position: int, anchors: list[int]) -> int | None:
    """The trigger whose verb governs a time expression in the parse ("signed with X in
    April and retired Y": April hangs off "signed"), or None when no trigger does."""
    token = doc[position]
    seen = 0
    while token.head.i != token.i and seen < 8:
        token = token.head
        seen += 1
        if token.i in anchors:
            return token.i
    return None


#: Words that date a statement by the time said before it, as "since then" does ("2) from the
#: same day my new manager is Tove Berg").
_BACK_REFERENCE = re.compile(r"\b(?:from\s+)?(?:that|the)\s+same\s+day\b|"
                             r"\bfrom\s+that\s+day(?:\s+on)?\b")
#: Marks that part one statement from the next ("last day @ X fri, start at Y the 2nd").
_PARTING = frozenset({",", ";", "—", "–", "-", ".", "!", "?"})


def _distance(doc: Doc, anchor: int, position: int) -> int:
    """How far a time at ``position`` is from a trigger: tokens between them, one more when
    the trigger comes after the time (a time usually follows its verb), and three more for
    each mark between them that parts one statement from the next."""
    low, high = sorted((anchor, position))
    parted = sum(1 for k in range(low + 1, high)
                 if doc[k].text in _PARTING or is_emoji(doc[k].text))
    return abs(anchor - position) + (anchor > position) + 3 * parted


def _governing_verb(doc: Doc, position: int) -> int | None:
    """The verb a token hangs on, within a few steps up the parse and in its clause."""
    token, clause = doc[position], doc[position]._.asof_clause
    for _ in range(4):
        if token.head.i == token.i:
            return None
        token = token.head
        if token._.asof_clause != clause:
            return None
        if token.pos_ == "VERB":
            return token.i
    return None


def _span_start(times: list[TimeMention], end: datetime) -> TimeValue | None:
    """The start of a stated length ("for four years") that ended at ``end``."""
    for t in times:
        if t.role is Role.DURATION:
            return duration_before(t, end)
    return None


def _own_part(doc: Doc, cand: Candidate, times: list[TimeMention]) -> list[TimeMention]:
    """Of several times in a clause, those in the trigger's own part of it, between commas
    or dashes, where it has any ("notice in tmrw, last day at shipwise 30 aug": the last day
    is 30 August). A time on another line is another statement's ("Formation: ENSI,
    2014–2017\nLangues: arabe, français"), and a line of a list has its own time where it
    gives one, even outside the clause ("- '16 to '19: network engineer at Ankobra")."""
    trigger = cand.trigger[0]
    text = _text(doc)
    at = doc[trigger].idx

    def same_line(t: TimeMention) -> bool:
        return "\n" not in text[min(at, t.start_char):max(at, t.start_char)]

    times = [t for t in times if same_line(t)] or (
        [t for t in (doc._.asof_times or []) if same_line(t)] if "\n" in text[:at] else [])
    if len(times) < 2:
        return times

    own = [t for t in times if _one_part(doc, trigger, _tok(doc, t.start_char))]
    return own if own else times


def _one_part(doc: Doc, a: int, b: int) -> bool:
    """Whether tokens ``a`` and ``b`` are in one part of their clause (no comma, semicolon or
    dash between them)."""
    low, high = sorted((a, b))
    return not any(doc[k].text in _PART_MARKS for k in range(low + 1, high))


#: What a cue without an object dates ("first day is …", "moving day is …").
_HOME = frozenset({"lives_in"})
_JOB = frozenset({"works_at", "studies_at", "member_of", "job_title", "reports_to"})

#: Marks that part a clause into statements of their own.
_PART_MARKS = frozenset({",", ";", "—", "–"})


class TimeAnchoring(PredicateRouting):
    """Anchors each fact in time and records it."""

    def _date_context(self, subject: str, predicate: str, time: TimeMention,
                      buffer: list[Record]) -> bool:
        """"…, first day is 1 July" / "moving day is May 13" / "I start March 4": the date
        of a fact stated earlier in the message (and of the facts stated with it). A move's
        date is a home's ("New job at X starting 4 March, I move up on 20 February"), a
        start's a job's."""
        dated = _HOME if predicate == "lives_in" else _JOB
        for record in reversed(buffer):
            if record.subject != subject or record.kind is not AssertionKind.ASSERT or \
                    record.valid_from is not None or record.basis is Basis.UNKNOWN or \
                    record.predicate not in dated:
                continue
            for other in buffer:
                if other.group == record.group and other.valid_from is None and \
                        other.kind is AssertionKind.ASSERT and other.basis is not Basis.UNKNOWN:
                    other.valid_from, other.basis = time.value.start, Basis.STATED
                    other.granularity = time.value.granularity
            return True
        return False

    def _date_earlier(self, subject: str, predicate: str, time: TimeMention, index: int,
                      cand: Candidate, doc: Doc, buffer: list[Record]) -> bool:
        """"Noa and I are moving to Denver" … later "we move April 1": the date of an undated
        plan stated in an earlier message, restated with its date for everyone it was
        stated for."""
        state = self.state
        for record in reversed(state.records):
            if record.subject != subject or record.predicate != predicate or \
                    record.kind is not AssertionKind.ASSERT or record.valid_from is not None \
                    or record.valid_to is not None or record.basis is not Basis.OBSERVED:
                continue
            if not any(c.obj == record.obj for c in state.current(subject, predicate)):
                continue
            span = (doc[cand.trigger[0]].idx, time.end_char)
            for other in state.records:
                if other.group == record.group and other.predicate == predicate and \
                        other.kind is AssertionKind.ASSERT and other.valid_from is None and \
                        other.valid_to is None:
                    # a correction: the plan's start was only the day it was mentioned
                    buffer.append(self._record(other.subject, predicate, other.obj,
                                               other.literal, AssertionKind.CORRECT,
                                               time.value.start, None, index, span, 0.7,
                                               basis=Basis.STATED,
                                               granularity=time.value.granularity,
                                               stated=time.value))
            return True
        return False

    def _reports_end(self, manager: str, when: datetime, index: int, ev: tuple[int, int],
                     buffer: list[Record]) -> None:
        """A manager who leaves ("Mr Mwansa retires, last day 31 July") is no one's manager
        from then on (a later date in the message moves the end)."""
        for who in dict.fromkeys(r.subject for r in self.state.records
                                 if r.predicate == "reports_to" and r.obj == manager):
            said = next((r for r in buffer if r.subject == who and r.obj == manager and
                         r.predicate == "reports_to" and r.kind is AssertionKind.RETRACT), None)
            if said is not None:
                said.valid_from = when
            elif any(c.obj == manager for c in self.state.current(who, "reports_to")):
                buffer.append(self._record(who, "reports_to", manager, False,
                                           AssertionKind.RETRACT, when, None, index, ev, 0.6))

    def _context_object(self, subject: str, predicate: str,
                        buffer: list[Record]) -> str | None:
        for record in reversed(buffer):
            if record.subject == subject and record.predicate == predicate and \
                    record.kind is AssertionKind.ASSERT:
                return record.obj
        held = self.state.current(subject, predicate)
        return held[-1].obj if held else None

    def _own_times(self, doc: Doc, ci: int, cand: Candidate,
                   times: list[TimeMention]) -> list[TimeMention]:
        """Several facts in one clause ("I leave X at the end of April, move to Munich on May
        20 and start at Y on June 3"): each time belongs to the nearest trigger."""
        times = _own_part(doc, cand, times)
        anchors = self._anchors.get(ci, [])
        mine = cand.trigger[0]
        if cand.rule == "title" and cand.subject == "name":
            # "Start 1 October, reporting to our finance director, Dr. Rose Achieng": a time
            # in another part of the clause, beside the verb of a statement about someone
            # else, dates that statement, not the title of someone named in passing ("Kwon
            # Dae-ho, senior backend engineer, with us since 2019" and "Mei Lin Chow, senior
            # gameplay engineer, starts 7 October" are his and hers)
            others = [c.trigger[0] for c in doc._.asof_candidates or []
                      if c.clause == ci and c.trigger[0] in anchors and
                      c.subject_span != cand.subject_span]
            times = [t for t in times if _one_part(doc, mine, _tok(doc, t.start_char)) or
                     not any(_one_part(doc, a, _tok(doc, t.start_char)) for a in others)]
        if cand.rule == LEARNED_RULE:
            # a tagged span owns no trigger, but the verb it hangs on is one ("started at
            # behaviour on the 9th", where no rule read the lower-case name)
            verb = _governing_verb(doc, mine)
            if verb is not None and verb not in anchors:
                anchors, mine = sorted([*anchors, verb]), verb
        if len(anchors) < 2 or not times:
            return times
        if cand.rule in TITLE_RULES or mine not in anchors:
            mine = min(anchors, key=lambda a: (abs(a - cand.trigger[0]), a > cand.trigger[0]))
        kept = []
        for t in times:
            position = _tok(doc, t.start_char)
            nearest = min(anchors, key=lambda a: (_distance(doc, a, position), a))
            later = [a for a in anchors if a > position]
            if later and _fronted(doc, t):
                nearest = min(later)  # "…, and since last October I've been working at X"
            elif nearest > position:
                # a time before the next trigger belongs to the verb that governs it
                governing = _governing_anchor(doc, position, anchors)
                if governing is not None and governing < position:
                    nearest = governing
            if nearest == mine:
                kept.append(t)
        return kept

    def _inherit_times(self, doc: Doc, clause: Clause, ci: int, cand: Candidate,
                       clause_times: dict[int, list[TimeMention]], times: list[TimeMention],
                       clauses: list[Clause]) -> list[TimeMention]:
        if cand.rule == "title" and cand.subject == "name" and any(
                c.clause == ci and c is not cand and c.predicate != "job_title" and
                any(o[0] == (cand.subject_span or (-1,))[0] for o in c.objects)
                for c in doc._.asof_candidates or []):
            # "since then I report straight to our CEO, Ola Berg": the time dates the line,
            # not the title of the person it names
            return times
        low = _BACK_REFERENCE.sub("since then", doc[clause.start:clause.end].text.lower())
        if times:
            if "since then" in low or "from then" in low:
                for prev in range(ci - 1, -1, -1):
                    if clause_times.get(prev):
                        t = clause_times[prev][-1]
                        return [TimeMention(t.start_char, t.end_char, t.text, t.value,
                                            Role.START)]
            return times
        aside = self._time_aside(doc, ci, clauses, clause_times)
        if aside:
            return aside
        if ci > 0 and doc[clauses[ci - 1].start:clauses[ci - 1].end].text.lower().rstrip(
                " ,;:—–-").endswith(("since then", "from then on", "from then")):
            low = "since then " + low  # "…left in May, and since then | I report to X"
        if "since then" in low or "from then" in low or (
                clause.connector in ("so", "when") and cand.kind in ("assert", "retract")) or (
                cand.kind == "retract" and clause.connector in ("and", ",")):
            for prev in range(ci - 1, -1, -1):
                if clauses[prev].sent != clause.sent and "since then" not in low:
                    break
                if clause_times.get(prev):
                    t = clause_times[prev][-1]
                    role = Role.START if "since then" in low or cand.kind == "assert" \
                        else Role.AT
                    return [TimeMention(t.start_char, t.end_char, t.text, t.value, role)]
        return []

    def _event_day(self, doc: Doc, ci: int, at: int,
                   clause_times: dict[int, list[TimeMention]]) -> list[TimeMention]:
        """An event named without a time of its own is dated by the nearest day or day range
        of its message that no other fact's trigger owns ("ran my first 10k last Sunday!
        Heaton Park 10K, 58:41", "back from Istanbul, we were there 8th–11th"), in its
        sentence or the ones beside it; else by none (the message's date)."""
        sentence = doc[at].sent
        best: tuple[int, TimeMention] | None = None
        for other, times in clause_times.items():
            if other == ci or other in self._anchors:
                continue
            for t in times:
                k = _tok(doc, t.start_char)
                if t.role not in (Role.AT, Role.RANGE) or \
                        t.value.granularity is not Granularity.DAY or \
                        abs(doc[k].sent.start - sentence.start) > 0 and \
                        not (doc[k].sent.end == sentence.start or
                             sentence.end == doc[k].sent.start):
                    continue
                distance = abs(k - at)
                if best is None or distance < best[0]:
                    best = (distance, t)
        return [best[1]] if best else []

    def _time_aside(self, doc: Doc, ci: int, clauses: list[Clause],
                    clause_times: dict[int, list[TimeMention]]) -> list[TimeMention]:
        """"she's been at Bluefin forever — since 2016 I think", "head of support now (since
        Feb 1)": the next part of the sentence is only a time, so it dates this one; so does
        a time that opens the sentence on its own ("Last Friday, | I went to …"); and a time
        the parser left at the end of the sentence before, with no stop after it ("TRANSFER
        APPROVED 🎉 April 1 | I move to ML Platform")."""
        fronted = self._fronted_across_split(doc, ci, clauses, clause_times)
        if fronted:
            return fronted
        for other in (ci + 1, ci - 1):
            if not 0 <= other < len(clauses) or other in self._anchors or \
                    not clause_times.get(other) or clauses[other].sent != clauses[ci].sent:
                continue
            if other < ci and clauses[other].start != doc[clauses[other].start].sent.start:
                continue  # only a time at the head of the sentence leads into the next part
            part = clauses[other]
            times = clause_times[other]
            covered = {i for t in times for i in range(_tok(doc, t.start_char),
                                                       _tok(doc, t.end_char - 1) + 1)}
            # "in June Erik | and I spent a week on Gotland": the names joined to the "I"
            joined = other < ci and doc[part.end - 1].lower_ in ("and", "&") and \
                doc[clauses[ci].start].lower_ in ("i", "we")
            rest = [t for t in doc[part.start:part.end] if not t.is_punct and
                    t.i not in covered and t.lower_ not in _ASIDE_WORDS and
                    not (joined and t.pos_ == "PROPN")]
            if not rest:
                return times
        return []

    def _fronted_across_split(self, doc: Doc, ci: int, clauses: list[Clause],
                              clause_times: dict[int, list[TimeMention]]
                              ) -> list[TimeMention]:
        """The time that ends the part before, in another sentence by the parser's reading
        but with no punctuation between them, when this part opens with a subject pronoun."""
        prev = ci - 1
        if prev < 0 or prev in self._anchors or not clause_times.get(prev) or \
                clauses[prev].sent == clauses[ci].sent or clauses[prev].end != clauses[ci].start:
            return []
        last = clause_times[prev][-1]
        end = _tok(doc, last.end_char - 1)
        opener = doc[clauses[ci].start]
        if end != clauses[prev].end - 1 or end + 1 != opener.i or doc[end].is_punct or \
                last.text.rstrip()[-1:] in (".", "!", "?") or \
                opener.lower_ not in ("i", "we", "he", "she", "they"):
            return []
        return [last]

    def _emit_one(self, doc: Doc, index: int, episode: Episode, clause: Clause,
                  cand: Candidate, predicate: str, kind: str, subject: str, obj: str,
                  literal: bool, times: list[TimeMention], group: int,
                  span: tuple[int, int], buffer: list[Record]) -> None:
        state = self.state
        spec = state.registry.get(predicate)
        valid_from: datetime | None = None
        valid_to: datetime | None = None
        basis: Basis | None = None
        granularity: Granularity | None = None
        stated: TimeValue | None = None
        at: TimeValue | None = None
        for t in times:
            if t.role is Role.RANGE and t.end_value is not None:
                valid_from, valid_to = t.value.start, t.end_value.start
                if spec.event:
                    valid_to = t.end_value.end
                stated, granularity = t.value, t.value.granularity
            elif t.role is Role.START and valid_from is None or t.role is Role.DURATION and \
                    valid_from is None and not any(o.role is Role.AT for o in times):
                # a length counts back from now only when no time says when ("interned at X
                # for 6 months in 2018" is 2018)
                valid_from, stated, granularity = t.value.start, t.value, t.value.granularity
            elif t.role is Role.END and valid_to is None:
                valid_to = t.value.start
            elif t.role is Role.AT and at is None:
                at = t.value
        ev = (doc[span[0]].idx if span[0] < len(doc) else 0,
              doc[min(span[1], len(doc)) - 1].idx + len(doc[min(span[1], len(doc)) - 1]))
        ev = (min(ev[0], doc[cand.trigger[0]].idx), max(ev[1], ev[0]))
        used_to = kind == "used_to" or (clause.used_to and kind == "assert") or (
            kind == "assert" and cand.rule in ("title", "title_at") and
            past_copula(doc, cand.trigger[0]) and not any(
                t.role is Role.RANGE or t.role in (Role.START, Role.DURATION) and
                _one_part(doc, cand.trigger[0], _tok(doc, t.start_char)) for t in times))
        from_length = any(t.role is Role.DURATION for t in times) and not any(
            t.role in (Role.START, Role.RANGE) for t in times)
        if kind in ("retract",):
            # a length ("after ten years") says when it began, not when it ends
            when = at.start if at is not None else (
                (None if from_length else valid_from) or valid_to)
            if when is None and clause.future:
                return  # "is leaving them": the new start will end it
            if not obj:
                # "Jure's last day is 4 April", no employer known: the job's title and
                # reporting line end (not a speaker's: "danang resign 😭 last day jumat"
                # is read as the speaker's when the subject is missed)
                for dependent in ("job_title", "reports_to"):
                    if predicate != "works_at" or subject in state.user_speakers or \
                            not state.current(subject, dependent):
                        continue
                    said = next((r for r in buffer if r.subject == subject and
                                 r.predicate == dependent and r.kind is AssertionKind.RETRACT),
                                None)
                    if said is None:
                        buffer.append(self._record(subject, dependent, "", True,
                                                   AssertionKind.RETRACT,
                                                   when or episode.occurred_at, None, index,
                                                   ev, 0.6, group=group))
                    elif when is not None:
                        said.valid_from = when  # "resigned, his last day is 4 April"
                if predicate == "works_at":
                    self._reports_end(subject, when or episode.occurred_at, index, ev, buffer)
                return
            obj = state.open_named_by(subject, predicate, obj) or obj  # "left Kuura"
            if not state.known(subject, predicate, obj) and not any(
                    r.subject == subject and r.predicate == predicate and r.obj == obj
                    for r in buffer):
                # mentioned only as already over: valid_from unknown (FORMAT.md), unless a
                # length says it ("left L'Oréal in June after five years")
                end = when if when is not None else episode.occurred_at
                began = _span_start(times, end)
                buffer.append(self._record(subject, predicate, obj, literal,
                                           AssertionKind.ASSERT,
                                           began.start if began else None, end, index, ev,
                                           0.6, basis=Basis.STATED if began else Basis.UNKNOWN,
                                           granularity=began.granularity if began else None,
                                           group=group, stated=began))
                if predicate == "works_at" and obj == state.org_of(subject) or (
                        predicate == "works_at" and state.org_of(subject) is None):
                    # leaving ends the title and the reporting line there too
                    for dependent in ("job_title", "reports_to"):
                        if state.current(subject, dependent):
                            buffer.append(self._record(subject, dependent, "", True,
                                                       AssertionKind.RETRACT, end, None,
                                                       index, ev, 0.6, group=group))
                return
            buffer.append(self._record(subject, predicate, obj, literal, AssertionKind.RETRACT,
                                       when, None, index, ev, 0.7, group=group))
            if predicate == "works_at":
                # the job as this message states it, with the title and manager said with it
                # ("in '73 I became a bus driver for Bradford City Transport and I stayed until
                # I retired in '04")
                job = next((r for r in buffer if r.subject == subject and
                            r.predicate == predicate and r.kind is AssertionKind.ASSERT and
                            normalize_name(r.obj) == normalize_name(obj)), None)
                for dependent in ("job_title", "reports_to"):
                    if state.current(subject, dependent) or job is not None and any(
                            r.predicate == dependent and r.kind is AssertionKind.ASSERT and
                            r.valid_to is None and job.starts_with(r) for r in buffer):
                        buffer.append(self._record(subject, dependent, "", True,
                                                   AssertionKind.RETRACT, when, None, index,
                                                   ev, 0.6, group=group))
                self._reports_end(subject, when or episode.occurred_at, index, ev, buffer)
            return
        if kind == "switch_from":
            when = at.start if at is not None else (valid_from or valid_to)
            if when is None:
                when = episode.occurred_at
            if state.known(subject, predicate, obj):
                buffer.append(self._record(subject, predicate, obj, literal,
                                           AssertionKind.RETRACT, when, None, index, ev, 0.7,
                                           group=group))
            elif when > episode.occurred_at:
                # "we're moving from Leipzig to Hamburg on 1.5.": the origin holds now, as
                # far as this message can vouch for it, until then
                buffer.append(self._record(subject, predicate, obj, literal,
                                           AssertionKind.ASSERT, None, when, index, ev, 0.6,
                                           basis=Basis.OBSERVED, group=group))
            else:
                buffer.append(self._record(subject, predicate, obj, literal,
                                           AssertionKind.ASSERT, None, when, index, ev, 0.6,
                                           basis=Basis.UNKNOWN, group=group))
            return
        if used_to:
            end = valid_to or (at.start if at is not None else None) or episode.occurred_at
            buffer.append(self._record(subject, predicate, obj, literal, AssertionKind.ASSERT,
                                       None, end, index, ev, 0.7, basis=Basis.UNKNOWN,
                                       group=group))
            return
        if spec.event:
            period = at or stated
            if period is None:
                day = episode.occurred_at
                period = make_period(day.date(), Granularity.DAY, day.tzinfo or UTC)
            weekend = at is not None and period is at and any(
                t.value is at and "weekend" in t.text.lower() for t in times)
            if period.granularity is Granularity.WEEK or weekend:
                # "at the Lyon fair last week", "in Bergen last weekend": the annotation
                # conventions date an event of a week or a weekend by its month (the month the
                # week's Thursday is in, as ISO weeks go; a weekend's Saturday is past it)
                thursday = period.start + timedelta(days=-2 if weekend else 3)
                period = make_period(thursday.date().replace(day=1), Granularity.MONTH,
                                     thursday.tzinfo or UTC)
            valid_from, valid_to = period.start, period.end
            if times and times[0].role is Role.RANGE and times[0].end_value is not None:
                valid_to = times[0].end_value.end
            buffer.append(self._record(subject, predicate, obj, literal, AssertionKind.ASSERT,
                                       valid_from, valid_to, index, ev, 0.75,
                                       granularity=period.granularity, basis=Basis.STATED,
                                       group=group, stated=period))
            return
        if valid_to is None and at is None and not kind == "used_to":
            before = self._before_anchor(doc, clause, subject)
            if before is not None:
                # "before Kōwhai I was head of product at Xero for four years"
                valid_to = before
                began = _span_start(times, before)
                if began is not None:
                    valid_from, stated, granularity = began.start, began, began.granularity
        if valid_from is None and at is not None:
            valid_from, stated, granularity = at.start, at, at.granularity
        if valid_from is None and valid_to is None and clause.future and \
                predicate in _JOB_PREDICATES:
            # "she starts December 4, will report to me": the start this message gave her job
            # (not "he speaks Arabic, so our slang will confuse him")
            started = next((r for r in reversed(buffer) if r.subject == subject and
                          r.predicate in ("works_at", "job_title") and
                          r.kind is AssertionKind.ASSERT and r.basis is Basis.STATED and
                          r.valid_from is not None and r.valid_from > episode.occurred_at),
                         None)
            if started is not None:
                valid_from, granularity = started.valid_from, started.granularity
                stated = started.stated_time
        if valid_from is not None and valid_to is not None and valid_to <= valid_from:
            valid_to = None
        basis = Basis.STATED if valid_from is not None else Basis.OBSERVED
        if valid_from is None and valid_to is not None and valid_to <= episode.occurred_at:
            basis = Basis.UNKNOWN
        buffer.append(self._record(subject, predicate, obj, literal, AssertionKind.ASSERT,
                                   valid_from, valid_to, index, ev, 0.8, basis=basis,
                                   granularity=granularity, group=group, stated=stated))
        if predicate == "member_of" and self._merged_group not in (None, obj):
            buffer.append(self._record(subject, predicate, self._merged_group, False,
                                       AssertionKind.RETRACT, valid_from, None, index, ev,
                                       0.7, group=group))

    def _scheduled_starts(self, episode: Episode, buffer: list[Record]) -> None:
        """"I start at Andes Data on Sept 9, as staff engineer", "he kicks off on 14 October.
        he'll report to Sizwe": the facts of a job announced for a future date hold from that
        date, not from the message. A job fact without a time of its own takes the future
        start another fact of the same job states in this message (unless the message names
        two jobs: "he's with Arik Air until then")."""
        at = episode.occurred_at
        for record in buffer:
            if record.predicate not in _JOB_PREDICATES or \
                    record.kind is not AssertionKind.ASSERT or record.valid_from is not None \
                    or record.valid_to is not None or record.basis is Basis.UNKNOWN:
                continue
            if any(r.subject == record.subject and r.predicate == record.predicate and
                   normalize_name(r.obj) != normalize_name(record.obj) for r in buffer):
                continue  # "joins us on April 15. he's with Arik Air until then": two jobs
            stated = [r for r in buffer if r.subject == record.subject and
                      r.predicate in _JOB_PREDICATES and r.kind is AssertionKind.ASSERT and
                      r.valid_from is not None and r.valid_from > at and r.valid_to is None]
            if stated:
                source = min(stated, key=lambda r: r.evidence[0])
                record.valid_from, record.basis = source.valid_from, Basis.STATED
                record.granularity, record.stated_time = source.granularity, source.stated_time

    def _before_anchor(self, doc: Doc, clause: Clause, subject: str) -> datetime | None:
        """"before Kōwhai …" / "… before Xero": the start of the subject's fact with the
        named object, which ends the fact stated here."""
        state = self.state
        lo, hi = doc[clause.start].idx, doc[clause.end - 1].idx + len(doc[clause.end - 1])
        sent = doc[clause.start].sent
        text = _text(doc)[sent.start_char:sent.end_char]
        for match in _BEFORE_NAME_RE.finditer(text):
            at = sent.start_char + match.start()
            if not (lo <= at < hi or (at < lo and match.end() + sent.start_char <= lo)):
                continue
            entity = state.alias_of(match.group(1), "organization")
            if entity is None:
                continue
            key = normalize_name(entity.name)
            # the named object's own fact: "before Xero" for a title means the job there
            starts = [r.valid_from for r in state.records
                      if r.subject == subject and normalize_name(r.obj) == key and
                      r.valid_from is not None and
                      r.kind is not AssertionKind.RETRACT]
            if starts:
                return min(starts)
        return None
