"""Corrections of what was said earlier in the conversation ("sorry, it was May", "not
Flutterwave, Paystack"): the earlier record is corrected, not duplicated."""

from __future__ import annotations

import re
from datetime import datetime

from spacy.tokens import Doc

from asof.extraction.assembly.situations import Situations
from asof.extraction.assembly.state import Record
from asof.extraction.components.base import Clause
from asof.extraction.lexicons import TIME_CORRECTION_WORDS
from asof.extraction.spans import text_of as _text
from asof.extraction.word_frequency import common_english
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis, Episode
from asof.timex import Role, TimeMention

_TIME_FIX_RE = re.compile(r"\b(?:was|were|happened|is|moved|started|joined)\b", re.I)


#: Words that make a corrected time an end ("so I actually left in 2019").
_END_LEMMAS = frozenset({"leave", "end", "finish", "quit", "resign", "retire", "last"})


def _time_not_time(doc: Doc, times: list[TimeMention]) -> bool:
    """"from 25 March, not April": a time and, right after "not", the one it replaces."""
    return any(re.fullmatch(r"[\s,;—–-]*not\s+(?:in\s+|on\s+|the\s+)?",
                            _text(doc)[a.end_char:b.start_char], re.I) is not None
               for a, b in zip(times, times[1:], strict=False))


def _says_end(doc: Doc, clause: Clause) -> bool:
    return any(t.lemma_.lower() in _END_LEMMAS for t in doc[clause.start:clause.end])


def _within(value: datetime | None, old: TimeMention, fix: TimeMention) -> bool:
    """``value`` lies in the period of the time being replaced; a month or day said without
    a year ("15 July 2019, not june") is taken in the year of the time replacing it."""
    if value is None:
        return False
    start, end = old.value.start, old.value.end
    if not re.search(r"\d{4}|'\d\d", old.text) and re.search(r"\d{4}", fix.text) and \
            start.year != fix.value.start.year:
        try:
            shift = fix.value.start.year - start.year
            start, end = start.replace(year=start.year + shift), end.replace(
                year=end.year + shift)
        except ValueError:
            return False
    # a stored instant is UTC; the period is local: compare in the period's offset
    local = value.astimezone(start.tzinfo)
    return start <= local < end


#: What an assistant's "when …?" asks about: the verb's predicate, and whether the answer is
#: the fact's start or its end ("When do you start there?" → "5 june").
_WHEN_ASKED = re.compile(
    r"\bwhen\b[^?]*?\b(?:(?P<start>start|begin|join|first\s+day)|(?P<move>move|relocat|"
    r"arriv|land)|(?P<end>leav|finish|last\s+day|quit))", re.IGNORECASE)


