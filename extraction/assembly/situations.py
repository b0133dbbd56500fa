"""Situations that span several facts: accepted offers and hires, switching tools, events
attended with someone, pets and who keeps them, plans and tiers, and roles."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from asof.extraction.assembly.anchoring import TimeAnchoring
from asof.extraction.assembly.people import DEPT, NAME_PARTICLE, ROLE_RE
from asof.extraction.assembly.state import Record
from asof.extraction.assembly.words import is_event, written_plan
from asof.extraction.components.arguments import read_any, read_name
from asof.extraction.components.base import NOT_NAMES, Candidate, Clause, asks_to_switch
from asof.extraction.components.mentions import name_run
from asof.extraction.lexicons import (
    DEPARTMENTS,
    EXEC_TITLES,
    KINSHIP,
    LANGUAGES,
    PLAN_TIERS,
    WORK_ROLES,
)
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _tok
from asof.extraction.spans import trim_name as _trim_name
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis, Episode
from asof.timex import Role, TimeMention

_PLAN_WORDS = frozenset({"free", "starter", "basic", "pro", "plus", "premium", "business",
                         "team", "growth", "enterprise", "scale", "standard", "professional",
                         "ultimate", "family", "student", "essentials", "advanced", "elite",
                         "startup", "lite", "personal"})
_PLAN_RE = re.compile(r"\b([A-Za-z][\w-]*)\s+(plan|tier)\b")
_APPOS_ROLE_RE = re.compile(
    r"(?P<name>[A-Z][\w'’-]+(?:[ \t]+(?:" + NAME_PARTICLE + r"[ \t]+)?[A-Z][\w'’-]+)*)"
    r"[ \t]*,[ \t]+(?:our|their|the)[ \t]+"
    r"(?P<role>(?:[\w-]+\s+){0,2}(?i:manager|director|lead|admin|ceo|cto|cfo|coo|cio|cmo|"
    r"(?:head|vp) of " + DEPT + r"|president|founder|officer))\b")


#: Words before a role that say how someone is related, not what their job is ("my line
#: manager", "our old director").
_RELATION_MODIFIERS = frozenset({"line", "direct", "immediate", "team", "old", "former",
                                 "previous", "first", "ex", "then", "future", "interim"})


def _names_a_job(role: str) -> bool:
    """"our CEO", "our general director", "their head of data", "our ops manager": the role
    word names a job; "my manager", "my line manager", "our admin" name a relation only."""
    words = role.split()
    if _RELATION_MODIFIERS & set(words):
        return False
    if any(w in EXEC_TITLES for w in words) or words[0] in ("head", "vp"):
        return True
    return words[-1] in ("director", "president", "manager", "officer") and (
        len(words) > 1 or words[-1] == "director")


class Situations(TimeAnchoring):
    """Readers for multi-fact situations."""

    def _offer(self, doc: Doc, index: int, episode: Episode, clause: Clause, ci: int,
               cand: Candidate, subject: str, clause_times: dict[int, list[TimeMention]],
               buffer: list[Record]) -> None:
        """An accepted offer is a future job: nothing holds before its start. With a date in
        the clause it is the job from then; else the organisation waits for a later start
        ("I start there on May 6", "first day is June 3")."""
        state = self.state
        if not cand.objects:
            return
        start, end, text, is_name = cand.objects[0]
        name = _trim_name(text)
        known = state.entity(name)
        if not is_name or not name or normalize_name(name) in DEPARTMENTS or (
                known is not None and not known.tentative and
                known.type in ("person", "location")):
            return
        state.retype(name, "organization")
        org = state.canonical(name, "organization")
        state.touch(org)
        times = [t for t in clause_times.get(ci, []) if t.role in (Role.START, Role.AT)]
        if times and times[0].value.start > episode.occurred_at:
            group = self._groups.setdefault((index, ci), state.group_counter + 1)
            state.group_counter = max(state.group_counter, group)
            self._emit_one(doc, index, episode, clause, cand, "works_at", "assert", subject,
                           org, False, times[:1], group, (start, end), buffer)
            return
        state.offers[subject] = org

    def _hired(self, doc: Doc, index: int, episode: Episode, clause: Clause, ci: int,
               cand: Candidate, subject: str, speaker: str,
               clause_times: dict[int, list[TimeMention]], buffer: list[Record]) -> None:
        """"we hired Pia Sund": the person named works at our organisation (known only when
        the speaker's organisation is); "Tallis hired Pia": at the organisation named."""
        state = self.state
        if cand.subject in ("we", "speaker"):
            org = state.conversation_org(speaker)  # "we hired", "I hired" (for the company)
        else:
            org = subject if state.type_of(subject) == "organization" else None
        if org is None:
            return
        times = self._own_times(doc, ci, cand, clause_times.get(ci, []))
        group = self._groups.setdefault((index, ci), state.group_counter + 1)
        state.group_counter = max(state.group_counter, group)
        for start, end, text, is_name in cand.objects:
            name = _trim_name(text)
            if not is_name or not name or state.type_of(name) not in (None, "person",
                                                                       "unknown", "concept"):
                continue
            person = state.add_person(name)
            if person in (speaker, org):
                continue
            self._emit_one(doc, index, episode, clause, cand, "works_at", "assert", person,
                           org, False, times, group, (start, end), buffer)

    def _switch_target(self, doc: Doc, index: int, episode: Episode, clause: Clause,
                       cand: Candidate, pred: str, subject: str, speaker: str, end: int,
                       times: list[TimeMention], group: int, buffer: list[Record]) -> None:
        """"from Zendesk over to Flowdesk", "from Vancouver to Toronto": the new object."""

        j = end
        while j < clause.end and doc[j].lower_ in ("over", "all", "the", "way", "back"):
            j += 1
        if j >= clause.end or doc[j].lower_ not in ("to", "into"):
            return
        found = read_any(doc, j + 1, clause.end)
        if found is None:
            return
        target = self._route(doc, pred, "assert", found[2], found[3], subject, speaker, times,
                             found[1] if found[3] else None)
        if target is None:
            return
        self._emit_one(doc, index, episode, clause, cand, target[0], "assert", subject,
                       target[1], target[2], times, group, (found[0], found[1]), buffer)

    def _event_companion(self, doc: Doc, index: int, episode: Episode, clause: Clause,
                         cand: Candidate, pred: str, subject: str, end: int,
                         times: list[TimeMention], group: int, buffer: list[Record]) -> None:
        if end + 1 >= clause.end:
            return
        word = doc[end].lower_

        if word == "in" and pred == "attended":
            found = read_name(doc, end + 1, clause.end)
            if found and found[3]:
                self._emit_one(doc, index, episode, clause, cand, "visited", "assert", subject,
                               self.state.canonical(_trim_name(found[2]), "location"), False,
                               times, group, (found[0], found[1]), buffer)
        elif word in ("for", "at") and pred == "visited":
            found = read_name(doc, end + 1, clause.end)
            if found and found[3] and is_event(found[2]):
                self._emit_one(doc, index, episode, clause, cand, "attended", "assert",
                               subject, self.state.canonical(_trim_name(found[2]), "event"),
                               False, times, group, (found[0], found[1]), buffer)

    def _rehomed_with(self, doc: Doc, cand: Candidate, clause: Clause,
                      after: int) -> str | None:
        """"rehomed Moon last month with my sister Shirin": the new keeper."""
        if doc[cand.trigger[0]].lemma_ not in ("rehome", "give"):
            return None
        for k in range(after, clause.end - 1):
            if doc[k].lower_ in ("with", "to"):
                j = k + 1
                while j < clause.end and (doc[j].lower_ in ("my", "our", "a", "the") or
                                          doc[j].lower_ in KINSHIP):
                    j += 1
                run = name_run(doc, j, clause.end)
                if run is not None:
                    return self.state.add_person(_trim_name(doc[run[0]:run[1]].text))
        return None

    def _plans(self, doc: Doc, index: int, episode: Episode, speaker: str,
               clauses: list[Clause], clause_times: dict[int, list[TimeMention]],
               buffer: list[Record]) -> None:
        """"Growth plan, 40 seats", "upgraded to the Enterprise plan on Feb 1": a plan is used
        by the speaker's organisation, and a new plan ends the previous one."""
        state = self.state
        for match in _PLAN_RE.finditer(_text(doc)):
            word = match.group(1)
            if word.lower() not in _PLAN_WORDS and not word[:1].isupper():
                continue
            if word.lower() in ("the", "a", "our", "my", "this", "that", "which", "what"):
                continue
            token = _tok(doc, match.start())
            ci = doc[token]._.asof_clause
            if ci < 0 or written_plan(doc, _tok(doc, match.end() - 1)):
                continue
            clause = clauses[ci]
            if (clause.question or clause.hypos) and not asks_to_switch(doc, clause) or \
                    clause.negations or clause.reports or clause.requests:
                continue
            literal = f"{word} {match.group(2)}".lower()
            subject = state.conversation_org(speaker) or speaker
            if any(r.predicate == "uses" and r.obj == literal and r.subject == subject
                   for r in buffer):
                continue
            if state.known(subject, "uses", literal) and not clause_times.get(ci):
                continue
            times = clause_times.get(ci, [])
            when = None
            for t in times:
                if t.role in (Role.AT, Role.START):
                    when = t.value
                    break
            if when is None and any(w in _text(doc).lower() for w in ("contract starts",)):
                for t in doc._.asof_times or []:
                    when = t.value
                    break
            valid_from = when.start if when else None
            record = self._record(subject, "uses", literal, True, AssertionKind.ASSERT,
                                  valid_from, None, index, (match.start(), match.end()), 0.7,
                                  basis=Basis.STATED if when else Basis.OBSERVED,
                                  granularity=when.granularity if when else None)
            buffer.append(record)

    def _end_old_plans(self, index: int, episode: Episode, records: list[Record]) -> None:
        """A subscription has one plan at a time: a new plan ends the previous one (also
        one held under its tier's name, alone or after the product's: "We're on Basic" or "on
        Wrenchly Standard" … "upgrade us to Plus")."""
        for record in list(records):
            if record.predicate != "uses" or record.kind is AssertionKind.RETRACT or \
                    not re.search(r"\b(plan|tier)$", record.obj):
                continue
            for held in self.state.current(record.subject, "uses"):
                if normalize_name(held.obj) != normalize_name(record.obj) and (
                        re.search(r"\b(plan|tier)$", held.obj) or
                        normalize_name(held.obj).rpartition(" ")[2] in PLAN_TIERS):
                    records.append(self._record(record.subject, "uses", held.obj, held.literal,
                                                AssertionKind.RETRACT,
                                                record.valid_from or episode.occurred_at,
                                                None, index, record.evidence, 0.6))

    def _successors(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """"His replacement as IT lead, Tina Zupan, starts 14 April": a successor of whom the
        message says something works where the one replaced worked, and holds the title the
        one replaced held when the message names none ("My replacement is Fraser Imrie, he
        starts on Monday 1 April"), from the start of what it says (the rule that reads
        "starts 14 April" may have dated the title rather than the job)."""
        state = self.state
        for name in dict.fromkeys(r.subject for r in buffer):
            successor = self._successor_at(doc, name)
            if successor is None or state.type_of(name) != "person":
                continue
            said = [r for r in buffer if r.subject == name and r.kind is AssertionKind.ASSERT]
            if not said:
                continue
            first = min(said, key=lambda r: (r.valid_from is None, r.valid_from or 0))
            before = self._predecessor(doc, successor[0], speaker, name)
            implied: list[tuple[str, str]] = []
            if not any(r.predicate == "works_at" for r in said) and \
                    not state.current(name, "works_at"):
                org = self._successor_org(before, speaker, index)
                if org is not None:
                    implied.append(("works_at", org))
            titles = state.current(before, "job_title") if before is not None else []
            if titles and not any(r.predicate == "job_title" for r in said):
                implied.append(("job_title", titles[-1].obj))
            for predicate, obj in implied:
                buffer.append(self._record(name, predicate, obj, predicate == "job_title",
                                           AssertionKind.ASSERT, first.valid_from, None, index,
                                           first.evidence, 0.6, basis=first.basis,
                                           granularity=first.granularity))

    def _roles(self, doc: Doc, index: int, episode: Episode, speaker: str,
               buffer: list[Record]) -> None:
        """"our admin is Dana Whitfield", "my manager is X", "Grace Okonkwo, our HR director":
        the person works at the possessor's organisation (and a title for executives)."""
        state = self.state
        text = _text(doc)
        found: list[tuple[str, str, str, tuple[int, int]]] = []
        for match in ROLE_RE.finditer(text):
            found.append((match.group(1).lower(), match.group(2).lower(), match.group("name"),
                          (match.start(), match.end())))
        for match in _APPOS_ROLE_RE.finditer(text):
            found.append(("our", match.group("role").lower(), match.group("name"),
                          (match.start(), match.end())))
        for owner, role, raw_name, span in found:
            name = _trim_name(raw_name)
            if not name or normalize_name(name) in LANGUAGES or name.lower() in EXEC_TITLES \
                    or normalize_name(name).split()[0] in NOT_NAMES:
                continue
            token = _tok(doc, span[0])
            ci = doc[token]._.asof_clause
            if ci >= 0:
                clause = doc._.asof_clauses[ci]
                if clause.question or clause.hypos:
                    continue
            words = role.split()
            if not any(w in WORK_ROLES for w in words):
                continue
            person = state.add_person(name)
            if owner in ("my", "our"):
                holder = speaker
            else:
                holder = state.recent_person(None, {speaker, person}) or speaker
            org = self._they_org(doc, span[0]) if owner == "their" else None
            # "Merlion Data — met their CTO, Wei Chen": the organisation "their" means
            org = org or state.org_of(holder) or next(
                (r.obj for r in buffer if r.subject == holder and r.predicate == "works_at"
                 and r.kind is AssertionKind.ASSERT), None)
            if org and not state.current(person, "works_at") and not any(
                    r.subject == person and r.predicate == "works_at" for r in buffer):
                buffer.append(self._record(person, "works_at", org, False, AssertionKind.ASSERT,
                                           None, None, index, span, 0.6))
            title = " ".join(w for w in words if w not in ("new", "current", "actual"))
            if _names_a_job(title) and not any(
                    r.subject == person and r.predicate == "job_title" for r in buffer):
                buffer.append(self._record(person, "job_title", title, True,
                                           AssertionKind.ASSERT, None, None, index, span, 0.6))
