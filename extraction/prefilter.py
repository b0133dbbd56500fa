"""A cheap text test: could this message state a fact the rules can read?

The statistical pipeline (tagger, parser, NER) is most of extraction's cost. Messages that
contain none of the rules' trigger words cannot yield an assertion, so they take a light path
(tokenizer + mention spans only) that still keeps the conversation state the resolution needs
(recency of the people and organisations named). The test is deliberately generous: a false
"yes" only costs time, a false "no" loses facts.

The word lists come from the rules (:mod:`extraction.patterns`): every trigger verb in its
inflected forms, the trigger nouns, title heads, kinship and pet words, languages, correction
cues. Forms of "be" only count when a capitalised word (a possible name) follows within two
words, since "be at/with/on/in X" rules read a name; words that are mostly chatter ("like",
"love", "work", "here", "take") only count with the companion their rules need.
"""

from __future__ import annotations

import re
from functools import lru_cache

from asof.extraction.lexicons import (
    CORRECTION_CUES,
    GROUP_WORDS,
    KINSHIP,
    LANGUAGES,
    OWNABLE_WORDS,
    PET_WORDS,
    TITLE_HEADS,
)
from asof.extraction.patterns import RULES

#: Irregular forms of the trigger lemmas (regular ones are generated).
_IRREGULAR = {
    "begin": ("began", "begun"), "break": ("broke", "broken"), "build": ("built",),
    "buy": ("bought",), "come": ("came",), "do": ("did", "done"), "drive": ("drove", "driven"),
    "fly": ("flew", "flown", "flies"), "go": ("went", "gone", "goes"), "have": ("had", "has"),
    "keep": ("kept",), "leave": ("left",), "lose": ("lost",), "pay": ("paid",),
    "run": ("ran",), "sell": ("sold",), "speak": ("spoke", "spoken"), "spend": ("spent",),
    "split": ("split",), "quit": ("quit",), "marry": ("married", "marries"),
    "die": ("dying",), "tell": ("told",),
}
_BE = {"be", "am", "is", "are", "was", "were", "been", "being", "'m", "'s", "'re", "im",
       "i'm", "it's", "he's", "she's", "we're", "they're", "i've", "we've", "they've"}
#: Cues read by regular expressions in the assembler (plans, roles, intros, corrections).
_EXTRA = {"plan", "tier", "here", "manager", "boss", "lead", "admin", "deputy", "contact",
          "colleague", "coworker", "director", "head", "founder", "owner", "hire", "team",
          "club", "band", "used", "anymore", "longer", "named", "called", "name", "stand"}


def _inflections(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) >= 3 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and \
            lemma[-3] not in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # drop → dropped
    forms |= set(_IRREGULAR.get(lemma, ()))
    return forms


