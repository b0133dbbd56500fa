"""Questions in English → structured as-of queries → answers with evidence. No LLM.

The parser is deterministic and small on purpose:

1. **time**: time expressions are resolved against ``now`` by :mod:`extraction.temporal` (the same
   resolver extraction uses). One introduced by a knowledge cue ("according to what we knew on
   1 May", "as recorded on …") sets the transaction time; another sets the valid-time period.
   "before/after <someone> joined/left/moved to <something>" anchors on that fact's interval.
2. **subject and object**: entity mentions are found by looking up the question's n-grams among
   the tenant's entity names and aliases; "I/me/my" is the asker.
3. **predicate**: from the question's words ("where … work", "manager", "what tools … use",
   "when did … move to"), using the predicate registry's names; where a word fits several
   predicates, the ones with facts about the subject win.
4. **answer**: objects over the period (for a ``one`` predicate, the one holding longest in it),
   subjects for inverse questions ("who reports to Bea?"), or a date at its granularity for
   "when" questions — always with the facts and evidence relied on. Nothing known → an explicit
   "nothing known" with the closest facts. Not understood → a clear message, not a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from extraction.temporal import Tense, TimeValue, find_times
from graph.contract import VersionQuery
from graph.ids import normalize_name
from graph.instants import LATEST, end_us, isoformat, require_aware, start_us
from graph.models import Entity, FactVersion, Granularity
from graph.predicates import Cardinality
from graph.store import GraphStore
from query.views import FactView, Provenance, with_provenance

Kind = Literal["objects", "subjects", "when_start", "when_end"]
Status = Literal["answered", "nothing_known", "unparseable"]

#: question words → candidate predicates, most specific first
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"job title|title|role|position|do for a living|what does \S+ do|promot", ("job_title",)),
    (r"manager|boss|supervisor|report(?:s|ed|ing)? to|line manager", ("reports_to",)),
    (r"married|marry|spouse|husband|wife", ("married_to",)),
    (r"pets?|dogs?|cats?|adopt", ("has_pet",)),
    (r"languages?|speaks?|spoke|speaking", ("speaks",)),
    (r"study|studies|studied|studying|school|universit|college|student|enrol|degree|"
     r"bachelor|master'?s|phd|doctorate|diploma|\bmba\b|\bb\.?tech\b|\bb\.?sc\b|"
     r"\bm\.?sc\b|graduat", ("studies_at",)),
    (r"attend|conferences?|events?|meetups?|workshops?|summits?", ("attended",)),
    (r"visit|travel|trips?|holiday|vacation", ("visited",)),
    (r"member|teams?|clubs?|groups?|belong|part of", ("member_of",)),
    (r"prefer", ("prefers",)),
    (r"dislike|hates?|hated|can't stand", ("dislikes",)),
    (r"\blikes?\b|\bliked\b|enjoy|\blove|fan of", ("likes",)),
    (r"\bowns?\b|owned|\bcars?\b|\bsell|\bsold|\bbuy|bought|\bdrive", ("owns",)),
    (r"\blive|living|lived|reside|based|home town|hometown|move|moved|relocat",
     ("lives_in",)),
    (r"\bwork|employ|job\b|company|hired|\bquit|\bresign", ("works_at",)),
    (r"\buse|using|\bused\b|tools?|software|plans?\b|platforms?|stack|subscri|switch",
     ("uses",)),
    (r"\bjoin|\bstart|\bbegin|\bbegan|\bleave|\bleft\b", ("works_at", "member_of",
                                                         "studies_at")),
    (r"\bstop|\bcancel|\bdrop", ("uses", "member_of", "owns")),
    (r"\bgo\b|\bgoes\b|\bwent\b|\bbeen\b", ("visited", "attended", "studies_at")),
)
_WHERE = ("works_at", "lives_in", "studies_at", "visited", "attended", "member_of")
_START_VERBS = re.compile(
    r"\b(start|started|join|joined|begin|began|move|moved|relocat\w*|adopt\w*|marr\w*|buy|"
    r"bought|get|got|become|became|promot\w*|enrol\w*|sign\w* up|switch\w* to|hired|take up|"
    r"took up|pick\w* up|visit\w*|attend\w*|go|went|travel\w*)\b")
_END_VERBS = re.compile(
    r"\b(leave|left|quit|stop\w*|sell|sold|cancel\w*|end\w*|retire\w*|divorc\w*|drop\w*|"
    r"give up|gave up|lose|lost|resign\w*|move out|moved out|finish\w*|graduat\w*)\b")
_KNOWLEDGE_CUE = re.compile(
    r"(according to (what )?(we|the agent|it|memory|our records) (knew|believed|had)|"
    r"(what )?(did )?(we|the agent) (know|believe|think)|as (we|the agent) knew( it)?|"
    r"as recorded|in (our|the) records|as of our records|known|believed|recorded)"
    r"[^?.]{0,40}$", re.IGNORECASE)
_NOW = re.compile(r"\b(now|currently|current|today|these days|at the moment|at present|"
                  r"still|presently)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(did|was|were|had|used to|before|previously|formerly|ever)\b",
                   re.IGNORECASE)
_ANCHOR = re.compile(r"\b(before|after|when(?!\s+(?:did|does|do|is|was|were|has|had)\b)|"
                     r"while|by the time)\s+(.+?)\s*(?:,|\?|$)", re.IGNORECASE)
_LEADING_CLAUSE = re.compile(r"^[^,?]*\b(knew|known|believed|recorded|records)\b[^,?]*,\s*",
                             re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself)\b", re.IGNORECASE)
_GENERIC_NOUNS = {
    "tools", "tool", "software", "languages", "language", "pets", "pet", "events", "event",
    "teams", "team", "groups", "group", "clubs", "club", "things", "thing", "products",
    "product", "companies", "company", "places", "place", "cities", "city", "countries",
    "country", "conferences", "conference", "apps", "app", "services", "service",
    "platforms", "platform", "organizations", "organisations", "organization", "kind",
    "kinds", "type", "types", "systems", "system", "stack",
}


@dataclass(frozen=True, slots=True)
class ParsedQuestion:
    """The structured query a question became."""

    question: str
    kind: Kind
    predicates: tuple[str, ...]
    subject: Entity | None
    object_entity: Entity | None
    object_text: str | None  #: words naming a literal object ("the Toyota Hilux")
    filter_noun: str | None  #: "which plan …" → objects whose label contains "plan"
    period: TimeValue | None  #: valid-time period asked about
    valid_at: datetime | None  #: a valid-time instant asked about (now, or an anchor)
    all_time: bool  #: no time given, past tense: any valid time
    known_at: datetime
    now: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "predicates": list(self.predicates),
            "subject": self.subject.name if self.subject else None,
            "object": self.object_entity.name if self.object_entity else self.object_text,
            "filter": self.filter_noun,
            "period": None if self.period is None else {
                "start": isoformat(self.period.start), "end": isoformat(self.period.end),
                "granularity": self.period.granularity.value},
            "valid_at": isoformat(self.valid_at), "all_time": self.all_time,
            "known_at": isoformat(self.known_at),
        }


@dataclass(slots=True)
class Answer:
    """An answer with what it relied on."""

    question: str
    status: Status
    message: str
    answers: list[str] = field(default_factory=list)
    date: str | None = None  #: for "when": the date at its granularity ("2024-03", "2018")
    instant: datetime | None = None  #: for "when": the instant itself
    facts: list[FactView] = field(default_factory=list)  #: the facts relied on
    closest: list[FactView] = field(default_factory=list)  #: for "nothing known"
    parsed: ParsedQuestion | None = None

    @property
    def evidence(self) -> list[Provenance]:
        return [p for f in self.facts for p in f.provenance]

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question, "status": self.status, "message": self.message,
            "answers": self.answers, "date": self.date, "instant": isoformat(self.instant),
            "facts": [f.as_dict() for f in self.facts],
            "intervals": [{"object": f.object, "valid_from": isoformat(f.version.valid_from),
                           "valid_to": isoformat(f.version.valid_to)} for f in self.facts],
            "evidence": [p.as_dict() for p in self.evidence],
            "closest": [f.as_dict() for f in self.closest],
            "parsed": self.parsed.as_dict() if self.parsed else None,
        }


class _Unparseable(Exception):
    pass


class _NothingKnown(Exception):
    pass


_NAME = re.compile(r"\b[A-Z][\w'\-]+(?:\s+(?:[A-Z][\w'\-]+|&|de|van|der|von|da|di|la|le)){0,4}")


def _unknown_name(text: str) -> str | None:
    """A capitalised name in the question (not its first word, not a month or weekday)."""
    for match in _NAME.finditer(text):
        words = match.group().split()
        if match.start() == 0:
            words = words[1:]
        words = [w for w in words if w.lower() not in _QUESTION_WORDS | _STOP | _CALENDAR]
        if words:
            return " ".join(words).rstrip("'s")
    return None


_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december", "monday", "tuesday", "wednesday",
             "thursday", "friday", "saturday", "sunday", "christmas", "easter"}


def ask(store: GraphStore, question: str, *, now: datetime | None = None,
        known_at: datetime | None = None, asker: str | None = None) -> Answer:
    """Answer an English question from the store, with evidence.

    Args:
        question: e.g. "Where did Priya work in March 2024?"
        now: the reference for relative times ("last summer") and "now" (default: the clock).
        known_at: transaction time to answer as of (default: ``now``, or what the question
            says: "according to what we knew on 1 May").
        asker: the user asking: "I/me/my" in the question means this entity.
    """
    text = " ".join(question.split())
    if not text:
        return Answer(question, "unparseable", "The question is empty.")
    ref = require_aware(now, "now") if now is not None else store.clock.now()
    from_question = known_at is None  # a knowledge cue in the question may set it
    if known_at is None and now is None:
        known_at = LATEST  # as currently believed
    try:
        parsed = parse_question(store, text, now=ref, known_at=known_at, asker=asker,
                                known_from_question=from_question)
    except _Unparseable as exc:
        return Answer(question, "unparseable", str(exc))
    except _NothingKnown as exc:
        return Answer(question, "nothing_known", str(exc))
    return _answer(store, parsed)


def parse_question(store: GraphStore, text: str, *, now: datetime,
                   known_at: datetime | None = None, asker: str | None = None,
                   known_from_question: bool = True) -> ParsedQuestion:
    """Parse ``text``. A knowledge cue in the question ("according to what we knew on 1 May")
    sets the transaction time unless ``known_from_question`` is false (the caller fixed it)."""
    low = text.lower()
    tense = Tense.PAST if _PAST.search(low) else Tense.UNKNOWN
    times = find_times(text, now, tense)
    period, known = None, require_aware(known_at, "known_at") if known_at else now
    anchor_text, valid_at = _anchor_clause(text)
    for mention in times:
        if _KNOWLEDGE_CUE.search(text[:mention.start_char]) and known_from_question:
            known = mention.value.end - timedelta(microseconds=1)
        elif anchor_text is not None and mention.start_char >= text.find(anchor_text) >= 0:
            continue
        elif period is None:
            period = mention.value
    core = text
    if anchor_text:
        core = text.replace(anchor_text, " ")
    mentions = _entity_mentions(store, core, asker)
    predicates = _predicates(core.lower())
    if not mentions:
        unknown = _unknown_name(core)
        if unknown and predicates:
            raise _NothingKnown(f"Nothing known about {unknown}: no entity of that name is "
                                "in this tenant's memory.")
        raise _Unparseable(
            "I could not find who or what the question is about: no known entity is named "
            "in it (names are matched against the entities in this tenant's memory).")
    if not predicates and len(mentions) > 1:
        # "Since when has Parisa had Kiki?": the relation is whatever links the two
        predicates = tuple(p.name for p in store.registry)
    if not predicates:
        raise _Unparseable(
            "I could not tell which relation the question asks about (e.g. where someone "
            "works or lives, their manager, what they use or prefer, when something began).")
    kind: Kind = "objects"
    first_word = _LEADING_CLAUSE.sub("", low).split()[0]
    if first_word == "when" or _LEADING_CLAUSE.sub("", low).startswith((
            "since when", "what date", "what year", "which year", "how long ago")):
        ends, starts = _END_VERBS.search(low), _START_VERBS.search(low)
        kind = "when_end" if ends and (not starts or ends.start() <= starts.start()) \
            else "when_start"
    subject, obj = mentions[0][1], mentions[1][1] if len(mentions) > 1 else None
    if kind == "objects" and first_word in ("who", "whom", "which") and len(mentions) == 1:
        if _is_inverse(core, mentions[0]):
            kind, subject, obj = "subjects", None, mentions[0][1]
    if first_word == "where":
        narrowed = tuple(p for p in predicates if p in _WHERE)
        predicates = narrowed or predicates
    object_text = _object_text(core, mentions, predicates) if obj is None and kind in (
        "when_start", "when_end") else None
    filter_noun = _filter_noun(low)
    if anchor_text is not None:
        valid_at = _anchor_instant(store, anchor_text, subject, asker, now, known)
        if valid_at is None:
            raise _Unparseable(f"I could not place '{anchor_text}' in time from what I know.")
        period = None
    present = bool(_NOW.search(low)) or (tense is Tense.UNKNOWN and period is None)
    if period is None and valid_at is None and present and kind in ("objects", "subjects"):
        valid_at = now
    all_time = period is None and valid_at is None
    return ParsedQuestion(text, kind, predicates, subject, obj, object_text, filter_noun,
                          period, valid_at, all_time, known, now)


def _anchor_clause(text: str) -> tuple[str | None, datetime | None]:
    match = _ANCHOR.search(text, 1)  # mid-question: "When did …" itself is not an anchor
    if match is None or not _START_VERBS.search(match.group(2).lower()) and not \
            _END_VERBS.search(match.group(2).lower()):
        return None, None
    return match.group(0).rstrip("?, "), None


def _anchor_instant(store: GraphStore, clause: str, subject: Entity | None,
                    asker: str | None, now: datetime, known: datetime) -> datetime | None:
    """'before she joined Globex' → just before the start of that fact."""
    low = clause.lower()
    word = low.split()[0]
    body = clause.split(" ", 1)[1] if " " in clause else ""
    mentions = _entity_mentions(store, body, asker)
    objects = [e for _, e in mentions if subject is None or e.id != subject.id]
    who = subject
    if who is None and mentions:
        who = mentions[0][1]
    if who is None or not objects:
        return None
    target = objects[-1]
    predicates = _predicates(body.lower()) or tuple(p.name for p in store.registry)
    ending = bool(_END_VERBS.search(low))
    for predicate in predicates:
        versions = [v for v in store.find_versions(VersionQuery(
            subject_id=who.id, predicate=predicate, object_id=target.id, known_at=known))]
        if not versions:
            continue
        v = min(versions, key=lambda x: start_us(x.valid_from))
        edge = v.valid_to if ending else v.valid_from
        if edge is None:
            return None
        if word == "before":
            return edge - timedelta(microseconds=1)
        return edge
    return None


def _is_inverse(text: str, mention: tuple[int, Entity]) -> bool:
    """'Who reports to Bea?' (the entity ends the question, no possessive) vs
    'Who is Bea's manager?' / 'Who does Bea report to?'."""
    start, _ = mention
    after = text[start:].lower()
    before = text[:start].lower()
    if re.match(r"[^\s?]+(?:\s+[^\s?]+)*?'s\b", after) and "'s" in after.split("?")[0]:
        return False
    return not re.search(r"\b(does|did|is|was|do)\s*$", before.strip() + " ") and bool(
        re.search(r"\b(to|at|in|for|with|of|by)\s*$", before))


