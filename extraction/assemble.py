"""Conversation-level resolution: candidates of each message → :class:`FactAssertion` s.

The spaCy components work on one message at a time. What needs the conversation lives here:
who "I" is (the speaker), who "she" is (the most recent compatible person), what "we" means at
work (the speaker's organisation), aliases learned within the conversation ("Acme" ~ "Acme
Corp"), times inherited across clauses, corrections of earlier statements, and the implied
facts FORMAT.md asks for (leaving an organisation ends the title and the reporting line; a
manager works where their report works).

One :class:`ConversationState` per conversation (and so per tenant): nothing is ever merged
across conversations or tenants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import ValidationError
from spacy.tokens import Doc

from asof.extraction.components.base import NOT_NAMES, Candidate, Clause, is_nameish, name_start
from asof.extraction.components.mentions import name_run
from asof.extraction.patterns import (
    COMPANY_HEADS,
    DEPARTMENTS,
    EVENT_SUFFIXES,
    EVENT_WORDS,
    EXEC_TITLES,
    GROUP_WORDS,
    KINSHIP,
    LANGUAGES,
    OWNABLE_WORDS,
    PET_WORDS,
    SCHOOL_WORDS,
    VAGUE_NOUNS,
    WORK_ROLES,
    common_english,
)
from asof.extraction.phrases import PhraseReaders
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _tok
from asof.extraction.spans import trim_name as _trim_name
from asof.extraction.tagger.component import LEARNED_RULE
from asof.graph.errors import InvalidInputError
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis, EntityRef, Episode, FactAssertion, Granularity
from asof.graph.predicates import LITERAL, PredicateRegistry
from asof.timex import Role, TimeMention, TimeValue, duration_before, find_times

EXTRACTOR = "asof-rules/1"
_CLAUSE_WIDE_HYPO = frozenset({"if", "someday", "maybe", "unless", "whether", "kidding",
                               "joking", "perhaps", "dream"})
#: Triggers too common to trust against the NER's opinion of the object ("I'm at …").
_WEAK_RULES = frozenset({"be_at", "join_org", "with_carrier", "here_at"})
_CONTEXT_START_RULES = frozenset({"start_bare", "first_day", "moving_day", "move_bare"})
#: Tool verbs: their object is a product even when the NER guesses a place ("use Tableau").
_TOOL_RULES = frozenset({"use", "connect", "run_on", "run_tool", "switch_to", "stop_using",
                         "no_longer_use", "dont_use_anymore", "track_in", "switch_from",
                         "drop", "sign_with"})
_TITLE_RULES = frozenset({"title", "as_title", "title_at", "promoted", "title_colon"})

_OBJECT_TYPES = {"works_at": "organization", "studies_at": "organization",
                 "lives_in": "location", "reports_to": "person", "married_to": "person",
                 "member_of": "group", "speaks": "language", "visited": "location",
                 "attended": "event", "has_pet": "animal", "uses": "product",
                 "owns": "product", "likes": "concept", "dislikes": "concept",
                 "prefers": "concept"}
_LITERAL = frozenset({"job_title", "prefers"})
_PLAN_WORDS = frozenset({"free", "starter", "basic", "pro", "plus", "premium", "business",
                         "team", "growth", "enterprise", "scale", "standard", "professional",
                         "ultimate", "family", "student", "essentials", "advanced", "elite",
                         "startup", "lite", "personal"})
_PLAN_RE = re.compile(r"\b([A-Za-z][\w-]*)\s+(plan|tier)\b")
#: The department of "head of …" / "vp of …": at most three words, never across "and"/"or"
#: ("our head of sales and she reports to X" is not a title "head of sales and she …").
_DEPT = r"(?:(?!and\b|or\b|but\b)[\w-]+?(?: |(?=\W))){1,3}?"
_ROLE_RE = re.compile(
    r"\b(my|our|her|his|their)\s+((?:new\s+|current\s+|actual\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?i:manager|boss|lead|admin|administrator|deputy|contact|colleague|coworker|ceo|cto|cfo|"
    r"coo|cio|cmo|director|(?:head|vp) of " + _DEPT + r"|president|founder|owner|"
    r"account owner))\s*(?:,|is|was|will be|-|—)?\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w'’-]+(?:[ \t]+(?:(?:van|der|den|de|von|da|del|du)\b|[A-Z][\w'’-]+))*)")
_APPOS_ROLE_RE = re.compile(
    r"(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)*)[ \t]*,[ \t]+(?:our|their|the)[ \t]+"
    r"(?P<role>(?:[\w-]+\s+){0,2}(?i:manager|director|lead|admin|ceo|cto|cfo|coo|cio|cmo|"
    r"(?:head|vp) of " + _DEPT + r"|president|founder|officer))\b")
#: Nouns whose "was at X" names an employer ("my first job was at X", "her role is with Y").
_JOB_WORDS = frozenset({"job", "role", "position", "internship", "gig", "stint", "placement"})
#: Nouns a tool's name may qualify and still be the tool ("the HubSpot CRM", "Slack app").
_TOOL_NOUNS = frozenset({"app", "apps", "tool", "tools", "software", "platform", "system",
                         "crm", "erp", "account", "subscription", "plan", "license", "licence",
                         "instance", "workspace", "integration", "database", "db", "suite",
                         "stack", "cloud", "server", "servers", "service", "api", "sdk"})
#: Nouns that stand for the subject's employer ("left the company", "quit his job").
_EMPLOYER_NOUNS = frozenset({"company", "firm", "job", "organisation", "organization",
                             "business", "employer"})
#: "before Kōwhai", "before Xero": a name after "before" (its fact's start ends this one)
_BEFORE_NAME_RE = re.compile(
    r"\b[Bb]efore\s+((?!I\b)[A-Z][\w&'.-]*(?:\s+(?!I\b)[A-Z][\w&'.-]*)*)")
_INTRO_RE = re.compile(
    r"(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)[ \t]+(?:here[ \t]+)?(?:from|at|with)[ \t]+"
    r"(?:the\s+)?(?P<org>[A-Z][\w'’&-]*(?:[ \t]+(?:&[ \t]+)?[A-Z][\w'’-]*)*)")
_HERE_AT_RE = re.compile(r"\bhere at\s+(?P<org>[A-Z][\w'’&-]*(?:[ \t]+(?:&[ \t]+)?[A-Z][\w'’-]*)*)")
_KIN_RE = re.compile(r"\b(?:my|our|her|his)\s+(?P<kin>" + "|".join(KINSHIP) +
                     r")[ \t]*,?[ \t]+(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)")
_TIME_FIX_RE = re.compile(r"\b(?:was|were|happened|is|moved|started|joined)\b", re.I)


@dataclass(slots=True)
class Entity:
    name: str
    type: str
    gender: str | None = None
    tentative: bool = False  #: typed by the statistical NER only; relations may retype it


@dataclass(slots=True)
class Record:
    """An assertion emitted (or buffered) for the conversation, kept for later reference."""

    subject: str
    predicate: str
    obj: str
    literal: bool
    kind: AssertionKind
    valid_from: datetime | None
    valid_to: datetime | None
    basis: Basis | None
    granularity: Granularity | None
    group: int
    message: int
    evidence: tuple[int, int]
    confidence: float = 0.8
    corrects: str | None = None
    stated_time: TimeValue | None = None
    #: found by the learned tagger alone; dropped when a rule stated the same thing
    learned: bool = False


@dataclass(slots=True)
class ConversationState:
    tenant: str
    registry: PredicateRegistry
    we_as_org: bool = True
    entities: dict[str, Entity] = field(default_factory=dict)  #: normalised key → entity
    recent: list[str] = field(default_factory=list)  #: canonical names, most recent last
    records: list[Record] = field(default_factory=list)
    group_counter: int = 0
    speakers: set[str] = field(default_factory=set)
    pending: list[Record] = field(default_factory=list)  #: the message being assembled
    user_speakers: set[str] = field(default_factory=set)
    #: the full names of everyone who speaks as a user in the conversation, known up front
    speaker_names: set[str] = field(default_factory=set)
    #: organisation names mentioned per message (char offset, surface name), for "they"
    org_mentions: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    #: accepted job offers not yet started: person → organisation ("accepted an offer from X")
    offers: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ entities

    def canonical(self, name: str, type_: str) -> str:
        """Resolve a surface name to the conversation's canonical name, learning aliases."""
        name = name.strip(" ,.;:!?'\"")
        key = normalize_name(name)
        if not key:
            return name
        entity = self.alias_of(name, type_)
        if entity is None and type_ == "person":
            # "Noa and I are moving" before Noa Levi speaks: the speaker's first name
            full = [s for s in self.speaker_names
                    if len(s.split()) > 1 and normalize_name(s).split()[0] == key]
            if len(full) == 1:
                entity = self.entities.setdefault(normalize_name(full[0]),
                                                  Entity(full[0], "person"))
        if entity is None:
            entity = Entity(name, type_)
        self.entities[key] = entity
        return entity.name

    def alias_of(self, name: str, type_: str) -> Entity | None:
        """The known entity a surface name means (itself or by alias), learning nothing."""
        key = normalize_name(name.strip(" ,.;:!?'\""))
        known = self.entities.get(key)
        if known is not None or not key:
            return known
        words = key.split()
        for entity in list(self.entities.values()):
            ekey = normalize_name(entity.name)
            ewords = ekey.split()
            compatible = entity.type == type_ or {entity.type, type_} <= {
                "organization", "product", "group", "concept"} or "unknown" in (
                entity.type, type_)
            if not compatible:
                continue
            # "Dana" ~ "Dana Whitfield", "Meridian" ~ "Meridian Bank", "Helix Bio" ~ "Helix …"
            if len(words) < len(ewords) and ewords[:len(words)] == words:
                return entity
            if len(words) < len(ewords) and words[0] == ewords[0] and type_ != "person" and \
                    len(words[0]) > 3 and all(w[:3] == e[:3] for w, e in zip(words, ewords,
                                                                              strict=False)):
                return entity
            if type_ != "person" and entity.type != "person" and len(words) < len(ewords) \
                    and ewords[-len(words):] == words and len(words[-1]) > 3:
                # "Access" ~ "Microsoft Access", "Teams" ~ "Microsoft Teams"
                return entity
            if entity.type == "person" and len(ewords) < len(words) and \
                    words[:len(ewords)] == ewords and ewords[0] not in self.speakers:
                # a short name seen first, the full name later: one person
                return entity
        return None

    def entity(self, name: str) -> Entity | None:
        return self.entities.get(normalize_name(name))

    def team_named(self, name: str) -> Entity | None:
        """The known team a bare name means ("Fleet" for "Fleet team"), whatever the NER
        made of the bare name."""
        words = normalize_name(name).split()
        for entity in self.entities.values():
            ewords = normalize_name(entity.name).split()
            if entity.type == "group" and len(ewords) == len(words) + 1 and \
                    ewords[:-1] == words and ewords[-1] in GROUP_WORDS:
                return entity
        return None

    def named_org(self, name: str) -> str | None:
        """The longer organisation name already mentioned that ``name`` shortens
        ("Meridian" after "my Meridian Bank call"), even if no relation used it yet."""
        words = normalize_name(name).split()
        if not words:
            return None
        for index in sorted(self.org_mentions, reverse=True):
            for _, full in self.org_mentions[index]:
                fwords = normalize_name(full).split()
                if len(words) < len(fwords) and fwords[:len(words)] == words:
                    return full
        return None

    def inside_person_name(self, name: str) -> bool:
        """``name`` runs inside a known person's name ("Nwachukwu" in "Obi Nwachukwu"): the
        NER's organisation there is a piece of the person."""
        words = normalize_name(name).split()
        n = len(words)
        for entity in self.entities.values():
            full = normalize_name(entity.name).split()
            if entity.type == "person" and 0 < n <= len(full) and any(
                    full[i:i + n] == words for i in range(len(full) - n + 1)):
                return True
        return False

    def type_of(self, name: str) -> str | None:
        entity = self.entity(name)
        return entity.type if entity else None

    def retype(self, name: str, type_: str) -> None:
        """A relation says what a NER-only entity is ("started at Ferrovia Labs")."""
        entity = self.entity(name)
        if entity is not None and entity.tentative:
            entity.type, entity.tentative = type_, False

    def touch(self, name: str) -> None:
        if name in self.recent:
            self.recent.remove(name)
        self.recent.append(name)

    def add_person(self, name: str, gender: str | None = None) -> str:
        canonical = self.canonical(name, "person")
        entity = self.entity(canonical)
        if entity is not None:
            if entity.type != "person" and entity.type in ("unknown", "concept"):
                entity.type = "person"
            if gender and entity.gender is None:
                entity.gender = gender
        self.touch(canonical)
        return canonical

    def recent_person(self, gender: str | None, exclude: set[str]) -> str | None:
        fallback = None
        for name in reversed(self.recent):
            entity = self.entity(name)
            if entity is None or entity.type != "person" or name in exclude:
                continue
            if gender is None or entity.gender in (None, gender) or gender == "they":
                if entity.gender is None and gender in ("he", "she"):
                    entity.gender = gender
                return name
            if fallback is None and entity.gender is None:
                fallback = name
        return fallback

    def recent_of(self, types: tuple[str, ...]) -> str | None:
        for name in reversed(self.recent):
            entity = self.entity(name)
            if entity is not None and entity.type in types:
                return name
        return None

    # ------------------------------------------------------------------ facts

    def current(self, subject: str, predicate: str) -> list[Record]:
        """Records of (subject, predicate) still believed (asserted, not retracted after)."""
        alive: dict[str, Record] = {}
        for record in self.records:
            if record.subject != subject or record.predicate != predicate:
                continue
            if record.kind is AssertionKind.RETRACT:
                if record.obj:
                    alive.pop(normalize_name(record.obj), None)
                else:
                    alive.clear()
            elif record.valid_to is None:
                alive[normalize_name(record.obj)] = record
            else:
                alive.pop(normalize_name(record.obj), None)
        return list(alive.values())

    def org_of(self, person: str) -> str | None:
        for record in reversed(self.pending):
            if record.subject == person and record.predicate == "works_at" and \
                    record.kind is AssertionKind.ASSERT and record.valid_to is None:
                return record.obj
        held = self.current(person, "works_at")
        if not held:
            return None
        # two jobs held (a new one known before the old one is closed): the latest started
        return max(enumerate(held), key=lambda p: (
            p[1].valid_from.timestamp() if p[1].valid_from else float("-inf"), p[0]))[1].obj

    def conversation_org(self, person: str) -> str | None:
        """The person's organisation, else the one other user speakers work at."""
        own = self.org_of(person)
        if own:
            return own
        for other in self.user_speakers:
            if other != person:
                org = self.org_of(other)
                if org:
                    return org
        return None

    def known(self, subject: str, predicate: str, obj: str) -> bool:
        key = normalize_name(obj)
        return any(r.subject == subject and r.predicate == predicate and
                   normalize_name(r.obj) == key and r.kind is not AssertionKind.RETRACT
                   for r in self.records)


