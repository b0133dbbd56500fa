"""Questions in English → structured as-of queries → answers with evidence. No LLM.

The parser is deterministic and small on purpose:

1. **time**: time expressions are resolved against ``now`` by :mod:`asof.timex` (the same
   resolver extraction uses), after respelling what it reads differently ("the summer of 2022",
   "mid-2022"); a qualifier narrows a year or month ("late 2023", "the end of 2023", "early
   March"). One introduced by a knowledge cue ("according to what we knew on 1 May", "as
   recorded on …") sets the transaction time; another sets the valid-time period.
   "before/after <someone> joined/left/moved to <something>", "before moving to …" and
   "before/after <a name>" anchor on that fact's interval; "previously" keeps what has ended.
2. **subject and object**: entity mentions are found by looking up the question's n-grams among
   the tenant's entity names and aliases; "I/me/my" is the asker. A person stored both by a
   first name alone and by one full name with it is one person; a known first name followed by
   a surname that is not the known one ("Lena Zorblax" when Lena is Lena Moreau) is somebody
   else, and so is an unknown name before the first known one: nothing is known about them.
3. **predicate**: from the question's words ("where … work", "manager", "who does Ravi
   manage", "what tools … use", "when did … move to"), using the predicate registry's names;
   the predicates are tried in order and the first with facts at the time asked wins. When the
   question names the object and none of its words' predicates links the two, every predicate
   is tried ("When did Acme start shipping with UPS?").
4. **answer**: objects over the period (for a ``one`` predicate, the one holding longest in it),
   subjects for inverse questions ("who reports to Bea?", "who did Acme hire?"), or a date at
   its granularity for "when / what year / since when / until when / how long" questions (an
   end at the granularity of what replaced the fact) — always with the facts and evidence
   relied on. Nothing known → an explicit "nothing known" with the closest facts. Not
   understood → a clear message, not a guess.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from asof.graph.contract import SearchHit, VersionQuery
from asof.graph.ids import normalize_name
from asof.graph.instants import LATEST, end_us, isoformat, require_aware, start_us
from asof.graph.models import Entity, FactVersion, Granularity
from asof.graph.predicates import Cardinality
from asof.graph.store import GraphStore
from asof.query.embedding import Embedder
from asof.query.question import (
    LEADING_CLAUSE,
    NothingKnown,
    ParsedQuestion,
    Unparseable,
    parse_question,
    predicate_spec,
    same_named,
)
from asof.query.retrieval import related_messages
from asof.query.views import FactView, Provenance, with_provenance

Status = Literal["answered", "nothing_known", "unparseable"]

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
    #: messages closest to the question (:func:`query.retrieval.related_messages`): context
    #: for a reader, not what the answer relied on (that is :attr:`evidence`)
    passages: list[SearchHit] = field(default_factory=list)

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
            "passages": [{"episode_id": h.id, "speaker": h.episode.speaker,
                          "occurred_at": isoformat(h.episode.occurred_at), "text": h.text,
                          "score": h.score} for h in self.passages if h.episode is not None],
        }


def ask(store: GraphStore, question: str, *, now: datetime | None = None,
        known_at: datetime | None = None, asker: str | None = None,
        embedder: Embedder | None = None) -> Answer:
    """Answer an English question from the store, with evidence.

    Args:
        question: e.g. "Where did Priya work in March 2024?"
        now: the reference for relative times ("last summer") and "now" (default: the clock).
        known_at: transaction time to answer as of (default: ``now``, or what the question
            says: "according to what we knew on 1 May").
        asker: the user asking: "I/me/my" in the question means this entity.
        embedder: with one (and a store that keeps vectors), the answer's :attr:`passages`
            are found by hybrid retrieval; without, by full text.
    """
    text = " ".join(question.split())
    if not text:
        return Answer(question, "unparseable", "The question is empty.")
    ref = require_aware(now, "now") if now is not None else store.clock.now()
    answer = _structured(store, text, question, ref, now, known_at, asker)
    # the passages are filtered as the answer was: as believed at its known_at
    believed = answer.parsed.known_at if answer.parsed is not None else known_at or now
    answer.passages = related_messages(
        store, text, embedder=embedder, now=ref,
        known_at=None if believed is None or believed >= LATEST else believed)
    return answer


def _structured(store: GraphStore, text: str, question: str, ref: datetime,
                now: datetime | None, known_at: datetime | None, asker: str | None) -> Answer:
    from_question = known_at is None  # a knowledge cue in the question may set it
    if known_at is None and now is None:
        known_at = LATEST  # as currently believed
    try:
        parsed = parse_question(store, text, now=ref, known_at=known_at, asker=asker,
                                known_from_question=from_question)
    except Unparseable as exc:
        return Answer(question, "unparseable", str(exc))
    except NothingKnown as exc:
        return Answer(question, "nothing_known", str(exc))
    return _answer(store, parsed)

# ------------------------------------------------------------------ answering


def _answer(store: GraphStore, q: ParsedQuestion) -> Answer:
    ids = _Ids(store)
    if q.kind in ("when_start", "when_end"):
        return _answer_when(store, q, next((found for _, found in _candidate_sets(store, q, ids)
                                            if found), []))
    first: list[FactVersion] = []
    for _, found in _candidate_sets(store, q, ids):
        # the first predicate with facts at the time asked wins ("where was she on 1 June":
        # a visit that day, else where she lived)
        first = first or found
        chosen = _select(store, q, found)
        if not chosen:
            continue
        views = with_provenance(store, chosen)
        labels = []
        for v in views:
            label = v.subject if q.kind == "subjects" else v.object
            if label not in labels:
                labels.append(label)
        return Answer(q.question, "answered", _sentence(q, labels, chosen[0].predicate),
                      answers=labels, facts=views, parsed=q)
    return _nothing(store, q, first)


def _candidate_sets(store: GraphStore, q: ParsedQuestion, ids: _Ids
                    ) -> Iterator[tuple[str, list[FactVersion]]]:
    """Per predicate, the versions believed at known_at for the question's subject/object
    over all valid times, in the question's order of predicates. When the question names
    the object ("When did Acme start shipping with UPS?") and none of its predicates links
    the two, every other predicate is tried too."""
    tried = list(q.predicates)
    if q.object_entity is not None or (q.object_text and q.kind != "objects"):
        tried += [p.name for p in store.registry if p.name not in tried]
    for predicate in tried:
        found = _versions_for(store, q, predicate, ids)
        if q.object_text and q.kind in ("when_start", "when_end"):
            found = [v for v in found if _label_matches(v.object_label, q.object_text)]
        if q.filter_noun:
            found = [v for v in found if q.filter_noun in v.object_label.lower()]
        yield predicate, found


def _candidates(store: GraphStore, q: ParsedQuestion) -> list[FactVersion]:
    """The versions of the first predicate with any facts (see :func:`_candidate_sets`)."""
    return next((found for _, found in _candidate_sets(store, q, _Ids(store)) if found), [])


class _Ids:
    """Entity ids a name stands for, looked up once per question."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.cache: dict[str, list[str]] = {}

    def __call__(self, entity: Entity) -> list[str]:
        if entity.id not in self.cache:
            self.cache[entity.id] = same_named(self.store, entity)
        return self.cache[entity.id]