def _entity_mentions(store: GraphStore, text: str, asker: str | None
                     ) -> list[tuple[int, Entity]]:
    """Entities named in ``text`` (longest match first, no overlaps), in textual order."""
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[\w&'.\-]+", text)]
    spans: list[tuple[int, int, str]] = []
    for i in range(len(tokens)):
        for j in range(min(len(tokens), i + 6), i, -1):
            start, end = tokens[i][0], tokens[j - 1][1]
            phrase = re.sub(r"'s$", "", text[start:end].rstrip(".'"))
            spans.append((start, end, phrase))
    keys = sorted({normalize_name(p) for _, _, p in spans if normalize_name(p)})
    found = store.find_entities(keys) if keys else []
    by_key: dict[str, Entity] = {}
    for entity in sorted(found, key=lambda e: e.id):
        for name in (entity.name, *entity.aliases):
            by_key.setdefault(normalize_name(name), entity)
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, Entity]] = []
    for start, end, phrase in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        entity = by_key.get(normalize_name(phrase))
        if entity is None or any(start < e and s < end for s, e in taken):
            continue
        if phrase.lower() in _STOP and not phrase[:1].isupper():
            continue
        taken.append((start, end))
        out.append((start, entity))
    if asker:
        me = store.entity(asker)
        if me is not None:
            out.extend((m.start(), me) for m in _FIRST_PERSON.finditer(text))
    out.extend((start, entity) for start, entity in _first_name_mentions(store, text)
               if not any(s <= start < e for s, e in taken))
    out.sort(key=lambda x: x[0])
    deduped: list[tuple[int, Entity]] = []
    for start, entity in out:
        if all(entity.id != e.id for _, e in deduped):
            deduped.append((start, entity))
    return deduped


