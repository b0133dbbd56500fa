"""Doc/Token extensions shared by the components, and small token helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from spacy.tokens import Doc, Token

from asof.extraction.lexicons import FOREIGN_OPENERS, HONORIFICS
from asof.extraction.patterns import PLAN_SWITCH_VERBS
from asof.extraction.word_frequency import common_english
from asof.graph.predicates import Predicate, default_registry
from asof.timex.vocabulary import (
    HOLIDAYS,
    MONTH_NAMES,
    SEASONS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_NAMES,
)

SUBJECT_PRONOUNS = frozenset({"i", "we", "he", "she", "they", "you"})
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
THIRD_PERSON = {"he": "he", "him": "he", "his": "he", "she": "she", "her": "she",
                "hers": "she", "they": "they", "them": "they", "their": "they"}


@dataclass(slots=True)
class Clause:
    """A token range ``[start, end)`` with its modality flags."""

    start: int
    end: int
    sent: int
    negated: bool = False
    hypothetical: bool = False
    question: bool = False
    #: where a run-on question starts ("His name is Bran any tips?"): facts before it stand
    question_from: int | None = None
    reported: bool = False
    used_to: bool = False
    correction: bool = False
    future: bool = False
    connector: str = ""  #: the word that joined it to the previous clause ("so", "and", …)
    subject: int | None = None  #: token index of the clause subject
    negations: list[int] = field(default_factory=list)  #: token indices of negation words
    hypos: list[int] = field(default_factory=list)  #: token indices of hypothetical cues
    reports: list[int] = field(default_factory=list)  #: reporting verbs ("X thinks …")
    #: "want" of a one-off thing ("wants the q1 deck by fri"): what is wanted is no preference
    requests: list[int] = field(default_factory=list)


def asks_to_switch(doc: Doc, clause: Clause) -> bool:
    """A question that asks the service to change the plan ("can you flip us to Pro on the 1st
    of June?", "Could we move to the Practice plan from 1 July?"): the speaker's organisation
    instructs, it does not ask whether something is so."""
    tokens = doc[clause.start:clause.end]
    return clause.question and any(
        t.lower_ in ("can", "could", "would", "will") and
        tokens[k + 1].lower_ in ("you", "we", "u") and
        any(v.lemma_ in PLAN_SWITCH_VERBS for v in tokens[k + 2:k + 4])
        for k, t in enumerate(tokens[:-2]))


@dataclass(slots=True)
class Candidate:
    """A relation found in a doc, before resolution (subject/object still surface forms)."""

    rule: str
    predicate: str
    kind: str
    clause: int
    trigger: tuple[int, int]
    subject: str  #: "speaker" | "we" | "he" | "she" | "they" | "name" | "none"
    subject_span: tuple[int, int] | None = None
    objects: list[tuple[int, int, str, bool]] = field(default_factory=list)  # start,end,text,name
    negated: bool = False
    inverse: bool = False


def ensure_extensions() -> None:
    """Register the Doc/Token attributes the components read and write (idempotent)."""
    for name, default in (("asof_speaker", None), ("asof_ref_time", None),
                          ("asof_clauses", None), ("asof_times", None),
                          ("asof_candidates", None), ("asof_speakers", None),
                          ("asof_prompt", None), ("asof_registry", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Token.has_extension("asof_clause"):
        Token.set_extension("asof_clause", default=-1)


def ref_time(doc: Doc) -> datetime:
    value = doc._.asof_ref_time
    if value is None:
        raise ValueError("doc._.asof_ref_time (the aware message time) must be set before "
                         "the asof components run")
    return cast(datetime, value)


NAME_CONNECTORS = frozenset({"&", "of", "de", "da", "do", "del", "der", "van", "von", "la",
                             "le", "du", "nr", "rechts", "y", "-", "den", "bin", "al", "el",
                             "dos", "das", "di", "the"})
NOT_NAMES = frozenset({"i", "i'm", "i've", "i'd", "i'll", "im", "ok", "okay", "hi", "hey",
                       "hello", "thanks", "yes", "no", "lol", "pls", "please", "also", "and",
                       "but", "so", "the", "a", "an", "my", "our", "update", "oh", "btw",
                       "fyi", "sure", "great", "good", "yeah", "yep", "nah", "wow", "ps",
                       "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                       "sunday", "january", "february", "march", "april", "june", "july",
                       "august", "september", "october", "november", "december", "today",
                       "he", "she", "they", "we", "it", "this", "that", "there", "here",
                       "what", "who", "when", "where", "how", "why", "which", "mr", "ms",
                       "mrs", "dr", "dr.", "am", "pm", "new", "old", "maybe", "sorry", "cv"})


#: Every word of a holiday's name ("christmas", "eve"): a date word, not a name.
_HOLIDAY_WORDS = frozenset(word for holiday in HOLIDAYS for word in holiday.split())


def _name_in_a_date(token: Token) -> bool:
    """A capitalised word the model puts in a date that no time word explains: a name the
    model took for one ("my husband Joon": DATE, like "June")."""
    low = token.lower_.rstrip(".")
    return token.text[:1].isupper() and token.is_alpha and not token.is_sent_start and \
        low not in MONTH_NAMES and low not in WEEKDAY_NAMES and low not in SEASONS and \
        low not in _HOLIDAY_WORDS and not common_english(low)


def is_honorific(token: Token) -> bool:
    """A courtesy title ("Mr", "Dr.", "Capt") that may stand before a person's name."""
    return token.lower_.rstrip(".") in HONORIFICS


def is_nameish(token: Token) -> bool:
    """A token that can be part of a proper name (case as written, or tagged PROPN)."""
    text = token.text
    if not text or not (text[0].isalnum()) or "/" in text:  # "w/", "b/c", "24/7"
        return False
    if token.lower_ in NOT_NAMES or token.ent_type_ in ("CARDINAL", "PERCENT", "MONEY",
                                                         "ORDINAL"):
        return False
    if token.is_sent_start and token.lower_ in FOREIGN_OPENERS:
        return False  # "Soy Flor, recruiter en …", "Desde el lunes …"
    if token.ent_type_ in ("DATE", "TIME") and not _name_in_a_date(token):
        return False
    if text.islower() and (token.lower_ in WEEKDAY_ABBREVIATIONS or
                           token.lower_ in WEEKDAY_NAMES):
        return False  # "started mon, senior PM now": a day typed in lower case
    if text[0].isupper() or (text[0].isdigit() and any(c.isalpha() for c in text)):
        return True
    if text.isalpha() and token.i >= 2:
        hyphen, before = token.doc[token.i - 1], token.doc[token.i - 2]
        if hyphen.text == "-" and not hyphen.whitespace_ and not before.whitespace_ and \
                before.text[:1].isupper() and before.is_alpha:
            return True  # "Jung Da-eun", "Seo Ha-eun": a given name's second syllable
    if len(text) > 2 and text[0] in "dlDL" and text[1] in "'’" and text[2].isupper():
        return token.i > 0  # "Université d'Antananarivo", "Banque d’Haïti": an elided "de"
    return token.pos_ == "PROPN" and token.i > 0 and not token.is_sent_start


def name_start(doc: Doc, end: int, floor: int = 0) -> int:
    """Where the run of name-like tokens that ends right before ``end`` starts (``end``
    itself when there is none), not looking before ``floor``."""
    start = end
    while start > floor:
        if is_nameish(doc[start - 1]):
            start -= 1
        elif start - 3 >= floor and doc[start - 1].is_alpha and doc[start - 1].is_lower and \
                doc[start - 2].text == "-" and not doc[start - 3].whitespace_ and \
                not doc[start - 2].whitespace_ and is_nameish(doc[start - 3]):
            start -= 3  # "Min-ji Cho", "Park Seo-yeon": a hyphenated given name
        elif start - 2 >= floor and doc[start - 1].text == "-" and \
                not doc[start - 1].whitespace_ and not doc[start - 2].whitespace_ and \
                is_nameish(doc[start - 2]):
            start -= 2  # the same, its second part taken for a name of its own
        elif start - 2 >= floor and start < end and doc[start - 1].lower_ in _PARTICLES and \
                doc[start - 1].is_lower and is_nameish(doc[start - 2]):
            start -= 2  # "Anika de Villiers", "Jan van Dijk": a particle inside the name
        else:
            break
    return start


#: Lower-case particles inside a person's name ("de", "van", "da Silva").
_PARTICLES = frozenset({"de", "da", "do", "dos", "das", "del", "della", "di", "van", "von",
                        "der", "den", "ter", "du", "la", "le", "bin", "binti", "al", "el"})


def _spec(doc: Doc, predicate: str) -> Predicate | None:
    """``predicate`` in the pipeline's registry (the doc's, else the default), if there."""
    registry = doc._.asof_registry or default_registry()
    return registry.get(predicate) if predicate in registry else None


def person_valued(doc: Doc, predicate: str) -> bool:
    """Whether the pipeline's registry has ``predicate`` name a person ("reports_to")."""
    spec = _spec(doc, predicate)
    return spec is not None and spec.object_types == ("person",)


def held_at_work(doc: Doc, predicate: str) -> bool:
    """Whether the pipeline's registry has the employer hold ``predicate`` (a tool or plan)."""
    spec = _spec(doc, predicate)
    return spec is not None and spec.employer_holds
