"""The speaker's side at work: what "we", "the team" or nobody in particular holds (the
employer's tools and plans), and the colleagues a message about the speaker's organisation
names with a title."""

from __future__ import annotations

import re
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from asof.extraction.assembly.records import RecordKeeping
from asof.extraction.assembly.state import Record
from asof.extraction.components.base import Candidate
from asof.extraction.lexicons import SELF_WORDS, data_lines
from asof.extraction.spans import text_of as _text
from asof.extraction.word_frequency import common_english
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis
from asof.timex import Role, TimeValue


@cache
def _tool_list() -> re.Pattern[str]:
    labels = sorted(data_lines("tool_list_labels.txt"), key=len, reverse=True)
    label = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in labels)
    # the label opens a line, a bullet or a sentence; the list runs to the sentence's end
    return re.compile(rf"(?:^|(?<=[\n.;:!?])|(?<=^[-•*])|(?<=\n[-•*]))[ \t]*(?:{label})[ \t]*:"
                      rf"[ \t]*(?P<items>[^\n.;:!?—]+)", re.IGNORECASE)


#: Where an item of a tool list stops being the tool's name: "Opera PMS for everything",
#: "Bejerman desde 2017", "GraphPad Prism (licence renews …)".
_ITEM_TAIL = re.compile(r"\s*(?:\(|\b(?:for|since|desde|depuis|seit|from|on|in|at|until|"
                        r"till|para|pour|für)\b).*$", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r"\s*(?:,|\+|&|\s/\s|\band\b|\by\b|\bund\b|\bet\b|\be\b)\s*",
                         re.IGNORECASE)