_STOP = {"i", "me", "my", "we", "our", "it", "the", "a", "an", "who", "what", "where", "when",
         "which", "how", "does", "did", "is", "was", "now", "in", "on", "at", "to", "of"}


def _first_name_mentions(store: GraphStore, text: str) -> list[tuple[int, Entity]]:
    """A capitalised word that starts a longer entity name ("Priya" → "Priya Raman"), found
    through full-text search. Only an unambiguous match counts."""
    out = []
    for m in re.finditer(r"\b[A-Z][\w\-]+", text):
        word = m.group()
        if word.lower() in _STOP or m.start() == 0 and word.lower() in _QUESTION_WORDS:
            continue
        hits = store.search(word, limit=20)
        names: dict[str, str] = {}
        for hit in hits:
            v = hit.version
            if v is None:
                continue
            for eid, name in ((v.subject_id, v.subject_name), (v.object_id, v.object_name)):
                if eid and name and normalize_name(name).split()[0] == normalize_name(word):
                    names[eid] = name
        if len(names) == 1:
            entity = store.get_entities(list(names))
            if entity:
                out.append((m.start(), entity[0]))
    return out


_QUESTION_WORDS = {"who", "what", "where", "when", "which", "how", "does", "did", "is", "was",
                   "according", "as", "in", "on", "before", "after"}


