"""``asof_mentions_v1``: entity mentions — named entities plus proper-name runs the small
model misses — in ``doc.spans["asof_mentions"]``, labelled PERSON/ORG/GPE/… or NAME."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from asof.extraction.components.base import (
    NAME_CONNECTORS,
    ensure_extensions,
    is_nameish,
    name_start,
)
from asof.extraction.lexicons import FOREIGN_OPENERS
from asof.extraction.word_frequency import common_english

#: Words after a number that make it a quantity or a time, not part of a name.
_UNITS = frozenset({"year", "month", "week", "day", "hour", "minute", "am", "pm", "km",
                    "mile", "kg", "time", "people", "person", "of", "x", "st", "nd", "rd",
                    "th", "percent", "%"})

_KEEP = ("PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "NORP", "LANGUAGE",
         "WORK_OF_ART")


@Language.factory("asof_mentions_v1", default_config={"labels": list(_KEEP),
                                                      "name_runs": True})
def make_mentions(nlp: Language, name: str, labels: list[str], name_runs: bool) -> Mentions:
    return Mentions(tuple(labels), name_runs)


def glued_hyphen(doc: Doc, j: int, end: int) -> bool:
    """Token ``j`` is a hyphen typed without spaces between a name part and a lower-case
    word ("Sun-hee", "Seo-yeon", "Ji-ho"): the two parts are one name."""
    return doc[j].text == "-" and j + 1 < end and j > 0 and not doc[j - 1].whitespace_ and \
        not doc[j].whitespace_ and doc[j + 1].is_alpha and doc[j + 1].is_lower and \
        is_nameish(doc[j - 1])


def name_run(doc: Doc, i: int, end: int) -> tuple[int, int] | None:
    """The proper-name run starting at token ``i`` (connectors allowed inside), or None."""
    if i >= end or not is_nameish(doc[i]):
        return None
    j = i + 1
    while j < end:
        token = doc[j]
        if is_nameish(token) and not token.is_sent_start:
            j += 1
            continue
        if token.lower_ in NAME_CONNECTORS and j + 1 < end and is_nameish(doc[j + 1]) \
                and token.lower_ != "the":
            j += 2
            continue
        if glued_hyphen(doc, j, end):
            j += 2  # "Sun-hee Park", "Park Seo-yeon": a hyphenated given name
            continue
        if token.lower_ in ("nr", "no", "no.", "#") and j + 1 < end and doc[j + 1].like_num \
                and not doc[j + 1].like_url:
            j += 2  # "Primary School nr 12", "Station No. 4"
            continue
        if token.like_num and token.text.isdigit() and len(token.text) <= 2 and \
                doc[j - 1].pos_ == "PROPN" and not (
                    j + 1 < end and (doc[j + 1].lower_.rstrip("s") in _UNITS or
                                     doc[j + 1].text in (":", "/", "."))):
            j += 1  # a model number: "Rega Planar 3", "Galaxy S 23"
            continue
        break
    return i, j


def name_ending_at(doc: Doc, j: int) -> tuple[int, int] | None:
    """The proper-name run whose last token is ``j``, or None."""
    if j >= 2 and glued_hyphen(doc, j - 1, j + 1):
        k = name_start(doc, j - 1)  # "Park Seo-yeon"
    elif j < 0 or not is_nameish(doc[j]):
        return None
    else:
        k = name_start(doc, j)
    # "Vasquez-Lund": a hyphen typed without spaces joins the parts of one name
    while k >= 2 and doc[k - 1].text == "-" and not doc[k - 2].whitespace_ and \
            not doc[k - 1].whitespace_ and is_nameish(doc[k - 2]):
        k = name_start(doc, k - 2)
    return k, j + 1


def _trimmed(ent: Span) -> Span | None:
    """The entity cut at a line break ("Amira Haddad\nExpérience") or before the town an
    organisation is in ("Khangai Cashmere in Ulaanbaatar"), and without the lower-case
    abbreviations the model ran into at its end ("Spoke w/" before "Nirosha Perera"); None when
    all that is left is an everyday word opening the sentence ("Spoke", "Met"), which names
    nothing."""
    doc = ent.doc
    end = next((t.i for t in ent if "\n" in t.text), ent.end)  # a name ends with its line
    while end - 1 > ent.start and doc[end - 1].text[:1].islower() and \
            not doc[end - 1].is_alpha and doc[end - 2].whitespace_:
        end -= 1
    if ent.label_ == "ORG" and end - ent.start >= 3 and doc[end - 2].lower_ == "in" and \
            doc[end - 1].is_title and not common_english(doc[end - 1].text):
        end -= 2  # "Khangai Cashmere in Ulaanbaatar": the company, then its town
    start = ent.start
    if end - start >= 2 and doc[start].is_sent_start and (
            doc[start].pos_ in ("VERB", "AUX") and common_english(doc[start].text) or
            doc[start].lower_ in FOREIGN_OPENERS or opening_verb(doc[start])):
        # "Speaks Luganda and English.", "Soy Flor", "Joined Kestrel in 2021" (the model
        # took "Joined" for a proper noun): a sentence's opening verb
        start += 1
    if (start, end) == (ent.start, ent.end):
        return ent
    if end <= start:
        return None
    if end - start == 1 and doc[start].is_sent_start and common_english(doc[start].text):
        return None
    return Span(doc, start, end, label=ent.label_)


#: Irregular past forms that open a note's sentence before a name ("Met Chiamaka Obi …").
_OPENING_PAST = frozenset({"met", "spoke", "saw", "told", "got", "had", "took", "sent",
                           "rang", "gave", "found", "heard", "left", "made", "caught"})


def opening_verb(token: Token) -> bool:
    """A sentence-opening verb of a note, which the model reads as part of the name after it
    ("Met Chiamaka Obi", "Added Haejin Shipping (Busan)", "Called Lakshmi", "Speaks Russian"):
    an everyday word ending in "-ed" (not a short name such as "Ted" or "Reed"), an irregular
    past form or a present one ("speaks", "lives"). (A word of another language that opens a
    sentence, "Soy Flor", opens no name run at all: ``is_nameish``.)"""
    low = token.lower_
    return bool(token.is_sent_start) and common_english(token.text) and (
        len(low) >= 5 and low.endswith("ed") or low in _OPENING_PAST or
        token.tag_ == "VBZ")  # "Speaks Russian, English so-so"


class Mentions:
    def __init__(self, labels: tuple[str, ...], name_runs: bool) -> None:
        ensure_extensions()
        self.labels = labels
        self.name_runs = name_runs

    def __call__(self, doc: Doc) -> Doc:
        ents = [e for e in (_trimmed(e) for e in doc.ents) if e is not None]
        if [(e.start, e.end) for e in ents] != [(e.start, e.end) for e in doc.ents]:
            doc.ents = ents
        spans = [Span(doc, e.start, e.end, label=e.label_) for e in doc.ents
                 if e.label_ in self.labels]
        if self.name_runs:
            taken = {i for s in spans for i in range(s.start, s.end)}
            i = 0
            while i < len(doc):
                run = None if i in taken else name_run(doc, i, len(doc))
                if run is None or doc[i].is_sent_start and run[1] - run[0] == 1 and \
                        doc[i].pos_ != "PROPN":
                    i += 1
                    continue
                if run[1] - run[0] >= 2 and opening_verb(doc[run[0]]):
                    run = (run[0] + 1, run[1])
                spans.append(Span(doc, run[0], run[1], label="NAME"))
                i = run[1]
        doc.spans["asof_mentions"] = spans
        return doc