def _is_event(name: str) -> bool:
    low = name.lower()
    words = low.replace("-", " ").split()
    if any(w in EVENT_WORDS for w in words) or "i/o" in low or ":" in low:
        return True
    # "DevSummit", "GopherCon", "Oktoberfest": an event suffix glued to a name
    for word in name.replace("-", " ").split():
        for suffix in EVENT_SUFFIXES:
            cut = len(word) - len(suffix)
            if cut >= 2 and word.lower().endswith(suffix) and (
                    word[cut].isupper() or (suffix == "fest" and word[1:].islower())):
                return True
    return False


def _objectless_stop(cand: Candidate) -> bool:
    """"… but cancelled in 2020": a stop verb with nothing to stop yields no fact of its own,
    so it owns no time (the fact it ends does)."""
    return cand.kind == "retract" and not cand.objects and \
        cand.rule not in ("resign", "last_day")


def _adoption_times(doc: Doc, ci: int, clauses: list[Clause],
                    clause_times: dict[int, list[TimeMention]]) -> list[TimeMention]:
    """"We adopted a greyhound on Saturday! His name is Bran", "his name is Kiki, … we got
    him from a shelter in 2021": the adoption's time, said before or after the name."""
    order = [*range(ci - 1, -1, -1), *range(ci + 1, len(clauses))]
    for other in order:
        tokens = doc[clauses[other].start:clauses[other].end]
        if clause_times.get(other) and any(t.lemma_ in ("adopt", "get", "bring", "rescue")
                                           for t in tokens) and \
                any(t.lower_ in PET_WORDS or (other > ci and t.lower_ in ("him", "her"))
                    for t in tokens):
            return clause_times[other][:1]
    return []


def _event_appositive(text: str, name: str) -> bool:
    """"FIL, the book fair here": an appositive right after the name calls it an event."""
    at = text.find(name)
    if at < 0:
        return False
    match = re.match(r"\s*,\s*(?:the|a|an|our|their)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)",
                     text[at + len(name):])
    return match is not None and any(w in EVENT_WORDS for w in match.group(1).lower().split())


def _is_group(name: str) -> bool:
    words = name.lower().split()
    return bool(words) and (words[-1] in GROUP_WORDS or any(w in GROUP_WORDS for w in words[1:]))


def _company_group(name: str) -> bool:
    """"Harwick Insurance Group", "Tessaly Group": a company named "… Group" (capitalised,
    after at least one other capitalised word), not a club or a team."""
    words = name.split()
    return len(words) >= 2 and words[-1] == "Group" and words[-2][:1].isupper()


def _is_school(name: str) -> bool:
    return any(w in SCHOOL_WORDS for w in name.lower().replace("-", " ").split()) or \
        any(w in SCHOOL_WORDS for w in name.lower().split())