def question_predicates(text: str) -> tuple[str, ...]:
    """The predicates a question or query's words point at, most specific first."""
    return _predicates(text.lower())


def _predicates(low: str) -> tuple[str, ...]:
    found: list[tuple[int, str]] = []
    for pattern, names in _KEYWORDS:
        match = re.search(pattern, low)
        if match is None:
            continue
        for offset, name in enumerate(names):
            if all(name != n for _, n in found):
                found.append((match.start() * 10 + offset, name))
    specific = [n for _, n in sorted(found)]
    return tuple(specific)


def _filter_noun(low: str) -> str | None:
    match = re.match(r"(?:which|what)\s+([a-z][a-z\-]+)\s+(?:was|is|does|did|do|were|are|has|"
                     r"had)\b", low)
    if match is None:
        return None
    noun = match.group(1)
    if noun in _GENERIC_NOUNS or noun in ("kind", "sort"):
        return None
    return noun.removesuffix("s") if noun.endswith("s") and len(noun) > 3 else noun


def _object_text(text: str, mentions: Sequence[tuple[int, Entity]],
                 predicates: Sequence[str]) -> str | None:
    """'When did Sione sell the Toyota Hilux?' → 'Toyota Hilux' (words after the verb)."""
    if not mentions:
        return None
    start, entity = mentions[0]
    rest = text[start + len(entity.name):] if text[start:].lower().startswith(
        entity.name.lower()) else text[start:].split(" ", 1)[-1]
    rest = re.sub(r"^[’']s\b", "", rest).strip(" ?.")
    words = rest.split()
    while words and (words[0].lower() in _VERBISH or _START_VERBS.match(words[0].lower())
                     or _END_VERBS.match(words[0].lower())):
        words.pop(0)
    while words and words[0].lower() in ("the", "a", "an", "his", "her", "their", "my", "to",
                                         "at", "in", "using", "with", "from", "of", "for"):
        words.pop(0)
    phrase = " ".join(words).strip()
    return phrase or None


