"""``asof_times_v1``: time expressions resolved against the message time (doc._.asof_ref_time).

Writes ``doc._.asof_times``: :class:`asof.timex.TimeMention` objects (char offsets,
the resolved period with its granularity, and the cue role: at/start/end/range/duration).
DATE entities the patterns do not cover go to dateparser (cached, RELATIVE_BASE set).
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Token

from asof.extraction.components.base import ensure_extensions, ref_time
from asof.extraction.lexicons import TIME_CORRECTION_WORDS
from asof.extraction.spans import is_emoji
from asof.timex import (
    MONTHS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    Role,
    Tense,
    TimeMention,
    find_times,
    parse_with_dateparser,
)

_PAST_TAGS = frozenset({"VBD", "VBN"})


_FUTURE_AUX = frozenset({"will", "'ll", "wo", "gonna", "shall"})
#: Dependents that make a bare verb something other than a request (a subject, "to", "did").
_SUBJECT_OR_AUX = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "mark", "expl"})
#: Verbs whose present tense often states a scheduled future ("I start May 6", "we move in
#: June").
_SCHEDULED = frozenset({"start", "move", "join", "begin", "leave", "arrive", "land",
                        "relocate", "report", "go", "fly", "upgrade", "switch"})


#: Words after "last" that make it a time gone by ("last week", "last May", "last Friday",
#: "last few months"); before anything else ("last day July 26", "my last shift") it says
#: nothing about tense.
_LAST_TIME_WORDS = frozenset(
    {"week", "wk", "weekend", "month", "mo", "year", "yr", "night", "time", "summer", "winter",
     "spring", "autumn", "fall", "quarter", "semester", "term", "few", "couple", "two", "three"}
    | set(MONTHS) | set(WEEKDAYS) | set(WEEKDAY_ABBREVIATIONS))


def _says_last_time(doc: Doc, start: int, end: int) -> bool:
    return any(doc[i].lower_ == "last" and i + 1 < len(doc) and
               doc[i + 1].lower_.rstrip(".") in _LAST_TIME_WORDS for i in range(start, end))


def _is_past_verb(token: Token) -> bool:
    """A past tense or participle, but not the participle of "get" ("getting married aug 19",
    "we get promoted in May": a change still to come), nor a month the tagger took for a verb
    ("moving to Lyon sept 14": "sept" as a past tense)."""
    if token.tag_ not in _PAST_TAGS or token.pos_ not in ("VERB", "AUX") or \
            token.lower_.rstrip(".") in MONTHS:
        return False
    before = token.doc[token.i - 1] if token.i > 0 else None
    # the lemmatiser leaves "getting" as it is when the parser calls it an auxiliary
    return not (token.tag_ == "VBN" and before is not None and
                (before.lemma_ == "get" or before.lower_ in ("get", "gets", "getting")) and
                before.tag_ not in _PAST_TAGS)


def clause_tense(doc: Doc, start: int, end: int) -> Tense:
    tokens = doc[start:end]
    lows = {t.lower_ for t in tokens}
    if lows & {"will", "'ll", "gonna", "next", "upcoming", "tomorrow", "soon"}:
        return Tense.FUTURE
    if any(_is_past_verb(t) for t in tokens):
        # "is moving" / "starts" would be future; a past participle after have/be is past
        return Tense.PAST
    if lows & {"ago", "since", "yesterday"} or _says_last_time(doc, start, end):
        return Tense.PAST
    if any(t.tag_ == "VB" and t.dep_ == "ROOT" and t.lemma_ in _SCHEDULED and
           not any(c.dep_ in ("nsubj", "aux") for c in t.children) for t in tokens):
        return Tense.FUTURE  # a fragment with the bare verb: "start @ Kora on mon"
    if any(t.tag_ in ("VBZ", "VBP", "VBG") and (t.lemma_ in _SCHEDULED or
                                                t.lemma_ in ("be", "speak")) for t in tokens):
        if any(t.lemma_ != "be" and t.tag_ in ("VBZ", "VBP", "VBG") for t in tokens) or \
                lows & {"first", "starts", "start"}:
            return Tense.FUTURE
    return Tense.UNKNOWN


def verb_tense(doc: Doc, i: int) -> Tense:
    """The tense of the verb that governs token ``i`` ("I start May 6, already gave notice":
    "May 6" hangs off "start", a scheduled future, whatever "gave" says of the clause)."""
    verb = doc[i]
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return Tense.UNKNOWN
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in aux) or \
            any(a.lower_ == "going" for a in aux) and verb.tag_ == "VB":
        return Tense.FUTURE
    if verb.tag_ in _PAST_TAGS or any(a.tag_ in _PAST_TAGS for a in aux):
        return Tense.PAST
    if verb.tag_ == "VB" and not any(c.dep_ in _SUBJECT_OR_AUX for c in verb.children):
        return Tense.FUTURE  # a request: "Margarida signed ✅ Please move us to Pro on 1 July"
    if verb.tag_ in ("VBZ", "VBP", "VBG") and verb.lemma_ in _SCHEDULED and \
            not any(c.lower_ in ("since", "ago") for c in doc[i].subtree):
        return Tense.FUTURE
    return Tense.UNKNOWN


#: The most text between a time and the one that corrects it ("— no, wait, ").
_CORRECTION_GAP = 30


def _self_corrected(text: str, found: list[TimeMention]) -> list[TimeMention]:
    """A time corrected in the same breath ("married in '71 — no, wait, '72", "on 3.4. — nee,
    Quatsch, 17.4."): the first mention takes the second's value, keeping its own place and
    role (so the fact it belongs to gets the corrected time), and the second is dropped."""
    kept: list[TimeMention] = []
    skip = False
    for first, second in zip(found, [*found[1:], None], strict=False):
        if skip:
            skip = False
            continue
        if second is not None and second.role is Role.AT and \
                0 < second.start_char - first.end_char <= _CORRECTION_GAP and \
                first.value.granularity is second.value.granularity:
            between = re.findall(r"[^\W\d_]+", text[first.end_char:second.start_char].lower())
            if between and set(between) & TIME_CORRECTION_WORDS:
                kept.append(replace(first, value=second.value))
                skip = True
                continue
        kept.append(first)
    return kept


#: A day without a year ("July 26", "31 August", "the 4th", "6/30"), not a relative one.
_YEARLESS_DAY = re.compile(r"^(?!.*\d{4})(?!.*\b(?:last|next|this|ago|yesterday|today|"
                           r"tomorrow)\b).*\d", re.IGNORECASE)
#: Words right before a time that place it in the past whatever its verb ("since July 26",
#: "was July 26").
_PAST_CUE = re.compile(r"\b(?:since|last|ago|was|were|on)\s*$", re.IGNORECASE)


#: Marks that close one part of a sentence before a time ("…, keys july 1").
_PART_BREAKS = frozenset({",", ";", ":", "—", "–", "-"})


def _verbless_part(doc: Doc, first: int) -> bool:
    """The time at token ``first`` sits in a part of the sentence with no verb of its own
    before it ("signed for a place, keys july 1"): the tense of the verb the parser hangs it
    on belongs to another part."""
    k = first - 1
    while k >= 0 and not _part_break(doc[k].text) and not doc[k].is_sent_start:
        if doc[k].pos_ in ("VERB", "AUX"):
            return False
        k -= 1
    return k >= 0 and _part_break(doc[k].text)


def _part_break(text: str) -> bool:
    """A comma, colon, dash, or an emoji, which parts chat as punctuation does ("resigned 😬
    notice period till 31 may")."""
    return text in _PART_BREAKS or is_emoji(text)


@Language.factory("asof_times_v1", default_config={"use_dateparser": True})
def make_times(nlp: Language, name: str, use_dateparser: bool) -> TimeFinder:
    return TimeFinder(use_dateparser)


class TimeFinder:
    def __init__(self, use_dateparser: bool) -> None:
        ensure_extensions()
        self.use_dateparser = use_dateparser

    def __call__(self, doc: Doc) -> Doc:
        ref = ref_time(doc)
        tense_at: dict[int, Tense] = {}
        for clause in doc._.asof_clauses or []:
            tense_at[doc[clause.start].idx] = clause_tense(doc, clause.start, clause.end)
        found = find_times(doc.text, ref, Tense.UNKNOWN, tense_at)
        governed = self._governed_tenses(doc, found, tense_at)
        if governed:
            found = find_times(doc.text, ref, Tense.UNKNOWN, {**tense_at, **governed})
        if self.use_dateparser:
            covered = [(m.start_char, m.end_char) for m in found]
            for ent in doc.ents:
                if ent.label_ != "DATE" or ent.text.strip().isdigit():
                    continue
                if any(s < ent.end_char and ent.start_char < e for s, e in covered):
                    continue
                clause_index = ent[0]._.asof_clause
                tense = Tense.UNKNOWN
                if clause_index >= 0:
                    clause = doc._.asof_clauses[clause_index]
                    tense = clause_tense(doc, clause.start, clause.end)
                value = parse_with_dateparser(ent.text, ref, tense)
                if value is not None:
                    found.append(TimeMention(ent.start_char, ent.end_char, ent.text, value,
                                             Role.AT))
            found.sort(key=lambda m: m.start_char)
        doc._.asof_times = _self_corrected(doc.text, found)
        return doc

    @staticmethod
    def _governed_tenses(doc: Doc, found: list[TimeMention],
                         tense_at: dict[int, Tense]) -> dict[int, Tense]:
        """Times in a clause read as past whose own verb says otherwise: a scheduled future
        ("I start May 6, already gave notice"), or no tense at all for a day without a year
        ("handed in my notice, last day July 26": the nearest July 26, which may be ahead).
        Their tense keyed by offset, and the clause's tense again right after them."""
        changes: dict[int, Tense] = {}
        starts = sorted(tense_at)
        for mention in found:
            clause = [o for o in starts if o <= mention.start_char]
            clause_tense_here = tense_at[clause[-1]] if clause else Tense.UNKNOWN
            if clause_tense_here is not Tense.PAST:
                continue
            token = doc.char_span(mention.start_char, mention.end_char,
                                  alignment_mode="expand")
            if token is None:
                continue
            # the leftmost word attached outside the time, when the parser split it ("started
            # 15. 4., reports to her": "15" hangs on "started", "4" on "reports")
            anchor = next((t for t in token if not token.start <= t.head.i < token.end),
                          token.root)
            own = Tense.UNKNOWN if _verbless_part(doc, token.start) else \
                verb_tense(doc, anchor.i)
            if own is Tense.FUTURE or own is Tense.UNKNOWN and _YEARLESS_DAY.match(
                    mention.text) and not _PAST_CUE.search(
                        doc.text[max(0, mention.start_char - 12):mention.start_char]):
                changes[mention.start_char] = own
                changes.setdefault(mention.end_char, clause_tense_here)
        return changes
