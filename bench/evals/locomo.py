"""LoCoMo temporal evaluation: ``asof eval locomo FILE [--k 5] [--json]``.

Each LoCoMo conversation is ingested into a fresh embedded store (``sqlite:///:memory:``) with
``replay=True`` and a :class:`~graph.clock.FakeClock`, so transaction time follows the sessions.
Then, for the temporal questions (category 2):

- **evidence recall@k**: the share of questions where a gold ``dia_id`` is among the turns asof
  ranks top-k (episode ids are ``ids.message_episode_id(conversation, dia_id)``; facts count
  through the episodes they were extracted from). asof ranks *turns*, with facts as evidence
  for their source turns, so k items are compared with k items;
- **BM25 baseline** from the same run: the store's own full-text search (FTS5 bm25) over the raw
  turns, with the same query words and the same k, and no temporal or structural reasoning;
- **date accuracy**: the date asof answers (from its best turn: the first time expression in it
  resolved by :func:`asof.timex.find_times` against the turn's session time, else the
  session day itself) is correct when its period lies inside the gold answer's period. Gold
  answers are resolved by the small rule set of :func:`resolve_gold`; those it cannot resolve
  are counted as ``unresolvable`` and reported, never dropped: accuracy is given over the
  resolvable ones and over all;
- **as-of accuracy** for temporal questions whose gold answer is an entity rather than a time
  (:func:`is_time_answer`), answered by :func:`query.ask.ask` at the end of the conversation.

The ranking (:func:`rank_turns`) is a fixed, documented linear score over a candidate pool; see
``_WEIGHTS``. It uses nothing of the data's names, words or sentences.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from asof.extraction.readers import Conversation, read_locomo
from asof.graph.clock import FakeClock
from asof.graph.errors import InvalidInputError
from asof.graph.ids import message_episode_id
from asof.graph.models import Episode, Granularity
from asof.graph.store import GraphStore
from asof.query.ask import ask, format_date
from asof.query.embedding import Embedder
from asof.timex import MONTHS, SEASONS, WEEKDAYS, Role, Tense, TimeValue, find_times, period
from bench.evals import retrieval_modes

TENANT = "locomo"
TEMPORAL_CATEGORY = 2
#: The recall@k gain over the BM25 baseline the temporal work aims at (reported, not tuned).
RECALL_TARGET_GAIN = 0.15
#: How many hits the store's full-text search contributes to asof's candidate pool.
POOL = 50

#: The score of a candidate turn is the weighted sum of these features, each in [0, 1]:
#:
#: - ``lexical``: IDF-weighted share of the question's content lemmas found among the turn's
#:   lemmas (spaCy lemmatizer: "went" matches "go"; a lemma of 4+ letters also matches one it
#:   begins or that begins it: "mentor" ~ "mentorship"); a lemma found only in the turn before
#:   (the one the candidate replies to, same session) counts half; person names are left to
#:   ``speaker``;
#: - ``bm25``: the store's full-text score divided by the best one for the question;
#: - ``speaker``: the turn is spoken by a person the question names;
#: - ``time``: the turn carries a time expression that resolves against its session time;
#: - ``period``: the question names a period ("in June") and the turn's session day or one of
#:   its time expressions falls in it;
#: - ``fact``: the turn is the source of a fact asof extracted about a person the question
#:   names that the full-text search over facts returns, or of a fact ``ask`` answered with;
#: - ``vector`` (hybrid mode only): the cosine between the question's and the turn's
#:   embeddings, min-max scaled over the conversation's turns; weighted as ``bm25`` is, the
#:   other retrieval signal asof does not compute itself (see docs/retrieval.md).
_WEIGHTS: Mapping[str, float] = {"lexical": 1.0, "bm25": 0.5, "speaker": 0.3, "time": 0.3,
                                 "period": 0.5, "fact": 0.3, "vector": 0.5}
#: How many of the turns closest to the question by embedding join the hybrid candidate pool.
VECTOR_POOL = 20

#: Words dropped from questions before searching (for asof and the baseline alike).
_QUESTION_WORDS = frozenset({
    "when", "what", "which", "who", "whom", "whose", "where", "why", "how", "did", "does", "do",
    "is", "was", "were", "are", "has", "have", "had", "will", "would", "can", "could", "long",
    "ago", "date", "time", "year", "month", "day", "s",
})
_TOKEN = re.compile(r"[^\W_]+")

# ----------------------------------------------------------------------------- gold answers

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                 "twelve": 12, "a couple of": 2, "couple of": 2}

_M = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_D = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_Y = r"(?P<year>\d{4})"
_N = r"(?P<n>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>day|week|weekend|month|year|monday|tuesday|wednesday|thursday|friday|" \
        r"saturday|sunday)"

_ABS_DAY = [re.compile(rf"^{_D}\s+(?:of\s+)?{_M}\s+{_Y}$"), re.compile(rf"^{_M}\s+{_D}\s+{_Y}$"),
            re.compile(r"^(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})$")]
_ABS_MONTH = re.compile(rf"^(?:(?:early|mid|late|the\s+(?:start|beginning|middle|end)\s+of)"
                        rf"\s+)?{_M}\s+(?:of\s+)?{_Y}$")
_ABS_YEAR = re.compile(rf"^(?:(?:early|mid|late|the\s+(?:start|beginning|middle|end)\s+of)"
                       rf"\s+)?{_Y}$")
_ABS_SEASON = re.compile(rf"^(?:early\s+|late\s+)?(?P<season>spring|summer|autumn|fall|winter)"
                         rf"\s+(?:of\s+)?{_Y}$")
_DAY_NO_YEAR = [re.compile(rf"^{_D}\s+(?:of\s+)?{_M}$"), re.compile(rf"^{_M}\s+{_D}$")]
_MONTH_NO_YEAR = re.compile(rf"^{_M}$")
_RELATIVE = re.compile(rf"^(?:the\s+)?(?:{_N}\s+)?{_UNIT}s?\s+(?P<dir>before|after|of)\s+"
                       r"(?P<anchor>.+)$")
_AGO = re.compile(rf"^{_N}\s+(?P<unit>day|week|weekend|month|year)s?\s+ago$")
_LAST = re.compile(r"^(?P<dir>last|this|next)\s+(?P<unit>week|weekend|month|year|monday|"
                   r"tuesday|wednesday|thursday|friday|saturday|sunday)$")
_DAY_WORD = re.compile(r"^(?P<word>yesterday|today|tomorrow|the day before yesterday)$")
_SINCE = re.compile(r"^(?:since|from|starting|as of)\s+(?P<rest>.+)$")
_BETWEEN = re.compile(r"^between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$")


@dataclass(frozen=True, slots=True)
class GoldPeriod:
    """A gold answer's period ``[start, end)`` in calendar days, and the rule that gave it."""

    start: date
    end: date
    rule: str

    def contains(self, start: date, end: date) -> bool:
        return self.start <= start and end <= self.end