class Workplace(RecordKeeping):
    """Who holds what at work."""

    def _tool_lists(self, doc: Doc, index: int, speaker: str,
                    buffer: list[Record]) -> list[Record]:
        """"Tools: Jira, Slack, Sentry", "ERP: Bejerman desde 2017": each item of a line that
        a label of ``data/tool_list_labels.txt`` opens is used, by the speaker's side (the
        records returned, placed as a tool said with no subject is) or by the organisation
        the note is about (``_account_people``). An item is a name of one to four words with
        no stop word (else the line is prose, left to the other readers); what follows "for",
        "since" or a bracket is not part of it. A listed tool is nobody's employer in the same
        message."""
        text = _text(doc)
        known = {normalize_name(r.obj) for r in buffer if r.predicate == "uses"}
        added: list[Record] = []
        listed: set[str] = set()
        times = doc._.asof_times or []
        for match in _tool_list().finditer(text):
            items: list[tuple[str, int, TimeValue | None]] = []
            start = match.start("items")
            for raw in _ITEM_SPLIT.split(match.group("items")):
                lo = text.find(raw, start)
                start = lo + len(raw)
                name = _ITEM_TAIL.sub("", raw).strip(" \t'\"“”‘’")
                words = name.split()
                if not words:
                    continue
                if len(words) > 4 or not name[:1].isalnum() or \
                        any(w.lower() in STOP_WORDS for w in words):
                    break  # prose after the label ("Tools: we moved from …"), not a list
                # "Bejerman desde 2017": a start said in the item's own words dates it
                since = [t.value for t in times if lo <= t.start_char < start and
                         t.role in (Role.START, Role.AT)]
                items.append((name, lo, since[0] if len(since) == 1 else None))
            else:
                listed.update(normalize_name(name) for name, _lo, _value in items)
                for name, lo, value in items:
                    if name.islower() and all(common_english(w) for w in name.split()) or \
                            normalize_name(name) in known:
                        continue  # "paper", or read already (by the tagger)
                    known.add(normalize_name(name))
                    at = text.find(name, lo)
                    record = self._record(
                        speaker, "uses", name, False, AssertionKind.ASSERT,
                        value.start if value else None, None, index, (at, at + len(name)), 0.7,
                        basis=Basis.STATED if value else None,
                        granularity=value.granularity if value else None, stated=value)
                    buffer.append(record)
                    added.append(record)
        # a tool the list names is no one's employer ("ERP: Tango Gestión since 2019")
        buffer[:] = [r for r in buffer if r.predicate != "works_at" or
                     normalize_name(r.obj) not in listed]
        return added

    def _holder_at_work(self, person: str, cand: Candidate) -> str:
        """Who holds a tool or plan said of ``person`` without their "I": the employer,
        unless the person already holds that very object themselves ("no longer on Tableau"
        ends their own Tableau, stated before the employer was known)."""
        state = self.state
        org = state.work_org(person)
        if org is None:
            return person
        named = {normalize_name(o[2]) for o in cand.objects}
        if any(normalize_name(r.obj) in named for r in state.current(person, cand.predicate)):
            return person
        return org

    def _our_tools(self, speaker: str, unplaced: list[Record]) -> None:
        """A tool or plan said with "we" (or with no subject) before the message names the
        speaker's employer ("we use notion for specs … i'm sr eng @ carousell btw") is the
        employer's, as it is once the employer is known."""
        state = self.state
        org = state.work_org(speaker) if state.we_as_org else None
        if org is None:
            return
        for record in unplaced:
            if record.subject == speaker and state.registry.get(record.predicate).employer_holds:
                record.subject = org

    def _account_people(self, doc: Doc, index: int, speaker: str,
                        buffer: list[Record]) -> None:
        """A note that opens with an organisation and then gives people job titles is about
        that organisation's people ("New logo call: Lakeshore Staffing (Chicago). Darnell
        Price, COO, and Sun-hee Park, lead recruiter"): each works there, unless the message or
        the conversation gives them another employer, and the tools it lists without a
        subject are the organisation's ("Stack: SAP S/4HANA + Tableau"). The organisation must
        be named in the first sentence, before anyone, and not be the speaker's own, and the
        note must never speak of its writer ("I", "we")."""
        state = self.state
        orgs = state.org_mentions.get(index, [])
        if not orgs:
            return
        at, org = orgs[0]
        first = next(iter(doc.sents))
        known = state.entity(org)
        words = org.split()
        # a name the model alone calls an organisation must look like one ("Kickoff", "QBR",
        # "Draft Q4", "Samoa/Tonga" do not): two or more capitalised words, no digits
        looks = len(words) >= 2 and words[0][:1].isupper() and not words[0].isupper() and \
            all(w[:1].isupper() or w in ("&", "and", "of", "de", "du", "la") for w in words) \
            and re.fullmatch(r"[\w&' .-]+", org) is not None and \
            not any(c.isdigit() for c in org)
        if at >= first.end_char or any(pos < at for pos, _ in self._mentions) or \
                not looks or known is not None and known.type != "organization" or \
                any(t.lower_ in SELF_WORDS for t in doc) or \
                normalize_name(org) == normalize_name(state.org_of(speaker) or ""):
            return
        for record in buffer:
            if record.subject == speaker and \
                    state.registry.get(record.predicate).employer_holds:
                record.subject = org
        self._titled_work_at(org, index, speaker, buffer)

    def _colleagues(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        """People given a job title in a message about the speaker's own organisation (it is
        named, or "we"/"our" speak for it) work there, unless the conversation gives them an
        employer of their own ("Staff: - Nuwan Fernando, operations lead, since 03/2021")."""
        state = self.state
        org = state.work_org(speaker)
        if org is None:
            return
        text = _text(doc).lower()
        if org.lower() not in text and not any(t.lower_ in ("we", "our", "us") for t in doc):
            return
        self._titled_work_at(org, index, speaker, buffer)

    def _shared_thread_employer(self, doc: Doc, index: int, speaker: str,
                                buffer: list[Record]) -> None:
        """A second user of a customer's thread who gives their own title and says "we" or
        "our" ("Ines Dahl here, support manager. Can we move our saved replies?") works where
        the other users do, when that organisation is one the conversation knows uses
        something."""
        state = self.state
        if state.work_org(speaker) is not None or \
                any(r.subject == speaker and r.predicate == "works_at" for r in buffer) or \
                not any(t.lower_ in ("we", "our", "us") for t in doc):
            return
        org = state.conversation_org(speaker)
        if org is None or not any(r.subject == org and r.predicate == "uses"
                                  for r in state.records):
            return
        for record in list(buffer):
            if record.subject == speaker and record.predicate == "job_title" and \
                    record.kind is AssertionKind.ASSERT:
                buffer.append(self._record(speaker, "works_at", org, False,
                                           AssertionKind.ASSERT, record.valid_from,
                                           record.valid_to, index, record.evidence, 0.6,
                                           basis=record.basis,
                                           granularity=record.granularity))
                return

    def _titled_work_at(self, org: str, index: int, speaker: str,
                        buffer: list[Record]) -> None:
        """The people this message gives a job title work at ``org``, unless the message or
        the conversation gives them an employer."""
        state = self.state
        for record in list(buffer):
            person = record.subject
            if record.predicate != "job_title" or record.kind is not AssertionKind.ASSERT or \
                    person == speaker or person in state.user_speakers or \
                    state.type_of(person) != "person":
                continue
            if any(r.subject == person and r.predicate == "works_at" for r in buffer) or \
                    state.current(person, "works_at"):
                continue
            buffer.append(self._record(person, "works_at", org, False, AssertionKind.ASSERT,
                                       record.valid_from, record.valid_to, index,
                                       record.evidence, 0.6, basis=record.basis,
                                       granularity=record.granularity))