_VERBISH = {"first", "finally", "actually", "officially", "eventually", "start", "stop",
            "using", "working", "living"}


# ------------------------------------------------------------------ answering


def _answer(store: GraphStore, q: ParsedQuestion) -> Answer:
    candidates = _candidates(store, q)
    if q.kind in ("when_start", "when_end"):
        return _answer_when(store, q, candidates)
    chosen = _select(store, q, candidates)
    if not chosen:
        return _nothing(store, q, candidates)
    views = with_provenance(store, chosen)
    labels = []
    for v in views:
        label = v.subject if q.kind == "subjects" else v.object
        if label not in labels:
            labels.append(label)
    return Answer(q.question, "answered", _sentence(q, labels), answers=labels, facts=views,
                  parsed=q)


def _candidates(store: GraphStore, q: ParsedQuestion) -> list[FactVersion]:
    """Versions believed at known_at for the question's subject/object and predicates, over
    all valid times; the first predicate with any facts wins."""
    for predicate in q.predicates:
        found = _versions_for(store, q, predicate)
        if q.object_text and q.kind in ("when_start", "when_end"):
            found = [v for v in found if _label_matches(v.object_label, q.object_text)]
        if q.filter_noun:
            found = [v for v in found if q.filter_noun in v.object_label.lower()]
        if found:
            return found
    return []


