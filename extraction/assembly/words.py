"""Tests on names and spans that need no conversation: is this name an event, a group, a
company "… Group"; is this literal too vague to keep; what is left of it once cleaned."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from asof.extraction.patterns import (
    EVENT_SUFFIXES,
    EVENT_WORDS,
    GROUP_WORDS,
    VAGUE_NOUNS,
)


def is_event(name: str) -> bool:
    low = name.lower()
    words = low.replace("-", " ").split()
    if any(w in EVENT_WORDS for w in words) or "i/o" in low or ":" in low:
        return True
    # "DevSummit", "GopherCon", "Oktoberfest": an event suffix glued to a name
    for word in name.replace("-", " ").split():
        for suffix in EVENT_SUFFIXES:
            cut = len(word) - len(suffix)
            if cut >= 2 and word.lower().endswith(suffix) and (
                    word[cut].isupper() or (suffix == "fest" and word[1:].islower())):
                return True
    return False


def event_appositive(text: str, name: str) -> bool:
    """"FIL, the book fair here": an appositive right after the name calls it an event."""
    at = text.find(name)
    if at < 0:
        return False
    match = re.match(r"\s*,\s*(?:the|a|an|our|their)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)",
                     text[at + len(name):])
    return match is not None and any(w in EVENT_WORDS for w in match.group(1).lower().split())


def is_group(name: str) -> bool:
    words = name.lower().split()
    return bool(words) and (words[-1] in GROUP_WORDS or any(w in GROUP_WORDS for w in words[1:]))


def company_group(name: str) -> bool:
    """"Harwick Insurance Group", "Tessaly Group": a company named "… Group" (capitalised,
    after at least one other capitalised word), not a club or a team."""
    words = name.split()
    return len(words) >= 2 and words[-1] == "Group" and words[-2][:1].isupper()


# ---------------------------------------------------------------------------- helpers

def vague_literal(doc: Doc, start: int, end: int) -> bool:
    """A literal object with no noun of its own, or only a stand-in noun ("ones", "way")."""
    span = doc[start:min(end, len(doc))]
    if any(t.pos_ == "PRON" for t in span):
        return False  # "I love it": the thing "it" means is found later
    tokens = [t for t in span if not t.is_punct and not t.is_stop]
    if not tokens:
        return True
    nouns = [t for t in tokens if t.pos_ in ("NOUN", "PROPN") or t.tag_ == "VBG"]
    return not nouns or all(t.lower_ in VAGUE_NOUNS for t in nouns)


_LITERAL_DROP = frozenset({"a", "an", "the", "my", "our", "his", "her", "their", "its",
                           "some", "really", "very", "so", "just", "also", "still", "lol",
                           "honestly", "actually"})


def clean_literal(text: str) -> str:
    words = [w for w in re.split(r"\s+", text.strip(" ,.;:!?\"'")) if w]
    while words and words[0].lower() in _LITERAL_DROP:
        words.pop(0)
    while words and words[-1].lower() in _LITERAL_DROP:
        words.pop()
    return " ".join(words).lower()
