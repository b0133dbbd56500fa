"""Token features for the object tagger. One function, used unchanged for training and at run
time, so what the model learned is what it sees.

Features are strings (``name=value``); python-crfsuite weighs each as a binary attribute. They
describe the token, its neighbours, its place in the parse, its clause's modality flags (negated,
hypothetical, question, used-to), the rules' candidates covering it, and, for short replies, the
content words of the assistant question the reply answers ("What's the role?" → "ux lead.").
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from asof.extraction.components.base import Candidate, Clause
from asof.extraction.lexicons import KINSHIP, LANGUAGES
from asof.extraction.word_frequency import common_words

#: Bumped whenever the features change: an artifact trained on other features is refused.
FEATURES_VERSION = 2

#: A reply this short (in tokens) is read together with the question before it.
SHORT_REPLY = 14

_WORD = re.compile(r"[a-zà-ÿ]+")
_QUESTION_STOP = frozenset("""a an the is are was were do does did you your yours what which who
whom whose when where how why and or to of for in on at it its that this be been any anything
else so me my i we our us with from by as can could would should will shall there here just
also still now then than too very much many some more most good great nice all not no yes ok
""".split())


@lru_cache(maxsize=65536)
def _frequency(low: str) -> tuple[str, ...]:
    """How common the word is: everyday words are rarely names; unknown lowercase words in
    chat often are ("tostadora", "penpot"); words of another language are code-switching."""
    english, other = common_words().get(low, (0, False))
    band = "none" if english == 0 else "rare" if english < 6 else "mid" if english < 8 else \
        "common" if english < 10 else "top"
    return (f"freq={band}", "foreign") if other else (f"freq={band}",)


@lru_cache(maxsize=65536)
def _shape(text: str) -> str:
    shape = re.sub(r"[A-ZÀ-Þ]", "X", text)
    shape = re.sub(r"[a-zß-ÿ]", "x", shape)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1{2,}", r"\1\1", shape)[:6]


def question_words(text: str | None) -> list[str]:
    """Content words of the last question in an assistant message (lowercase, deduplicated)."""
    if not text:
        return []
    end = text.rfind("?")
    if end < 0:
        return []
    start = max(text.rfind(".", 0, end), text.rfind("!", 0, end), text.rfind("\n", 0, end))
    words = _WORD.findall(text[start + 1:end].lower())
    seen: list[str] = []
    for word in words:
        if word not in _QUESTION_STOP and len(word) > 2 and word not in seen:
            seen.append(word)
    return seen[:10]


def _left_contexts(pos: list[str], lows: list[str], lemmas: list[str],
                   starts: list[int]) -> list[list[str]]:
    """Per token: the nearest verb and preposition to its left inside its clause (``starts``:
    each token's clause start), found in one pass."""
    out: list[list[str]] = []
    last_verb = last_prep = -1
    for i, start in enumerate(starts):
        found: list[str] = []
        if last_verb >= start:
            found.append(f"lverb={lemmas[last_verb]}")
        if last_prep >= start:
            found.append(f"lprep={lows[last_prep]}")
        out.append(found)
        if pos[i] in ("VERB", "AUX"):
            last_verb = i
        if pos[i] == "ADP":
            last_prep = i
    return out


def doc_features(doc: Doc, prompt: str | None = None) -> list[list[str]]:
    """One feature list per token of ``doc`` (a user message, fully annotated)."""
    clauses: list[Clause] = doc._.asof_clauses or []
    candidates: list[Candidate] = doc._.asof_candidates or []
    times = doc._.asof_times or []
    in_time: set[int] = set()
    text_len = len(doc.text)
    for t in times:
        span = doc.char_span(t.start_char, min(t.end_char, text_len), alignment_mode="expand")
        if span is not None:
            in_time.update(range(span.start, span.end))
    rule_obj: dict[int, list[str]] = {}
    rule_trig: dict[int, list[str]] = {}
    for cand in candidates:
        for k in range(cand.trigger[0], cand.trigger[1]):
            rule_trig.setdefault(k, []).append(f"rtrig={cand.predicate}")
        for start, end, _text, _is_name in cand.objects:
            for k in range(start, min(end, len(doc))):
                rule_obj.setdefault(k, []).append(f"robj={cand.predicate}:{cand.kind}")
                if k == start:
                    rule_obj[k].append("robj_begin")
    short = len(doc) <= SHORT_REPLY
    asked = [f"q={w}" for w in question_words(prompt)] if short else []
    speaker = (doc._.asof_speaker or "").split()
    speaker_first = speaker[0].lower() if speaker else ""
    # each token's attributes read once (spaCy builds a Token object on every doc[k])
    tokens = list(doc)
    n = len(tokens)
    lows = [t.lower_ for t in tokens]
    pos = [t.pos_ for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    ents = [t.ent_type_ for t in tokens]
    alpha = [t.is_alpha for t in tokens]
    shapes = [_shape(t.text) for t in tokens]
    freq = [_frequency(low) if is_alpha else () for low, is_alpha in zip(lows, alpha,
                                                                       strict=True)]
    clause_of = [t._.asof_clause for t in tokens]
    starts = [clauses[ci].start if 0 <= ci < len(clauses) else 0 for ci in clause_of]
    left = _left_contexts(pos, lows, lemmas, starts)
    neighbours = {offset: [(f"{offset:+d}:w={lows[k]}", f"{offset:+d}:pos={pos[k]}",
                            f"{offset:+d}:shape={shapes[k]}") for k in range(n)]
                  for offset in (-2, -1, 1, 2)}
    out: list[list[str]] = []
    for i, token in enumerate(tokens):
        low = lows[i]
        head = token.head
        head_lemma = head.lemma_.lower()
        f = ["bias", f"w={low}", f"lemma={lemmas[i]}", f"shape={shapes[i]}",
             f"suf3={low[-3:]}", f"pre2={low[:2]}", f"pos={pos[i]}", f"tag={token.tag_}",
             f"dep={token.dep_}", f"hlemma={head_lemma}",
             f"hpos={head.pos_}", f"dep_h={token.dep_}:{head_lemma}"]
        if ents[i]:
            f.append(f"ent={ents[i]}")
            f.append(f"ent_iob={token.ent_iob_}")
        if token.is_title:
            f.append("title")
        if token.is_upper and len(token) > 1:
            f.append("upper")
        if token.like_num:
            f.append("num")
        if token.is_stop:
            f.append("stop")
        if alpha[i]:
            f.extend(freq[i])
        if low in LANGUAGES:
            f.append("lexicon=language")
        if low in KINSHIP:
            f.append("lexicon=kin")
        if low == speaker_first:
            f.append("speaker_name")
        if i in in_time:
            f.append("time")
        for offset in (-2, -1, 1, 2):
            k = i + offset
            if 0 <= k < n:
                f.extend(neighbours[offset][k])
                if offset in (-1, 1) and ents[k]:
                    f.append(f"{offset:+d}:ent={ents[k]}")
                if offset == -1:
                    f.append(f"-1:lemma={lemmas[k]}")
                if offset in (-1, 1) and alpha[k]:
                    f.extend(f"{offset:+d}:{x}" for x in freq[k])
            else:
                f.append(f"{offset:+d}:edge")
        if i >= 1:
            f.append(f"bigram=-1:{lows[i - 1]}|{low}")
        ci = clause_of[i]
        if 0 <= ci < len(clauses):
            clause = clauses[ci]
            for flag in ("negated", "hypothetical", "question", "reported", "used_to",
                         "correction", "future"):
                if getattr(clause, flag):
                    f.append(f"clause={flag}")
        f.extend(left[i])
        f.extend(rule_obj.get(i, ()))
        f.extend(rule_trig.get(i, ()))
        if short:
            f.append("short_reply")
            f.extend(asked)
        out.append(f)
    return out