def _normalise_answer(answer: Any) -> str:
    text = str(answer).strip().lower().rstrip(".")
    text = text.replace(",", " ").replace("’", "'")
    text = re.sub(r"^(?:on|in|at|around|about|approximately|roughly)\s+", "", text)
    return " ".join(text.split())


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_period(year: int, month: int) -> tuple[date, date]:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), nxt


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _number(text: str | None) -> int | None:
    if text is None:
        return 1
    text = text.strip()
    return int(text) if text.isdigit() else _NUMBER_WORDS.get(text)


def _day_of(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else MONTHS[groups["mon"]]
    try:
        return date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None


def _absolute(text: str, ref: date | None) -> GoldPeriod | None:
    """Rules 1–4: a stated day, month, season or year (a day or month without a year takes
    the year of ``ref``)."""
    for pattern in _ABS_DAY:
        match = pattern.match(text)
        if match and (day := _day_of(match)) is not None:
            return GoldPeriod(day, day + timedelta(days=1), "day")
    if match := _ABS_MONTH.match(text):
        start, end = _month_period(int(match["year"]), MONTHS[match["mon"]])
        return GoldPeriod(start, end, "month")
    if match := _ABS_SEASON.match(text):
        start, _ = _month_period(int(match["year"]), SEASONS[match["season"]])
        y, m = _shift_month(start.year, start.month, 3)
        return GoldPeriod(start, date(y, m, 1), "season")
    if match := _ABS_YEAR.match(text):
        year = int(match["year"])
        return GoldPeriod(date(year, 1, 1), date(year + 1, 1, 1), "year")
    if ref is not None:
        for pattern in _DAY_NO_YEAR:
            match = pattern.match(text)
            if match:
                try:
                    day = date(ref.year, MONTHS[match["mon"]], int(match["day"]))
                except ValueError:
                    return None
                return GoldPeriod(day, day + timedelta(days=1), "day, year of the session")
        if match := _MONTH_NO_YEAR.match(text):
            start, end = _month_period(ref.year, MONTHS[match["mon"]])
            return GoldPeriod(start, end, "month, year of the session")
    return None


def _relative(unit: str, direction: str, n: int, anchor: date) -> tuple[date, date] | None:
    """Rule 5: ``n`` units before/after/of an anchor day."""
    if unit == "day":
        day = anchor + timedelta(days=n if direction == "after" else -n)
        return (anchor, anchor + timedelta(days=1)) if direction == "of" else \
            (day, day + timedelta(days=1))
    if unit == "week":
        if direction == "of":
            return _monday(anchor), _monday(anchor) + timedelta(days=7)
        if direction == "before":
            # "the week before D": the calendar week before D's week through the day before
            # D, so both readings ("the 7 days before", "last week") are inside.
            return _monday(anchor) - timedelta(days=7 * n), anchor - timedelta(days=7 * (n - 1))
        return anchor + timedelta(days=1 + 7 * (n - 1)), \
            _monday(anchor) + timedelta(days=7 * (n + 1))
    if unit == "weekend":
        if direction == "of":
            saturday = _monday(anchor) + timedelta(days=5)
        elif direction == "before":
            # the latest Saturday–Sunday that ends before D
            saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7 or 7)
            if saturday + timedelta(days=2) > anchor:
                saturday -= timedelta(days=7)
            saturday -= timedelta(days=7 * (n - 1))
        else:
            saturday = anchor + timedelta(days=(5 - anchor.weekday()) % 7 or 7)
            saturday += timedelta(days=7 * (n - 1))
        return saturday, saturday + timedelta(days=2)
    if unit == "month":
        sign = {"before": -n, "after": n, "of": 0}[direction]
        return _month_period(*_shift_month(anchor.year, anchor.month, sign))
    if unit == "year":
        year = anchor.year + {"before": -n, "after": n, "of": 0}[direction]
        return date(year, 1, 1), date(year + 1, 1, 1)
    weekday = WEEKDAYS[unit]
    if direction == "before":
        day = anchor - timedelta(days=(anchor.weekday() - weekday) % 7 or 7)
        day -= timedelta(days=7 * (n - 1))
    elif direction == "after":
        day = anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
        day += timedelta(days=7 * (n - 1))
    else:  # "the Friday of D": that weekday in D's week
        day = _monday(anchor) + timedelta(days=weekday)
    return day, day + timedelta(days=1)


