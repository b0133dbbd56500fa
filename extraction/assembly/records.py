"""Records and the message's output: building a record, keeping the rules' record over the
tagger's, merging duplicates, checking object types, the facts a record implies, and the
final :class:`~asof.graph.models.FactAssertion`."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from asof.extraction.assembly.state import ConversationState, Record
from asof.extraction.assembly.words import names_within
from asof.extraction.lexicons import COMPANY_HEADS, DEPARTMENTS, EXEC_TITLES, TITLE_HEADS
from asof.extraction.spans import text_of as _text
from asof.extraction.tagger.component import LEARNED_RULE
from asof.graph.errors import InvalidInputError
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis, EntityRef, Episode, FactAssertion, Granularity
from asof.graph.predicates import Cardinality
from asof.graph.rules import granularity_end
from asof.timex import TimeValue, find_times

EXTRACTOR = "asof-rules/1"


#: Entity types a relation or a speaker can establish for sure; "unknown"/"concept" fit any slot.
_DEFINITE_TYPES = frozenset({"person", "organization", "location", "product", "animal"})
#: Words of a title or a department: a subject made only of them names a role, not a person.
_ROLE_WORDS = TITLE_HEADS | EXEC_TITLES | DEPARTMENTS


def _cut_of_another(record: Record, merged: list[Record]) -> bool:
    """A title read twice from the same words, once cut ("senior backend developer" and
    "backend developer", both ending where the title does): the shorter reading, whose words
    end the longer one's, is no second title ("deputy head of QA, takes over as head of QA"
    has two)."""
    if record.predicate != "job_title" or record.kind is not AssertionKind.ASSERT:
        return False
    words = normalize_name(record.obj).split()
    return any(m is not record and m.subject == record.subject and
               m.predicate == record.predicate and m.kind is record.kind and
               m.valid_from == record.valid_from and m.evidence[1] == record.evidence[1] and
               len(longer := normalize_name(m.obj).split()) > len(words) and
               longer[-len(words):] == words and
               not STOP_WORDS.intersection(longer[:-len(words)])  # "only pharmacist"
               for m in merged)


class RecordKeeping:
    """The bottom layer of the assembler: the per-message working state and the records."""

    def __init__(self, state: ConversationState) -> None:
        self.state = state
        self._anchors: dict[int, list[int]] = {}
        self._groups: dict[tuple[int, int], int] = {}
        self._rule = ""
        self._message = 0
        self._positions: dict[str, int] = {}
        self._mentions: list[tuple[int, str]] = []
        self._merged_group: str | None = None  #: the team a "X is merged into Y" dissolves
        self._thing: tuple[int, str] | None = None  #: a thing named without a fact of its own
        self._object_at = 0  #: char offset of the object being routed ("there" looks before)
        self._last_user: str | None = None  #: the user an assistant's reply answers

    @staticmethod
    def _merge(buffer: list[Record]) -> list[Record]:
        """One record per (subject, predicate, object, kind) per message: a stated time wins
        over an observed one ("relocating to Toronto … moving day is May 13"); a title read
        again cut short is dropped (:func:`_cut_of_another`)."""
        merged: list[Record] = []
        for record in buffer:
            twin = next((m for m in merged if m.subject == record.subject and
                         m.predicate == record.predicate and
                         normalize_name(m.obj) == normalize_name(record.obj) and
                         m.kind is record.kind), None)
            if twin is None:
                merged.append(record)
                continue
            if twin.valid_from is None and record.valid_from is not None and \
                    twin.basis is not Basis.UNKNOWN:
                twin.valid_from, twin.basis = record.valid_from, record.basis
                twin.granularity = record.granularity
            if twin.valid_to is None and record.valid_to is not None and \
                    (twin.valid_from is None or record.valid_to > twin.valid_from):
                twin.valid_to = record.valid_to
        return [m for m in merged if not _cut_of_another(m, merged)]

    def _not_employers(self, buffer: list[Record]) -> list[Record]:
        """A group membership or a tool whose object is someone's employer in this
        conversation is a misreading of the employer ("Update on Bitterroot Peaks Resort: …"
        once Dale Rourke works there makes nobody a member of the resort; "Rohan … went to a
        startup called Kiranakart" uses no Kiranakart): no annotated membership or tool names
        an organisation someone works at. Only earlier messages count: in the message itself
        a "joined … group, Kigo Net" may be misread as a job as well."""
        state = self.state
        employers = {normalize_name(r.obj) for r in state.records
                     if r.predicate == "works_at" and r.kind is AssertionKind.ASSERT}
        return [r for r in buffer
                if r.predicate not in ("member_of", "uses") or
                normalize_name(r.obj) not in employers]

    def _rules_first(self, buffer: list[Record], text: str) -> list[Record]:
        """The tagger reads every object span again, also those a rule already read: its
        record gives way to a rule's record of the same predicate and object, since the rules'
        subjects and times are the more precise. Two readings of different people stand
        together when the tagger's is about a user speaker and the rule read the object from
        other words of the message ("- Me: team lead, Fjellsoft, since 2022. - Team: Oskar,
        with us since 2019": Oskar's job read from "us" leaves the speaker's own, which only
        the tagger reads), unless the speaker already holds another object of a one-valued
        predicate, which the tagger's reading would end ("Fjellsoft Data — met their CTO,
        Ilse Brandt" names a client, not the speaker's new employer). A rule's end of that
        subject's fact is no such record either ("ICU nurse at Fjellvik Hospital since 2017,
        last day 5/31", where only the end is a rule's, says the job was held)."""
        speakers = self.state.user_speakers

        def key(r: Record) -> tuple[str, str]:
            # "Pro" and "pro plan" name one plan
            return r.predicate, normalize_name(r.obj).removesuffix(" plan")

        def ends_a_tagged_fact(r: Record) -> bool:
            return r.kind is AssertionKind.RETRACT and any(
                o.learned and o.subject == r.subject and key(o) == key(r) for o in buffer)

        def same_reading(rule: Record, tagged: Record) -> bool:
            if tagged.subject not in speakers or rule.subject == tagged.subject:
                return True
            if self.state.registry.get(tagged.predicate).cardinality is Cardinality.ONE and \
                    any(normalize_name(h.obj) != normalize_name(tagged.obj)
                        for h in self.state.current(tagged.subject, tagged.predicate)):
                return True
            if rule.evidence[0] < tagged.evidence[1] and tagged.evidence[0] < rule.evidence[1]:
                return True  # the same words
            # the rule's words name the object too: "Elena left Meridian in April" is the
            # rule's reading of "Meridian Bank", whoever the tagger makes of it
            words = normalize_name(tagged.obj).split()
            return bool(words) and \
                words[0] in normalize_name(text[rule.evidence[0]:rule.evidence[1]]).split()

        ruled: dict[tuple[str, str], list[Record]] = {}
        for r in buffer:
            if not r.learned and not ends_a_tagged_fact(r):
                ruled.setdefault(key(r), []).append(r)
        return [r for r in buffer
                if not r.learned or not any(same_reading(o, r) for o in ruled.get(key(r), ()))]

    def _types_fit(self, record: Record, at: datetime) -> bool:
        """The registry's subject and object types against what the conversation already
        established about the two names (typed by a relation or a speaker, not by the NER
        alone): a pet does not live in Ottawa, a company is nobody's spouse, a colleague is no
        tool and "tmrw" is no employer."""
        state = self.state
        spec = state.registry.get(record.predicate)
        subject = state.entity(record.subject)
        if subject is not None and not subject.tentative and \
                subject.type in _DEFINITE_TYPES and subject.type not in spec.subject_types:
            return False
        words = record.subject.lower().split()
        if "organization" not in spec.subject_types and len(words) > 1 and \
                words[-1].rstrip(".") in COMPANY_HEADS and record.subject not in \
                state.user_speakers:
            return False  # "Got the offer: Hoshizora Systems, system engineer": no person
        if words and record.subject not in state.user_speakers and all(
                w.strip(".,") in _ROLE_WORDS for w in words):
            return False  # "VP Ops lives in Singapore": a title is nobody's name
        if record.literal or not record.obj:
            return True
        if " " in normalize_name(record.obj) and names_within(record.obj, record.subject):
            # "der Klinik Nord" does not work at Klinik Nord (a one-word object may be a
            # family name: "Tomas Berg works at Berg")
            return False
        text = record.obj.strip()
        covered = sum(m.end_char - m.start_char for m in find_times(text, at))
        if covered and covered >= 0.75 * len(text):
            return False
        obj = state.entity(record.obj)
        if obj is None or obj.tentative or obj.type not in _DEFINITE_TYPES:
            return True
        if obj.type == "person" and "animal" in spec.object_types:
            return True  # a pet is "he" or "she" too, and typed a person by that
        # an organisation and a product are often one name ("we use Stripe", "works at Slack")
        return obj.type in spec.object_types or (
            obj.type in ("organization", "product") and
            ("organization" in spec.object_types or "product" in spec.object_types))

    def _implied(self, index: int, episode: Episode, records: list[Record]) -> None:
        """A new job with a known start ends the previous reporting line, and a new title with
        one ends a title said as past in the same message. (A manager's employer is not implied
        by the report's: "my lead is X" says nothing of where X works.)"""
        state = self.state
        for record in records:
            # "I was HR Ops Specialist, I'm HR Ops Lead since 1 June": the title said as past
            # ends where the new one begins
            if record.predicate == "job_title" and record.basis is Basis.UNKNOWN and \
                    record.valid_from is None and record.valid_to == episode.occurred_at:
                new = next((r for r in records if r.subject == record.subject and
                            r.predicate == "job_title" and r is not record and
                            r.kind is AssertionKind.ASSERT and r.valid_from is not None and
                            r.valid_from < episode.occurred_at), None)
                if new is not None:
                    record.valid_to = new.valid_from
        for record in records:
            # "Nusrat is leaving them, she starts at Apex Apparel on June 1": a job left
            # without a time ends where the new one begins, and with it its title and manager
            if record.kind is not AssertionKind.RETRACT or record.valid_from is not None or \
                    record.predicate not in ("works_at", "job_title", "reports_to"):
                continue
            new = next((r for r in records if r.subject == record.subject and
                        r.predicate == "works_at" and r.kind is AssertionKind.ASSERT and
                        r.valid_from is not None and r.valid_to is None), None)
            if new is not None:
                record.valid_from = new.valid_from
        for record in list(records):
            if record.predicate != "works_at" or record.kind is not AssertionKind.ASSERT or \
                    record.valid_from is None or record.valid_to is not None:
                continue
            # the employer held before this message (org_of would see this message's own)
            previous = [r.obj for r in state.current(record.subject, "works_at")
                        if r.message < index]
            if not previous or all(normalize_name(p) == normalize_name(record.obj)
                                   for p in previous):
                continue
            for held in state.current(record.subject, "reports_to"):
                if held.message < index and (held.valid_from is None or
                                              held.valid_from < record.valid_from):
                    records.append(self._record(record.subject, "reports_to", "", True,
                                                AssertionKind.RETRACT, record.valid_from,
                                                None, index, record.evidence, 0.5))
                    break

    def _told_starts(self, index: int, episode: Episode, records: list[Record]) -> None:
        """A fact held from a planned date or from a coarse one, told again with a later
        start that has come ("move in around Sept" … "Moved into Punggol on the 14th!!"),
        starts then: the plan was a forecast, the told date what happened."""
        state = self.state
        for record in records:
            spec = state.registry.get(record.predicate)
            if record.kind is not AssertionKind.ASSERT or record.valid_from is None or \
                    record.valid_to is not None or record.basis is not Basis.STATED or \
                    record.valid_from > episode.occurred_at or spec.event:
                continue
            key = normalize_name(record.obj)
            held = next((h for h in state.current(record.subject, record.predicate)
                         if normalize_name(h.obj) == key and h.message < index), None)
            if held is None or held.valid_from is None or \
                    held.valid_from >= record.valid_from:
                continue
            if spec.cardinality is Cardinality.ONE and any(
                    r.subject == record.subject and r.predicate == record.predicate and
                    r.kind is not AssertionKind.RETRACT and normalize_name(r.obj) != key and
                    held.valid_from < (r.valid_from or state.message_times.get(r.message) or
                                       episode.occurred_at) <= record.valid_from
                    for r in (*state.records, *records)):
                continue  # another object came between: "back at kora", a new stint
            said = state.message_times.get(held.message)
            zone = episode.occurred_at.tzinfo
            planned = said is not None and held.valid_from > said and \
                held.valid_from.astimezone(zone).day != record.valid_from.astimezone(zone).day
            # (the plan's own day of the month is the plan kept: "Moved on the 1st like I
            # said" two months after "Moving on 1 November" reads "the 1st" as the latest)
            coarse = held.granularity not in (None, Granularity.INSTANT, Granularity.DAY) and \
                record.valid_from < granularity_end(held.valid_from, held.granularity)
            if planned or coarse:
                record.kind = AssertionKind.CORRECT

    def _object_type(self, predicate: str) -> str:
        return self.state.registry.get(predicate).default_object_type

    def _record(self, subject: str, predicate: str, obj: str, literal: bool,
                kind: AssertionKind, valid_from: datetime | None, valid_to: datetime | None,
                index: int, evidence: tuple[int, int], confidence: float, *,
                basis: Basis | None = None, granularity: Granularity | None = None,
                group: int | None = None, stated: TimeValue | None = None) -> Record:
        if group is None:
            self.state.group_counter += 1
            group = self.state.group_counter
        return Record(subject, predicate, obj, literal, kind, valid_from, valid_to, basis,
                      granularity, group, index, evidence, confidence, stated_time=stated,
                      learned=self._rule == LEARNED_RULE)

    def _assertion(self, record: Record, doc: Doc, episode: Episode) -> FactAssertion:
        state = self.state
        spec = state.registry.get(record.predicate)
        subject_type = state.type_of(record.subject) or "person"
        if subject_type not in spec.subject_types:
            subject_type = spec.subject_types[0]
        obj: EntityRef | None = None
        value: str | None = None
        if record.obj:
            if record.literal:
                value = record.obj.lower()
            else:
                obj_type = state.type_of(record.obj) or self._object_type(record.predicate)
                obj = EntityRef(name=record.obj, type=obj_type,
                                aliases=state.aliases_of(record.obj))
        corrects = None
        corrects_value = None
        if record.corrects:
            if record.literal:
                corrects_value = record.corrects.lower()
            else:
                corrects = EntityRef(name=record.corrects,
                                     type=state.type_of(record.corrects) or "concept")
        # the quote is the message as typed: the parsed text may differ in the case of names
        # (extraction/truecase.py keeps every offset)
        parsed = _text(doc)
        said = episode.text[:len(parsed)]
        if said.lower() != parsed.lower():  # not this message's text (a caption follows it)
            said = parsed
        start, end = record.evidence
        start = max(0, min(start, len(said)))
        end = max(start, min(end, len(said)))
        sentence_start = said.rfind(".", 0, start) + 1
        evidence_start = sentence_start if start - sentence_start < 120 else start
        evidence_end = max(end, start + 1)
        raw = said[evidence_start:evidence_end]
        if not raw.strip():
            evidence_start, raw = 0, said[:200]
        # the offsets point at exactly the quoted text, without surrounding whitespace
        evidence_start += len(raw) - len(raw.lstrip())
        text = raw.strip()
        evidence_end = evidence_start + len(text)
        try:
            return FactAssertion(
                subject=EntityRef(name=record.subject, type=subject_type,
                                  aliases=state.aliases_of(record.subject)),
                predicate=record.predicate, object=obj, value=value,
                valid_from=record.valid_from, valid_to=record.valid_to, basis=record.basis,
                granularity=record.granularity, kind=record.kind, corrects=corrects,
                corrects_value=corrects_value, confidence=record.confidence,
                evidence=text, evidence_start=evidence_start, evidence_end=evidence_end,
                extractor=EXTRACTOR)
        except (InvalidInputError, ValidationError):
            # an inverted interval (two readings of the message's times disagree): keep the
            # fact without its times rather than lose it or the message
            return FactAssertion(
                subject=EntityRef(name=record.subject, type=subject_type,
                                  aliases=state.aliases_of(record.subject)),
                predicate=record.predicate, object=obj, value=value, kind=record.kind,
                basis=record.basis, confidence=record.confidence * 0.5, evidence=text,
                evidence_start=evidence_start, evidence_end=evidence_end,
                extractor=EXTRACTOR)
