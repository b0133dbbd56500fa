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
from asof.extraction.patterns import KINSHIP, LANGUAGES, common_words

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


def _left_context(doc: Doc, i: int, lo: int) -> list[str]:
    """The nearest verb and preposition to the left inside the clause."""
    out: list[str] = []
    verb = prep = None
    for k in range(i - 1, lo - 1, -1):
        token = doc[k]
        if prep is None and token.pos_ == "ADP":
            prep = token.lower_
        if verb is None and token.pos_ in ("VERB", "AUX"):
            verb = token.lemma_.lower()
        if verb is not None and prep is not None:
            break
    if verb:
        out.append(f"lverb={verb}")
    if prep:
        out.append(f"lprep={prep}")
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
    basics = [(t.lower_, t.pos_, _shape(t.text)) for t in doc]
    neighbours = {offset: [(f"{offset:+d}:w={b[0]}", f"{offset:+d}:pos={b[1]}",
                            f"{offset:+d}:shape={b[2]}") for b in basics]
                  for offset in (-2, -1, 1, 2)}
    out: list[list[str]] = []
    for token in doc:
        i = token.i
        low = token.lower_
        f = ["bias", f"w={low}", f"lemma={token.lemma_.lower()}", f"shape={basics[i][2]}",
             f"suf3={low[-3:]}", f"pre2={low[:2]}", f"pos={token.pos_}", f"tag={token.tag_}",
             f"dep={token.dep_}", f"hlemma={token.head.lemma_.lower()}",
             f"hpos={token.head.pos_}", f"dep_h={token.dep_}:{token.head.lemma_.lower()}"]
        if token.ent_type_:
            f.append(f"ent={token.ent_type_}")
            f.append(f"ent_iob={token.ent_iob_}")
        if token.is_title:
            f.append("title")
        if token.is_upper and len(token) > 1:
            f.append("upper")
        if token.like_num:
            f.append("num")
        if token.is_stop:
            f.append("stop")
        if token.is_alpha:
            f.extend(_frequency(low))
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
            if 0 <= k < len(doc):
                f.extend(neighbours[offset][k])
                if offset in (-1, 1) and doc[k].ent_type_:
                    f.append(f"{offset:+d}:ent={doc[k].ent_type_}")
                if offset == -1:
                    f.append(f"-1:lemma={doc[k].lemma_.lower()}")
                if offset in (-1, 1) and doc[k].is_alpha:
                    f.extend(f"{offset:+d}:{x}" for x in _frequency(doc[k].lower_))
            else:
                f.append(f"{offset:+d}:edge")
        if i >= 1:
            f.append(f"bigram=-1:{doc[i - 1].lower_}|{low}")
        ci = token._.asof_clause
        lo = 0
        if 0 <= ci < len(clauses):
            clause = clauses[ci]
            lo = clause.start
            for flag in ("negated", "hypothetical", "question", "reported", "used_to",
                         "correction", "future"):
                if getattr(clause, flag):
                    f.append(f"clause={flag}")
        f.extend(_left_context(doc, i, lo))
        f.extend(rule_obj.get(i, ()))
        f.extend(rule_trig.get(i, ()))
        if short:
            f.append("short_reply")
            f.extend(asked)
        out.append(f)
    return out
