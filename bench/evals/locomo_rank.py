"""How ``asof eval locomo`` ranks a conversation's turns for a question (:func:`rank_turns`, a
fixed linear score; see ``WEIGHTS``), the BM25 baseline, and the date read from the best turn
(:func:`answer_date`)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from asof.graph.models import Episode, Granularity
from asof.graph.store import GraphStore
from asof.query.ask import ask, format_date
from asof.query.ranking import CONTEXT_SHARE, MIN_PREFIX, stem
from asof.timex import Role, Tense, TimeValue, find_times, period

#: How many hits the store's full-text search contributes to asof's candidate pool.
POOL = 50

#: The score of a candidate turn is the weighted sum of these features, each in [0, 1]:
#:
#: - ``lexical``: IDF-weighted share of the question's content lemmas found among the turn's
#:   lemmas (spaCy lemmatizer: "went" matches "go"; a lemma of 4+ letters also matches one it
#:   begins or that begins it: "mentor" ~ "mentorship"; two lemmas of 4+ letters with the same
#:   Snowball stem match: "clothe" ~ "clothing"); a lemma found only in the turn before (the one
#:   the candidate replies to, same session) counts ``query.ranking.CONTEXT_SHARE``; person
#:   names are left to ``speaker``;
#: - ``bm25``: the store's full-text score divided by the best one for the question;
#: - ``speaker``: the turn is spoken by a person the question names;
#: - ``time``: the turn carries a time expression that resolves against its session time;
#: - ``period``: the question names a period ("in June") and the turn's session day or one of
#:   its time expressions falls in it;
#: - ``fact``: the turn is the source of a fact asof extracted about a person the question
#:   names that the full-text search over facts returns, or of a fact ``ask`` answered with;
#: - ``neighbour``: the best ``lexical`` feature among the turns at most ``NEIGHBOURHOOD``
#:   places before or after the turn in its session: an answer is often said a turn or two
#:   away from the words that name its topic ("It was an awesome time!" after "I took my fam
#:   camping last week");
#: - ``window``: the IDF-weighted share of the question's content lemmas found *jointly* in the
#:   turn and the turns at most ``NEIGHBOURHOOD`` places from it in its session, matched as
#:   ``lexical`` matches (a lemma found only in the turn the window's first turn answers counts
#:   ``CONTEXT_SHARE``): the question's words are often spread over a few turns of one
#:   exchange ("Guess what I baked last Saturday!" … "A lemon cake"), so the
#:   window is scored as one unit;
#: - ``vector`` (hybrid mode only): the cosine between the question's and the turn's
#:   embeddings, standardised over the conversation's turns (:func:`query.ranking.standardised`);
#:   weighted as ``bm25`` is, the other retrieval signal asof does not compute itself (see
#:   docs/retrieval.md).
WEIGHTS: Mapping[str, float] = {"lexical": 1.0, "bm25": 0.5, "speaker": 0.3, "time": 0.3,
                                 "period": 0.5, "fact": 0.3, "neighbour": 0.3, "window": 0.3,
                                 "vector": 0.5}
#: How many turns before and after a turn (same session) the ``neighbour`` and ``window``
#: features and the score's spread read.
NEIGHBOURHOOD = 2
#: After the features are summed, a candidate's score also gains this share of the best score
#: among the candidates at most ``NEIGHBOURHOOD`` places from it in its session: a turn in the
#: middle of a relevant exchange ranks above a lone turn of the same score elsewhere.
SPREAD = 0.25
#: How many of the turns closest to the question by embedding join the hybrid candidate pool.
VECTOR_POOL = 20

#: Words dropped from questions before searching (for asof and the baseline alike).
_QUESTION_WORDS = frozenset({
    "when", "what", "which", "who", "whom", "whose", "where", "why", "how", "did", "does", "do",
    "is", "was", "were", "are", "has", "have", "had", "will", "would", "can", "could", "long",
    "ago", "date", "time", "year", "month", "day", "s",
})
_TOKEN = re.compile(r"[^\W_]+")



class Lemmas:
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


def question_tense(question: str) -> Tense:
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
    #: ids of the turns at most ``NEIGHBOURHOOD`` places away in the same session
    neighbours: tuple[str, ...] = ()


@dataclass(slots=True)
class Ranked:
    episode_id: str
    score: float
    features: dict[str, float] = field(default_factory=dict)


def _overlaps(a: TimeValue, start: datetime, end: datetime) -> bool:
    return a.start < end and start < a.end


#: Consecutive turns closer than this belong to one session (the reader spaces turns 30 s).
SAME_SESSION = timedelta(hours=1)


def lemma_in(lemma: str, lemmas: frozenset[str]) -> bool:
    if lemma in lemmas:
        return True
    return len(lemma) >= MIN_PREFIX and any(
        len(other) >= MIN_PREFIX and (other.startswith(lemma) or lemma.startswith(other)
                                       or _same_stem(lemma, other)
                                       or stem(lemma) == stem(other))
        for other in lemmas)


#: Shortest shared beginning of two words that differ only after the shorter one's last but
#: one letter ("collaborate" ~ "collaboration", "celebrate" ~ "celebration").
_MIN_STEM = 6


def _same_stem(a: str, b: str) -> bool:
    shorter = min(len(a), len(b))
    need = max(_MIN_STEM, shorter - 1)
    return shorter >= need and a[:need] == b[:need]


def matched_lemmas(q_lemmas: Iterable[str], turn: Turn) -> tuple[frozenset[str], frozenset[str]]:
    """The question lemmas the turn holds, and those only the turn it answers (its dialogue
    context) holds."""
    held = frozenset(lemma for lemma in q_lemmas if lemma_in(lemma, turn.lemmas))
    return held, frozenset(lemma for lemma in q_lemmas
                           if lemma not in held and lemma_in(lemma, turn.context))


def weighted_share(held: frozenset[str], context: frozenset[str],
                   idf: Mapping[str, float]) -> float:
    """IDF mass of the lemmas ``held``, and ``CONTEXT_SHARE`` of that of the lemmas found
    only in ``context``; summed in sorted order (a set's order follows the hash seed, and a
    float sum its order)."""
    return sum(idf.get(m, 0.0) for m in sorted(held)) + CONTEXT_SHARE * sum(
        idf.get(m, 0.0) for m in sorted(context - held))


def lexical_share(q_lemmas: Iterable[str], turn: Turn, idf: Mapping[str, float]) -> float:
    """IDF mass of the question lemmas the turn holds; a lemma only in the turn it answers
    counts ``CONTEXT_SHARE``."""
    return weighted_share(*matched_lemmas(q_lemmas, turn), idf)


def _named(question: str, speakers: Sequence[str]) -> list[str]:
    """The speakers the question names (by first name)."""
    return [s for s in speakers if re.search(rf"\b{re.escape(s.split()[0])}\b", question,
                                             re.IGNORECASE)]


def question_lemmas(question: str, lemmas: Lemmas, speakers: Sequence[str]) -> frozenset[str]:
    """The question's content lemmas, less the names of the speakers it names."""
    named_lower = {w.lower() for s in _named(question, speakers) for w in s.split()}
    return lemmas.of([question])[0] - named_lower


