"""How hybrid retrieval orders what full text and vectors found: a fixed linear score over
features of each hit and of the exchange it was said in.

The candidates are the hits of both lists (episodes and facts), the messages the fact hits were
extracted from, and the messages at most :data:`PLACES` places before and after each candidate
message in its conversation (:meth:`~graph.store.GraphStore.episodes_around`). An answer is
often said a turn or two away from the words that name its topic ("Guess what I baked last
Saturday!" … "A lemon cake"), which neither list sees alone. Each candidate scores
``sum(WEIGHTS[f] * feature f)``, every feature in [0, 1]:

- ``words``: the IDF-weighted share of the query's content words the hit's text holds; IDF
  over the candidate messages and the exchanges around them. Words are compared by their
  Snowball stems, after irregular forms are read as their base word ("went" as "go",
  ``data/word_forms.tsv``); a stem of :data:`MIN_PREFIX` letters or more also matches one it
  begins or that begins it ("mentor" ~ "mentorship"); a word found only in the message before
  (the one a reply answers, same exchange) counts :data:`CONTEXT_SHARE`; the names of the
  candidates' speakers are left to ``speaker``;
- ``fulltext``: the hit's full-text score over the best one (a fact's counts for the messages
  it came from too);
- ``vector``: its cosine standardised over the cosines of the :data:`BACKGROUND` nearest
  messages and facts, ``(c - mean) / sd / Z_SPAN`` clipped: how far it stands out, not its
  raw cosine (a model's cosines crowd a narrow band); the first ``pool`` of them are
  candidates;
- ``neighbour``: the best ``words`` share among the messages of its exchange;
- ``window``: the share of the query's words found jointly in it and its exchange;
- ``speaker``: the query names the message's speaker (or the fact's subject);
- ``time``: the query asks when ("when …", "what year …", "how long …") and the message says a
  time of the kind asked: a length for "how long", a time after it was said for "when will
  …", else one at or before it (a fact: it has a start);
- ``period``: the query names a time ("in June 2023") and the message was said in it (a fact:
  its valid time overlaps it).

Then each message gains :data:`SPREAD` × the best score among the messages of its exchange, so
a turn inside a relevant exchange ranks above a lone turn of the same score; a fact gains it
from the exchange of the message it came from. The weights are those of the LoCoMo evaluation's
ranking (``bench/evals/locomo_rank.py``); docs/retrieval.md has the figures, against reciprocal
rank fusion, that chose this.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from asof.graph.adapter_helpers import ERASED_TEXT
from asof.graph.contract import SearchHit
from asof.graph.models import Episode
from asof.graph.store import GraphStore
from asof.timex import Role, Tense, TimeValue, find_times

__all__ = ["BACKGROUND", "CONTEXT_SHARE", "FUNCTION_WORDS", "MIN_PREFIX", "PLACES",
           "SAME_EXCHANGE", "SPREAD", "WEIGHTS", "Z_SPAN", "content_words", "rank",
           "says_a_time", "standardised", "stem", "stems", "time_asked"]

K = TypeVar("K")

WEIGHTS: Mapping[str, float] = {"words": 1.0, "fulltext": 0.5, "vector": 0.5, "neighbour": 0.3,
                                 "window": 0.3, "speaker": 0.3, "time": 0.3, "period": 0.5}
#: How many messages before and after a message make its exchange.
PLACES = 2
#: Consecutive messages further apart than this belong to different exchanges.
SAME_EXCHANGE = timedelta(hours=1)
#: Share of the best score in its exchange a candidate gains.
SPREAD = 0.25
#: Standard deviations above the mean cosine that score 1.
Z_SPAN = 3.0
#: Nearest vector hits the cosine is standardised over. More than the candidates: against only
#: the closest few dozen, a hit that stands far out of the conversation looks ordinary.
BACKGROUND = 300
#: Weight of a query word found only in the message before (the one a reply answers).
CONTEXT_SHARE = 0.75
#: Shortest stem that also matches a longer one it begins, or that begins it.
MIN_PREFIX = 4

#: English function words: not content words of a query.
FUNCTION_WORDS = frozenset("""
a an the and or but if of to in on at by for with from about as into than then so not no
i me my we our you your he him his she her it its they them their this that these those
is am are was were be been being do does did done have has had will would can could shall
should may might must what when where which who whom whose why how there here s t d ll ve
""".split())
#: Words that ask for a time rather than name a topic ("what year did …", "how long ago …").
TIME_QUESTION_WORDS = frozenset({"date", "time", "long", "ago", "year", "month", "day"})
_WORD = re.compile(r"[^\W_]+")
_ASKS_WHEN = re.compile(r"\s*(?:when|what\s+(?:year|month|date|day|time)|how\s+long)\b",
                        re.IGNORECASE)
_ASKS_LENGTH = re.compile(r"\s*(?:for\s+)?how\s+long\b(?!\s+ago)", re.IGNORECASE)
_ASKS_AHEAD = re.compile(r"\b(?:will|going\s+to|planning|plans?\s+to|next|upcoming)\b|"
                         r"^\s*when\s+(?:is|are)\b", re.IGNORECASE)


def content_words(text: str) -> str:
    """``text`` without its :data:`FUNCTION_WORDS` (words are letter/digit runs)."""
    return " ".join(w for w in _WORD.findall(text) if w.lower() not in FUNCTION_WORDS)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English Snowball (Porter 2) stem of a lower-case word: "camping" and "camped" are
    both "camp"."""
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _word_forms() -> dict[str, str]:
    """Irregular form → base word (``data/word_forms.tsv``, scripts/make-word-forms)."""
    text = resources.files("asof.query").joinpath("data/word_forms.tsv").read_text("utf-8")
    return dict(line.split("\t") for line in text.splitlines()
                if line and not line.startswith("#"))