class Assembler(PhraseReaders):
    """Turns the annotated docs of one conversation into assertions, message by message."""

    def __init__(self, state: ConversationState) -> None:
        self.state = state
        self._anchors: dict[int, list[int]] = {}
        self._groups: dict[tuple[int, int], int] = {}
        self._rule = ""
        self._message = 0
        self._positions: dict[str, int] = {}
        self._merged_group: str | None = None  #: the team a "X is merged into Y" dissolves
        self._thing: tuple[int, str] | None = None  #: a thing named without a fact of its own
        self._object_at = 0  #: char offset of the object being routed ("there" looks before)

    # ------------------------------------------------------------------ entry point

    def observe(self, index: int, episode: Episode, doc: Doc) -> None:
        """A message on the light path (tokens and name runs only, no facts possible): keep
        the recency of the people and organisations it names."""
        state = self.state
        self._message = index
        if episode.role.value == "user":
            state.user_speakers.add(state.add_person(episode.speaker))
        self._learn_people(doc, episode.speaker)
        self._learn_orgs(doc, index)

    def message(self, index: int, episode: Episode, doc: Doc | None) -> list[FactAssertion]:
        state = self.state
        self._message = index
        if episode.role.value != "user":
            if doc is not None:
                self._learn_people(doc, episode.speaker)
            return []
        speaker = state.add_person(episode.speaker)
        state.user_speakers.add(speaker)
        if doc is None:
            return []
        self._learn_people(doc, speaker)
        self._learn_orgs(doc, index)
        buffer: list[Record] = []
        state.pending = buffer
        self._intro(doc, speaker, index, buffer)
        clauses: list[Clause] = doc._.asof_clauses or []
        times: list[TimeMention] = doc._.asof_times or []
        by_clause: dict[int, list[Candidate]] = {}
        for cand in doc._.asof_candidates or []:
            by_clause.setdefault(cand.clause, []).append(cand)
        subjects: dict[int, list[str]] = {}
        clause_times: dict[int, list[TimeMention]] = {}
        for ci, clause in enumerate(clauses):
            lo, hi = doc[clause.start].idx, doc[clause.end - 1].idx + len(doc[clause.end - 1])
            clause_times[ci] = [t for t in times if lo <= t.start_char < hi]
        # triggers that own times; "since the company started in 2016" has no subject to own
        # one, so its time goes to the fact it dates
        # (a learned candidate's "trigger" is its object span: it owns no time of its own and
        # takes those of the nearest rule trigger)
        self._anchors = {ci: sorted({c.trigger[0] for c in cands if c.rule not in _TITLE_RULES
                                     and c.rule != LEARNED_RULE and c.subject != "none"
                                     and not _objectless_stop(c)})
                         for ci, cands in by_clause.items()}
        for ci, clause in enumerate(clauses):
            for cand in by_clause.get(ci, []):
                if not self._factual(doc, clause, cand):
                    continue
                self._merged_group = None
                subs = self._subjects(doc, clause, ci, cand, speaker, subjects)
                if cand.predicate == "reports_to" and cand.subject in ("name", "none",
                                                                       "default"):
                    # "Dias and Madina report to me", "two people report to me, Dias and
                    # Madina": every person named
                    subs = subs + [p for p in self._listed_people(doc, clause, cand)
                                   if p not in subs]
                if not subs:
                    continue
                subjects.setdefault(ci, subs)
                if cand.predicate == "lives_in" and cand.kind in ("assert", "switch_from"):
                    # "I moved to Warsaw with my son Danylo": the people who moved along
                    subs = subs + [p for p in self._companions(doc, clause, cand)
                                   if p not in subs]
                for subject in subs:
                    self._emit(doc, index, episode, clause, ci, cand, subject, speaker,
                               clause_times, buffer, clauses)
        self._pet_owner(doc, index, speaker, buffer)
        self._language_lists(doc, index, buffer)
        self._cv_lines(doc, index, speaker, buffer)
        self._my_home(doc, index, speaker, buffer)
        self._language_skill(doc, index, speaker, buffer)
        self._boss_of(doc, index, speaker, buffer)
        self._instead_of(doc, index, speaker, buffer)
        self._named_group(doc, index, speaker, buffer)
        self._group_ended(doc, index, buffer)
        self._plans(doc, index, episode, speaker, clauses, clause_times, buffer)
        self._roles(doc, index, episode, speaker, buffer)
        self._corrections(doc, index, episode, clause_times, buffer)
        merged = [r for r in self._merge(self._rules_first(buffer))
                  if self._types_fit(r, episode.occurred_at)]
        self._end_old_plans(index, episode, merged)
        self._implied(index, episode, merged)
        state.records.extend(merged)
        return [self._assertion(r, doc, episode) for r in merged]

    # ------------------------------------------------------------------ people and names

    def _learn_people(self, doc: Doc, speaker: str) -> None:
        state = self.state
        positions: dict[str, int] = {}

        def seen(name: str, at: int) -> None:
            if name not in positions or at < positions[name]:
                positions[name] = at

        for match in _KIN_RE.finditer(_text(doc)):
            name = match.group("name")
            if normalize_name(name) in ("and", "is"):
                continue
            seen(state.add_person(name.split(" is")[0], KINSHIP.get(match.group("kin").lower())),
                 match.start("name"))
        for match in _ROLE_RE.finditer(_text(doc)):
            # "my deputy Priyanka Sharma", "our CTO, Omar Haddad": a person, whatever the NER says
            name = _trim_name(match.group("name"))
            words = match.group(2).lower().split()
            key = normalize_name(name)
            if key and key.split()[0] not in NOT_NAMES and key not in LANGUAGES and \
                    any(w in WORK_ROLES for w in words) and name.lower() not in EXEC_TITLES \
                    and state.type_of(name) in (None, "person", "unknown", "concept"):
                seen(state.add_person(name), match.start("name"))
        for span in doc.spans.get("asof_mentions", []):
            # "Hana at Kestrel" tagged as one PERSON: the name ends before the preposition
            text = _trim_name(re.split(r"\s+(?:at|from|with|here)\b", span.text)[0])
            key = normalize_name(text)
            if not key or key.split()[0] in NOT_NAMES or key in LANGUAGES or \
                    key.split()[-1] in LANGUAGES:
                continue
            if span.label_ == "PERSON":
                if key == normalize_name(speaker) or not text[:1].isupper():
                    continue
                if state.type_of(text) is None:
                    state.add_person(text)
                    entity = state.entity(text)
                    if entity is not None:
                        entity.tentative = True
                    seen(entity.name if entity else text, span.start_char)
                elif state.type_of(text) == "person":
                    name = state.entity(text).name  # type: ignore[union-attr]
                    state.touch(name)
                    seen(name, span.start_char)
            elif (known := state.entity(text) or state.alias_of(text, "person")) is not None \
                    and (known.type == "person" or state.entity(text) is not None):
                # a known name, or a person's short name ("not Ifeoma"): mentioned again now
                name = known.name
                state.touch(name)
                if known.type == "person":
                    seen(name, span.start_char)
            elif span.label_ not in ("PERSON", "LANGUAGE", "NORP") and \
                    key != normalize_name(speaker) and \
                    state.type_of(text) is None and \
                    key.split()[-1] not in COMPANY_HEADS and not (
                        span.start > 0 and doc[span.start - 1].lower_ in ("at", "in", "on")) \
                    and (gender := _pronoun_after(doc, span.end)) is not None:
                # "Tunde Bakare, he's their lead": a name the model missed, taken up by he/she
                seen(state.add_person(text, gender), span.start_char)
        # a known person's first name typed in lower case ("kenji's been there for years")
        firsts: dict[str, set[str]] = {}
        for entity in {id(e): e for e in state.entities.values()}.values():
            if entity.type == "person" and entity.name.lower() != normalize_name(speaker):
                first = entity.name.split()[0].lower()
                if len(first) >= 3 and first not in NOT_NAMES and first not in state.speakers:
                    firsts.setdefault(first, set()).add(entity.name)
        if firsts:
            for token in doc:
                names = firsts.get(token.lower_) if token.is_lower else None
                if names and len(names) == 1 and token.pos_ != "VERB":
                    name = next(iter(names))
                    state.touch(name)
                    seen(name, token.idx)
        self._positions = positions

    def _learn_orgs(self, doc: Doc, index: int) -> None:
        """Organisation names a later "they" may mean ("…Bengal Textiles call … they run
        SAP"): ORG entities of the model plus known organisations named in any case."""
        state = self.state
        found: list[tuple[int, str]] = []
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            text = _trim_name(ent.text)
            key = normalize_name(text)
            if not key or key in DEPARTMENTS or key.split()[0] in NOT_NAMES or \
                    key in EXEC_TITLES or len(key) < 2:
                continue
            known = state.entity(text)
            if known is not None and not known.tentative and known.type != "organization":
                continue
            found.append((ent.start_char, text))
        found = [(at, text) for at, text in found if not state.inside_person_name(text)]
        for span in doc.spans.get("asof_mentions", []):
            # a name the model missed or took for a person, but its last word says is a
            # company ("Quorra Bank", "Kestrel Dairy")
            words = span.text.split()
            if len(words) >= 2 and \
                    words[-1].lower().rstrip(".") in COMPANY_HEADS and \
                    not any(a == span.start_char for a, _ in found):
                found.append((span.start_char, _trim_name(span.text)))
        low = _text(doc).lower()
        for entity in {id(e): e for e in state.entities.values()}.values():
            if entity.type != "organization":
                continue
            at = low.find(entity.name.lower())
            if at >= 0 and not any(a == at for a, _ in found):
                found.append((at, entity.name))
        if found:
            state.org_mentions[index] = sorted(found)

    def _they_person(self, at: int) -> bool:
        """A singular "they" for a person ("our friend Sam can help — they live in …"): a
        person is named before it in this message and no organisation is."""
        named = [pos for pos in self._positions.values() if pos < at]
        orgs = [start for start, _ in self.state.org_mentions.get(self._message, [])
                if start < at]
        # "Meridian dropped Tableau and they've been on Snowflake": an organisation already
        # acted in this message
        acted = any(self.state.type_of(r.subject) == "organization" for r in self.state.pending)
        return bool(named) and not orgs and not acted

    def _they_org(self, doc: Doc, at: int) -> str | None:
        """The organisation a "they"/"them" at char ``at`` with an organisation-valued
        predicate means: the first one named before it in this message, else the latest known
        one, else the first one named in the latest earlier message that named one."""
        state = self.state
        index = self._message
        here = [name for start, name in state.org_mentions.get(index, []) if start < at and
                not state.inside_person_name(name)]
        pick = here[0] if here else state.recent_of(("organization",))
        if pick is None:
            for earlier in sorted((i for i in state.org_mentions if i < index), reverse=True):
                pick = state.org_mentions[earlier][0][1]
                break
        if pick is None:
            return None
        known = state.entity(pick)
        if known is not None and known.type == "organization":
            return known.name
        canonical = state.canonical(pick, "organization")
        entity = state.entity(canonical)
        if entity is not None and entity.tentative:
            entity.type, entity.tentative = "organization", False
        if entity is not None and entity.type not in ("organization", "unknown", "concept"):
            return None
        state.touch(canonical)
        return canonical

    def _intro(self, doc: Doc, speaker: str, index: int, buffer: list[Record]) -> None:
        """"Rafael from Northwind", "Thanh from ACME here", "here at Lumen Grid"."""
        state = self.state
        first = normalize_name(speaker).split()[0]
        for match in _INTRO_RE.finditer(_text(doc)):
            name = normalize_name(match.group("name"))
            known = state.entity(name)
            if not name or (name.split()[0] != first and (
                    known is None or known.type in ("location", "event"))):
                continue  # "Leeds with Ana": a place is not introduced as a person
            person = state.add_person(match.group("name")) if name.split()[0] != first \
                else speaker
            org = _trim_name(match.group("org"))
            if not org or normalize_name(org) in DEPARTMENTS or \
                    self._intro_place(doc, org) or _is_event(org) or (
                        (known_org := state.entity(org)) is not None and
                        known_org.type == "person" and not known_org.tentative):
                continue
            if person != speaker and normalize_name(org) in LANGUAGES:
                continue
            state.retype(org, "organization")  # the NER's guess ("Kestrel Labs": PERSON)
            canonical = state.canonical(org, "organization")
            state.touch(canonical)
            start = match.start("org")
            buffer.append(self._record(person, "works_at", canonical, False,
                                       AssertionKind.ASSERT, None, None, index,
                                       (match.start(), match.end()), 0.7))
            del start
        for match in _HERE_AT_RE.finditer(_text(doc)):
            org = _trim_name(match.group("org"))
            if org and normalize_name(org) not in DEPARTMENTS:
                canonical = state.canonical(org, "organization")
                buffer.append(self._record(speaker, "works_at", canonical, False,
                                           AssertionKind.ASSERT, None, None, index,
                                           (match.start(), match.end()), 0.7))

    def _intro_place(self, doc: Doc, name: str) -> bool:
        """"Dana from Leeds" names a place only when the NER calls it a city or country
        (GPE) or it is a known place: its LOC label ("Andes Outdoor") is too unsure."""
        if self.state.type_of(name) == "location":
            return True
        return any(ent.text == name and ent.label_ == "GPE" for ent in doc.ents)

    def _leaving_place(self, doc: Doc, name: str) -> bool:
        """"I'm leaving Pune on Feb 1 for Oslo", "leaving Pune after 10 years here": a move
        announced with the progressive, about a place the NER names (not a known org)."""
        if self.state.type_of(name) in ("organization", "product", "group"):
            return False
        if self.state.type_of(name) == "location":
            return True
        return any(ent.text == name and ent.label_ in ("GPE", "LOC") and ent.start > 0 and
                   doc[ent.start - 1].lower_ == "leaving" for ent in doc.ents)

    def _listed_people(self, doc: Doc, clause: Clause, cand: Candidate) -> list[str]:
        """Names joined by "and" to the subject, or listed after the object's comma."""
        spans: list[tuple[int, int]] = []
        if cand.subject in ("name", "default"):
            # name runs joined by "and" right before the verb: "Timur and Dana report to me"
            k = cand.trigger[0]
            while k > clause.start and doc[k - 1].lower_ in ("now", "both", "all", "also"):
                k -= 1
            k -= 1
            if cand.subject == "name" and cand.subject_span is not None:
                k = cand.subject_span[0] - 1
            elif k >= clause.start and is_nameish(doc[k]):
                first = name_start(doc, k + 1, clause.start)
                spans.append((first, k + 1))
                k = first - 1
            while k >= clause.start and doc[k].lower_ in ("and", ","):
                first = name_start(doc, k, clause.start)
                if first >= k:
                    break
                spans.append((first, k))
                k = first - 1
        else:
            last = max((o[1] for o in cand.objects), default=cand.trigger[1])
            k = last
            if k < clause.end and doc[k].text == ",":
                k += 1
                while k < clause.end:
                    run = name_run(doc, k, clause.end)
                    if run is None:
                        break
                    spans.append(run)
                    k = run[1]
                    if k < clause.end and doc[k].lower_ in ("and", ","):
                        k += 1
                    else:
                        break
        found = []
        for start, end in spans:
            name = _trim_name(doc[start:end].text)
            if name and self.state.type_of(name) in (None, "person", "unknown"):
                found.append(self.state.add_person(name))
        return found

    def _companions(self, doc: Doc, clause: Clause, cand: Candidate) -> list[str]:
        """People named after "with" in a move's clause ("with my son Danylo", "with Ana"),
        not pets ("with our dog Bublyk")."""
        found = []
        for k in range(cand.trigger[1], clause.end - 1):
            if doc[k].lower_ != "with":
                continue
            j = k + 1
            kin = None
            while j < clause.end and (doc[j].lower_ in ("my", "our", "his", "her", "their")
                                      or doc[j].lower_ in KINSHIP):
                kin = doc[j].lower_ if doc[j].lower_ in KINSHIP else kin
                j += 1
            if j > k + 1 and kin is None:
                continue  # "with our dog Bublyk", "with my old car"
            run = name_run(doc, j, clause.end)
            if run is None:
                continue
            name = _trim_name(doc[run[0]:run[1]].text)
            if name and self.state.type_of(name) in (None, "person", "unknown"):
                found.append(self.state.add_person(name, KINSHIP.get(kin) if kin else None))
        return found

    def _tool_talk(self, doc: Doc) -> bool:
        """The message is about tools: another candidate in it is a tool relation."""
        return any(c.predicate == "uses" and c.objects and (
            c.rule != "be_on" or any(o[3] for o in c.objects))
            for c in doc._.asof_candidates or [])

    def _looks_like_place(self, doc: Doc, name: str) -> bool:
        known = self.state.alias_of(name, "organization")
        words = normalize_name(name).split()
        if known is not None and known.type in ("organization", "product") and \
                normalize_name(known.name).split()[:len(words)] == words or \
                self.state.named_org(name):
            # "Meridian" once "Meridian Bank" is known, whatever the NER says (but "Delft"
            # after "TU Delft" is still the city)
            return False
        for ent in doc.ents:
            if ent.text == name and ent.label_ in ("GPE", "LOC"):
                return True
        return self.state.type_of(name) == "location"

    # ------------------------------------------------------------------ modality

    @staticmethod
    def _factual(doc: Doc, clause: Clause, cand: Candidate) -> bool:
        start = cand.trigger[0]
        if clause.question and (clause.question_from is None or
                                cand.trigger[1] > clause.question_from):
            return False
        for p in clause.hypos:
            # "if", "someday", "kidding" colour the whole clause; modals only what follows
            if p <= cand.trigger[1] or doc[p].lower_ in _CLAUSE_WIDE_HYPO:
                return False
        if any(p < start for p in clause.reports):
            return False
        if cand.negated:
            for p in clause.negations:
                if start - 4 <= p <= cand.trigger[1] + 1:
                    return False
                if doc[p].head.i in range(cand.trigger[0], cand.trigger[1]):
                    return False
        return True

    # ------------------------------------------------------------------ subjects

    def _subjects(self, doc: Doc, clause: Clause, ci: int, cand: Candidate, speaker: str,
                  subjects: dict[int, list[str]]) -> list[str]:
        state = self.state
        kind = cand.subject
        predicate = cand.predicate
        org_subject = "organization" in state.registry.get(predicate).subject_types
        if kind == "speaker":
            span = cand.subject_span
            if span is not None and span[0] >= 2 and doc[span[0] - 1].lower_ == "and" and \
                    _partner_before(doc, span[0] - 2):
                return [speaker, state.add_person(doc[span[0] - 2].text)]
            return [speaker]
        if kind == "we":
            org = state.conversation_org(speaker)
            if org_subject and org and state.we_as_org:
                return [org]
            partner = _and_i(doc, clause)
            result = [speaker]
            if partner:
                result.append(state.add_person(partner))
            return result
        if kind in ("he", "she", "they"):
            at = doc[cand.subject_span[0]].idx if cand.subject_span else len(_text(doc))
            if kind == "they" and org_subject and not self._they_person(at):
                org = self._they_org(doc, at)
                if org is not None:
                    return [org]
            gender = kind if kind != "they" else None
            # people first named after the pronoun in this message are not its antecedent
            later = {name for name, pos in self._positions.items() if pos > at}
            person = state.recent_person(gender, {speaker} | later) or \
                state.recent_person(gender, {speaker})
            return [person] if person else []
        if kind == "who":
            person = state.recent_person(None, {speaker})
            return [person] if person else []
        if kind == "name" and cand.subject_span is not None:
            text = _trim_name(doc[cand.subject_span[0]:cand.subject_span[1]].text)
            if not text or self._everyday_word(doc, cand.subject_span, text):
                return []
            group = state.team_named(text) if predicate == "member_of" else None
            if group is not None:
                # "Fleet is merged into the Platform team": the team's members move
                self._merged_group = group.name
                return sorted({r.subject for r in state.records
                               if r.predicate == "member_of" and r.obj == group.name and
                               any(c.obj == group.name
                                   for c in state.current(r.subject, "member_of"))})
            known = state.entity(text)
            if known is None and org_subject:
                # "Tulip runs on Figma" once "Tulip Payments" is known
                alias = state.alias_of(text, "organization")
                known = alias if alias is not None and alias.type == "organization" else None
            if known is not None and known.type in ("organization", "product") and org_subject:
                state.touch(known.name)
                return [known.name]
            if known is not None and known.type not in ("person", "unknown", "concept"):
                return []  # an animal, a place, … is not the subject of these relations
            if normalize_name(text) in LANGUAGES:
                return []
            if predicate in ("uses", "owns") and known is None and \
                    any(e.text == text and e.label_ == "ORG" for e in doc.ents):
                return [state.canonical(text, "organization")]
            name = state.add_person(text)
            if normalize_name(name) == normalize_name(speaker):
                return [speaker]
            return [name]
        if kind == "default":
            named = self._lowercase_subject(doc, clause, cand)
            if named is not None:
                return [named]
            if clause.connector and ci - 1 in subjects and \
                    doc._.asof_clauses[ci - 1].sent == clause.sent:
                return subjects[ci - 1]
            for prev in range(ci - 1, -1, -1):
                if prev in subjects and doc._.asof_clauses[prev].sent == clause.sent:
                    return subjects[prev]
            return [speaker]
        return []

    def _everyday_word(self, doc: Doc, span: tuple[int, int], text: str) -> bool:
        """A one-word "name" that is an everyday English word the model does not call a person
        and nobody in the conversation goes by ("Painting looks like a great outlet", "Come
        to think of it"): not a subject."""
        if span[1] - span[0] != 1 or doc[span[0]].ent_type_ == "PERSON":
            return False
        key = normalize_name(text)
        if self.state.alias_of(text, "person") is not None or key in self.state.speakers:
            return False
        return common_english(key)

    def _lowercase_subject(self, doc: Doc, clause: Clause, cand: Candidate) -> str | None:
        """"kenji's been at Vantage since 2017": a known person's first name typed in lower
        case as the subject of the trigger's verb (the parser's subject, not the speaker)."""
        at = {pos: name for name, pos in self._positions.items()}
        for token in doc[clause.start:min(cand.trigger[0] + 1, clause.end)]:
            if token.is_lower and token.dep_ in ("nsubj", "nsubjpass") and token.idx in at:
                return at[token.idx]
        return None

    # ------------------------------------------------------------------ one candidate

    def _emit(self, doc: Doc, index: int, episode: Episode, clause: Clause, ci: int,
              cand: Candidate, subject: str, speaker: str,
              clause_times: dict[int, list[TimeMention]], buffer: list[Record],
              clauses: list[Clause]) -> None:
        state = self.state
        predicate = cand.predicate
        kind = cand.kind
        objects = list(cand.objects)
        if not objects and cand.rule in _CONTEXT_START_RULES:
            times = self._own_times(doc, ci, cand, clause_times.get(ci, []))
            if times and self._date_context(subject, times[0], buffer):
                return
            if times and times[0].role in (Role.AT, Role.START) and \
                    self._date_earlier(subject, predicate, times[0], index, cand, doc, buffer):
                return
        if kind == "offer":
            self._offer(doc, index, episode, clause, ci, cand, subject, clause_times, buffer)
            return
        if cand.inverse:
            self._hired(doc, index, episode, clause, ci, cand, subject, speaker, clause_times,
                        buffer)
            return
        if not objects and predicate == "lives_in" and kind == "assert":
            home = _workplace_after(doc, cand.trigger[1], clause.end, _DWELLINGS, ("in",))
            if home is not None:
                objects = [home]  # "we live in a tiny flat in Cork city"
        if not objects and cand.rule == "move_to" and kind == "assert":
            workplace = _workplace_after(doc, cand.trigger[1], clause.end)
            if workplace is not None:
                # "I'm moving to the hospital pharmacy at Szpital Bielański": a job move
                objects, predicate = [workplace], "works_at"
        if not objects and predicate == "works_at" and kind == "assert" and \
                subject in state.offers:
            # "I accepted an offer from X. … first day is June 3": the offered job starts
            objects = [(cand.trigger[0], cand.trigger[0] + 1, state.offers.pop(subject), True)]
        if kind == "retract" and predicate == "works_at" and not objects and \
                cand.rule == "left_org":
            k = cand.trigger[1]
            while k < clause.end and doc[k].lower_ in ("the", "her", "his", "their", "my",
                                                       "our", "its"):
                k += 1
            if k < clause.end and doc[k].lower_ in _EMPLOYER_NOUNS:
                objects = [(k, k + 1, "company", False)]  # "Dana left the company in January"
            elif k == cand.trigger[1] and doc[cand.trigger[0]].pos_ == "VERB" and (
                    k >= clause.end or doc[k].is_punct or doc[k].ent_type_ == "DATE") and \
                    state.org_of(subject) is not None:
                # "our ops lead Marcus left last week": someone with a known employer left it
                objects = [(cand.trigger[0], cand.trigger[0] + 1, "company", False)]
        if not objects:
            obj = None
            if not (kind == "retract" and cand.rule not in ("resign", "last_day")):
                obj = self._context_object(subject, predicate, buffer)
            if obj is None and predicate == "works_at" and kind == "assert":
                obj = state.conversation_org(subject)
            if obj is None:
                if kind == "retract" and predicate in ("works_at",) and \
                        cand.rule in ("resign", "last_day"):
                    obj = state.org_of(subject) or ""
                    if not obj:
                        return
                else:
                    return
            # the verb alone stands for the object: a time inside the match stays a time
            objects = [(cand.trigger[0], cand.trigger[0] + 1, obj, True)]
        times = [t for t in clause_times.get(ci, [])
                 if not any(o[0] <= _tok(doc, t.start_char) < o[1] for o in objects)]
        times = self._own_times(doc, ci, cand, times)
        times = self._inherit_times(doc, clause, ci, cand, clause_times, times, clauses)
        if cand.rule == "had_since" and not any(t.role is Role.START for t in times):
            return
        if cand.rule == "as_title" and cand.trigger[0] >= 2 and (
                doc[cand.trigger[0] - 2].lemma_ in ("know", "call", "refer", "address") or
                doc[cand.trigger[0] - 1].lemma_ in ("know", "call")):
            return  # "the students know me as Demir Hoca": a name they use, not a title
        if cand.rule == "picked_up" and objects and doc[objects[0][1] - 1].lower_.endswith(
                "ing"):
            # "picked up cross-country skiing": a hobby, not a purchase; "I love it" next
            # means the hobby
            self._thing = (index, objects[0][2])
            return
        if cand.rule == "sell" and cand.trigger[1] < len(doc) and \
                doc[cand.trigger[1]].lower_ in ("to", "for"):
            return  # "I sell to Quorra Bank": a customer, not a thing sold
        if cand.rule == "job_at" and cand.trigger[0] >= 2 and \
                doc[cand.trigger[0] - 1].lower_ in ("a", "an") and \
                doc[cand.trigger[0] - 2].lower_ in ("'s", "is", "are", "was", "there"):
            return  # "there's a job at X I could take": an opening, not a job held
        if cand.rule == "pet_named" and not times:
            times = _adoption_times(doc, ci, clauses, clause_times)
        if cand.rule == "been_there":
            if not any(t.role in (Role.START, Role.DURATION) for t in times):
                return  # "I've been there": a visit, not a tenure
            named = _at_name_before(doc, cand.trigger[0])
            if named is not None:
                # "Théo is at Michelin, he's been there since 2019": the place named before
                objects = [named]
        # facts of one clause form a group: a date or a correction applies to all of them
        group = self._groups.setdefault((index, ci), state.group_counter + 1)
        state.group_counter = max(state.group_counter, group)
        if kind == "retract" and predicate in ("works_at", "lives_in"):
            fixed = []
            for start, end, text, is_name in objects:
                if normalize_name(text) in ("company", "firm", "them", "us", "job",
                                            "organisation", "organization", "team", "business"):
                    org = state.org_of(subject)
                    if org is None:
                        continue
                    fixed.append((start, end, org, True))
                    predicate = "works_at"
                else:
                    fixed.append((start, end, text, is_name))
            objects = fixed
        self._rule = cand.rule
        if cand.rule == "be_at" and any(t.lower_ in _JOB_WORDS
                                        for t in doc[clause.start:cand.trigger[0]]):
            self._rule = "job_at"  # "my first job was at Bancolombia": an employer, not a place
        for start, end, text, is_name in objects:
            if not is_name and LITERAL in state.registry.get(predicate).object_types and \
                    _vague_literal(doc, start, end):
                continue  # "love the ones with…", "like the way…": no thing named
            if predicate in ("owns", "uses") and is_name and end < clause.end and \
                    doc[end].pos_ == "NOUN" and doc[end].is_lower and \
                    doc[end - 1].head.i == end and doc[end].lower_ not in (
                        OWNABLE_WORDS if predicate == "owns" else _TOOL_NOUNS):
                # "will own the Flowdesk config", "used to run the Denver depot": the name
                # only describes the thing owned or run
                continue
            if predicate == "works_at" and kind == "assert" and text.lower() == "them":
                # "joined them in January": the organisation "they" would mean here
                org = self._they_org(doc, doc[start].idx)
                if org is None:
                    continue
                text, is_name = org, True
            self._object_at = doc[start].idx if start < len(doc) else len(_text(doc))
            target = self._route(doc, predicate, kind, text, is_name, subject, speaker, times)
            if target is None:
                continue
            pred, obj_name, literal = target
            if pred == "uses" and predicate == "lives_in" and cand.subject == "we" and \
                    state.we_as_org:
                subject = state.conversation_org(speaker) or subject  # "we moved to Planbase"
            if normalize_name(obj_name) == normalize_name(subject):
                continue
            if pred == "has_pet" and kind == "retract":
                subject = self._pet_holder(obj_name) or subject  # "we rehomed Moon" (Leyla's)
                new_home = self._rehomed_with(doc, cand, clause, end)
                if new_home is not None:
                    # "… with my sister Shirin": the pet lives on with her
                    self._emit_one(doc, index, episode, clause, cand, pred, "assert",
                                   new_home, obj_name, literal, times, group, (start, end),
                                   buffer)
            if pred == "works_at" and kind == "assert" and obj_name == state.org_of(subject) \
                    and cand.rule in ("join_org",) and not times:
                continue
            self._emit_one(doc, index, episode, clause, cand, pred, kind, subject, obj_name,
                           literal, times, group, (start, end), buffer)
            if kind == "switch_from":
                self._switch_target(doc, index, episode, clause, cand, pred, subject, speaker,
                                    end, times, group, buffer)
            # "at EVENT in CITY" / "in CITY for EVENT": the place and the event together
            if pred in ("attended", "visited"):
                self._event_companion(doc, index, episode, clause, cand, pred, subject, end,
                                      times, group, buffer)

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

    def _date_context(self, subject: str, time: TimeMention, buffer: list[Record]) -> bool:
        """"…, first day is 1 July" / "moving day is May 13" / "I start March 4": the date
        of a fact stated earlier in the message (and of the facts stated with it)."""
        for record in reversed(buffer):
            if record.subject != subject or record.kind is not AssertionKind.ASSERT or \
                    record.valid_from is not None or record.basis is Basis.UNKNOWN or \
                    record.predicate not in ("works_at", "studies_at", "member_of",
                                             "lives_in", "job_title", "reports_to"):
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

    def _switch_target(self, doc: Doc, index: int, episode: Episode, clause: Clause,
                       cand: Candidate, pred: str, subject: str, speaker: str, end: int,
                       times: list[TimeMention], group: int, buffer: list[Record]) -> None:
        """"from Zendesk over to Flowdesk", "from Vancouver to Toronto": the new object."""
        from asof.extraction.components.relations import read_any

        j = end
        while j < clause.end and doc[j].lower_ in ("over", "all", "the", "way", "back"):
            j += 1
        if j >= clause.end or doc[j].lower_ not in ("to", "into"):
            return
        found = read_any(doc, j + 1, clause.end)
        if found is None:
            return
        target = self._route(doc, pred, "assert", found[2], found[3], subject, speaker, times)
        if target is None:
            return
        self._emit_one(doc, index, episode, clause, cand, target[0], "assert", subject,
                       target[1], target[2], times, group, (found[0], found[1]), buffer)

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
        anchors = self._anchors.get(ci, [])
        if len(anchors) < 2 or not times:
            return times
        mine = cand.trigger[0]
        if cand.rule in _TITLE_RULES or mine not in anchors:
            mine = min(anchors, key=lambda a: (abs(a - cand.trigger[0]), a > cand.trigger[0]))
        kept = []
        for t in times:
            position = _tok(doc, t.start_char)
            nearest = min(anchors, key=lambda a: (abs(a - position) + (0 if a <= position
                                                                       else 1), a))
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
        if times:
            low = doc[clause.start:clause.end].text.lower()
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
        low = doc[clause.start:clause.end].text.lower()
        if ci > 0 and doc[clauses[ci - 1].start:clauses[ci - 1].end].text.lower().rstrip(
                " ,;:—–-").endswith(("since then", "from then on", "from then")):
            low = "since then " + low  # "…left in May, and since then | I report to X"
        if "since then" in low or "from then" in low or (
                clause.connector == "so" and cand.kind in ("assert", "retract")) or (
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

    def _time_aside(self, doc: Doc, ci: int, clauses: list[Clause],
                    clause_times: dict[int, list[TimeMention]]) -> list[TimeMention]:
        """"she's been at Bluefin forever — since 2016 I think", "head of support now (since
        Feb 1)": the next part of the sentence is only a time, so it dates this one."""
        nxt = ci + 1
        if nxt >= len(clauses) or nxt in self._anchors or not clause_times.get(nxt) or \
                clauses[nxt].sent != clauses[ci].sent:
            return []
        part = clauses[nxt]
        times = clause_times[nxt]
        covered = {i for t in times for i in range(_tok(doc, t.start_char),
                                                   _tok(doc, t.end_char - 1) + 1)}
        rest = [t for t in doc[part.start:part.end] if not t.is_punct and t.i not in covered
                and t.lower_ not in _ASIDE_WORDS]
        return [] if rest else times

    def _route(self, doc: Doc, predicate: str, kind: str, text: str, is_name: bool,
               subject: str, speaker: str, times: list[TimeMention]
               ) -> tuple[str, str, bool] | None:
        """Decide the final predicate and canonical object (entity or literal)."""
        state = self.state
        text = text.strip(" ,.;:!?\"'")
        low = text.lower()
        if not text or normalize_name(text) in ("", "it", "them", "him", "her", "that",
                                                 "here", "there", "this", "me", "you", "us"):
            pron = normalize_name(text)
            if pron in ("here", "there"):
                types = ("location",) if predicate == "lives_in" else ("organization",)
                found = state.offers.pop(subject, None) if predicate == "works_at" and \
                    kind == "assert" else None
                found = found or state.recent_of(types) or (
                    state.org_of(subject) or self._they_org(doc, self._object_at)
                    if predicate == "works_at" else None)
                return (predicate, found, False) if found else None
            if pron == "me" and predicate in ("reports_to", "married_to") and \
                    subject != speaker:
                return predicate, speaker, False  # "she reports to me"
            if pron in ("him", "her") and predicate in ("reports_to", "married_to"):
                # "Dev Patel, he reports to her": the latest other person of that gender
                person = state.recent_person("he" if pron == "him" else "she",
                                             {subject, speaker})
                return (predicate, person, False) if person else None
            if pron == "us" and predicate == "works_at" and kind == "assert" and \
                    subject != speaker:
                # "Teo joins us on July 8": the speaker's organisation, when it is known
                org = state.conversation_org(speaker)
                return (predicate, org, False) if org else None
            if pron in ("it", "them", "that") and predicate in ("uses", "owns", "likes",
                                                                 "dislikes", "prefers"):
                found = self._thing[1] if self._thing and self._thing[0] == self._message \
                    and predicate in ("likes", "dislikes") else self._recent_object(predicate)
                return (predicate, found, False) if found else None
            return None
        if predicate in ("job_title",):
            title = _clean_literal(text)
            if not title or len(title.split()) > 6:
                return None
            return predicate, title, True
        if predicate == "speaks":
            if low.split()[-1] not in LANGUAGES:
                return None
            return predicate, text[:1].upper() + text[1:] if text.islower() else text, False
        if predicate in ("prefers", "likes", "dislikes"):
            if is_name and text[:1].isupper() and predicate != "prefers":
                return predicate, state.canonical(text, "product"), False
            literal = _clean_literal(text)
            if not literal:
                return None
            known = state.entity(literal)
            if known is not None and known.type in ("product", "organization"):
                return predicate, known.name, False
            return predicate, literal, True
        if predicate in ("uses", "owns"):
            if re.search(r"\b(plan|tier)$", low):
                return "uses", _clean_literal(text), True
            if not is_name:
                literal = _clean_literal(text)
                known = state.entity(literal) if literal else None
                if known is not None:
                    return predicate, known.name, False
                if predicate == "owns" and literal:
                    return predicate, literal, True
                if predicate == "uses" and literal and kind != "assert" and \
                        state.known(subject, "uses", literal):
                    return predicate, literal, True
                return None
            if self._looks_like_place(doc, text) and kind == "assert" and not (
                    self._rule in _TOOL_RULES and state.type_of(text) != "location") and \
                    not (state.type_of(subject) == "organization" and
                         state.type_of(text) != "location"):
                # an organisation "on Tableau" runs a tool, whatever the NER calls it
                # a tool verb decides when only the NER calls the object a place
                if predicate == "uses" and subject == speaker:
                    return "lives_in", state.canonical(text, "location"), False
                return None
            # "three Zebra ZD420s": one model, whatever the count
            text = re.sub(r"(?<=\d)s$", "", text)
            return predicate, state.canonical(text, "product"), False
        if not is_name:
            if predicate == "member_of" and _is_group(text):
                return predicate, state.canonical(_clean_literal(text), "group"), False
            if predicate == "has_pet":
                return None
            if predicate in ("lives_in", "works_at", "visited", "attended", "studies_at",
                             "reports_to", "married_to", "member_of"):
                # lowercase place names typed casually ("moved to kyoto") are still names
                if predicate in ("lives_in", "visited") and len(text.split()) == 1 and \
                        any(e.text.lower() == low and e.label_ in ("GPE", "LOC")
                            for e in doc.ents):
                    return predicate, state.canonical(text.title(), "location"), False
                return None
        name = _trim_name(text)
        if not name:
            return None
        if predicate == "lives_in" and kind == "assert" and self._rule.startswith("move") and \
                not self._looks_like_place(doc, name) and (
                    state.type_of(name) == "product" or self._tool_talk(doc)):
            # "we moved to HubSpot … and don't use Salesforce anymore": a tool move
            state.retype(name, "product")
            return "uses", state.canonical(name, "product"), False
        if predicate not in ("reports_to", "married_to"):
            state.retype(name, _OBJECT_TYPES.get(predicate, "concept"))
        # the object's kind can change the predicate
        if predicate == "works_at":
            if normalize_name(name) in DEPARTMENTS:
                return None
            if _is_event(name):
                return "attended", state.canonical(name, "event"), False
            if _is_group(name) and not re.search(r"\b(office|hospital)\b", name, re.I) and \
                    not (self._rule != "join_org" and _company_group(name)):
                return "member_of", state.canonical(name, "group"), False
            if kind == "retract" and self._leaving_place(doc, name):
                # "leaving Lyon on Feb 1": a place left is a move
                return "lives_in", state.canonical(name, "location"), False
            if state.type_of(name) == "location" or (
                    self._rule in _WEAK_RULES and self._looks_like_place(doc, name)):
                return None
            if state.type_of(name) == "person":
                return None
            if state.alias_of(name, "organization") is None:
                name = state.named_org(name) or name
            return predicate, state.canonical(name, "organization"), False
        if predicate == "lives_in":
            existing = state.type_of(name)
            if _is_group(name):
                return "member_of", state.canonical(name, "group"), False
            if existing in ("product",) or (existing == "organization" and
                                            subject != speaker and
                                            state.type_of(subject) == "organization"):
                return "uses", state.canonical(name, "product"), False
            if existing == "organization" and kind in ("retract", "switch_from"):
                return "works_at", state.canonical(name, "organization"), False
            if kind == "switch_from" and not self._looks_like_place(doc, name) and any(
                    e.text == name and e.label_ == "ORG" for e in doc.ents):
                # "she is coming from Norvik": an employer left, not a home
                return "works_at", state.canonical(name, "organization"), False
            if existing == "person":
                return None
            if state.type_of(subject) == "organization":
                return "uses", state.canonical(name, "product"), False
            if any(e.text == name and e.label_ in ("ORG", "PRODUCT") for e in doc.ents) and \
                    not self._looks_like_place(doc, name) and kind == "retract":
                return "works_at", state.canonical(name, "organization"), False
            return predicate, state.canonical(name, "location"), False
        if predicate == "visited":
            if state.type_of(name) in ("animal", "person"):
                return None  # "Leyla visits Moon at Shirin's": visiting a pet, not a place
            if _is_event(name) or _event_appositive(_text(doc), name):
                # "I went to FIL, the book fair here, …": an event, whatever its name
                return "attended", state.canonical(name, "event"), False
            if times and any(t.role in (Role.RANGE, Role.START, Role.DURATION) for t in times):
                return "lives_in", state.canonical(name, "location"), False
            return predicate, state.canonical(name, "location"), False
        if predicate == "attended":
            return predicate, state.canonical(name, "event"), False
        if predicate in ("reports_to", "married_to"):
            if state.type_of(name) not in (None, "person", "unknown"):
                return None
            if normalize_name(name) in ("the", "our") or name.lower() in EXEC_TITLES:
                return None
            return predicate, state.add_person(name), False
        if predicate == "studies_at":
            return predicate, state.canonical(name, "organization"), False
        if predicate == "member_of":
            return predicate, state.canonical(name, "group"), False
        if predicate == "has_pet":
            canonical = state.canonical(name, "animal")
            return predicate, canonical, False
        return predicate, state.canonical(name, _OBJECT_TYPES.get(predicate, "concept")), False

    def _recent_object(self, predicate: str) -> str | None:
        for record in reversed([*self.state.records, *self.state.pending]):
            if record.predicate == predicate or (predicate in ("likes", "sells") and
                                                 record.predicate in ("uses", "owns")):
                return record.obj
        return None

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
            elif t.role in (Role.START, Role.DURATION) and valid_from is None:
                valid_from, stated, granularity = t.value.start, t.value, t.value.granularity
            elif t.role is Role.END and valid_to is None:
                valid_to = t.value.start
            elif t.role is Role.AT and at is None:
                at = t.value
        ev = (doc[span[0]].idx if span[0] < len(doc) else 0,
              doc[min(span[1], len(doc)) - 1].idx + len(doc[min(span[1], len(doc)) - 1]))
        ev = (min(ev[0], doc[cand.trigger[0]].idx), max(ev[1], ev[0]))
        used_to = kind == "used_to" or (clause.used_to and kind == "assert")
        from_length = any(t.role is Role.DURATION for t in times) and not any(
            t.role in (Role.START, Role.RANGE) for t in times)
        if kind in ("retract",):
            # a length ("after ten years") says when it began, not when it ends
            when = at.start if at is not None else (
                (None if from_length else valid_from) or valid_to)
            if when is None and clause.future:
                return  # "is leaving them": the new start will end it
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
                for dependent in ("job_title", "reports_to"):
                    if state.current(subject, dependent):
                        buffer.append(self._record(subject, dependent, "", True,
                                                   AssertionKind.RETRACT, when, None, index,
                                                   ev, 0.6, group=group))
            return
        if kind == "switch_from":
            when = at.start if at is not None else (valid_from or valid_to)
            if when is None:
                when = episode.occurred_at
            if state.known(subject, predicate, obj):
                buffer.append(self._record(subject, predicate, obj, literal,
                                           AssertionKind.RETRACT, when, None, index, ev, 0.7,
                                           group=group))
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
                from asof.timex import period as make_period
                period = make_period(day.date(), Granularity.DAY, day.tzinfo or UTC)
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
        if valid_from is None and valid_to is None and clause.future:
            # "she starts December 4, will report to me": the start this message gave her
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

    def _event_companion(self, doc: Doc, index: int, episode: Episode, clause: Clause,
                         cand: Candidate, pred: str, subject: str, end: int,
                         times: list[TimeMention], group: int, buffer: list[Record]) -> None:
        if end + 1 >= clause.end:
            return
        word = doc[end].lower_
        from asof.extraction.components.relations import read_name

        if word == "in" and pred == "attended":
            found = read_name(doc, end + 1, clause.end)
            if found and found[3]:
                self._emit_one(doc, index, episode, clause, cand, "visited", "assert", subject,
                               self.state.canonical(_trim_name(found[2]), "location"), False,
                               times, group, (found[0], found[1]), buffer)
        elif word in ("for", "at") and pred == "visited":
            found = read_name(doc, end + 1, clause.end)
            if found and found[3] and _is_event(found[2]):
                self._emit_one(doc, index, episode, clause, cand, "attended", "assert",
                               subject, self.state.canonical(_trim_name(found[2]), "event"),
                               False, times, group, (found[0], found[1]), buffer)

    # ------------------------------------------------------------------ plans and roles

    def _pet_holder(self, pet: str) -> str | None:
        """Who has the pet now, as far as the conversation knows."""
        state = self.state
        for subject in dict.fromkeys(r.subject for r in reversed([*state.records,
                                                                  *state.pending])
                                     if r.predicate == "has_pet" and r.obj == pet):
            if any(c.obj == pet for c in state.current(subject, "has_pet")) or any(
                    r.subject == subject and r.obj == pet and r.kind is AssertionKind.ASSERT
                    for r in state.pending):
                return subject
        return None

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
            if ci < 0:
                continue
            clause = clauses[ci]
            if clause.question or clause.hypos or clause.negations or clause.reports:
                continue
            literal = f"{word} {match.group(2)}".lower()
            subject = state.org_of(speaker) or speaker
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
        """A subscription has one plan at a time: a new plan ends the previous one."""
        for record in list(records):
            if record.predicate != "uses" or record.kind is AssertionKind.RETRACT or \
                    not re.search(r"\b(plan|tier)$", record.obj):
                continue
            for held in self.state.current(record.subject, "uses"):
                if normalize_name(held.obj) != normalize_name(record.obj) and \
                        re.search(r"\b(plan|tier)$", held.obj):
                    records.append(self._record(record.subject, "uses", held.obj, True,
                                                AssertionKind.RETRACT,
                                                record.valid_from or episode.occurred_at,
                                                None, index, record.evidence, 0.6))

    def _roles(self, doc: Doc, index: int, episode: Episode, speaker: str,
               buffer: list[Record]) -> None:
        """"our admin is Dana Whitfield", "my manager is X", "Grace Okonkwo, our HR director":
        the person works at the possessor's organisation (and a title for executives)."""
        state = self.state
        text = _text(doc)
        found: list[tuple[str, str, str, tuple[int, int]]] = []
        for match in _ROLE_RE.finditer(text):
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
            if any(w in EXEC_TITLES for w in words) and not any(
                    r.subject == person and r.predicate == "job_title" for r in buffer):
                buffer.append(self._record(person, "job_title", title, True,
                                           AssertionKind.ASSERT, None, None, index, span, 0.6))

    # ------------------------------------------------------------------ corrections

    def _corrections(self, doc: Doc, index: int, episode: Episode,
                     clause_times: dict[int, list[TimeMention]], buffer: list[Record]) -> None:
        """"X, not Y" and "X was <time>, not <time>": replace an earlier statement."""
        clauses: list[Clause] = doc._.asof_clauses or []
        if not clauses or not clauses[0].correction:
            return
        state = self.state
        text = _text(doc)
        handled: set[int] = set()
        # 1) object corrections: a new fact in this message that names "not Y"
        for match in re.finditer(r"\bnot\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)",
                                 text):
            wrong = normalize_name(match.group(1))
            for record in buffer:
                if record.kind is AssertionKind.ASSERT and record.message == index:
                    earlier = [r for r in state.records if r.subject == record.subject and
                               r.predicate == record.predicate and
                               normalize_name(r.obj).split()[0] == wrong.split()[0]]
                    if earlier:
                        record.kind = AssertionKind.CORRECT
                        record.corrects = earlier[-1].obj
                        handled.add(id(record))
                        break
            else:
                # "his name is Kiki, not Kiwi": no relation matched; rename the earlier object
                before = text[:match.start()].rstrip(" ,—-")
                renamed = re.search(r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)$", before)
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
                            if earlier and mate.group == earlier[-1].group and \
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
                elif "end" in span_text.lower():
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
            day = old.value.start.date()
            hits = [r for r in state.records if r.kind is not AssertionKind.RETRACT and
                    r.valid_from is not None and r.valid_from.date() == day]
            return hits
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

    # ------------------------------------------------------------------ merge and imply

    @staticmethod
    def _merge(buffer: list[Record]) -> list[Record]:
        """One record per (subject, predicate, object, kind) per message: a stated time wins
        over an observed one ("relocating to Toronto … moving day is May 13")."""
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
        return merged

    @staticmethod
    def _rules_first(buffer: list[Record]) -> list[Record]:
        """The tagger reads every object span again, also those a rule already read: its
        record stands only where no rule's record says the same predicate of the same
        object (whoever the subject), since the rules' subjects and times are the more
        precise."""
        ruled = {(r.predicate, normalize_name(r.obj)) for r in buffer if not r.learned}
        return [r for r in buffer
                if not r.learned or (r.predicate, normalize_name(r.obj)) not in ruled]

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
        if record.literal or not record.obj:
            return True
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
        """A new job with a known start ends the previous reporting line. (A manager's employer
        is not implied by the report's: "my lead is X" says nothing of where X works.)"""
        state = self.state
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

    # ------------------------------------------------------------------ output

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
                obj_type = state.type_of(record.obj) or _OBJECT_TYPES.get(record.predicate,
                                                                         "concept")
                obj = EntityRef(name=record.obj, type=obj_type)
        corrects = None
        corrects_value = None
        if record.corrects:
            if record.literal:
                corrects_value = record.corrects.lower()
            else:
                corrects = EntityRef(name=record.corrects,
                                     type=state.type_of(record.corrects) or "concept")
        start, end = record.evidence
        start = max(0, min(start, len(_text(doc))))
        end = max(start, min(end, len(_text(doc))))
        sentence_start = _text(doc).rfind(".", 0, start) + 1
        evidence_start = sentence_start if start - sentence_start < 120 else start
        evidence_end = max(end, start + 1)
        raw = _text(doc)[evidence_start:evidence_end]
        if not raw.strip():
            evidence_start, raw = 0, _text(doc)[:200]
        # the offsets point at exactly the quoted text, without surrounding whitespace
        evidence_start += len(raw) - len(raw.lstrip())
        text = raw.strip()
        evidence_end = evidence_start + len(text)
        try:
            return FactAssertion(
                subject=EntityRef(name=record.subject, type=subject_type),
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
                subject=EntityRef(name=record.subject, type=subject_type),
                predicate=record.predicate, object=obj, value=value, kind=record.kind,
                basis=record.basis, confidence=record.confidence * 0.5, evidence=text,
                evidence_start=evidence_start, evidence_end=evidence_end,
                extractor=EXTRACTOR)


# ---------------------------------------------------------------------------- helpers

def _vague_literal(doc: Doc, start: int, end: int) -> bool:
    """A literal object with no noun of its own, or only a stand-in noun ("ones", "way")."""
    span = doc[start:min(end, len(doc))]
    if any(t.pos_ == "PRON" for t in span):
        return False  # "I love it": the thing "it" means is found later
    tokens = [t for t in span if not t.is_punct and not t.is_stop]
    if not tokens:
        return True
    nouns = [t for t in tokens if t.pos_ in ("NOUN", "PROPN") or t.tag_ == "VBG"]
    return not nouns or all(t.lower_ in VAGUE_NOUNS for t in nouns)


#: Entity types a relation or a speaker can establish for sure; "unknown"/"concept" fit any slot.
_DEFINITE_TYPES = frozenset({"person", "organization", "location", "product", "animal"})

#: Heads of a workplace phrase ("the hospital pharmacy at X", "their Leeds office at Y").
_WORKPLACE_HEADS = frozenset({"pharmacy", "office", "team", "department", "clinic", "hospital",
                              "lab", "branch", "store", "site", "role", "job", "position",
                              "unit", "ward", "desk", "division", "group", "hq", "headquarters",
                              "practice", "studio", "plant", "factory", "warehouse"})


#: Heads of a dwelling phrase ("a tiny flat in Cork", "a shared house in Leeds").
_DWELLINGS = frozenset({"flat", "apartment", "house", "place", "studio", "room", "condo",
                        "home", "cottage", "bungalow", "townhouse", "dorm", "loft"})


def _workplace_after(doc: Doc, i: int, end: int, heads: frozenset[str] = _WORKPLACE_HEADS,
                     preps: tuple[str, ...] = ("at", "with")
                     ) -> tuple[int, int, str, bool] | None:
    """"the hospital pharmacy at <Name>": the name after a phrase headed by one of ``heads``
    and one of ``preps``."""
    k = i
    while k < end and k - i < 6 and doc[k].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "PRON") \
            and doc[k].lower_ not in preps:
        k += 1
    if k == i or doc[k - 1].lower_ not in heads or k + 1 >= end or \
            doc[k].lower_ not in preps or not is_nameish(doc[k + 1]):
        return None
    stop = k + 2
    while stop < end and is_nameish(doc[stop]):
        stop += 1
    return k + 1, stop, doc[k + 1:stop].text, True