def rank_turns(store: GraphStore, question: str, turns: Mapping[str, Turn],
               lemmas: Lemmas, *, speakers: Sequence[str], now: datetime,
               idf: Mapping[str, float],
               similarity: Mapping[str, float] | None = None) -> list[Ranked]:
    """asof's ranking of a conversation's turns for a temporal question (see ``WEIGHTS``);
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
    idf = {**idf, **question_idf(q_lemmas, turns.values(), idf)}
    q_weight = sum(idf.get(lem, 0.0) for lem in sorted(q_lemmas))  # sorted: see weighted_share
    wanted = [m.value for m in find_times(question, now, Tense.PAST)]
    future = question_tense(question) is Tense.FUTURE
    how_long = bool(_HOW_LONG.match(question.lower()))
    pool = set(bm25) | (fact_sources & set(turns))
    pool |= {i for i, t in turns.items() if t.episode.speaker in named} if named else set(turns)
    # the period the question names filters before any limit: every turn said in it, or
    # dating something in it, is a candidate
    pool |= {i for i, t in turns.items() if wanted and _in_periods(t, wanted)}
    if similarity:
        pool |= set(sorted(similarity, key=lambda i: -similarity[i])[:VECTOR_POOL]) & set(turns)
    found: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def matched(turn_id: str) -> tuple[frozenset[str], frozenset[str]]:
        if turn_id not in found:
            found[turn_id] = matched_lemmas(q_lemmas, turns[turn_id])
        return found[turn_id]

    def share(held: frozenset[str], context: frozenset[str]) -> float:
        return weighted_share(held, context, idf) / q_weight if q_weight else 0.0

    def lexical(turn_id: str) -> float:
        return share(*matched(turn_id))

    def window(turn_id: str) -> float:
        ids = [turn_id, *(n for n in turns[turn_id].neighbours if n in turns)]
        first = min(ids, key=lambda i: turns[i].episode.occurred_at)
        return share(frozenset().union(*(matched(i)[0] for i in ids)), matched(first)[1])

    ranked = []
    for episode_id in pool:
        turn = turns[episode_id]
        features = {
            "lexical": lexical(episode_id),
            "bm25": bm25.get(episode_id, 0.0) / top_bm25 if top_bm25 > 0 else 0.0,
            "speaker": 1.0 if turn.episode.speaker in named else 0.0,
            "time": 1.0 if _answers_time(turn, future=future, how_long=how_long) else 0.0,
            "period": 1.0 if wanted and _in_periods(turn, wanted) else 0.0,
            "fact": 1.0 if episode_id in fact_sources else 0.0,
            "neighbour": max((lexical(n) for n in turn.neighbours if n in turns), default=0.0),
            "window": window(episode_id),
            "vector": similarity.get(episode_id, 0.0) if similarity else 0.0,
        }
        score = sum(WEIGHTS[name] * value for name, value in features.items())
        ranked.append(Ranked(episode_id, score, features))
    # the score spreads to the turns around it (the candidates' own scores, before spreading)
    scores = {r.episode_id: r.score for r in ranked}
    for r in ranked:
        around = max((scores[n] for n in turns[r.episode_id].neighbours if n in scores),
                     default=0.0)
        r.features["around"] = around
        r.score += SPREAD * around
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
                lemmas: Lemmas | None = None,
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
        scores = [(sum(1 for lem in event if lemma_in(lem, found)),
                   sum(1 for lem in focus if lemma_in(lem, found))) for found in sets]
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


def value_days(value: TimeValue) -> tuple[date, date]:
    """A period as calendar days ``[start, end)`` (a sub-day period covers its day)."""
    start = value.start.date()
    end = value.end.date()
    if value.end.time() != datetime.min.time():
        end += timedelta(days=1)
    return start, max(end, start + timedelta(days=1))


def period_label(value: TimeValue) -> str:
    if value.granularity is Granularity.WEEK:
        return f"week of {value.start.date().isoformat()}"
    return format_date(value.start, value.granularity)


# ----------------------------------------------------------------------------- evaluation

def turn_idf(turns: Iterable[Turn]) -> dict[str, float]:
    docs = list(turns)
    counts = Counter(lem for t in docs for lem in t.lemmas)
    n = len(docs)
    return {lem: math.log(1 + (n - df + 0.5) / (df + 0.5)) for lem, df in counts.items()}


def question_idf(q_lemmas: Iterable[str], turns: Iterable[Turn],
                  idf: Mapping[str, float]) -> dict[str, float]:
    """IDF of each question lemma over the turns it matches (as :func:`lemma_in` matches):
    a lemma no turn holds verbatim ("mentorship") weighs by the turns holding a form of it
    ("mentor"); one that matches no turn weighs nothing."""
    docs = list(turns)
    out: dict[str, float] = {}
    for lemma in q_lemmas:
        if lemma in idf:
            out[lemma] = idf[lemma]
            continue
        df = sum(1 for t in docs if lemma_in(lemma, t.lemmas))
        if df:
            out[lemma] = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
    return out