def word_stem(word: str) -> str:
    """The stem a lower-case word is compared by: its base word's Snowball stem ("went" and
    "going" are both "go")."""
    return stem(_word_forms().get(word, word))


@lru_cache(maxsize=16384)
def stems(text: str) -> frozenset[str]:
    """The stems (:func:`word_stem`) of the content words of ``text`` ("camping", "camped":
    "camp")."""
    return frozenset(word_stem(w) for w in (m.lower() for m in _WORD.findall(text))
                     if w not in FUNCTION_WORDS and len(w) > 1)


@dataclass(frozen=True, slots=True)
class _Query:
    words: frozenset[str]
    weights: Mapping[str, float]
    names: frozenset[str]
    asks: str | None  #: :func:`time_asked`
    periods: Sequence[TimeValue]

    def held(self, found: frozenset[str]) -> frozenset[str]:
        """The query words ``found`` holds, as themselves or by :data:`MIN_PREFIX`."""
        return frozenset(w for w in self.words if w in found or len(w) >= MIN_PREFIX and any(
            len(o) >= MIN_PREFIX and (o.startswith(w) or w.startswith(o)) for o in found))

    def share(self, found: frozenset[str], before: frozenset[str] = frozenset()) -> float:
        """The weighted share of the query words ``found`` holds; one only ``before`` holds
        (the message a reply answers) counts :data:`CONTEXT_SHARE`. Summed in sorted order:
        a set's order follows the hash seed, and a float sum its order."""
        total = sum(self.weights[w] for w in sorted(self.words))
        held = self.held(found)
        got = sum(self.weights[w] for w in sorted(held))
        if before:
            got += CONTEXT_SHARE * sum(self.weights[w] for w in sorted(self.held(before) - held))
        return got / total if total else 0.0