def _versions_for(store: GraphStore, q: ParsedQuestion, predicate: str, ids: _Ids
                  ) -> list[FactVersion]:
    spec = predicate_spec(store, predicate)
    if spec is None:
        return []
    symmetric = spec.name == "married_to"
    out: list[FactVersion] = []
    if q.kind == "subjects" and q.object_entity is not None:
        for object_id in ids(q.object_entity):
            out += store.find_versions(VersionQuery(object_id=object_id, predicate=predicate,
                                                    known_at=q.known_at))
    elif q.subject is not None:
        for subject_id in ids(q.subject):
            out += store.find_versions(VersionQuery(subject_id=subject_id, predicate=predicate,
                                                    known_at=q.known_at))
            if symmetric:
                out += [_flip(v) for v in store.find_versions(VersionQuery(
                    object_id=subject_id, predicate=predicate, known_at=q.known_at))]
        if q.object_entity is not None:
            # any entity named after the subject may be the object: "When did Zainab start
            # her PhD at the University of Nairobi?" (the facts decide which one it is)
            named = q.objects or (q.object_entity,)
            wanted = {i for e in named for i in ids(e)}
            out = [v for v in out if v.object_id in wanted
                   or any(_label_matches(v.object_label, e.name) for e in named)]
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
        return sorted((v for v in versions if v.valid_at(q.valid_at)
                       and not (live and v.expires_at is not None and v.expires_at <= q.now)),
                      key=_in_time_order)
    if q.period is not None:
        # dates on both sides are local ones: a period's edges and a dated fact's are read
        # as the nearest midnight ("January" asked at +00:00 and "from February" said at
        # +01:00 do not overlap by an hour), as format_date reads them
        coarse = q.period.granularity
        lo, hi = start_us(_local_day(q.period.start, coarse)), \
            start_us(_local_day(q.period.end, coarse))
        overlapping = [(min(hi, end_us(_local_day(v.valid_to, v.granularity)))
                        - max(lo, start_us(_local_day(v.valid_from, v.granularity))), v)
                       for v in versions]
        overlapping = [(o, v) for o, v in overlapping if o > 0]
        predicate = store.registry.get(versions[0].predicate)
        if predicate.cardinality is Cardinality.ONE and not predicate.event \
                and q.kind == "objects" and overlapping:
            return [max(overlapping, key=lambda x: (x[0], start_us(x[1].valid_from)))[1]]
        return [v for _, v in sorted(overlapping, key=lambda x: _in_time_order(x[1]))]
    # no time given, past tense: everything that held up to now ("previously": that ended)
    return sorted((v for v in versions if (v.valid_from is None or v.valid_from <= q.now)
                   and (not q.ended_only or v.valid_to is not None and v.valid_to <= q.now)),
                  key=_in_time_order)