#: The right name said after "not Y": "not Sage — it's Zoho Books", "not Sage but Xero".
_RIGHT_NAME_AFTER = re.compile(
    r"\s*[,;:—–-]*\s*(?:(?:it|that)(?:'s|’s|\s+is|\s+was)\s+|but\s+|rather\s+)?(?:the\s+)?"
    r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")


#: A name corrected in the same breath: "Leiden — no wait, Delft", "Kestrel, sorry, Kestrel
#: Labs": up to three correction words (``data/time_correction_words.txt``) between them.
_SELF_FIX_RE = re.compile(r"\s*[—–,;-]\s*(?P<words>[^\W\d_]+(?:[\s,]+[^\W\d_]+){0,2}?)"
                          r"(?P<sep>[\s,:—–-]+)"
                          r"(?P<name>[A-ZÀ-ÞĀ-Ž][\w'’&-]+(?:\s+[A-ZÀ-ÞĀ-Ž][\w'’&-]*){0,3})")
#: Correction words that say "no" alone: they correct only when a comma or dash follows
#: ("Oslo — no, Bergen"), not in "Slack, no Teams".
_BARE_NO = frozenset({"no", "nope", "nee", "nein", "non"})


def self_corrected_objects(text: str, records: list[Record]) -> list[Record]:
    """Records whose object the message corrects right after saying it ("my brother lives in
    Leiden — no wait, Delft"): the corrected name replaces it, or, when another record
    already holds that name for the same subject and predicate, the record is dropped."""
    kept: list[Record] = []
    for record in records:
        fixed = None
        if record.kind is AssertionKind.ASSERT and not record.literal and record.obj:
            for at in (m.end() for m in re.finditer(re.escape(record.obj), text)):
                found = _SELF_FIX_RE.match(text, at)
                words = set(re.findall(r"[^\W\d_]+", found.group("words").lower())) \
                    if found is not None else set()
                if found is not None and words & TIME_CORRECTION_WORDS and (
                        words & TIME_CORRECTION_WORDS - _BARE_NO or
                        found.group("sep").strip(" ")) and \
                        not re.match(r"I\b|I['’]", found.group("name")):
                    fixed = found.group("name")
                    break
        if fixed is None or normalize_name(fixed) == normalize_name(record.obj):
            kept.append(record)
        elif not any(r.subject == record.subject and r.predicate == record.predicate and
                     normalize_name(r.obj) == normalize_name(fixed) for r in records):
            record.obj = fixed
            kept.append(record)
    return kept


class Corrections(Situations):
    """Applies corrections to earlier records."""

    def _corrections(self, doc: Doc, index: int, episode: Episode,
                     clause_times: dict[int, list[TimeMention]], buffer: list[Record]) -> None:
        """"X, not Y" and "X was <time>, not <time>": replace an earlier statement."""
        handled = self._literal_corrections(doc, index, buffer)
        clauses: list[Clause] = doc._.asof_clauses or []
        if not clauses or not (clauses[0].correction or any(
                _time_not_time(doc, clause_times.get(ci, [])) for ci in range(len(clauses)))):
            return
        state = self.state
        text = _text(doc)
        # 1) object corrections: a new fact in this message that names "not Y"
        for match in re.finditer(r"\bnot\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)",
                                 text):
            wrong = normalize_name(match.group(1))
            if not wrong:
                continue
            for record in buffer:
                if record.kind is AssertionKind.ASSERT and record.message == index:
                    earlier = [r for r in state.records if r.subject == record.subject and
                               r.predicate == record.predicate and
                               normalize_name(r.obj).split()[:1] == wrong.split()[:1]]
                    if earlier:
                        record.kind = AssertionKind.CORRECT
                        record.corrects = earlier[-1].obj
                        handled.add(id(record))
                        break
            else:
                # "his name is Kiki, not Kiwi": no relation matched; rename the earlier object
                before = text[:match.start()].rstrip(" ,—-")
                renamed = re.search(r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)$", before)
                if renamed is not None and common_english(renamed.group(1).split()[0]):
                    # "Actually not Sage — it's Zoho Books": the right name comes after
                    renamed = _RIGHT_NAME_AFTER.match(text, match.end())
                earlier = [r for r in state.records if normalize_name(r.obj) == wrong]
                if renamed and earlier:
                    target = earlier[-1]
                    buffer.append(Record(target.subject, target.predicate,
                                         state.canonical(renamed.group(1), "concept"),
                                         target.literal, AssertionKind.CORRECT, None, None,
                                         None, None, target.group, index,
                                         (renamed.start(), match.end()), 0.6, corrects=target.obj))
        # 2) time corrections: "<X> was April, not May" / "it actually happened on April 2"
        for ci, clause in enumerate(clauses):
            times = clause_times.get(ci, [])
            if not times:
                continue
            span_text = doc[clause.start:clause.end].text
            if not _TIME_FIX_RE.search(span_text) and "not" not in span_text.lower():
                continue
            fix = times[0]
            old = times[1] if len(times) > 1 and "not" in span_text[
                times[0].end_char - doc[clause.start].idx:].lower() else None
            own = [r for r in buffer if r.message == index and
                   r.kind is AssertionKind.ASSERT and id(r) not in handled and
                   doc[clause.start].idx <= r.evidence[0] < doc[clause.end - 1].idx + 1]
            if own and old is not None:
                own = [self._as_earlier(record, old, buffer) for record in own]
                # "I joined X on May 13, not May 6": the restated fact corrects its own date
                for record in own:
                    if state.known(record.subject, record.predicate, record.obj):
                        record.kind = AssertionKind.CORRECT
                        handled.add(id(record))
                        # the facts stated together with the corrected one move with it
                        earlier = [r for r in state.records if r.subject == record.subject
                                   and r.predicate == record.predicate and
                                   normalize_name(r.obj) == normalize_name(record.obj) and
                                   r.kind is not AssertionKind.RETRACT]
                        # the statement that gave the start being corrected (a later mention
                        # without a date only confirmed it)
                        dated = [r for r in earlier if r.valid_from is not None]
                        earlier = dated or earlier
                        old_from = earlier[-1].valid_from if earlier else None
                        for mate in state.records:
                            if earlier and (mate.group == earlier[-1].group or
                                            earlier[-1].starts_with(mate)) and \
                                    mate is not earlier[-1] and \
                                    mate.kind is not AssertionKind.RETRACT and \
                                    mate.valid_from == old_from and old_from is not None and \
                                    not any(b.predicate == mate.predicate and
                                            b.subject == mate.subject for b in buffer):
                                buffer.append(Record(
                                    mate.subject, mate.predicate, mate.obj, mate.literal,
                                    AssertionKind.CORRECT, record.valid_from, mate.valid_to,
                                    Basis.STATED, record.granularity, mate.group, index,
                                    record.evidence, 0.6))
                if any(id(r) in handled for r in own):
                    continue
            if any(r.message == index and r.kind is not AssertionKind.RETRACT and
                   doc[clause.start].idx <= r.evidence[0] < doc[clause.end - 1].idx + 1
                   for r in buffer if id(r) not in handled and r.predicate != "uses"):
                # the clause stated a fact of its own: corrections of it are handled above
                if "actually" not in span_text.lower():
                    continue
            targets = self._correction_targets(doc, clause, old)
            if not targets:
                continue
            for target in targets:
                fix_from, fix_to = target.valid_from, target.valid_to
                spec = state.registry.get(target.predicate)
                if fix.role is Role.RANGE and fix.end_value is not None:
                    fix_from, fix_to = fix.value.start, fix.end_value.start
                elif spec.event:
                    fix_from, fix_to = fix.value.start, fix.value.end
                elif "end" in span_text.lower() or _says_end(doc, clause) or (
                        old is not None and _within(target.valid_to, old, fix) and
                        not _within(target.valid_from, old, fix)):
                    fix_to = fix.value.start
                else:
                    fix_from = fix.value.start
                if fix_from is not None and fix_to is not None and fix_to <= fix_from:
                    fix_to = None
                buffer[:] = [r for r in buffer if not (
                    r.message == index and r.subject == target.subject and
                    r.predicate == target.predicate and r.obj == target.obj)]
                buffer.append(Record(target.subject, target.predicate, target.obj,
                                     target.literal, AssertionKind.CORRECT, fix_from, fix_to,
                                     Basis.STATED, fix.value.granularity, target.group, index,
                                     (fix.start_char, fix.end_char), 0.6))

    def _literal_corrections(self, doc: Doc, index: int, buffer: list[Record]) -> set[int]:
        """"he's not backend lead, he's engineering manager": a value of this message replaces
        the same subject's value of the same predicate that the message names after "not".
        Returns the ids of the records made corrections."""
        low = _text(doc).lower()
        handled: set[int] = set()
        if "not " not in low:
            return handled
        for record in buffer:
            if record.kind is not AssertionKind.ASSERT or record.message != index or \
                    not record.literal:
                continue
            earlier = [r for r in self.state.records if r.subject == record.subject and
                       r.predicate == record.predicate and r.literal and
                       r.kind is not AssertionKind.RETRACT and
                       normalize_name(r.obj) != normalize_name(record.obj) and
                       re.search(rf"\bnot\s+(?:an?\s+|the\s+)?{re.escape(r.obj.lower())}\b",
                                 low)]
            if earlier:
                record.kind = AssertionKind.CORRECT
                record.corrects = earlier[-1].obj
                handled.add(id(record))
        return handled

    def _answered_when(self, doc: Doc, index: int, speaker: str,
                       buffer: list[Record]) -> None:
        """A reply that is only a time ("5 june") to the assistant's "When do you start
        there?": the speaker's fact the question was about (the latest of its predicate, said
        in the last few messages) starts or ends then, with the facts stated beside it."""
        asked = _WHEN_ASKED.search(doc._.asof_prompt or "")
        times = doc._.asof_times or []
        if asked is None or len(times) != 1 or any(
                t.is_alpha and t.pos_ in ("VERB", "AUX") for t in doc) or \
                sum(t.is_alpha for t in doc) - len(times[0].text.split()) > 2:
            return
        predicate = "lives_in" if asked.group("move") else "works_at"
        state = self.state
        target = next((r for r in reversed(state.records)
                       if r.subject == speaker and r.predicate == predicate and
                       r.kind is AssertionKind.ASSERT and r.message >= index - 4), None)
        if target is None:
            return
        when = times[0].value
        mates = [r for r in state.records if target.starts_with(r) and
                 r.kind is AssertionKind.ASSERT]
        for mate in mates:
            start, end = (mate.valid_from, when.start) if asked.group("end") else \
                (when.start, mate.valid_to)
            if start is not None and end is not None and end <= start:
                continue
            buffer.append(Record(mate.subject, mate.predicate, mate.obj, mate.literal,
                                 AssertionKind.CORRECT, start, end, Basis.STATED,
                                 when.granularity, mate.group, index,
                                 (times[0].start_char, times[0].end_char), 0.6))

    def _as_earlier(self, record: Record, old: TimeMention, buffer: list[Record]) -> Record:
        """A restated fact whose subject the clause got wrong ("her start as practice
        manager was June 10, not June 3", said by someone else): the earlier fact with the
        same predicate and object and the time being replaced is the one meant."""
        state = self.state
        if state.known(record.subject, record.predicate, record.obj):
            return record
        fix = TimeMention(record.evidence[0], record.evidence[1], "", old.value, old.role)
        earlier = [r for r in state.records if r.predicate == record.predicate and
                   normalize_name(r.obj) == normalize_name(record.obj) and
                   r.kind is not AssertionKind.RETRACT and
                   (_within(r.valid_from, old, fix) or _within(r.valid_to, old, fix))]
        if not earlier:
            return record
        record.subject = earlier[-1].subject
        return record

    def _correction_targets(self, doc: Doc, clause: Clause,
                            old: TimeMention | None) -> list[Record]:
        state = self.state
        names = [s for s in doc.spans.get("asof_mentions", [])
                 if clause.start <= s.start < clause.end]
        for span in names:
            key = normalize_name(span.text)
            hits = [r for r in state.records if r.kind is not AssertionKind.RETRACT and (
                normalize_name(r.obj) == key or normalize_name(r.obj).endswith(" " + key) or
                key in normalize_name(r.obj).split())]
            if hits:
                group = hits[-1].group
                return [r for r in state.records if r.group == group and
                        r.kind is not AssertionKind.RETRACT]
        if old is not None:
            fix = (doc._.asof_times or [old])[0]
            return [r for r in state.records if r.kind is not AssertionKind.RETRACT and
                    (_within(r.valid_from, old, fix) or _within(r.valid_to, old, fix))]
        # "I actually moved on March 9": the latest fact of the move/start verb's predicate
        lows = {t.lemma_ for t in doc[clause.start:clause.end]}
        for lemma, predicate in (("move", "lives_in"), ("start", "works_at"),
                                 ("join", "works_at")):
            if lemma in lows:
                hits = [r for r in state.records if r.predicate == predicate and
                        r.kind is AssertionKind.ASSERT and r.valid_to is None]
                if hits:
                    return [hits[-1]]
        return []