def _same_named(store: GraphStore, entity: Entity) -> list[str]:
    """The ids of every entity named like ``entity`` (the same name may carry two types)."""
    return sorted({entity.id, *(store.entity_ids(entity.name) or [])})


def _versions_for(store: GraphStore, q: ParsedQuestion, predicate: str) -> list[FactVersion]:
    symmetric = store.registry.get(predicate).name == "married_to"
    out: list[FactVersion] = []
    if q.kind == "subjects" and q.object_entity is not None:
        for object_id in _same_named(store, q.object_entity):
            out += store.find_versions(VersionQuery(object_id=object_id, predicate=predicate,
                                                    known_at=q.known_at))
    elif q.subject is not None:
        for subject_id in _same_named(store, q.subject):
            out += store.find_versions(VersionQuery(subject_id=subject_id, predicate=predicate,
                                                    known_at=q.known_at))
            if symmetric:
                out += [_flip(v) for v in store.find_versions(VersionQuery(
                    object_id=subject_id, predicate=predicate, known_at=q.known_at))]
        if q.object_entity is not None:
            wanted = set(_same_named(store, q.object_entity))
            out = [v for v in out if v.object_id in wanted
                   or _label_matches(v.object_label, q.object_entity.name)]
    return out


def _flip(v: FactVersion) -> FactVersion:
    return v.model_copy(update={"subject_id": v.object_id, "object_id": v.subject_id,
                                "subject_name": v.object_name, "object_name": v.subject_name})


def _label_matches(label: str, wanted: str) -> bool:
    a, b = normalize_name(label), normalize_name(wanted)
    return bool(a and b) and (a in b or b in a)