def rank(store: GraphStore, text: str, lexical: Sequence[SearchHit],
         vector: Sequence[SearchHit], *, pool: int, periods: Sequence[TimeValue],
         known_at: datetime | None) -> list[SearchHit]:
    """The candidates (``lexical``, and the first ``pool`` of ``vector``: each best first,
    ``vector`` read :data:`BACKGROUND` deep) and the exchanges around them, best first, each
    with its score (see the module docstring)."""
    fulltext = _scaled_fulltext(lexical)
    cosines: dict[tuple[str, str], float] = {(h.kind, h.id): h.score for h in vector}
    cosine = standardised(cosines)
    hits: dict[tuple[str, str], SearchHit] = {}
    for hit in (*lexical, *vector[:pool]):
        hits.setdefault((hit.kind, hit.id), hit)
    facts = [h for h in hits.values() if h.kind == "fact"]
    sources = {h.id: list(h.version.episode_ids) if h.version else [] for h in facts}
    messages = {h.id: h.episode for h in hits.values() if h.episode is not None}
    missing = [i for ids in sources.values() for i in ids if i not in messages]
    messages.update((e.id, e) for e in store.get_episodes(missing) if e.text != ERASED_TEXT
                    and (known_at is None or e.ingested_at is None or e.ingested_at <= known_at))
    # the messages found, and those of their exchanges, are the candidates
    exchange = _exchanges(store, list(messages.values()), known_at)
    for anchor in list(messages):
        messages.update((e.id, e) for e in exchange.get(anchor, ()))
    words = {i: stems(e.text) for i, e in messages.items()}
    for members in exchange.values():
        words.update((e.id, stems(e.text)) for e in members if e.id not in words)
    speakers = {e.speaker for e in messages.values()} | {
        e.speaker for members in exchange.values() for e in members}
    query = _query(text, words.values(), periods, speakers)

    facts_from: dict[str, list[str]] = {}
    for fact_id, ids in sources.items():
        for message_id in ids:
            facts_from.setdefault(message_id, []).append(fact_id)

    def credit(feature: Mapping[tuple[str, str], float], message_id: str) -> float:
        """A message's own score, or that of a fact hit extracted from it."""
        return max([feature.get(("episode", message_id), 0.0),
                    *(feature.get(("fact", f), 0.0) for f in facts_from.get(message_id, ()))])

    # each message's own share, read again as the neighbour of every other in its exchange
    shares = {i: query.share(found) for i, found in words.items()}
    scores: dict[tuple[str, str], float] = {}
    for message_id, message in messages.items():
        near = [e.id for e in exchange.get(message_id, ())]
        said = (message.occurred_at, message_id)
        before = [e for e in exchange.get(message_id, ()) if (e.occurred_at, e.id) < said]
        scores[("episode", message_id)] = _weighted({
            "words": query.share(words[message_id], words[before[-1].id] if before else
                                 frozenset()),
            "fulltext": credit(fulltext, message_id),
            "vector": credit(cosine, message_id),
            "neighbour": max((shares[n] for n in near), default=0.0),
            "window": query.share(words[message_id].union(*(words[n] for n in near))),
            "speaker": 1.0 if _names(message.speaker) & query.names else 0.0,
            "time": 1.0 if query.asks and says_a_time(message.text, message.occurred_at,
                                                      query.asks) else 0.0,
            "period": 1.0 if any(_said_in(message, p) for p in query.periods) else 0.0,
        })
    for fact in facts:
        assert fact.version is not None
        version = fact.version
        key = ("fact", fact.id)
        source = [i for i in sources[fact.id] if i in messages]
        near = [*source, *(e.id for i in source for e in exchange.get(i, ()))]
        scores[key] = _weighted({
            "words": query.share(stems(version.sentence)),
            "fulltext": fulltext.get(key, 0.0), "vector": cosine.get(key, 0.0),
            "neighbour": max((shares[n] for n in near), default=0.0),
            "window": query.share(frozenset().union(*(words[n] for n in near))),
            "speaker": 1.0 if _names(version.subject_name or "") & query.names else 0.0,
            "time": 1.0 if query.asks and version.valid_from is not None else 0.0,
            "period": 1.0 if any(_overlaps(version.valid_from, version.valid_to, p)
                                 for p in query.periods) else 0.0,
        })
    spread: dict[tuple[str, str], float] = {}
    for key in scores:
        around = ([e.id for e in exchange.get(key[1], ())] if key[0] == "episode" else
                  [*sources[key[1]], *(e.id for i in sources[key[1]]
                                       for e in exchange.get(i, ()))])
        spread[key] = SPREAD * max((scores.get(("episode", i), 0.0) for i in around
                                    if i != key[1]), default=0.0)
    final = {key: round(score + spread[key], 6) for key, score in scores.items()}
    ordered = sorted(final, key=lambda key: (-final[key], key))
    return [_hit(key, final[key], hits, messages) for key in ordered]


def _hit(key: tuple[str, str], score: float, hits: Mapping[tuple[str, str], SearchHit],
         messages: Mapping[str, Episode]) -> SearchHit:
    found = hits.get(key)
    if found is not None:
        return SearchHit(kind=found.kind, id=found.id, score=score, text=found.text,
                         episode=found.episode, version=found.version)
    message = messages[key[1]]
    return SearchHit(kind="episode", id=message.id, score=score, text=message.text,
                     episode=message)


def _weighted(features: Mapping[str, float]) -> float:
    return sum(WEIGHTS[name] * features[name] for name in WEIGHTS)