def resolve_gold(answer: Any, ref: date | None = None) -> GoldPeriod | None:
    """A gold answer → its period, or ``None`` when no rule applies ("4 years", "a few years
    ago": durations and vague spans are not dates).

    Rules, tried in order on the lower-cased answer with commas dropped and a leading
    "on/in/around" removed:

    1. a day: "7 May 2023", "May 7 2023", "2023-05-07" → that day;
    2. a month: "June 2023", "early June 2023" → the month (qualifiers keep the whole month);
    3. a season: "summer 2023" → three months from June (spring Mar, autumn Sep, winter Dec);
    4. a year: "2022" → the year;
    5. "[the] [N] <unit>[s] before/after/of <day>", unit ∈ day, week, weekend, month, year or a
       weekday: "the Sunday before 25 May 2023" is the latest Sunday before that day; "the week
       before D" spans from the Monday of the week before D's week to the day before D; "the
       week of D" is D's Monday–Sunday; "the weekend before D" is the latest Saturday–Sunday
       that ends before D ("two weekends before": a week earlier); months and years are
       calendar ones;
    6. "since X" / "from X" → X's period (the start);
    7. "between X and Y" → from X's start to Y's end;
    8. relative to ``ref`` (the session day of the gold evidence turn), where the answer is
       relative itself: "last year", "last week", "this month", "N days/weeks/months/years
       ago", "yesterday", and a day or month without a year ("13 August": ``ref``'s year).
    """
    text = _normalise_answer(answer)
    if not text:
        return None
    if (found := _absolute(text, ref)) is not None:
        return found
    if match := _SINCE.match(text):
        inner = resolve_gold(match["rest"], ref)
        return None if inner is None else GoldPeriod(inner.start, inner.end,
                                                     f"since: {inner.rule}")
    if match := _BETWEEN.match(text):
        first, last = resolve_gold(match["a"], ref), resolve_gold(match["b"], ref)
        if first is None or last is None or last.end <= first.start:
            return None
        return GoldPeriod(first.start, last.end, "between")
    if match := _RELATIVE.match(text):
        n = _number(match["n"])
        anchor = resolve_gold(match["anchor"], ref)
        if n is None or anchor is None or anchor.rule.split(",")[0] != "day":
            return None
        span = _relative(match["unit"], match["dir"], n, anchor.start)
        return None if span is None else GoldPeriod(
            *span, f"{match['unit']} {match['dir']} a day")
    if ref is None:
        return None
    if match := _AGO.match(text):
        n = _number(match["n"])
        if n is None:
            return None
        unit = match["unit"]
        if unit == "day":
            day = ref - timedelta(days=n)
            return GoldPeriod(day, day + timedelta(days=1), "days ago")
        if unit in ("week", "weekend"):
            span = _relative(unit, "before", n, ref)
            return None if span is None else GoldPeriod(*span, f"{unit}s ago")
        if unit == "month":
            return GoldPeriod(*_month_period(*_shift_month(ref.year, ref.month, -n)),
                              "months ago")
        return GoldPeriod(date(ref.year - n, 1, 1), date(ref.year - n + 1, 1, 1), "years ago")
    if match := _LAST.match(text):
        direction = {"last": "before", "next": "after", "this": "of"}[match["dir"]]
        span = _relative(match["unit"], direction, 1, ref)
        return None if span is None else GoldPeriod(*span, f"{match['dir']} {match['unit']}")
    if match := _DAY_WORD.match(text):
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1,
                  "the day before yesterday": -2}[match["word"]]
        day = ref + timedelta(days=offset)
        return GoldPeriod(day, day + timedelta(days=1), match["word"])
    return None


_TIME_WORDS = re.compile(
    r"\d|\b(?:" + "|".join(MONTHS) + "|" + "|".join(WEEKDAYS) + "|" + "|".join(SEASONS)
    + r"|days?|weeks?|weekends?|months?|years?|ago|since|before|after|yesterday|today|"
      r"tomorrow|last|next|recently|never|always)\b")


def is_time_answer(answer: Any) -> bool:
    """Whether a gold answer is a time (a date, period or duration) rather than an entity."""
    return isinstance(answer, int | float) or bool(_TIME_WORDS.search(str(answer).lower()))


# ----------------------------------------------------------------------------- evidence ids

def evidence_ids(evidence: Iterable[Any]) -> list[str]:
    """LoCoMo ``evidence`` → dia ids. Entries holding several ids ("D8:6; D9:17") are split;
    an id written "D:11:26" is read as "D11:26"."""
    out: list[str] = []
    for item in evidence:
        for part in re.split(r"[;,\s]+", str(item)):
            part = re.sub(r"^D:(\d+):", r"D\1:", part.strip())
            if part and part not in out:
                out.append(part)
    return out


def recall_hit(retrieved: Sequence[str], gold: Iterable[str], k: int) -> bool:
    """Whether any gold id is among the first ``k`` retrieved ids."""
    wanted = set(gold)
    return any(item in wanted for item in retrieved[:k])


