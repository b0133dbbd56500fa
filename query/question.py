"""Questions in English → :class:`ParsedQuestion`: the time, subject, object and predicates
a question asks about (steps 1–3 of :mod:`asof.query.ask`'s parser). No LLM."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from asof.graph.contract import VersionQuery
from asof.graph.ids import entity_order, normalize_name
from asof.graph.instants import LATEST, isoformat, require_aware, start_us
from asof.graph.models import Entity, Granularity
from asof.graph.predicates import Predicate, PredicateRegistry
from asof.graph.store import GraphStore
from asof.query.first_names import QUESTION_WORDS as _QUESTION_WORDS
from asof.query.first_names import STOP_WORDS as _STOP
from asof.query.first_names import first_name_mentions as _first_name_mentions
from asof.timex import Tense, TimeMention, TimeValue, find_times

Kind = Literal["objects", "subjects", "when_start", "when_end"]

#: question words → candidate predicates, most specific first
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"job title|title|role|position|do for a living|what does \S+ do|promot|"
     r"\bbec(?:ome|omes|ame|oming)\b", ("job_title",)),
    (r"manager|boss|supervis|report(?:s|ed|ing)? to|line manager|\bmanag(?:e|es|ed|ing)\b|"
     r"\boversee|\boversaw|(?:'s|’s|\bmy|\bher|\bhis|\btheir|\byour) (?:team )?lead\b",
     ("reports_to",)),
    (r"married|marry|spouse|husband|wife", ("married_to",)),
    (r"pets?|dogs?|cats?|adopt", ("has_pet",)),
    (r"languages?|speaks?|spoke|speaking", ("speaks",)),
    (r"study|studies|studied|studying|school|universit|college|student|enrol|degree|"
     r"bachelor|master'?s|phd|doctorate|diploma|\bmba\b|\bb\.?tech\b|\bb\.?sc\b|"
     r"\bm\.?sc\b|graduat", ("studies_at",)),
    (r"attend|conferences?|events?|meetups?|workshops?|summits?", ("attended",)),
    (r"visit|travel|trips?|holiday|vacation", ("visited",)),
    (r"member|teams?|clubs?|groups?|belong|part of|\bsquads?\b|\bcrews?\b|\bunits?\b|"
     r"department|division|committee|\bchapters?\b|\btribes?\b|\bguilds?\b|\bbands?\b|"
     r"\bchoirs?\b|\bcollective", ("member_of",)),
    (r"prefer", ("prefers",)),
    (r"dislike|hates?|hated|can't stand", ("dislikes",)),
    (r"\blikes?\b|\bliked\b|enjoy|\blove|fan of", ("likes",)),
    (r"\bowns?\b|owned|\bcars?\b|\bsell|\bsold|\bbuy|bought|\bdrive", ("owns",)),
    (r"\blive|living|lived|reside|based|home town|hometown|move|moved|relocat",
     ("lives_in",)),
    (r"\bwork|employ|job\b(?!\s+title)|company|hired|\bquit|\bresign|\bretire",
     ("works_at",)),
    (r"\buse|using|\bused\b|tools?|software|plans?\b|platforms?|stack|subscri|switch",
     ("uses",)),
    (r"\bjoin|\bstart|\bbegin|\bbegan|\bleave|\bleft\b|\bfinish|(?:last|final) (?:working )?day",
     ("works_at", "member_of", "studies_at")),
    (r"\bstop|\bcancel|\bdrop", ("uses", "member_of", "owns")),
    (r"\bgo\b|\bgoes\b|\bwent\b|\bbeen\b", ("visited", "attended", "studies_at")),
)
_WHERE = ("works_at", "lives_in", "studies_at", "visited", "attended", "member_of")
_START_VERBS = re.compile(
    r"\b(start|starts|started|starting|join|joins|joined|joining|begin|begins|beginning|began|"
    r"begun|move|moves|moved|moving|relocat\w*|adopt\w*|marr\w*|buy|buys|buying|bought|get|"
    r"gets|getting|got|become|becomes|becoming|became|promot\w*|enrol\w*|sign\w* up|"
    r"switch\w* to|hired|take up|took up|taking up|pick\w* up|visit\w*|attend\w*|go|going|went|"
    r"travel\w*|first (?:working )?day)\b")
_END_VERBS = re.compile(
    r"\b(leave|leaves|leaving|left|quit|quits|quitting|stop\w*|sell|sells|selling|sold|"
    r"cancel\w*|end\w*|retire\w*|divorc\w*|drop\w*|give up|gave up|giving up|lose|losing|lost|"
    r"resign\w*|move out|moved out|moving out|finish\w*|graduat\w*|"
    r"(?:last|final) (?:working )?day)\b")
_KNOWLEDGE_CUE = re.compile(
    r"(according to (what )?(we|the agent|it|memory|our records) (knew|believed|had)|"
    r"(what )?(did )?(we|the agent) (know|believe|think)|as (we|the agent) knew( it)?|"
    r"as recorded|in (our|the) records|as of our records|known|believed|recorded)"
    r"[^?.]{0,40}$", re.IGNORECASE)
_NOW = re.compile(r"\b(now|currently|current|today|these days|at the moment|at present|"
                  r"still|presently)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(did|was|were|had|used to|before|previously|formerly|ever)\b|"
                   # present perfect ("which places has she visited"), but not "has … got"
                   r"\b(has|have)\b(?:\s+[\w'\-]+){0,4}?\s+(?!got\b)(?:been|\w+ed|\w+en|"
                   r"bought|sold|left|met|had|taught|thought|brought|done)\b",
                   re.IGNORECASE)
#: no anchor, no period: only what has ended ("where did she work previously?")
_PREVIOUS = re.compile(r"\b(previously|formerly|before that|in the past|used to|former|"
                       r"prior)\b", re.IGNORECASE)
#: questions asking for a date; "until when" asks for an end
_WHEN_LEAD = re.compile(
    r"^(?:when|since when|until when|till when|from when|as of when|"
    r"(?:(?:in|on|by|during|from|since|until)\s+)?(?:what|which)\s+(?:date|day|year|month|week)|"
    r"how long(?: ago)?)\b")
#: active verbs whose grammatical subject is the relation's object: "who does Ravi manage?"
#: (Ravi is the manager: subjects of reports_to), "who did Acme hire?" (subjects of works_at)
_OBJECT_VERBS = re.compile(r"\b(manag(?:e|es|ed|ing)|supervis(?:e|es|ed|ing)|oversee(?:s|ing)?|"
                           r"oversaw|employ(?:s|ed|ing)?|hir(?:e|es|ed|ing))\b")
_WHERE_ANY = ("visited", "attended", "lives_in", "works_at", "studies_at")
_ANCHOR = re.compile(r"\b(before|after|when(?!\s+(?:did|does|do|is|was|were|has|had)\b)|"
                     r"while|by the time)\s+(.+?)\s*(?:,|\?|$)", re.IGNORECASE)
LEADING_CLAUSE = re.compile(r"^[^,?]*\b(knew|known|believed|recorded|records)\b[^,?]*,\s*",
                             re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(i|me|my|mine|myself)\b", re.IGNORECASE)
_TIME_NOUNS = {"year", "month", "date", "day", "week", "time", "season", "decade"}
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
    #: every entity named after the subject: the object is the one the facts link to
    objects: tuple[Entity, ...] = ()
    ended_only: bool = False  #: "previously", "formerly": only what has ended

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
            "ended_only": self.ended_only,
            # None: as currently believed (never the internal end of time)
            "known_at": None if self.known_at >= LATEST else isoformat(self.known_at),
        }


class Unparseable(Exception):
    pass


class NothingKnown(Exception):
    pass


_NAME = re.compile(r"\b[A-Z][\w'\-]+(?:\s+(?:[A-Z][\w'\-]+|&|(?:de|van|der|von|da|di|la|le)\b))"
                   r"{0,4}")


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


def _longer_unknown_name(text: str, mentions: Sequence[tuple[int, Entity]]) -> str | None:
    """'Lena Zorblax' when 'Lena' is known as Lena Moreau: a person named by a shorter alias
    and then a capitalised word that is not the rest of the known name is somebody else.
    ('Can Aydın' when only 'Can' is known is taken to be that person.)"""
    starts = {start for start, _ in mentions}
    for start, entity in mentions:
        if entity.type != "person":
            continue
        tokens = list(re.finditer(r"[^\s?,.!;:]+", text[start:]))
        words = [re.sub(r"['’]s$", "", t.group()) for t in tokens]
        names = {normalize_name(x) for x in (entity.name, *entity.aliases)}
        # how many words of the question the mention covers: its name, or a shorter alias
        covered = next((n for n in range(min(len(entity.name.split()), len(words)), 0, -1)
                        if normalize_name(" ".join(words[:n])) in names), 0)
        if not covered or covered >= len(words) or covered >= len(entity.name.split()) or \
                tokens[covered - 1].group() != \
                words[covered - 1] or tokens[covered].start() - tokens[covered - 1].end() != 1:
            continue  # a possessive or punctuation ends the name
        nxt = words[covered]
        if nxt[:1].isupper() and nxt.isalpha() and nxt.lower() not in \
                _QUESTION_WORDS | _STOP | _CALENDAR and start + tokens[covered].start() \
                not in starts:
            return f"{' '.join(words[:covered])} {nxt}"
    return None


_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december", "monday", "tuesday", "wednesday",
             "thursday", "friday", "saturday", "sunday", "christmas", "easter"}


def parse_question(store: GraphStore, text: str, *, now: datetime,
                   known_at: datetime | None = None, asker: str | None = None,
                   known_from_question: bool = True) -> ParsedQuestion:
    """Parse ``text``. A knowledge cue in the question ("according to what we knew on 1 May")
    sets the transaction time unless ``known_from_question`` is false (the caller fixed it)."""
    text = _normalise_times(text)
    low = text.lower()
    tense = Tense.PAST if _PAST.search(low) else Tense.UNKNOWN
    times = find_times(text, now, tense)
    period, known = None, require_aware(known_at, "known_at") if known_at else now
    anchor_text = _anchor_clause(text)
    for mention in times:
        if _KNOWLEDGE_CUE.search(text[:mention.start_char]) and known_from_question:
            known = mention.value.end - timedelta(microseconds=1)
        elif anchor_text is not None and mention.start_char >= text.find(anchor_text) >= 0:
            continue
        elif period is None:
            period = _qualified(mention, low)
    core = text
    if anchor_text:
        core = text.replace(anchor_text, " ")
    mentions = _entity_mentions(store, core, asker)
    predicates = _predicates(core.lower(), store.registry)
    lead = LEADING_CLAUSE.sub("", low)
    first_word = lead.split()[0] if lead.split() else ""
    if not predicates and first_word == "where":
        predicates = _WHERE_ANY  # "Where was Lena on 1 June?": any place she was at
    unknown = _longer_unknown_name(core, mentions)
    if mentions and unknown is None:
        # "When did Chidi Okafor leave Orbit Freight?": the subject is unknown, not Orbit
        unknown = _unknown_name(core[:mentions[0][0]])
    if unknown and predicates:
        raise NothingKnown(f"Nothing known about {unknown}: no entity of that name is in "
                            "this tenant's memory.")
    if not mentions:
        unknown = _unknown_name(core)
        if unknown and predicates:
            raise NothingKnown(f"Nothing known about {unknown}: no entity of that name is "
                                "in this tenant's memory.")
        raise Unparseable(
            "I could not find who or what the question is about: no known entity is named "
            "in it (names are matched against the entities in this tenant's memory).")
    if not predicates and len(mentions) > 1:
        # "Since when has Parisa had Kiki?": the relation is whatever links the two
        predicates = tuple(p.name for p in store.registry)
    if not predicates:
        raise Unparseable(
            "I could not tell which relation the question asks about (e.g. where someone "
            "works or lives, their manager, what they use or prefer, when something began).")
    kind: Kind = "objects"
    if _WHEN_LEAD.match(lead):
        ends, starts = _END_VERBS.search(low), _START_VERBS.search(low)
        if re.match(r"(?:until|till) when\b", lead):
            kind = "when_end"
        else:
            kind = "when_end" if ends and (not starts or ends.start() <= starts.start()) \
                else "when_start"
    subject: Entity | None = mentions[0][1]
    obj = mentions[1][1] if len(mentions) > 1 else None
    objects = tuple(e for _, e in mentions[1:])
    if kind == "objects" and first_word in ("who", "whom", "which", "what") and \
            len(mentions) == 1:
        verb = _OBJECT_VERBS.search(core.lower())
        if verb is not None:
            # "Who does Ravi manage?" (the entity before the verb) vs "Who manages Lena?"
            if mentions[0][0] < verb.start():
                kind, subject, obj = "subjects", None, mentions[0][1]
                objects = (mentions[0][1],)
        elif first_word != "what" and _is_inverse(core, mentions[0]):
            kind, subject, obj = "subjects", None, mentions[0][1]
            objects = (mentions[0][1],)
    if first_word == "where":
        narrowed = tuple(p for p in predicates if p in _WHERE)
        predicates = narrowed or predicates
    object_text = _object_text(core, mentions, predicates) if obj is None and kind in (
        "when_start", "when_end") else None
    filter_noun = _filter_noun(low)
    asked_words = tuple(w for p in predicates
                        for w in getattr(predicate_spec(store, p), "question_words", ()))
    if filter_noun and filter_noun.startswith(asked_words):
        filter_noun = None  # "what tier is Acme on?" names the predicate, not the object
    if object_text and all(w.lower().startswith(asked_words) or w.lower() in ("its", "the")
                           for w in object_text.split()):
        object_text = None  # "when does Acme renew its contract?": no object named
    valid_at = None
    if anchor_text is not None:
        valid_at = _anchor_instant(store, anchor_text, subject, asker, known)
        if valid_at is None:
            raise Unparseable(f"I could not place '{anchor_text}' in time from what I know.")
        period = None
    events = all(spec.event for p in predicates if (spec := predicate_spec(store, p)) is not None)
    present = bool(_NOW.search(low)) or (tense is Tense.UNKNOWN and period is None
                                         and not events)
    if period is None and valid_at is None and present and kind in ("objects", "subjects"):
        valid_at = now
    all_time = period is None and valid_at is None
    ended_only = all_time and kind in ("objects", "subjects") and bool(_PREVIOUS.search(low))
    return ParsedQuestion(text, kind, predicates, subject, obj, object_text, filter_noun,
                          period, valid_at, all_time, known, now, objects, ended_only)


_SEASON_OF = re.compile(r"\b(?:the\s+)?(spring|summer|autumn|fall|winter)\s+of\s+(\d{4})\b",
                        re.IGNORECASE)
_MID_DASH = re.compile(r"\b(mid|early|late)-(?=\d{4}\b|[a-z]{3,9}\b)", re.IGNORECASE)


def _normalise_times(text: str) -> str:
    """Spellings the shared time resolver reads as something else: "the summer of 2022" (a
    season of that year, not this year's summer and a year) and "mid-2022"."""
    text = _SEASON_OF.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    return _MID_DASH.sub(lambda m: f"{m.group(1)} ", text)


_QUALIFIER = re.compile(
    r"\b(early|mid|middle of|late|the (?:start|beginning|middle|end) of|(?:the )?first half of|"
    r"(?:the )?second half of)\s*(?:the\s+)?$")


def _qualified(mention: TimeMention, low: str) -> TimeValue:
    """Narrow a year or month by a qualifier the resolver keeps whole: "late 2023" is its
    last third, "the end of 2023" its last month, "the first half of 2023" January–June,
    "early March" 1–10 March."""
    value = mention.value
    if value.granularity not in (Granularity.YEAR, Granularity.MONTH):
        return value
    said = low[max(0, mention.start_char - 30):mention.start_char] + " " + \
        low[mention.start_char:mention.end_char]
    words = re.sub(r"\s*\d{4}$|\s*[a-z]+$", "", said.strip())  # drop the year or month itself
    match = _QUALIFIER.search(words + " ")
    if match is None:
        return value
    q = match.group(1).removeprefix("the ")
    start, end = value.start, value.end
    if value.granularity is Granularity.YEAR:
        spans = {"early": (0, 4), "mid": (4, 8), "middle of": (4, 8), "late": (8, 12),
                 "start of": (0, 1), "beginning of": (0, 1),
                 "end of": (11, 12), "first half of": (0, 6), "second half of": (6, 12)}
        a, b = spans[q]
        return TimeValue(_add_months(start, a), _add_months(start, b), Granularity.MONTH)
    days = (end - start).days
    spans_d = {"early": (0, 10), "mid": (10, 20), "middle of": (10, 20), "late": (20, days),
               "start of": (0, 7), "beginning of": (0, 7), "end of": (days - 7, days),
               "first half of": (0, 15), "second half of": (15, days)}
    a, b = spans_d[q]
    return TimeValue(start + timedelta(days=a), start + timedelta(days=b), Granularity.DAY)


def _add_months(start: datetime, months: int) -> datetime:
    index = start.year * 12 + start.month - 1 + months
    return start.replace(year=index // 12, month=index % 12 + 1, day=1)


def _anchor_clause(text: str) -> str | None:
    """'… before she joined Globex', '… after moving to Lyon', '… before Globex'."""
    match = _ANCHOR.search(text, 1)  # mid-question: "When did …" itself is not an anchor
    if match is None:
        return None
    body = match.group(2).lower()
    if not _START_VERBS.search(body) and not _END_VERBS.search(body) and (
            match.group(1).lower() not in ("before", "after")
            or not match.group(2)[:1].isupper()):
        return None  # without a verb only a name anchors: "before Globex"
    return match.group(0).rstrip("?, ")


def _anchor_instant(store: GraphStore, clause: str, subject: Entity | None,
                    asker: str | None, known: datetime) -> datetime | None:
    """'before she joined Globex' → just before the start of that fact; 'after she left
    Globex' → its end; 'before Globex' → before it began, 'after Globex' → after it ended;
    'before Ravi joined Globex' → Ravi's fact."""
    low = clause.lower()
    word = low.split()[0]
    body = clause.split(" ", 1)[1] if " " in clause else ""
    mentions = _entity_mentions(store, body, asker)
    who = subject
    if len(mentions) > 1 and mentions[0][0] <= 1:
        who = mentions[0][1]  # the clause names its own actor
    objects = [e for _, e in mentions if who is None or e.id != who.id]
    if who is None and mentions:
        who = mentions[0][1]
    if who is None or not objects:
        return None
    target = objects[-1]
    verb = bool(_START_VERBS.search(low) or _END_VERBS.search(low))
    predicates = _predicates(body.lower()) or tuple(p.name for p in store.registry)
    if not verb or not _predicates(body.lower()):
        predicates = tuple(dict.fromkeys((*predicates, *(p.name for p in store.registry))))
    ending = bool(_END_VERBS.search(low)) or (not verb and word == "after")
    for predicate in predicates:
        versions = [v for subject_id in same_named(store, who)
                    for v in store.find_versions(VersionQuery(
                        subject_id=subject_id, predicate=predicate, known_at=known))
                    if v.object_id in set(same_named(store, target))]
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
    for known in sorted(found, key=entity_order):
        for name in (known.name, *known.aliases):
            by_key.setdefault(normalize_name(name), known)
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


def question_predicates(text: str, registry: PredicateRegistry | None = None
                        ) -> tuple[str, ...]:
    """The predicates a question or query's words point at, most specific first."""
    return _predicates(text.lower(), registry)


def _predicates(low: str, registry: PredicateRegistry | None = None) -> tuple[str, ...]:
    """The v1 predicates' words (``_KEYWORDS``), then the question words of every registered
    predicate (a word or the start of one: "licen" finds "licence"), by position."""
    keywords = _KEYWORDS if registry is None else (*_KEYWORDS, *(
        (r"\b(?:" + "|".join(re.escape(w) for w in p.question_words) + ")", (p.name,))
        for p in registry if p.question_words))
    found: list[tuple[int, str]] = []
    for pattern, names in keywords:
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
    if noun in _GENERIC_NOUNS or noun in _TIME_NOUNS or noun in ("kind", "sort"):
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


def predicate_spec(store: GraphStore, name: str) -> Predicate | None:
    """The registry's predicate of that name (a tenant's registry may lack a default one)."""
    return store.registry.get(name) if name in store.registry.names() else None


def same_named(store: GraphStore, entity: Entity) -> list[str]:
    """The ids of every entity named like ``entity`` (the same name may carry two types),
    and a person known both by a first name alone and by one full name with that first
    name ("Noa" and "Noa Levi": one person whose name was not always given in full)."""
    ids = {entity.id, *(store.entity_ids(entity.name) or [])}
    if entity.type == "person":
        first = entity.name.split()[0]
        longer = _longer_names(store, first)
        if " " not in entity.name.strip() and len(longer) == 1:
            ids |= set(next(iter(longer.values())))
        elif " " in entity.name.strip() and set(longer) == {normalize_name(entity.name)}:
            ids |= {e.id for e in store.find_entities([normalize_name(first)])
                    if e.type == "person"}
    return sorted(ids)


def _longer_names(store: GraphStore, first: str) -> dict[str, list[str]]:
    """Person entities whose name is longer than ``first`` and starts with it, by name."""
    key = normalize_name(first)
    out: dict[str, list[str]] = {}
    if not key:
        return out
    for hit in store.search(first, limit=20):
        v = hit.version
        if v is None:
            continue
        for eid, name in ((v.subject_id, v.subject_name), (v.object_id, v.object_name)):
            norm = normalize_name(name or "")
            if eid and norm.split()[:1] == [key] and norm != key:
                out.setdefault(norm, [])
                if eid not in out[norm]:
                    out[norm].append(eid)
    people = {e.id for e in store.get_entities([i for ids in out.values() for i in ids])
              if e.type == "person"} if out else set()
    return {n: ids for n, ids in out.items() if any(i in people for i in ids)}