def _exchanges(store: GraphStore, anchors: Sequence[Episode],
               known_at: datetime | None) -> dict[str, list[Episode]]:
    """The exchange of each anchor and of each message in it: the messages at most
    :data:`PLACES` places from it in its conversation, up to the first gap of
    :data:`SAME_EXCHANGE` or more on either side. One read: twice :data:`PLACES` around each
    anchor holds the places around every message within :data:`PLACES` of it."""
    if not anchors:
        return {}
    around = store.episodes_around([a.id for a in anchors], places=2 * PLACES,
                                   known_at=known_at)
    out: dict[str, list[Episode]] = {}
    for anchor in anchors:
        window = sorted([anchor, *around.get(anchor.id, [])], key=lambda e: (e.occurred_at, e.id))
        at = next(i for i, e in enumerate(window) if e.id == anchor.id)
        first, last = _exchange_span(window, at)
        for i in [at, *range(first, at), *range(at + 1, last + 1)]:
            if window[i].id not in out:
                start, end = _exchange_span(window, i)
                out[window[i].id] = window[start:i] + window[i + 1:end + 1]
    return out


def _exchange_span(window: Sequence[Episode], at: int) -> tuple[int, int]:
    """The places in ``window`` (messages in the order said) of the first and last message of
    ``window[at]``'s exchange: at most :data:`PLACES` from it, never across a gap of
    :data:`SAME_EXCHANGE` or more."""
    first = at
    while first > max(0, at - PLACES) and \
            window[first].occurred_at - window[first - 1].occurred_at < SAME_EXCHANGE:
        first -= 1
    last = at
    while last < min(len(window) - 1, at + PLACES) and \
            window[last + 1].occurred_at - window[last].occurred_at < SAME_EXCHANGE:
        last += 1
    return first, last


def _query(text: str, texts: Iterable[frozenset[str]], periods: Sequence[TimeValue],
           speakers: Iterable[str]) -> _Query:
    """The query's words (less those asking for a time and the ``speakers``' names, which
    the ``speaker`` feature weighs), IDF-weighted over ``texts``."""
    words = stems(text) - {word_stem(w) for w in TIME_QUESTION_WORDS} - {
        word_stem(w) for name in speakers for w in _names(name)}
    docs = list(texts)
    n = len(docs)
    weights = {}
    for word in words:
        df = sum(1 for d in docs if word in d)
        weights[word] = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return _Query(words=words, weights=weights, names=frozenset(
        w.lower() for w in _WORD.findall(text)), asks=time_asked(text),
        periods=tuple(periods))


def _names(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(name) if len(w) > 1)


def time_asked(text: str) -> str | None:
    """The kind of time a query asks for: "length" ("how long …"), "ahead" ("when will …",
    "when is …"), "past" ("when did …", "what year …"), or ``None``."""
    if _ASKS_LENGTH.match(text):
        return "length"
    if not _ASKS_WHEN.match(text):
        return None
    return "ahead" if _ASKS_AHEAD.search(text) else "past"


@lru_cache(maxsize=16384)
def says_a_time(text: str, said: datetime, asks: str) -> bool:
    """The text says a time of the kind asked: a length ("for four years"), a time after it
    was said, or one at or before it. Cached: the same messages come back query after query,
    and finding the times in a message costs about a millisecond."""
    times = find_times(text, said, Tense.FUTURE if asks == "ahead" else Tense.PAST)
    if asks == "length":
        return any(t.role is Role.DURATION for t in times)
    if asks == "ahead":
        return any(t.value.end > said for t in times)
    return any(t.value.start <= said for t in times if t.role is not Role.DURATION)


def _said_in(message: Episode, wanted: TimeValue) -> bool:
    return wanted.start <= message.occurred_at < wanted.end


def _overlaps(start: datetime | None, end: datetime | None, wanted: TimeValue) -> bool:
    return (start is None or start < wanted.end) and (end is None or wanted.start < end)


def _scaled_fulltext(hits: Sequence[SearchHit]) -> dict[tuple[str, str], float]:
    """Full-text scores over the best one (bm25 and Lucene scores are higher-is-better)."""
    top = max((h.score for h in hits), default=0.0)
    return {(h.kind, h.id): h.score / top for h in hits} if top > 0 else {}


def standardised(scores: Mapping[K, float]) -> dict[K, float]:
    """Scores standardised over their set, ``(s - mean) / sd / Z_SPAN`` clipped to [0, 1] (a
    model's cosines crowd a narrow band: e5's lie between about 0.7 and 0.9). Unlike min-max
    scaling, it says how far an item stands out from the rest, not only how it compares with
    the single closest one, and items no closer than average score 0."""
    if not scores:
        return {}
    n = len(scores)
    mean = sum(scores.values()) / n
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores.values()) / n) or 1.0
    return {key: min(1.0, max(0.0, (s - mean) / sd / Z_SPAN)) for key, s in scores.items()}