def _select(store: GraphStore, q: ParsedQuestion, versions: list[FactVersion]
            ) -> list[FactVersion]:
    if not versions:
        return []
    if q.valid_at is not None:
        live = q.valid_at == q.now
        return [v for v in versions if v.valid_at(q.valid_at)
                and not (live and v.expires_at is not None and v.expires_at <= q.now)]
    if q.period is not None:
        lo, hi = start_us(q.period.start), start_us(q.period.end)
        overlapping = [(min(hi, end_us(v.valid_to)) - max(lo, start_us(v.valid_from)), v)
                       for v in versions]
        overlapping = [(o, v) for o, v in overlapping if o > 0]
        predicate = store.registry.get(versions[0].predicate)
        if predicate.cardinality is Cardinality.ONE and not predicate.event \
                and q.kind == "objects" and overlapping:
            return [max(overlapping, key=lambda x: (x[0], start_us(x[1].valid_from)))[1]]
        return [v for _, v in sorted(overlapping, key=lambda x: start_us(x[1].valid_from))]
    # no time given, past tense: everything that held up to now
    return sorted((v for v in versions if v.valid_from is None or v.valid_from <= q.now),
                  key=lambda v: start_us(v.valid_from))


def _answer_when(store: GraphStore, q: ParsedQuestion, versions: list[FactVersion]) -> Answer:
    ending = q.kind == "when_end"
    dated = [v for v in versions if (v.valid_to if ending else v.valid_from) is not None]
    if not dated:
        return _nothing(store, q, versions)
    # the latest change that had happened by now
    past = [v for v in dated if (v.valid_to if ending else v.valid_from) <= q.now] or dated  # type: ignore[operator]
    chosen = max(past, key=lambda v: start_us(v.valid_to if ending else v.valid_from))
    instant = chosen.valid_to if ending else chosen.valid_from
    assert instant is not None
    # an end comes from whatever ended the fact, whose granularity is not stored: say the day
    granularity = None if ending else chosen.granularity
    date = format_date(instant, granularity)
    views = with_provenance(store, [chosen])
    verb = "ended" if ending else "started"
    return Answer(q.question, "answered",
                  f"{views[0].subject} {chosen.predicate.replace('_', ' ')} "
                  f"{views[0].object}: {verb} {date}.", answers=[date], date=date,
                  instant=instant, facts=views, parsed=q)


def format_date(instant: datetime, granularity: Granularity | None) -> str:
    """A date at its granularity: "2018", "2018-10", "2023-Q3", "2018-10-01"."""
    if granularity in (Granularity.YEAR, Granularity.DECADE):
        return f"{instant.year:04d}"
    if granularity in (Granularity.MONTH, Granularity.SEASON):
        return f"{instant.year:04d}-{instant.month:02d}"
    if granularity is Granularity.QUARTER:
        return f"{instant.year:04d}-Q{(instant.month - 1) // 3 + 1}"
    return instant.date().isoformat()


def _nothing(store: GraphStore, q: ParsedQuestion, candidates: list[FactVersion]) -> Answer:
    closest = sorted(candidates, key=lambda v: -start_us(v.valid_from))[:3]
    if not closest and q.subject is not None:
        closest = store.find_versions(VersionQuery(subject_id=q.subject.id,
                                                   known_at=q.known_at, limit=3))
    about = q.subject.name if q.subject else (q.object_entity.name if q.object_entity else "it")
    when = ("now" if q.valid_at == q.now else
            f"at {isoformat(q.valid_at)}" if q.valid_at else
            f"in {format_date(q.period.start, q.period.granularity)}" if q.period else "")
    message = (f"Nothing known about {about}'s {' / '.join(q.predicates[:1])} {when}".rstrip()
               + ".")
    return Answer(q.question, "nothing_known", message, closest=with_provenance(store, closest),
                  parsed=q)


def _sentence(q: ParsedQuestion, labels: list[str]) -> str:
    who = q.subject.name if q.subject else (q.object_entity.name if q.object_entity else "")
    joined = ", ".join(labels)
    predicate = q.predicates[0].replace("_", " ") if q.predicates else ""
    if q.kind == "subjects":
        return f"{joined} ({predicate} {who})."
    return f"{who} {predicate}: {joined}."