#: Words a time aside may carry besides the time ("since 2016 I think", "from May or so").
_ASIDE_WORDS = frozenset({"since", "from", "as", "of", "i", "think", "believe", "guess", "or",
                          "so", "ish", "roughly", "about", "around", "and", "starting",
                          "effective", "officially", "actually", "probably", "maybe"})


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


_LITERAL_DROP = frozenset({"a", "an", "the", "my", "our", "his", "her", "their", "its",
                           "some", "really", "very", "so", "just", "also", "still", "lol",
                           "honestly", "actually"})


def _clean_literal(text: str) -> str:
    words = [w for w in re.split(r"\s+", text.strip(" ,.;:!?\"'")) if w]
    while words and words[0].lower() in _LITERAL_DROP:
        words.pop(0)
    while words and words[-1].lower() in _LITERAL_DROP:
        words.pop()
    return " ".join(words).lower()


def _at_name_before(doc: Doc, i: int) -> tuple[int, int, str, bool] | None:
    """The last "at <Name>" before token ``i`` in its sentence."""
    sent = doc[i].sent
    for k in range(i - 1, sent.start, -1):
        if doc[k - 1].lower_ == "at" and is_nameish(doc[k]):
            end = k + 1
            while end < i and is_nameish(doc[end]):
                end += 1
            return k, end, doc[k:end].text, True
    return None


