"""What the conversation has established so far: its entities (with their types and
aliases), the people most recently named, and every record emitted. One per conversation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from asof.extraction.gazetteer import is_place_name
from asof.extraction.lexicons import (
    EXEC_TITLES,
    GROUP_WORDS,
    HONORIFICS,
    NAME_PARTICLES,
    likely_gender,
)
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis, Granularity
from asof.graph.predicates import PredicateRegistry
from asof.timex import TimeValue

#: An organisation named with where it is ("Wheatland Terminals in Swift Current").
_LOCATED = re.compile(r"(.+?) in ([A-Z][^,;]*)")

#: Words an initialism skips ("B&S" for "Brandt & Söhne").
_NOT_INITIALLED = frozenset({"&", "and", "of", "the", "und", "y", "e", "et", "de"})


def _initialism(name: str) -> str | None:
    """The letters of a name typed as capitals joined by "&" or dots ("B&S", "M.F.D."), lower
    case; None for anything else, and for plain capitals ("IBM", "HR"), which are names or
    abbreviations in their own right more often than initials of a name said before."""
    if "&" not in name and "." not in name:
        return None
    letters = re.sub(r"[&.]", "", name)
    if not 2 <= len(letters) <= 6 or not letters.isalpha() or not letters.isupper():
        return None
    return letters.lower()

#: Punctuation a name never runs across: "Marta Gil — Sr. BA", "Trans-Wisła Logistyka
#: (Gdańsk)", "Amara = CEO", "Contact: Rui".
_NAME_BREAK_RE = re.compile(r"\s+[—–=(]|\s-\s|:\s|\s*\(")
_ORG_BREAK_RE = re.compile(r"\s+[—–(]|\s-\s|\s*\(")
#: Lower-case words that belong inside a name ("Sanne de Vries", "Banco do Brasil", "Ana y
#: Luis", "Bank of Ireland").
_NAME_WORDS = NAME_PARTICLES | {"y", "e", "of", "and", "&", "el", "al", "the", "for", "in"}


def name_proper(name: str, type_: str) -> str:
    """A person's or an organisation's name itself, without a description glued on by the
    NER: cut at a bracket or a spaced dash ("Trans-Wisła Logistyka (Gdańsk)"); a person's also
    at "=" or a colon, and without lower-case words trailing a capitalised name ("Julien et
    moi", "Hector lol"). Other names (teams, events, products) stay as they are."""
    if type_ not in ("person", "organization"):
        return name
    pattern = _NAME_BREAK_RE if type_ == "person" else _ORG_BREAK_RE
    cut = pattern.split(name, maxsplit=1)[0].strip(" ,.;:!?'\"")
    if cut:
        name = cut
    words = name.split()
    if type_ == "person" and words and words[0][:1].isupper():
        while len(words) > 1 and words[-1].islower() and words[-1] not in _NAME_WORDS:
            words.pop()
    return " ".join(words)


@dataclass(slots=True)
class Entity:
    name: str
    type: str
    gender: str | None = None
    tentative: bool = False  #: typed by the statistical NER only; relations may retype it
    #: other names the conversation gave it ("Ola" for Aleksandra, the old name of a renamed
    #: company), stored with it so that a question may use any of them
    aliases: list[str] = field(default_factory=list)

    def may_be(self, gender: str | None, *, by_name: bool = True) -> bool:
        """Whether a "he" or "she" may mean this person: a pronoun said of them earlier
        decides; until one is, with ``by_name``, their given name does ("Ilse" is no
        "he"), where the list knows it."""
        if gender not in ("he", "she"):
            return True
        if self.gender is not None:
            return self.gender == gender
        return not by_name or likely_gender(self.name) in (None, gender)


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

    def starts_with(self, other: Record) -> bool:
        """Whether ``other`` is a fact of the same subject stated with this one, with the same
        start: in its sentence group, or in its message ("ux lead. … start at lumen the 2nd"
        gives the title and the job, said in two sentences, one start). A start moved or
        corrected later moves for both."""
        return self.subject == other.subject and self.valid_from == other.valid_from and \
            (self.group == other.group or self.message == other.message)


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
    #: when each message of the conversation was sent (message index → its time)
    message_times: dict[int, datetime] = field(default_factory=dict)
    #: whose first-person words were quoted: a relative's word ("dad") → the person, and ""
    #: → the person quoted last (assembly/quotes.py)
    quoted: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ entities

    def canonical(self, name: str, type_: str) -> str:
        """Resolve a surface name to the conversation's canonical name, learning aliases."""
        name = name_proper(name.strip(" ,.;:!?'\""), type_)
        if type_ == "person":
            name = self.without_honorific(name)
            words = name.split()
            if len(words) >= 3 and words[0].isupper() and words[0].lower() in EXEC_TITLES:
                name = " ".join(words[1:])  # "reports to the CIO Riikka Salonen": her name
        elif type_ == "organization":
            located = _LOCATED.fullmatch(name)
            if located and is_place_name(located.group(2)):
                name = located.group(1)  # "Wheatland Terminals in Swift Current": where it is
        key = normalize_name(name)
        if not key:
            return name
        entity = self.alias_of(name, type_)
        if entity is not None and type_ == "organization" and (
                entity.type == "person" and entity.tentative or
                entity.type == "organization" and not self.facts_name(entity)) and \
                normalize_name(entity.name) == key:
            # "COO at Marula" after Marula Trust Bank, the NER having read "Marula" as a
            # person: the short form of the organisation known by its full name
            del self.entities[key]
            longer = self.alias_of(name, type_)
            self.entities[key] = entity
            if longer is not None and longer.type == type_:
                entity = longer
                if key not in {normalize_name(a) for a in entity.aliases}:
                    entity.aliases.append(name)
        if entity is None and type_ == "person":
            # "Noa and I are moving" before Noa Levi speaks: the speaker's first name
            full = [s for s in self.speaker_names
                    if len(s.split()) > 1 and normalize_name(s).split()[0] == key]
            if len(full) == 1:
                entity = self.entities.setdefault(normalize_name(full[0]),
                                                  Entity(full[0], "person"))
        if entity is None and type_ == "organization":
            entity = self._shorter_org(key, name)
        if entity is None:
            entity = Entity(name, type_)
        self.entities[key] = entity
        return entity.name

    def _shorter_org(self, key: str, name: str) -> Entity | None:
        """"Sahel Agro Processing" after "at Sahel": the organisation named first by the start
        of its name, which learns the full name (one entity; a person the NER alone saw in
        the short name too). Only one such organisation counts."""
        words = key.split()

        def starts(short: list[str]) -> bool:
            # "Helix Bio" starts "Helix Biotherapeutics": the first word itself, then the
            # start of each next word
            return 0 < len(short) <= len(words) and short != words and short[0] == words[0] and all(
                w.startswith(x) and len(x) >= 3 for x, w in zip(short[1:], words[1:],
                                                                strict=False))

        found = {id(e): e for k, e in self.entities.items()
                 if starts(k.split()) and len(words[0]) > 3 and (
                     e.type == "organization" or (e.type == "person" and e.tentative))
                 and normalize_name(e.name) == k}
        if len(found) != 1:
            return None
        entity = next(iter(found.values()))
        if self.facts_name(entity):
            if len(normalize_name(entity.name).split()) != len(words):
                # "Klinikum" stored already, "Klinikum rechts der Isar" now: maybe another
                return None
            entity.aliases.append(name)  # "Helix Bio" stored, "Helix Biotherapeutics" now
            return entity
        # no fact names the short form yet: the full name is the name
        if entity.type == "person":
            entity.type, entity.tentative = "organization", False
        self.recent = [name if n == entity.name else n for n in self.recent]
        entity.aliases.insert(0, entity.name)
        entity.name = name
        return entity

    def link(self, alias: str, name: str, type_: str) -> str | None:
        """``alias`` and ``name`` are one entity ("Adaeze (Ada to everyone)", "Urenboek is now
        called Tessel"): the entity already known under either keeps its name and learns the
        other; when neither is known, ``name`` is the name. Returns the entity's name, or None
        when the two are already two different known entities (nothing is merged)."""
        alias = name_proper(alias.strip(" ,.;:!?'\"‘’“”"), type_)
        name = name_proper(name.strip(" ,.;:!?'\"‘’“”"), type_)
        akey, nkey = normalize_name(alias), normalize_name(name)
        if not akey or not nkey or akey == nkey:
            return None
        known_a, known_n = self.entities.get(akey), self.entities.get(nkey)
        if known_a is not None and known_n is not None and known_a is not known_n:
            # two entities already: one that no fact names yet is merged into the other
            unused = [e for e in (known_a, known_n) if not self.facts_name(e)]
            if not unused:
                return None
            gone = unused[-1] if len(unused) == 2 and unused[-1] is known_a else unused[0]
            keep = known_n if gone is known_a else known_a
            for key, held in list(self.entities.items()):
                if held is gone:
                    self.entities[key] = keep
            for other in (gone.name, *gone.aliases):
                if normalize_name(other) != normalize_name(keep.name) and normalize_name(
                        other) not in {normalize_name(a) for a in keep.aliases}:
                    keep.aliases.append(other)
            self.recent = [keep.name if normalize_name(n) == normalize_name(gone.name) else n
                           for n in self.recent]
            known_a = known_n = keep
        entity = known_n or known_a
        if entity is not None and known_n is None and normalize_name(entity.name) == akey \
                and not self.facts_name(entity):
            # only the other name was seen, and no fact uses it yet: the name is ``name``
            entity.aliases = [a for a in entity.aliases if normalize_name(a) != nkey]
            entity.aliases.insert(0, entity.name)
            self.recent = [name if normalize_name(n) == akey else n for n in self.recent]
            entity.name = name
            alias = entity.aliases[0]
        if entity is None:
            entity = Entity(name, type_)
            self.entities[nkey] = entity
        for surface, key in ((alias, akey), (name, nkey)):
            self.entities[key] = entity
            if key != normalize_name(entity.name) and \
                    key not in {normalize_name(a) for a in entity.aliases}:
                entity.aliases.append(surface)
        return entity.name

    def facts_name(self, entity: Entity) -> bool:
        """Whether a record emitted or being assembled names ``entity`` by its name."""
        key = normalize_name(entity.name)
        return any(normalize_name(n) == key for r in (*self.records, *self.pending)
                   for n in (r.subject, r.obj))

    def aliases_of(self, name: str) -> tuple[str, ...]:
        """The other names of the entity ``name`` means, as the conversation gave them."""
        entity = self.entities.get(normalize_name(name))
        return tuple(entity.aliases) if entity is not None else ()

    def without_honorific(self, name: str) -> str:
        """"Mr. Samuel Odhiambo" is Samuel Odhiambo; "Dr. Nandakumar" is the one known person
        of that surname, if there is one (else the name stays as written)."""
        words = name.split()
        if len(words) < 2 or words[0].rstrip(".").lower() not in HONORIFICS or \
                not all(w[:1].isupper() for w in words[1:]):
            return name
        if len(words) > 2:
            return " ".join(words[1:])
        surname = normalize_name(words[1])
        known = [e.name for e in self.entities.values() if e.type == "person" and
                 len(e.name.split()) > 1 and normalize_name(e.name).split()[-1] == surname]
        return known[0] if len(set(known)) == 1 else name

    def alias_of(self, name: str, type_: str) -> Entity | None:
        """The known entity a surface name means (itself or by alias), learning nothing."""
        key = normalize_name(name.strip(" ,.;:!?'\""))
        known = self.entities.get(key)
        initials = _initialism(name.strip(" ,.;:!?'\"")) if type_ != "person" else None
        if known is not None and not (initials and known.tentative) or not key:
            return known  # (initials the model alone typed may still name an organisation)
        words = key.split()
        for entity in list(self.entities.values()):
            ekey = normalize_name(entity.name)
            ewords = ekey.split()
            if initials and entity.type not in ("person", "location") and \
                    "".join(w[0] for w in ewords if w not in _NOT_INITIALLED).startswith(
                        initials) and len(ewords) >= len(initials):
                return entity  # "B&S" ~ "Brandt & Söhne Maschinenbau GmbH"
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
        if known is None and type_ == "person" and len(words) == 1 and len(words[0]) > 3:
            # "Seo-yeon" ~ "Park Seo-yeon", "Mwansa" ~ "Patrick Mwansa": the last word of one
            # person's name, where the given name comes last or the family name is used
            last = [e for e in self.distinct_entities()
                    if e.type == "person" and
                    len(ewords := normalize_name(e.name).split()) >= 2 and
                    ewords[-1] == words[0]]
            if len(last) == 1:
                return last[0]
        return known

    def entity(self, name: str) -> Entity | None:
        return self.entities.get(normalize_name(name))

    def distinct_entities(self) -> list[Entity]:
        """Every entity once (``entities`` maps each of an entity's names to it)."""
        return list({id(e): e for e in self.entities.values()}.values())

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

    def fitting_person(self, gender: str | None, exclude: set[str]) -> str | None:
        """The latest person a "he" or "she" may mean by all the conversation knows, their
        given name included; learns nothing."""
        return next((name for name in reversed(self.recent) if name not in exclude and
                     (entity := self.entity(name)) is not None and entity.type == "person"
                     and entity.may_be(gender)), None)

    def recent_person(self, gender: str | None, exclude: set[str]) -> str | None:
        """:meth:`fitting_person`, else the latest person only whose given name speaks
        against the pronoun; a "he" or "she" so resolved is their gender from then on."""
        chosen = self.fitting_person(gender, exclude) or next(
            (name for name in reversed(self.recent) if name not in exclude and
             (entity := self.entity(name)) is not None and entity.type == "person" and
             entity.may_be(gender, by_name=False)), None)
        entity = self.entity(chosen) if chosen is not None else None
        if entity is not None and entity.gender is None and gender in ("he", "she"):
            entity.gender = gender
        return chosen

    def recent_of(self, types: tuple[str, ...]) -> str | None:
        for name in reversed(self.recent):
            entity = self.entity(name)
            if entity is not None and entity.type in types:
                return name
        return None

    # ------------------------------------------------------------------ facts

    def pet_holder(self, pet: str) -> str | None:
        """Who has the pet now, as far as the conversation knows."""
        for subject in dict.fromkeys(r.subject for r in reversed([*self.records,
                                                                  *self.pending])
                                     if r.predicate == "has_pet" and r.obj == pet):
            if any(c.obj == pet for c in self.current(subject, "has_pet")) or any(
                    r.subject == subject and r.obj == pet and r.kind is AssertionKind.ASSERT
                    for r in self.pending):
                return subject
        return None

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

    def owned_org(self, person: str) -> str | None:
        """The business the person owns, when no employer is known ("I own Gufudalur
        Grænmeti", "co-owners of Atelier Bitar Sfeir"): a proper name of two words or more
        and no number (not "a Tesla Model 3"), the latest said."""
        pending = [r for r in self.pending if r.subject == person and r.predicate == "owns"
                   and r.kind is AssertionKind.ASSERT and r.valid_to is None]
        for record in reversed([*self.current(person, "owns"), *pending]):
            words = record.obj.split()
            if not record.literal and len(words) >= 2 and record.obj[:1].isupper() and \
                    not any(c.isdigit() for c in record.obj):
                entity = self.entity(record.obj)
                if entity is not None and entity.type == "product":
                    entity.type = "organization"  # what "owns" typed it: a business now
                return record.obj
        return None

    def work_org(self, person: str) -> str | None:
        """Where the person's "we" works: their employer, else the business they own."""
        return self.org_of(person) or self.owned_org(person)

    def conversation_org(self, person: str) -> str | None:
        """The person's organisation (:meth:`work_org`), else the one other user speakers
        work at."""
        own = self.work_org(person)
        if own:
            return own
        # the most recently named other speaker first (a set's order would change from run to
        # run with Python's string hashing)
        rank = {name: i for i, name in enumerate(self.recent)}
        for other in sorted(self.user_speakers, key=lambda n: (-rank.get(n, -1), n)):
            if other != person:
                org = self.org_of(other)
                if org:
                    return org
        return None

    def open_named_by(self, subject: str, predicate: str, obj: str) -> str | None:
        """The object of the one open fact of (subject, predicate) that ``obj`` names by some
        of its words ("left Kuura" for Kuura Interactive). None when ``obj`` is known as it
        is, or when no open fact or more than one fits."""
        if not obj or self.known(subject, predicate, obj):
            return None
        words = [w for w in normalize_name(obj).split() if w != "the"]
        if not words:
            return None
        fitting = {record.obj for record in self.current(subject, predicate)
                   if set(words) <= set(normalize_name(record.obj).split())}
        return fitting.pop() if len(fitting) == 1 else None

    def first_name_known(self, name: str) -> bool:
        """Whether ``name`` is the first name of a person the conversation knows ("Marcus"
        for Marcus Ito)."""
        key = normalize_name(name)
        return any(e.type == "person" and normalize_name(e.name).split()[:1] == [key]
                   for e in self.entities.values())

    def known(self, subject: str, predicate: str, obj: str) -> bool:
        key = normalize_name(obj)
        return any(r.subject == subject and r.predicate == predicate and
                   normalize_name(r.obj) == key and r.kind is not AssertionKind.RETRACT
                   for r in self.records)
