"""Message-level phrase readers of the assembler: facts said in set phrases that the
dependency rules do not see as one relation ("she's his boss", "Théo: French, English,
German", "2019–2022 at Globant as …", "they're my daughter Leyla's", "Routa broke up in
March"). Each reads the message text with a regular expression, checks the clause's modality
and adds records to the message's buffer through the assembler's own helpers."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from asof.extraction.assembly.records import RecordKeeping
from asof.extraction.gazetteer import is_place_name
from asof.extraction.lexicons import LANGUAGES
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _tok
from asof.extraction.spans import trim_name as _trim_name
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis
from asof.timex import Role, TimeMention

if TYPE_CHECKING:
    from asof.extraction.assembly.state import Record
    from asof.extraction.components.base import Clause

#: "Routa broke up in March": a group that no longer exists
_GROUP_ENDED_RE = re.compile(
    r"\b(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)\s+(?:broke\s+up|split\s+up|"
    r"disbanded|folded|dissolved)\b")
#: "Tatu went to Njeri yesterday", "Pip moved to my mum's", "Rolo left us in May": a pet's
#: name (read only when the conversation knows it as a pet) before a verb of leaving
_PET_LEFT_RE = re.compile(
    r"\b(?P<name>[\w'’-]+)\s+(?:went|moved|has\s+gone|has\s+moved|left\s+us)\b", re.I)
#: "I left the choir in October", "I quit the chess club in march": the speaker's own
#: membership of a group of that kind ends
_LEFT_GROUP_RE = re.compile(
    r"\b(?:I|I've|I\s+have|I\s+finally|I\s+just)\s+(?:left|quit)\s+(?:the|my|our)\s+"
    r"(?:[\w-]+\s+){0,2}?(?P<head>club|choir|band|orchestra|league|circle|society|crew|"
    r"group|squad)\b", re.I)
#: "I took over from Mateo as office manager on 3 May", "Nandi takes over from me on
#: 1 Nov", "she replaced Omar as team lead": the one taken over from leaves that title
_TOOK_OVER_RE = re.compile(
    r"\b(?:took|take|takes|taking|taken)\s+over\s+from\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z]"
    r"[\w'’-]+)*)|\b(?:replaced|replaces|replacing)\s+(?P<name2>[A-Z][\w'’-]+(?:\s+[A-Z]"
    r"[\w'’-]+)*)\s+as\b")
#: "notice period till 30 june", "His notice at Harbor Line ends 15 March", "handing in my
#: notice at Kestrel today; it runs until 9 August": a job's notice, whose end is its end
_NOTICE_RE = re.compile(
    r"\b(?:(?P<owner>[Mm]y|[Hh]is|[Hh]er|[A-Z][\w'’-]+(?:'s|’s))\s+)?notice(?:\s+period)?"
    r"(?:\s+(?:at|with)\s+(?P<org>[A-Z][\w&'’-]+(?:\s+[A-Z][\w&'’-]+)*))?")
#: "Rafael left us last Friday", "Constança is leaving us end of March", "Oleg Smirnov
#: leaves us on 28 February": someone leaves the speaker's organisation or group
_LEFT_US_RE = re.compile(
    r"\b(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)(?:['’]s|\s+is|\s+has|\s+will)?"
    r"\s+(?:left|leaving|leaves|leave)\s+us\b")
#: What ends when someone leaves "us": their place there.
_LEAVING_ENDS = ("works_at", "job_title", "reports_to", "member_of")
#: Words right before a time that make it the day something ends ("ends 31 October").
_ENDING_BEFORE_RE = re.compile(r"\b(?:ends?|ending|over|done|finish(?:es)?|runs?|up)\b"
                               r"[\s\w]{0,12}$", re.I)
#: "I play bass in a band, Routa", "I'm in a running club, Majorna Löparklubb"
_NAMED_GROUP_RE = re.compile(
    r"\bI(?:['’]\w+)?(?:\s+[\w'’]+){0,3}?\s+in\s+(?:a|an)\s+(?:[\w-]+\s+)?"
    r"(?:band|club|choir|orchestra|league|crew|collective|quartet|trio)"
    r"(?:\s+(?:since|from)\s+[^,]{1,20})?,\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
#: "I'm in East Legon now instead of Osu": a home swapped for another
_INSTEAD_OF_RE = re.compile(
    r"\b(?:I'm|I am|[Ii]m|we're|we are)\s+(?:now\s+)?(?:living\s+|based\s+)?in\s+"
    r"(?P<new>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?:now\s+)?instead\s+of\s+"
    r"(?P<old>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")
#: "she's his boss", "Ilse is her manager": who reports to whom, said the other way round
_BOSS_OF_RE = re.compile(
    r"\b(?P<x>[Ss]he|[Hh]e|[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)(?:'s|’s|\s+is|\s+was)\s+"
    r"(?P<poss>his|her|my)\s+(?:direct\s+|line\s+|new\s+)?(?:boss|manager|supervisor)\b")
#: "hold a real conversation in German", "his Polish is already better than mine"
_LANGUAGE_SKILL_RE = re.compile(
    r"\b(?:hold|have|carry)\s+(?:on\s+)?(?:a\s+)?(?:\w+\s+)?conversations?\s+in\s+"
    r"(?P<lang>[A-Z][a-z]+)"
    r"|\b(?P<owner>[Mm]y|[Hh]is|[Hh]er)\s+(?P<lang2>[A-Z][a-z]+)\s+is\s+(?:\w+\s+){0,2}?"
    r"(?:good|better|decent|fluent|great|solid|excellent|native|pretty\s+good)\b")
#: "my apartment here in Osaka", "our flat in Leith": the speaker's home.
_MY_HOME_RE = re.compile(
    r"\b(?:my|our)\s+(?:\w+\s+)?(?:apartment|flat|house|home|place)\s+(?:here\s+)?in\s+"
    r"(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")
#: "they're my daughter Leyla's", "they belong to Leyla": whose the things just named are
_BELONG_RE = re.compile(
    r"\b(?:they're|they are|they’re|it's|it is|he's|she's|both are)\s+(?:(?:my|our)\s+"
    r"(?:\w+\s+)?)?(?P<owner>[A-Z][\w'’-]+)['’]s(?=\s*(?:[.!?,;—–-]|$))"
    r"|\b(?:they|it|both)\s+belongs?\s+to\s+(?:(?:my|our)\s+(?:\w+\s+)?)?"
    r"(?P<owner2>[A-Z][\w'’-]+)")
#: "2019–2022 at Globant as a senior developer": a CV line without a verb
_CV_LINE_RE = re.compile(
    r"(?:^|(?<=[.!?;:]\s))(?:from\s+)?(?P<range>(?:19|20)\d\d\s*(?:–|—|-|to|until)\s*"
    r"(?:(?:19|20)\d\d|now|today|present))\s*,?\s+(?:at|with)\s+"
    r"(?P<org>[A-Z][\w&'’.-]*(?:\s+(?:&\s+)?[A-Z][\w&'’.-]*)*)")
#: "Nordvik Foods — shift lead, 2016–2020", "• Harbourline Logistics, Bergen — route planner,
#: 2020–now": a CV line that opens with the employer (a town after it, in brackets or after a
#: comma), then a dash and the title; not a heading in capitals ("EDUCATION — …")
_CV_EMPLOYER_FIRST_RE = re.compile(
    r"(?m)^[ \t]*(?:[-•*·>]\s*|\d{1,2}[.)]\s*)?(?P<org>\w[\w&'’.-]*(?:\s+(?:&\s+|of\s+|de\s+)?"
    r"\w[\w&'’.-]*){0,5})(?:\s*\([^)\n]{1,40}\)|\s*,\s*\w[\w'’-]*(?:\s+\w[\w'’-]*)?)?"
    r"\s+[—–-]\s+(?P<title>[^,\n—–(]{2,60}?)\s*[,(]")
#: "Théo: French, English, German": a name, a colon and a list of capitalised words
_LANGUAGE_LIST_RE = re.compile(
    r"(?:^|(?<=[.!?;]\s))(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s*:\s*"
    r"(?P<langs>[A-Z][a-z]+(?:\s*(?:,|&|\band\b)\s*[A-Z][a-z]+)+)\s*(?=[.!?;]|$)")


def clause_at(doc: Doc, char: int) -> Clause | None:
    """The clause holding the token at char offset ``char`` (None outside every clause)."""
    ci = doc[_tok(doc, char)]._.asof_clause
    return doc._.asof_clauses[ci] if ci >= 0 else None


def _asserted_at(doc: Doc, char: int) -> bool:
    """The clause at ``char`` states something: no question, wish, condition or negation."""
    clause = clause_at(doc, char)
    return clause is not None and not (clause.question or clause.hypos or clause.negated)


def _time_after(doc: Doc, match: re.Match[str]) -> datetime | None:
    """When a phrase's change happens: the first time said after it in its sentence
    ("Tatu went to Njeri yesterday", "I left the choir in December"), else None."""
    sent_end = doc[_tok(doc, match.start())].sent.end_char
    when = next((t for t in doc._.asof_times or [] if match.end() <= t.start_char < sent_end
                 and t.role in (Role.AT, Role.START)), None)
    return when.value.start if when else None


def _notice_end(doc: Doc, text: str, match: re.Match[str]) -> datetime | None:
    """The day a notice ends: the first time after it in its sentence said as an end ("till
    31 may") or right after an ending word ("ends 31 October", "runs until …")."""
    sent_end = doc[_tok(doc, match.start())].sent.end_char
    times: list[TimeMention] = doc._.asof_times or []
    for t in times:
        if not match.end() <= t.start_char < sent_end:
            continue
        if t.role is Role.END or (t.role is Role.AT and _ENDING_BEFORE_RE.search(
                text[match.end():t.start_char])):
            return t.value.start
    return None


class PhraseReaders(RecordKeeping):
    """Mixed into :class:`~asof.extraction.assembly.assembler.Assembler` next to the
    clause-by-clause stages."""

    def _group_ended(self, doc: Doc, index: int, buffer: list[Record]) -> None:
        """"Routa broke up in March": every membership of the group ends then."""
        state = self.state
        for match in _GROUP_ENDED_RE.finditer(_text(doc)):
            group = state.alias_of(match.group("name"), "group")
            if group is None or group.type != "group":
                continue
            when = next((t for t in doc._.asof_times or [] if match.end() <= t.start_char <=
                         match.end() + 12), None)
            members = {r.subject for r in state.records if r.predicate == "member_of" and
                       r.obj == group.name and any(c.obj == group.name for c in
                                                   state.current(r.subject, "member_of"))}
            for member in sorted(members):
                buffer.append(self._record(member, "member_of", group.name, False,
                                           AssertionKind.RETRACT,
                                           when.value.start if when else None, None, index,
                                           (match.start(), match.end()), 0.7))

    def _pet_left(self, doc: Doc, index: int, buffer: list[Record]) -> None:
        """"Tatu went to Njeri yesterday", "Kuro left us in September": a known pet leaves
        its keeper then (the time after the verb, else the message's)."""
        state = self.state
        for match in _PET_LEFT_RE.finditer(_text(doc)):
            pet = state.entity(match.group("name"))
            if pet is None or pet.type != "animal":
                continue
            holder = state.pet_holder(pet.name)
            if holder is None or not _asserted_at(doc, match.start()) or any(
                    r.predicate == "has_pet" and r.obj == pet.name and
                    r.kind is AssertionKind.RETRACT for r in buffer):
                continue
            when = _time_after(doc, match)
            buffer.append(self._record(holder, "has_pet", pet.name, False,
                                       AssertionKind.RETRACT,
                                       when, None, index, (match.start(), match.end()), 0.6))

    def _left_group(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"I left the choir in December": the speaker's open membership whose name has that
        word ends then, or, if no name has it, the only one open."""
        state = self.state
        for match in _LEFT_GROUP_RE.finditer(_text(doc)):
            if not _asserted_at(doc, match.start()):
                continue
            held = [r.obj for r in state.current(speaker, "member_of")]
            head = match.group("head").lower()
            named = [g for g in held if head in normalize_name(g).split()]
            ended = named or (held if len(set(held)) == 1 else [])
            if not ended or any(r.predicate == "member_of" and r.subject == speaker and
                                r.kind is AssertionKind.RETRACT for r in buffer):
                continue
            when = _time_after(doc, match)
            buffer.append(self._record(speaker, "member_of", ended[0], False,
                                       AssertionKind.RETRACT,
                                       when, None, index, (match.start(), match.end()), 0.6))

    def _took_over(self, doc: Doc, index: int, buffer: list[Record]) -> None:
        """"I took over from Mateo as office manager on 3 May": the person taken over
        from holds their title no longer, from the time after the verb (else the message's)."""
        state = self.state
        for match in _TOOK_OVER_RE.finditer(_text(doc)):
            person = state.alias_of(match.group("name") or match.group("name2"), "person")
            if not _asserted_at(doc, match.start()) or person is None or \
                    person.type != "person":
                continue
            when = _time_after(doc, match)
            for held in state.current(person.name, "job_title"):
                buffer.append(self._record(person.name, "job_title", held.obj, True,
                                           AssertionKind.RETRACT,
                                           when, None, index, (match.start(), match.end()),
                                           0.6))

    def _notice_ends(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"notice period till 30 june", "His notice at Harbor Line ends 15 March": the job
        the notice is served at (named after it, else the owner's only open one) ends on the
        day the notice ends, said after it in its sentence ("until 23 August", "ends …")."""
        state = self.state
        text = _text(doc)
        for match in _NOTICE_RE.finditer(text):
            when = _notice_end(doc, text, match)
            if when is None or not _asserted_at(doc, match.start()):
                continue
            owner_word = (match.group("owner") or "my").lower()
            if owner_word == "my":
                owner: str | None = speaker
            elif owner_word in ("his", "her"):
                # someone named before the notice, not a name said after it
                later = {n for n in state.recent if text.find(n) >= match.start()}
                owner = state.recent_person("he" if owner_word == "his" else "she",
                                            {speaker} | later)
            else:
                known = state.alias_of(re.sub(r"['’]s$", "", match.group("owner")), "person")
                owner = known.name if known is not None and known.type == "person" else None
            if owner is None:
                continue
            held = [r.obj for r in state.current(owner, "works_at")]
            if match.group("org"):
                said = normalize_name(match.group("org"))
                # "at Desert Rose": Desert Rose Hotels, a name it starts
                held = [h for h in held if normalize_name(h) == said or
                        normalize_name(h).startswith(said + " ")]
            if len(set(held)) != 1:
                continue
            job = held[0]
            ending = next((r for r in buffer if r.subject == owner and
                           r.predicate == "works_at" and r.kind is AssertionKind.RETRACT and
                           normalize_name(r.obj) == normalize_name(job)), None)
            if ending is not None:
                if ending.valid_from is None:  # "quit today, notice period till 30 june"
                    ending.valid_from, ending.basis = when, Basis.STATED
                continue
            buffer.append(self._record(owner, "works_at", job, False, AssertionKind.RETRACT,
                                       when, None, index, (match.start(), match.end()), 0.6,
                                       basis=Basis.STATED))

    def _left_us(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"Rafael left us last Friday", "Constança is leaving us end of March": a known
        person's job, title, manager and memberships held now end then (the time said after
        the phrase in its sentence, else the message's); what the message already ends for
        them stays as read ("…, last day 31/08")."""
        state = self.state
        for match in _LEFT_US_RE.finditer(_text(doc)):
            person = state.alias_of(match.group("name"), "person")
            if person is None or person.type != "person" or person.name == speaker or \
                    not _asserted_at(doc, match.start()):
                continue
            if any(r.subject == person.name and r.kind is AssertionKind.RETRACT and
                   r.predicate in _LEAVING_ENDS for r in buffer):
                continue
            when = _time_after(doc, match)
            for predicate in _LEAVING_ENDS:
                for held in state.current(person.name, predicate):
                    buffer.append(self._record(person.name, predicate, held.obj, held.literal,
                                               AssertionKind.RETRACT, when, None, index,
                                               (match.start(), match.end()), 0.6))

    def _named_group(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"I also play bass in a band, Routa": the speaker is a member of the group named
        in apposition."""
        state = self.state
        for match in _NAMED_GROUP_RE.finditer(_text(doc)):
            clause = clause_at(doc, match.start())
            name = _trim_name(match.group("name"))
            known = state.entity(name) if name else None
            if clause is None or clause.question or clause.hypos or clause.negated or \
                    not name or (known is not None and known.type not in ("group", "unknown")
                                 and not known.tentative) or \
                    any(r.predicate == "member_of" and normalize_name(r.obj) ==
                        normalize_name(name) for r in buffer):
                continue
            state.retype(name, "group")
            start = next((t for t in doc._.asof_times or []
                          if match.start() <= t.start_char < match.start("name") and
                          t.role is Role.START), None)
            buffer.append(self._record(speaker, "member_of", state.canonical(name, "group"),
                                       False, AssertionKind.ASSERT,
                                       start.value.start if start else None, None, index,
                                       (match.start(), match.end()), 0.6,
                                       basis=Basis.STATED if start else None,
                                       granularity=start.value.granularity if start else None,
                                       stated=start.value if start else None))

    def _instead_of(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"moved flats last weekend, I'm in East Legon now instead of Osu": the speaker lives
        in the first place from the move's time, and no longer in the second."""
        state = self.state
        for match in _INSTEAD_OF_RE.finditer(_text(doc)):
            new, old = _trim_name(match.group("new")), _trim_name(match.group("old"))
            if not new or not old or any(state.type_of(n) not in (None, "location", "unknown")
                                         for n in (new, old)):
                continue
            moved = next((t for t in doc._.asof_times or []
                          if t.role in (Role.AT, Role.START) and t.start_char < match.start()
                          and re.search(r"\bmov(?:ed|ing)\b", _text(doc)[:t.start_char])), None)
            when = moved.value if moved is not None else None
            span = (match.start(), match.end())
            buffer.append(self._record(speaker, "lives_in", state.canonical(new, "location"),
                                       False, AssertionKind.ASSERT,
                                       when.start if when else None, None, index, span, 0.6,
                                       basis=Basis.STATED if when else None,
                                       granularity=when.granularity if when else None,
                                       stated=when))
            old_name = state.canonical(old, "location")
            if state.known(speaker, "lives_in", old_name):
                buffer.append(self._record(speaker, "lives_in", old_name, False,
                                           AssertionKind.RETRACT, when.start if when else None,
                                           None, index, span, 0.6))
            else:
                buffer.append(self._record(speaker, "lives_in", old_name, False,
                                           AssertionKind.ASSERT, None,
                                           when.start if when else None, index, span, 0.6,
                                           basis=Basis.UNKNOWN))

    def _named_before(self, gender: str, at: int, exclude: set[str]) -> str | None:
        """The person of a compatible gender named last before char ``at`` in this message
        ("…, not Ifeoma. she's his boss": Ifeoma)."""
        named = sorted(((pos, name) for name, pos in self._positions.items()
                        if pos < at and name not in exclude), reverse=True)
        for _, name in named:
            entity = self.state.entity(name)
            if entity is not None and entity.type == "person" and \
                    entity.gender in (None, gender):
                return name
        return None

    def _boss_of(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"she's his boss", "Ilse is my manager": the possessor reports to the subject."""
        state = self.state
        for match in _BOSS_OF_RE.finditer(_text(doc)):
            if not _asserted_at(doc, match.start()):
                continue
            raw, poss = match.group("x"), match.group("poss").lower()
            if raw.lower() in ("he", "she"):
                boss = self._named_before(raw.lower(), match.start(), {speaker}) or \
                    state.recent_person(raw.lower(), {speaker})
            else:
                known = state.alias_of(raw, "person")
                boss = known.name if known is not None and known.type == "person" else None
            if boss is None:
                continue
            if poss == "my":
                report: str | None = speaker
            else:
                report = state.recent_person("he" if poss == "his" else "she", {speaker, boss})
            if report is None or report == boss or any(
                    r.subject == report and r.predicate == "reports_to" for r in buffer):
                continue
            buffer.append(self._record(report, "reports_to", boss, False,
                                       AssertionKind.ASSERT, None, None, index,
                                       (match.start(), match.end()), 0.6))

    def _language_skill(self, doc: Doc, index: int, speaker: str,
                        buffer: list[Record]) -> None:
        """"I can hold a real conversation in German now", "his Polish is already better than
        mine": someone speaks a language, said without "speak"."""
        state = self.state
        for match in _LANGUAGE_SKILL_RE.finditer(_text(doc)):
            lang = match.group("lang") or match.group("lang2")
            if normalize_name(lang) not in LANGUAGES:
                continue
            if not _asserted_at(doc, match.start()):
                continue
            owner = (match.group("owner") or "my").lower()
            if owner == "my":
                person: str | None = speaker
            else:
                person = state.recent_person("he" if owner == "his" else "she"
                                             if owner == "her" else None, {speaker})
            if person is None or any(r.subject == person and r.predicate == "speaks" and
                                     normalize_name(r.obj) == normalize_name(lang)
                                     for r in buffer):
                continue
            buffer.append(self._record(person, "speaks", lang, False, AssertionKind.ASSERT,
                                       None, None, index, (match.start(), match.end()), 0.6))

    def _my_home(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"ten minutes from my apartment here in Osaka": where the speaker lives."""
        for match in _MY_HOME_RE.finditer(_text(doc)):
            place = _trim_name(match.group("place"))
            clause = clause_at(doc, match.start())
            if not place or clause is None or clause.question or clause.hypos or \
                    self.state.type_of(place) not in (None, "location", "unknown") or \
                    any(r.predicate == "lives_in" and r.subject == speaker for r in buffer):
                continue
            buffer.append(self._record(speaker, "lives_in",
                                       self.state.canonical(place, "location"), False,
                                       AssertionKind.ASSERT, None, None, index,
                                       (match.start(), match.end()), 0.6))

    def _pet_owner(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"we have two budgies, Sun and Moon — they're my daughter Leyla's": the pets just
        listed belong to the person named."""
        state = self.state
        for match in _BELONG_RE.finditer(_text(doc)):
            listed = [r for r in buffer if r.predicate == "has_pet" and r.subject == speaker
                      and r.kind is AssertionKind.ASSERT and r.evidence[0] < match.start()]
            if not listed:
                continue
            owner = state.add_person(_trim_name(match.group("owner") or
                                                match.group("owner2")))
            for record in listed:
                record.subject = owner

    def _cv_lines(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"2019–2022 at Globant as a senior developer": a verbless CV line of the speaker's
        (the title, if any, comes from the "as …" rule with the same range)."""
        times = doc._.asof_times or []
        for match in _CV_LINE_RE.finditer(_text(doc)):
            org = _trim_name(match.group("org"))
            span_time = next((t for t in times if t.start_char <= match.start("range") <
                              t.end_char or match.start("range") <= t.start_char <
                              match.end("range")), None)
            if span_time is None or (name := self._employer_named(org)) is None:
                continue
            end = span_time.end_value.start if span_time.end_value is not None else None
            buffer.append(self._record(speaker, "works_at", name, False, AssertionKind.ASSERT,
                                       span_time.value.start, end, index,
                                       (match.start(), match.end()), 0.7, basis=Basis.STATED,
                                       granularity=span_time.value.granularity,
                                       stated=span_time.value))

    def _employer_named(self, org: str) -> str | None:
        """The organisation a CV line names as an employer, typed as one, or None when the
        name is empty or the conversation knows it as something else (a person, a place)."""
        if not org or self.state.type_of(org) not in (None, "organization", "unknown",
                                                       "concept"):
            return None
        name = self.state.canonical(org, "organization")
        self.state.retype(name, "organization")
        return name

    def _cv_employers(self, doc: Doc, buffer: list[Record]) -> None:
        """"Nordvik Foods — shift lead, 2016–2020": the employer a CV line opens with,
        for whoever holds the line's title, over the title's own time."""
        titles = {normalize_name(r.obj): r for r in buffer
                  if r.predicate == "job_title" and r.kind is AssertionKind.ASSERT and
                  r.basis is Basis.STATED}
        for match in _CV_EMPLOYER_FIRST_RE.finditer(_text(doc)):
            title = titles.get(normalize_name(match.group("title")))
            org = _trim_name(match.group("org"))
            if title is None or not all(
                    w[:1].isupper() or w[:1].isdigit() or w in ("&", "of", "de")
                    for w in org.split()) or org.isupper() and len(org) > 5 or \
                    is_place_name(org) or \
                    any(r.predicate == "works_at" and r.subject == title.subject and
                        r.valid_from == title.valid_from for r in buffer) or \
                    (name := self._employer_named(org)) is None:
                continue
            buffer.append(self._record(title.subject, "works_at", name, False,
                                       AssertionKind.ASSERT, title.valid_from, title.valid_to,
                                       title.message, (match.start(), match.end()), 0.7,
                                       basis=Basis.STATED, granularity=title.granularity,
                                       stated=title.stated_time))

    def _language_lists(self, doc: Doc, index: int, buffer: list[Record]) -> None:
        """"Théo: French, English, German.": a known person's languages, listed after a
        colon (notes style)."""
        state = self.state
        for match in _LANGUAGE_LIST_RE.finditer(_text(doc)):
            person = state.alias_of(match.group("name"), "person")
            langs = [w for w in re.split(r"\s*(?:,|&|\band\b)\s*", match.group("langs")) if w]
            if person is None or person.type != "person" or \
                    not all(normalize_name(w) in LANGUAGES for w in langs):
                continue
            for lang in langs:
                buffer.append(self._record(person.name, "speaks", lang, False,
                                           AssertionKind.ASSERT, None, None, index,
                                           (match.start(), match.end()), 0.7))