def _local_day(instant: datetime | None, granularity: Granularity | None) -> datetime | None:
    """A period edge at a day or coarser granularity, stored in UTC from a local midnight
    (on a quarter-hour, offsets within ±12 h), read as the nearest UTC midnight."""
    if instant is None or granularity in (None, Granularity.INSTANT) or instant.second or \
            instant.microsecond or instant.minute % 15 or (instant.hour, instant.minute) == (0, 0):
        return instant
    shifted = instant + timedelta(hours=12)
    return shifted.replace(hour=0, minute=0)


def _in_time_order(v: FactVersion) -> tuple[int, str, str]:
    """By start, then by the names (versions found through several entity ids come in id
    order, a hash of the tenant's name, which must not decide what is listed first)."""
    return (start_us(v.valid_from), normalize_name(v.subject_name or ""),
            normalize_name(v.object_name or v.object_value or ""))


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
    granularity = _end_granularity(store, q, chosen) if ending else chosen.granularity
    date = format_date(instant, granularity)
    views = with_provenance(store, [chosen])
    verb = "ended" if ending else "started"
    message = f"{views[0].subject} {chosen.predicate.replace('_', ' ')} {views[0].object}: "
    if LEADING_CLAUSE.sub("", q.question.lower()).startswith("how long") and not ending:
        end = chosen.valid_to if chosen.valid_to is not None and chosen.valid_to <= q.now \
            else None
        message += (f"from {date} to {format_date(end, _end_granularity(store, q, chosen))}"
                    if end else f"since {date}")
        message += f" ({_duration(instant, end or q.now)})."
    else:
        message += f"{verb} {date}."
    return Answer(q.question, "answered", message, answers=[date], date=date,
                  instant=instant, facts=views, parsed=q)


def _end_granularity(store: GraphStore, q: ParsedQuestion, version: FactVersion
                     ) -> Granularity | None:
    """An end is the start of whatever replaced the fact ("moved to Nantes in March"): its
    granularity, when the successor is known; else None (the day)."""
    if version.valid_to is None:
        return None
    for other in store.find_versions(VersionQuery(subject_id=version.subject_id,
                                                  predicate=version.predicate,
                                                  known_at=q.known_at)):
        if other.valid_from == version.valid_to and other.fact_key != version.fact_key:
            return other.granularity
    return None


def _duration(start: datetime, end: datetime) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    if months >= 12:
        years = months // 12
        return f"about {years} year{'s' * (years != 1)}"
    if months >= 1:
        return f"about {months} month{'s' * (months != 1)}"
    days = max(0, (end - start).days)
    return f"{days} day{'s' * (days != 1)}"


def format_date(instant: datetime, granularity: Granularity | None) -> str:
    """A date at its granularity: "2018", "2018-10", "2023-Q3", "2018-10-01".

    A period's start is a local midnight stored in UTC ("March" at +01:00 begins
    2024-02-29T23:00Z): with a granularity, an instant on a quarter-hour that is not a UTC
    midnight is read as the nearest midnight, so the date is the local one (offsets within
    ±12 h)."""
    if granularity not in (None, Granularity.INSTANT) and instant.second == 0 and \
            instant.microsecond == 0 and instant.minute % 15 == 0 and \
            (instant.hour, instant.minute) != (0, 0):
        instant = instant + timedelta(hours=12)
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


def _sentence(q: ParsedQuestion, labels: list[str], predicate: str) -> str:
    who = q.subject.name if q.subject else (q.object_entity.name if q.object_entity else "")
    joined = ", ".join(labels)
    predicate = predicate.replace("_", " ")
    if q.kind == "subjects":
        return f"{joined} ({predicate} {who})."
    return f"{who} {predicate}: {joined}."