@lru_cache(maxsize=1)
def trigger_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words that make a message worth parsing, forms of "be" that need a name too)."""
    words: set[str] = set()
    for rule in RULES:
        for token in rule.pattern:
            if token.get("OP") in ("?", "*") or str(token.get("OP", "")).startswith("{0"):
                continue
            if "LEMMA" in token:
                for lemma in token["LEMMA"]["IN"]:
                    words |= _inflections(lemma)
            elif "LOWER" in token and "IN" in token["LOWER"]:
                words |= set(token["LOWER"]["IN"])
            break  # the first required token is the trigger
    words -= _BE
    # function words that start some patterns are too common to mean anything alone
    words -= {"own", "owns", "owned", "part"}  # "my own", "part of": in _COMPANIONS
    words -= {"a", "an", "the", "and", "my", "our", "his", "her", "their", "to", "in", "on",
              "as", "ca", "can", "could", "cannot", "n't", "no", "dont", "last", "first",
              "got", "had", "go", "goes"}
    # verbs that only trigger with a companion word are tested by _COMPANIONS instead
    for lemma in _WITH_COMPANION:
        words -= _inflections(lemma)
    words |= TITLE_HEADS | set(KINSHIP) | LANGUAGES | PET_WORDS | OWNABLE_WORDS | _EXTRA | \
        GROUP_WORDS
    return frozenset(words), frozenset(_BE)


#: Common verbs that start a rule only together with a later word ("keep X in Y", "come
#: from", "go to", "had … since", "have a car"): tested as a pattern, not as a word.
_WITH_COMPANION = ("keep", "do", "store", "manage", "build", "host", "track", "have", "come",
                   "go", "fly", "travel", "head", "drive", "stay", "talk", "present", "pass",
                   "run", "play", "pick", "change", "land", "spend", "start", "begin")
_COMPANIONS = re.compile(
    r"\b(?:keep|keeps|kept|do|does|did|done|store[sd]?|manage[sd]?|build|built|host\w*|"
    r"track\w*|run|runs|ran|running)\b[^.!?]{0,40}?\b(?:in|with|on)\s+(?:the\s+|an?\s+)?"
    r"(?:old\s+|new\s+)?[A-Z]"
    r"|\b(?:come|comes|came|coming|move\w*)\b[^.!?]{0,20}?\bfrom\b"
    r"|\b(?:go|goes|went|gone|going|fly|flies|flew|flown|flying|travel\w*|head\w*|drive|"
    r"drives|drove|driving|driven)\s+(?:\w+\s+){0,2}?to\s+(?:the\s+)?[A-Z]"
    r"|\b(?:stay|stays|stayed|staying)\s+(?:at|with)\b"
    r"|\b(?:talk\w*|present\w*|speak\w*)\s+at\b"
    r"|\b(?:pass|passed|passes)\s+away\b"
    r"|\b(?:run|runs|ran)\s+[A-Z]"
    r"|\b(?:play|plays|played|playing)\s+in\b"
    r"|\b(?:pick|picks|picked)\s+up\b"
    r"|\b(?:change[sd]?|changing)\s+(?:\w+\s+){0,3}?(?:to|over|from)\b"
    r"|\b(?:land|lands|landed|arriv\w*)\s+in\b"
    r"|\b(?:spend|spent|spending)\b[^.!?]{0,30}?\bin\s+[A-Z]"
    r"|\b(?:start|starts|started|starting|begin|began|begun|beginning)\b"
    r"[^.!?]{0,30}?(?:\b(?:at|with|on|in)\b|\d)"
    r"|\bhad\b[^.!?]{0,40}?\bsince\b"
    r"|\bpart\s+of\b"
    r"|\b(?:first|start|last)\s+(?:working\s+)?(?:day|date)\b"
    r"|(?<!my )(?<!your )(?<!his )(?<!her )(?<!our )(?<!their )(?<!its )\bown(?:s|ed)?\b")


_WORD = re.compile(r"[a-zà-ÿ]+(?:'[a-z]+)?", re.IGNORECASE)
#: A form of "be", then at most two plain words, then a capitalised word: "I'm at Halvard",
#: "we're on Plane", "was in Turku", "it's Kiki". Not a name further away ("that's so cool,
#: Maren!": a vocative, no fact).
_BE_NAME = re.compile(
    r"(?:\b(?:am|is|are|was|were|be|been|being|im)|['’](?:m|s|re))"
    r"(?:\s+[a-z][\w'’-]*){0,2}\s+(?:the\s+)?[A-Z]")
#: "Maren from Corvid Labs", "Maren here from …": a self-introduction (read by a regex).
_INTRO = re.compile(r"[A-Z][\w'’-]+\s+(?:here\s+)?(?:from|at|with)\s+(?:the\s+)?[A-Z]")
#: Words whose trigger use needs a companion (tested by _LEXICAL_COMPANIONS, not alone):
#: "like"/"love" after a subject or an adverb (not "looks like", "lots of love"); "work"
#: with at/for/with/as; "here at"; "take/accept/sign" with an offer or "with".
_NEEDS_COMPANION = frozenset({
    "like", "love", "work", "works", "worked", "working", "here", "take", "takes", "took",
    "taken", "taking", "accept", "accepts", "accepted", "accepting", "sign", "signs", "signed",
    "signing"})
_LIKE_BEFORE = (r"(?:i|we|you|they|he|she|really|also|still|totally|truly|absolutely|"
                r"both|all|actually|genuinely|just|kinda|sorta|do|does|did|n't|(?-i:[A-Z][\w'’-]+))")
_LEXICAL_COMPANIONS = re.compile(
    r"\b" + _LIKE_BEFORE + r"\s+(?:like|love)\b"
    r"|(?:^|[.!?]\s+)(?:i\s+)?love\b"
    r"|\bwork(?:s|ed|ing)?\b(?:\s+[\w'’-]+){0,3}?\s+(?:at|for|with|as)\b"
    r"|\bhere\s+at\b|(?-i:[A-Z][\w'’-]+)\s+here\b"
    r"|\b(?:take|takes|took|taken|taking|accept\w*|sign|signs|signed|signing)\b"
    r"[^.!?]{0,40}?\b(?:offer|with)\b",
    re.IGNORECASE)
#: Correction cues common in plain chat ("sorry", "wait", "rather") count only with a
#: negation or a contrast nearby ("sorry, April, not May").
_WEAK_CUES = ("sorry", "wait", "rather")
_CONTRAST = re.compile(r"\b(?:not|instead)\b|n['’]t\b", re.IGNORECASE)


def needs_parse(text: str) -> bool:
    """True when ``text`` may hold a fact the rules read (see the module docstring)."""
    words, _be = trigger_words()
    low = text.lower()
    tokens = _WORD.findall(low)
    if any(t in words and t not in _NEEDS_COMPANION for t in tokens):
        return True
    if " as a" in low or " as an " in low or " as the " in low or _COMPANIONS.search(text):
        return True
    if any(t in _NEEDS_COMPANION for t in tokens) and _LEXICAL_COMPANIONS.search(text):
        return True
    for cue in CORRECTION_CUES:
        if cue in low and (cue not in _WEAK_CUES or _CONTRAST.search(text)):
            return True
    if _BE_NAME.search(text) or _INTRO.search(text):
        return True
    return False