def first_rank(ranking: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first gold id in ``ranking`` (``None``: not ranked)."""
    wanted = set(gold)
    return next((i for i, item in enumerate(ranking, start=1) if item in wanted), None)


def _mrr(ranks: Iterable[int | None]) -> float | None:
    values = [0.0 if r is None else 1.0 / r for r in ranks]
    return round(sum(values) / len(values), 4) if values else None


# ----------------------------------------------------------------------------- language

class _Lemmas:
    """Content lemmas of texts (spaCy's rule lemmatizer, parser and NER off), cached."""

    def __init__(self) -> None:
        from asof.extraction.pipeline import load_model

        self.nlp = load_model()
        keep = [p for p in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")
                if p in self.nlp.pipe_names]
        self.nlp.select_pipes(enable=keep)
        self.stop = self.nlp.Defaults.stop_words | _QUESTION_WORDS
        self._cache: dict[str, frozenset[str]] = {}

    def verbs(self, text: str) -> frozenset[str]:
        """Lemmas of the main verbs of ``text`` (auxiliaries and stopwords left out)."""
        return frozenset(lemma for token in self.nlp(text)
                         if token.pos_ == "VERB" and token.is_alpha
                         and (lemma := token.lemma_.lower()) not in self.stop
                         and token.lower_ not in self.stop and len(lemma) > 1)

    def of(self, texts: Sequence[str]) -> list[frozenset[str]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        for text, doc in zip(missing, self.nlp.pipe(missing, batch_size=256), strict=True):
            self._cache[text] = frozenset(
                lemma for token in doc
                if token.is_alpha and (lemma := token.lemma_.lower()) not in self.stop
                and token.lower_ not in self.stop and len(lemma) > 1)
        return [self._cache[t] for t in texts]


def query_terms(question: str, stop: Iterable[str]) -> str:
    """The question's searchable words: question words and stopwords removed (the same query
    for asof and for the baseline)."""
    stopset = set(stop) | _QUESTION_WORDS
    words = [w for w in _TOKEN.findall(question) if w.lower() not in stopset and len(w) > 1]
    return " ".join(dict.fromkeys(words))


def _tense(question: str) -> Tense:
    low = question.lower()
    if re.search(r"\b(will|going to|planning|plan to|plans to|next|upcoming)\b", low) or \
            re.match(r"when (is|are)\b", low):
        return Tense.FUTURE
    return Tense.PAST


# ----------------------------------------------------------------------------- ranking

@dataclass(slots=True)
class Turn:
    episode: Episode
    lemmas: frozenset[str]
    times: tuple[TimeValue, ...]
    context: frozenset[str] = frozenset()  #: lemmas of the turn it answers (the one before)


@dataclass(slots=True)
class Ranked:
    episode_id: str
    score: float
    features: dict[str, float] = field(default_factory=dict)


def _overlaps(a: TimeValue, start: datetime, end: datetime) -> bool:
    return a.start < end and start < a.end


#: Shortest lemma that may match a longer one it begins ("mentor" ~ "mentorship").
_MIN_PREFIX = 4
#: Weight of a question lemma found only in the turn the candidate answers.
_CONTEXT_SHARE = 0.5
#: Consecutive turns closer than this belong to one session (the reader spaces turns 30 s).
_SAME_SESSION = timedelta(hours=1)


def _lemma_in(lemma: str, lemmas: frozenset[str]) -> bool:
    if lemma in lemmas:
        return True
    return len(lemma) >= _MIN_PREFIX and any(
        len(other) >= _MIN_PREFIX and (other.startswith(lemma) or lemma.startswith(other)
                                       or _same_stem(lemma, other))
        for other in lemmas)


#: Shortest shared beginning of two words that differ only after the shorter one's last but
#: one letter ("collaborate" ~ "collaboration", "celebrate" ~ "celebration").
_MIN_STEM = 6


def _same_stem(a: str, b: str) -> bool:
    shorter = min(len(a), len(b))
    need = max(_MIN_STEM, shorter - 1)
    return shorter >= need and a[:need] == b[:need]


def _lexical(q_lemmas: Iterable[str], turn: Turn, idf: Mapping[str, float]) -> float:
    """IDF mass of the question lemmas the turn holds; a lemma only in the turn it answers
    (its dialogue context) counts ``_CONTEXT_SHARE``."""
    total = 0.0
    for lemma in q_lemmas:
        if _lemma_in(lemma, turn.lemmas):
            total += idf.get(lemma, 0.0)
        elif _lemma_in(lemma, turn.context):
            total += _CONTEXT_SHARE * idf.get(lemma, 0.0)
    return total


def _named(question: str, speakers: Sequence[str]) -> list[str]:
    """The speakers the question names (by first name)."""
    return [s for s in speakers if re.search(rf"\b{re.escape(s.split()[0])}\b", question,
                                             re.IGNORECASE)]


def question_lemmas(question: str, lemmas: _Lemmas, speakers: Sequence[str]) -> frozenset[str]:
    """The question's content lemmas, less the names of the speakers it names."""
    named_lower = {w.lower() for s in _named(question, speakers) for w in s.split()}
    return lemmas.of([question])[0] - named_lower


def rank_turns(store: GraphStore, question: str, turns: Mapping[str, Turn],
               lemmas: _Lemmas, *, speakers: Sequence[str], now: datetime,
               idf: Mapping[str, float],
               similarity: Mapping[str, float] | None = None) -> list[Ranked]:
    """asof's ranking of a conversation's turns for a temporal question (see ``_WEIGHTS``);
    with ``similarity`` (turn id → scaled cosine, the hybrid mode) the embedding feature and
    the turns closest by embedding join in."""
    query = query_terms(question, lemmas.stop)
    named = _named(question, speakers)
    named_lower = {w.lower() for s in named for w in s.split()}
    hits = store.search(query, limit=POOL) if query else []
    bm25: dict[str, float] = {}
    fact_sources: set[str] = set()
    for hit in hits:
        if hit.kind == "episode" and hit.id in turns:
            bm25[hit.id] = max(bm25.get(hit.id, 0.0), hit.score)
        elif hit.version is not None:
            subject = (hit.version.subject_name or "").lower()
            if not named or any(w in subject.split() for w in named_lower):
                fact_sources.update(hit.version.episode_ids)
    answer = ask(store, question, now=now)
    if answer.status == "answered":
        fact_sources.update(p.episode_id for p in answer.evidence)
    top_bm25 = max(bm25.values(), default=0.0)
    q_lemmas = question_lemmas(question, lemmas, speakers)
    idf = {**idf, **_question_idf(q_lemmas, turns.values(), idf)}
    q_weight = sum(idf.get(lem, 0.0) for lem in q_lemmas)
    wanted = [m.value for m in find_times(question, now, Tense.PAST)]
    future = _tense(question) is Tense.FUTURE
    how_long = bool(_HOW_LONG.match(question.lower()))
    pool = set(bm25) | (fact_sources & set(turns))
    pool |= {i for i, t in turns.items() if t.episode.speaker in named} if named else set(turns)
    # the period the question names filters before any limit: every turn said in it, or
    # dating something in it, is a candidate
    pool |= {i for i, t in turns.items() if wanted and _in_periods(t, wanted)}
    if similarity:
        pool |= set(sorted(similarity, key=lambda i: -similarity[i])[:VECTOR_POOL]) & set(turns)
    ranked = []
    for episode_id in pool:
        turn = turns[episode_id]
        features = {
            "lexical": _lexical(q_lemmas, turn, idf) / q_weight if q_weight else 0.0,
            "bm25": bm25.get(episode_id, 0.0) / top_bm25 if top_bm25 > 0 else 0.0,
            "speaker": 1.0 if turn.episode.speaker in named else 0.0,
            "time": 1.0 if _answers_time(turn, future=future, how_long=how_long) else 0.0,
            "period": 1.0 if wanted and _in_periods(turn, wanted) else 0.0,
            "fact": 1.0 if episode_id in fact_sources else 0.0,
            "vector": similarity.get(episode_id, 0.0) if similarity else 0.0,
        }
        score = sum(_WEIGHTS[name] * value for name, value in features.items())
        ranked.append(Ranked(episode_id, score, features))
    ranked.sort(key=lambda r: (-r.score, turns[r.episode_id].episode.occurred_at, r.episode_id))
    return ranked


def _in_periods(turn: Turn, wanted: Sequence[TimeValue]) -> bool:
    """The turn's session day or one of its time expressions falls in a wanted period."""
    at = turn.episode.occurred_at
    session_day = period(at.date(), Granularity.DAY, at.tzinfo or UTC)
    return any(_overlaps(v, w.start, w.end) for w in wanted for v in (session_day, *turn.times))


_HOW_LONG = re.compile(r"(?:for\s+)?how long\b(?!\s+ago)")
_DURATION = re.compile(r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
                       r"eleven|twelve|a couple of|a few|several|many)\s+(?:years?|months?|"
                       r"weeks?|days?|decades?)\b|\bsince\s+(?:i\s+was|\d{4}|i)\b",
                       re.IGNORECASE)


def _answers_time(turn: Turn, *, future: bool, how_long: bool) -> bool:
    """The turn says a time of the kind the question asks for: a duration ("for 4 years",
    "seven years now") for "how long"; for a plan ("when is she going to …") a time after
    the turn was said; otherwise a time at or before it."""
    if how_long:
        return bool(_DURATION.search(turn.episode.text))
    said = turn.episode.occurred_at
    if future:
        return any(v.end > said for v in turn.times)
    return any(v.start <= said for v in turn.times)


def baseline_turns(store: GraphStore, question: str, stop: Iterable[str], k: int) -> list[str]:
    """Plain BM25: the store's full-text search over the turns, top ``k`` episode ids."""
    query = query_terms(question, stop)
    if not query:
        return []
    hits = store.search(query, limit=max(k, POOL))
    return [h.id for h in hits if h.kind == "episode"][:k]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def answer_date(episode: Episode, tense: Tense, *, focus: frozenset[str] = frozenset(),
                lemmas: _Lemmas | None = None,
                event: frozenset[str] = frozenset()) -> tuple[TimeValue, str]:
    """The date a turn gives, resolved against the turn's session time.

    The turn's sentence about the event is the one holding most of the question's ``event``
    lemmas (its verbs: "meet" in "when did she meet up with her friends and family"), then
    most of its ``focus`` lemmas (all its content lemmas); that sentence's first time
    expression gives the date (a range gives its start). When it has none, a time said in an
    earlier sentence of the turn carries over, the nearest first ("Last night was amazing! We
    celebrated her birthday …"); a later sentence's time is about something else ("I'm
    expanding my studio. I'm hosting a competition next month"). With neither, the event is
    dated by the session day itself. Without focus (or no sentence matching it) the turn's
    first time expression counts."""
    mentions = [m for m in find_times(episode.text, episode.occurred_at, tense)
                if m.role is not Role.END]
    tz = episode.occurred_at.tzinfo or UTC
    session = period(episode.occurred_at.date(), Granularity.DAY, tz), "(session date)"
    if focus and lemmas is not None and mentions:
        spans, start = [], 0
        for match in _SENTENCE_END.finditer(episode.text):
            spans.append((start, match.start()))
            start = match.end()
        spans.append((start, len(episode.text)))
        sets = lemmas.of([episode.text[a:b] for a, b in spans])
        scores = [(sum(1 for lem in event if _lemma_in(lem, found)),
                   sum(1 for lem in focus if _lemma_in(lem, found))) for found in sets]
        if max(scores) > (0, 0):
            best = scores.index(max(scores))
            for i in range(best, -1, -1):  # that sentence, then the ones before it
                a, b = spans[i]
                inside = [m for m in mentions if a <= m.start_char < b]
                if inside:
                    return inside[0].value, inside[0].text
            return session
    if mentions:
        return mentions[0].value, mentions[0].text
    return session


def _value_days(value: TimeValue) -> tuple[date, date]:
    """A period as calendar days ``[start, end)`` (a sub-day period covers its day)."""
    start = value.start.date()
    end = value.end.date()
    if value.end.time() != datetime.min.time():
        end += timedelta(days=1)
    return start, max(end, start + timedelta(days=1))


def _label(value: TimeValue) -> str:
    if value.granularity is Granularity.WEEK:
        return f"week of {value.start.date().isoformat()}"
    return format_date(value.start, value.granularity)


# ----------------------------------------------------------------------------- evaluation

def _idf(turns: Iterable[Turn]) -> dict[str, float]:
    docs = list(turns)
    counts = Counter(lem for t in docs for lem in t.lemmas)
    n = len(docs)
    return {lem: math.log(1 + (n - df + 0.5) / (df + 0.5)) for lem, df in counts.items()}


def _question_idf(q_lemmas: Iterable[str], turns: Iterable[Turn],
                  idf: Mapping[str, float]) -> dict[str, float]:
    """IDF of each question lemma over the turns it matches (as :func:`_lemma_in` matches):
    a lemma no turn holds verbatim ("mentorship") weighs by the turns holding a form of it
    ("mentor"); one that matches no turn weighs nothing."""
    docs = list(turns)
    out: dict[str, float] = {}
    for lemma in q_lemmas:
        if lemma in idf:
            out[lemma] = idf[lemma]
            continue
        df = sum(1 for t in docs if _lemma_in(lemma, t.lemmas))
        if df:
            out[lemma] = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
    return out


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _samples(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [data] if isinstance(data, dict) else list(data)


def evaluate_locomo(path: str | Path, *, k: int = 5, assume_tz: str = "UTC",
                    embedder: Embedder | None = None, format: str = "locomo",
                    extractor: str = "rules", llm: Any = None) -> dict[str, Any]:
    """Ingest every conversation of a LoCoMo file into a fresh store and score its temporal
    questions (see the module docstring). With an ``embedder``, the turns are embedded too and
    the vector and hybrid modes are scored beside the others (:mod:`.retrieval_modes`).
    ``format="realtalk"`` reads the REALTALK layout (:mod:`.realtalk`; a file or a folder).
    With the llm or hybrid extractor (``llm``: an ``LLMConfig``), its usage as ``llm``.
    Returns a JSON-able report."""
    from asof.api.memory import Memory
    from asof.graph.urls import open_store
    from bench.evals.llm_usage import add_usage, finish_usage

    path = Path(path)
    started = time.perf_counter()
    if format == "realtalk":
        from bench.evals.realtalk import read_realtalk

        conversations, samples = read_realtalk(path, assume_tz=assume_tz)
    elif format == "locomo":
        conversations, samples = read_locomo(path, assume_tz=assume_tz), _samples(path)
    else:
        raise InvalidInputError(f"format: 'locomo' or 'realtalk', got {format!r}")
    nlp: Any = None  # the extraction model, loaded by the first store, then shared
    lemmas = _Lemmas()
    rows: list[dict[str, Any]] = []
    per_conversation: list[dict[str, Any]] = []
    ingest_total = query_total = 0.0
    usage: dict[str, Any] | None = None
    for index, conversation in enumerate(conversations):
        qa = samples[index].get("qa", []) if index < len(samples) else []
        temporal = [q for q in qa if q.get("category") == TEMPORAL_CATEGORY]
        if not conversation.messages:
            raise InvalidInputError(f"{path}: conversation {conversation.id} has no turns")
        first = conversation.messages[0].at
        store = open_store("sqlite:///:memory:", tenant=TENANT, clock=FakeClock(first))
        memory = Memory(store, nlp=nlp, embedder=embedder, extractor=extractor, llm=llm)
        try:
            t0 = time.perf_counter()
            report = memory.ingest_conversations([conversation], tenant=TENANT, replay=True)
            usage = add_usage(usage, report.llm)
            nlp = memory.load_language_model()
            t1 = time.perf_counter()
            conv_rows = _evaluate_conversation(memory.store(TENANT), conversation, temporal,
                                               lemmas, k, embedder)
            t2 = time.perf_counter()
        finally:
            memory.close()
        ingest_total += t1 - t0
        query_total += t2 - t1
        rows.extend(conv_rows)
        summary = _summarise(conv_rows)
        per_conversation.append({
            "conversation": conversation.id, "turns": len(conversation.messages),
            "facts_extracted": report.assertions, **summary,
            "ingest_seconds": round(t1 - t0, 2), "query_seconds": round(t2 - t1, 2)})
    summary = _summarise(rows)
    return {
        "file": str(path), "k": k, "assume_tz": assume_tz,
        "conversations": len(conversations), **summary,
        **({"llm": finish_usage(usage)} if usage is not None else {}),
        "per_conversation": per_conversation,
        "timing": {"total_seconds": round(time.perf_counter() - started, 2),
                   "ingest_seconds": round(ingest_total, 2),
                   "query_seconds": round(query_total, 2),
                   "seconds_per_question": round(query_total / len(rows), 3) if rows
                   else None},
        "modes": retrieval_modes.summarise(rows),
        "embedding_model": None if embedder is None else embedder.model_id,
        "weights": dict(_WEIGHTS), "pool": POOL,
        "unresolvable_answers": [r["gold_answer"] for r in rows if r["gold_period"] is None
                                 and r["time_answer"]],
        "questions": rows,
    }


def _evaluate_conversation(store: GraphStore, conversation: Conversation,
                           questions: Sequence[Mapping[str, Any]], lemmas: _Lemmas,
                           k: int, embedder: Embedder | None = None) -> list[dict[str, Any]]:
    episodes = store.get_episodes([e.id for e in conversation.episodes(TENANT)])
    texts = lemmas.of([e.text for e in episodes])
    turns = {
        e.id: Turn(e, lem, tuple(m.value for m in find_times(e.text, e.occurred_at, Tense.PAST)
                                 if m.role is not Role.END))
        for e, lem in zip(episodes, texts, strict=True)}
    ordered = list(turns.values())
    for before, turn in zip(ordered, ordered[1:], strict=False):
        if turn.episode.occurred_at - before.episode.occurred_at < _SAME_SESSION:
            turn.context = before.lemmas
    idf = _idf(turns.values())
    speakers = sorted({e.speaker for e in episodes})
    now = max(e.occurred_at for e in episodes) + timedelta(minutes=1)
    # the gold evidence names turns by dia_id ("D1:3"); the store by episode id
    episode_of = {m.id: message_episode_id(conversation.id, m.id)
                  for m in conversation.messages if m.id}
    dia_of = {episode_id: dia_id for dia_id, episode_id in episode_of.items()}
    rows = []
    for qa in questions:
        question = str(qa.get("question", ""))
        gold = evidence_ids(qa.get("evidence") or [])
        gold_ids = [episode_of.get(g, message_episode_id(conversation.id, g)) for g in gold]
        gold_answer = qa.get("answer", qa.get("adversarial_answer"))
        ref_turn = next((turns[g] for g in gold_ids if g in turns), None)
        ref = ref_turn.episode.occurred_at.date() if ref_turn else None
        time_answer = is_time_answer(gold_answer)
        gold_period = resolve_gold(gold_answer, ref) if time_answer else None
        ranked = rank_turns(store, question, turns, lemmas, speakers=speakers, now=now, idf=idf)
        ranking = [r.episode_id for r in ranked]
        retrieved = ranking[:k]
        baseline_ranking = baseline_turns(store, question, lemmas.stop, POOL)
        baseline = baseline_ranking[:k]
        by_mode: dict[str, list[str] | None] = {"bm25": baseline_ranking, "lexical": ranking}
        if embedder is not None:
            cosine = retrieval_modes.similarities(store, embedder, question, list(turns))
            by_mode["vector"] = sorted(cosine, key=lambda i: (-cosine[i], i))
            by_mode["rrf"] = retrieval_modes.rrf([ranking, by_mode["vector"]])
            by_mode["hybrid"] = [r.episode_id for r in rank_turns(
                store, question, turns, lemmas, speakers=speakers, now=now, idf=idf,
                similarity=retrieval_modes.scaled(cosine))]
        tense = _tense(question)
        row: dict[str, Any] = {
            "conversation": conversation.id, "question": question,
            "gold_answer": gold_answer, "gold_evidence": gold,
            "unknown_evidence": [g for g in gold_ids if g not in turns],
            "time_answer": time_answer,
            "retrieved": [dia_of.get(i, i) for i in retrieved],
            "baseline": [dia_of.get(i, i) for i in baseline],
            "hit": recall_hit(retrieved, gold_ids, k),
            "baseline_hit": recall_hit(baseline, gold_ids, k),
            "hit_at_1": recall_hit(ranking, gold_ids, 1),
            "baseline_hit_at_1": recall_hit(baseline_ranking, gold_ids, 1),
            "rank": first_rank(ranking, gold_ids),
            "baseline_rank": first_rank(baseline_ranking, gold_ids),
            "top_features": ranked[0].features if ranked else None,
            "mode_ranks": retrieval_modes.ranks(by_mode, gold_ids),
            "mode_ranks_run": sorted(by_mode),
            **_reachable(question, [turns[g] for g in gold_ids if g in turns], turns, lemmas,
                         speakers, idf, ranking),
        }
        if time_answer:
            names = {w.lower() for s in speakers for w in s.split()}
            focus = lemmas.of([question])[0] - names
            row.update(_date_row(gold_period, turns, retrieved, baseline, ref_turn, tense,
                                 focus, lemmas, lemmas.verbs(question) - names))
        else:
            answer = ask(store, question, now=now)
            row.update({"gold_period": None, "asof_answer": answer.answers,
                        "asof_ok": _entity_match(gold_answer, answer.answers)})
        rows.append(row)
    return rows


def _reachable(question: str, gold: Sequence[Turn], turns: Mapping[str, Turn],
               lemmas: _Lemmas, speakers: Sequence[str], idf: Mapping[str, float],
               ranking: Sequence[str]) -> dict[str, bool]:
    """Whether any gold turn could be retrieved at all: it is in asof's candidate pool
    (``in_pool``); a word of the question (a content lemma, as the lexical feature matches
    them) is in it (``words_in_turn``), or in it or the turn it answers
    (``words_in_turn_or_context``). The recall ceilings are the shares of these."""
    q_lemmas = question_lemmas(question, lemmas, speakers)
    weights = {**idf, **_question_idf(q_lemmas, turns.values(), idf)}
    own = any(_lemma_in(lem, t.lemmas) and weights.get(lem, 0.0) > 0
              for t in gold for lem in q_lemmas)
    near = any(_lexical(q_lemmas, t, weights) > 0 for t in gold)
    ids = {t.episode.id for t in gold}
    return {"in_pool": any(i in ids for i in ranking), "words_in_turn": own,
            "words_in_turn_or_context": near}


def _date_row(gold: GoldPeriod | None, turns: Mapping[str, Turn], retrieved: Sequence[str],
              baseline: Sequence[str], ref_turn: Turn | None, tense: Tense,
              focus: frozenset[str], lemmas: _Lemmas,
              event: frozenset[str] = frozenset()) -> dict[str, Any]:
    def judge(ids: Sequence[str]) -> tuple[str | None, str | None, bool]:
        if not ids:
            return None, None, False
        value, source = answer_date(turns[ids[0]].episode, tense, focus=focus, lemmas=lemmas,
                                    event=event)
        ok = gold is not None and gold.contains(*_value_days(value))
        return _label(value), source, ok

    answered, source, ok = judge(retrieved)
    base_answered, _, base_ok = judge(baseline)
    _, _, oracle_ok = judge([ref_turn.episode.id] if ref_turn else [])
    return {
        "gold_period": None if gold is None else {
            "start": gold.start.isoformat(), "end": gold.end.isoformat(), "rule": gold.rule},
        "answered": answered, "answered_from": source, "date_ok": ok,
        "baseline_answered": base_answered, "baseline_date_ok": base_ok,
        "gold_evidence_date_ok": oracle_ok,
    }


def _entity_match(gold: Any, answers: Sequence[str]) -> bool:
    wanted = _normalise_answer(gold)
    return bool(wanted) and any(
        (a := _normalise_answer(x)) and (a in wanted or wanted in a) for x in answers)


def _summarise(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    hits = sum(1 for r in rows if r["hit"])
    base = sum(1 for r in rows if r["baseline_hit"])
    timed = [r for r in rows if r["time_answer"]]
    resolvable = [r for r in timed if r["gold_period"] is not None]
    correct = sum(1 for r in resolvable if r["date_ok"])
    base_correct = sum(1 for r in resolvable if r["baseline_date_ok"])
    oracle = sum(1 for r in resolvable if r["gold_evidence_date_ok"])
    entity = [r for r in rows if not r["time_answer"]]
    recall = _ratio(hits, n)
    baseline = _ratio(base, n)
    return {
        "temporal_questions": n,
        "evidence_recall_at_k": recall,
        "baseline_recall_at_k": baseline,
        "recall_gain": None if recall is None or baseline is None
        else round(recall - baseline, 4),
        "evidence_hits": hits, "baseline_hits": base,
        "evidence_recall_at_1": _ratio(sum(1 for r in rows if r["hit_at_1"]), n),
        "baseline_recall_at_1": _ratio(sum(1 for r in rows if r["baseline_hit_at_1"]), n),
        "mrr": _mrr(r["rank"] for r in rows),
        "baseline_mrr": _mrr(r["baseline_rank"] for r in rows),
        "recall_ceiling_pool": _ratio(sum(1 for r in rows if r["in_pool"]), n),
        "recall_ceiling_words": _ratio(sum(1 for r in rows if r["words_in_turn_or_context"]), n),
        "recall_ceiling_words_in_turn": _ratio(sum(1 for r in rows if r["words_in_turn"]), n),
        "recall_target": None if baseline is None else round(baseline + RECALL_TARGET_GAIN, 4),
        "recall_target_hits": None if not n else math.ceil(
            round((base / n + RECALL_TARGET_GAIN) * n, 6)),
        "date_questions": len(timed),
        "date_resolvable": len(resolvable),
        "date_unresolvable": len(timed) - len(resolvable),
        "date_correct": correct,
        "date_accuracy": _ratio(correct, len(resolvable)),
        "date_accuracy_all": _ratio(correct, len(timed)),
        "baseline_date_accuracy": _ratio(base_correct, len(resolvable)),
        "gold_evidence_date_accuracy": _ratio(oracle, len(resolvable)),
        "asof_questions": len(entity),
        "asof_correct": sum(1 for r in entity if r["asof_ok"]),
        "asof_accuracy": _ratio(sum(1 for r in entity if r["asof_ok"]), len(entity)),
    }


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_locomo(report: Mapping[str, Any]) -> str:
    """A plain-text summary of :func:`evaluate_locomo`'s report."""
    k = report["k"]
    lines = [
        f"LoCoMo temporal questions: {report['file']}",
        f"  conversations {report['conversations']}, temporal questions "
        f"{report['temporal_questions']}, k = {k}",
        "",
        f"  evidence recall@{k}   asof {_fmt(report['evidence_recall_at_k'])}   "
        f"BM25 baseline {_fmt(report['baseline_recall_at_k'])}   "
        f"gain {_fmt(report['recall_gain'])}",
        f"  recall@{k} ceilings   gold turn in the candidate pool "
        f"{_fmt(report['recall_ceiling_pool'])}; holding a word of the question "
        f"{_fmt(report['recall_ceiling_words_in_turn'])} (itself) / "
        f"{_fmt(report['recall_ceiling_words'])} (or the turn it answers); baseline + "
        f"{RECALL_TARGET_GAIN} = {_fmt(report['recall_target'])} needs "
        f"{report['recall_target_hits']} of {report['temporal_questions']}",
        f"  recall@1            asof {_fmt(report['evidence_recall_at_1'])}   "
        f"BM25 baseline {_fmt(report['baseline_recall_at_1'])};   MRR asof "
        f"{_fmt(report['mrr'])}, baseline {_fmt(report['baseline_mrr'])} (pool {report['pool']})",
        f"  date accuracy        {_fmt(report['date_accuracy'])} over "
        f"{report['date_resolvable']} resolvable gold answers "
        f"({_fmt(report['date_accuracy_all'])} over all {report['date_questions']}; "
        f"{report['date_unresolvable']} unresolvable)",
        f"    from BM25's top turn {_fmt(report['baseline_date_accuracy'])}; from the gold "
        f"evidence turn {_fmt(report['gold_evidence_date_accuracy'])}",
    ]
    if report["asof_questions"]:
        lines.append(f"  as-of accuracy       {_fmt(report['asof_accuracy'])} over "
                     f"{report['asof_questions']} entity-answer questions")
    else:
        lines.append("  as-of accuracy       n/a: no temporal question has an entity answer")
    if report.get("llm") is not None:
        from bench.evals.llm_usage import render_usage

        lines.append(f"  {render_usage(report['llm'])}")
    lines += ["", *retrieval_modes.render(report["modes"]), "", "  per conversation:"]
    for c in report["per_conversation"]:
        lines.append(
            f"    {c['conversation']:<10} q {c['temporal_questions']:>3}  "
            f"recall@{k} {_fmt(c['evidence_recall_at_k'])} vs {_fmt(c['baseline_recall_at_k'])}"
            f"  date {_fmt(c['date_accuracy'])} ({c['date_resolvable']} resolvable)  "
            f"ingest {c['ingest_seconds']:.1f}s  query {c['query_seconds']:.1f}s")
    if report["unresolvable_answers"]:
        shown = ", ".join(repr(a) for a in report["unresolvable_answers"][:10])
        lines += ["", f"  unresolvable gold answers: {shown}"]
    timing = report["timing"]
    lines += ["", f"  time: {timing['total_seconds']:.1f}s total (ingest "
              f"{timing['ingest_seconds']:.1f}s, questions {timing['query_seconds']:.1f}s)"]
    return "\n".join(lines)