def _span_start(times: list[TimeMention], end: datetime) -> TimeValue | None:
    """The start of a stated length ("for four years") that ended at ``end``."""
    for t in times:
        if t.role is Role.DURATION:
            return duration_before(t, end)
    return None


def _pronoun_after(doc: Doc, end: int) -> str | None:
    """"he"/"she" right after a name, past a comma ("Tunde Bakare, he's …")."""
    i = end + 1 if end < len(doc) and doc[end].text in (",", "—", "–", "-") else end
    if i < len(doc) and doc[i].lower_ in ("he", "she") and i + 1 < len(doc) and \
            doc[i + 1].pos_ in ("AUX", "VERB"):
        return doc[i].lower_
    return None


def _partner_before(doc: Doc, i: int) -> bool:
    """"Fatou and I …": the name before "and I" is a person coordinated with the speaker,
    not the tail of an organisation or place named earlier ("… at Orbit Labs and I live …")."""
    token = doc[i]
    if not is_nameish(token) or token.ent_type_ in ("ORG", "GPE", "LOC", "FAC", "PRODUCT",
                                                     "NORP", "EVENT"):
        return False
    if token.dep_ in ("pobj", "dobj", "attr", "appos"):
        return False
    k = name_start(doc, i)
    return not (k > 0 and doc[k - 1].pos_ in ("ADP", "VERB", "AUX"))


def _and_i(doc: Doc, clause: Clause) -> str | None:
    """"Fatou and I …" / "she and I": the partner named with the speaker."""
    for token in doc[max(0, clause.start - 1):clause.end]:
        if token.lower_ == "and" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "i":
            prev = doc[token.i - 1] if token.i > 0 else None
            if prev is not None and is_nameish(prev):
                return prev.text
    text = _text(doc)
    match = re.search(r"([A-Z][\w'’-]+) and I\b", text)
    return match.group(1) if match else None
