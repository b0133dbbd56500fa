"""The lexicons of extraction: word lists read from ``extraction/data/`` (titles, kinship,
languages, departments, …) and the small closed sets the rules and the assembler test words
against. Knowledge of words lives here and in the data files, not in the code that uses it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, NamedTuple


def data_lines(name: str) -> list[str]:
    """The lines of ``extraction/data/<name>``, stripped, without blank lines and ``#``
    comments: where the lexicons live."""
    text = resources.files("asof.extraction").joinpath(f"data/{name}").read_text("utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


@cache
def data_json(name: str) -> dict[str, Any]:
    """``extraction/data/<name>`` read as JSON (once; callers must not change it)."""
    text = resources.files("asof.extraction").joinpath(f"data/{name}").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data



def _data_words(name: str) -> frozenset[str]:
    """A word list from ``extraction/data/`` (one word a line, ``#`` comments), lower case."""
    return frozenset(line.lower() for line in data_lines(name))


TITLE_HEADS = _data_words("title_heads.txt")

#: Titles that name a relation to a person rather than a job ("my manager is X").
RELATIONAL_ROLES = frozenset({"manager", "boss", "lead", "supervisor", "admin", "deputy",
                              "contact", "colleague", "coworker", "co-worker", "buddy",
                              "mentor", "owner", "report", "hire", "teammate"})

#: Names of subscription tiers ("upgrade us to Business": the business plan).
PLAN_TIERS = _data_words("plan_tiers.txt")

#: Courtesy titles before a person's name ("Mr. Samuel Odhiambo", "Dr Helen Carter"): not part
#: of the name the memory keeps.
HONORIFICS = frozenset({"mr", "mrs", "ms", "mx", "miss", "dr", "prof", "herr", "frau", "mme",
                        "mlle", "sra", "srta", "capt", "sir", "dame", "pak", "ibu", "bapak",
                        "ing", "engr", "atty"})

#: Role nouns that tie a person to the possessor's organisation ("our admin is X").
WORK_ROLES = frozenset({"manager", "boss", "lead", "admin", "administrator", "deputy",
                        "contact", "colleague", "coworker", "co-worker", "ceo", "cto", "cfo",
                        "coo", "cio", "cmo", "director", "head", "vp", "president",
                        "founder", "cofounder", "co-founder", "owner", "teammate",
                        "engineer", "officer", "hire", "recruiter", "partner", "chief"})

EXEC_TITLES = frozenset({"ceo", "cto", "cfo", "coo", "cio", "cmo", "cpo", "ciso", "vp", "cro",
                         "cso", "cdo", "cco", "chro", "cao",
                         "president", "chairman", "chairwoman", "founder", "director",
                         "head", "chief"})

GROUP_WORDS = _data_words("group_words.txt")

EVENT_WORDS = _data_words("event_words.txt")
#: Name endings that mark an event ("DevSummit", "PyCon", "Oktoberfest").
EVENT_SUFFIXES = ("summit", "con", "conf", "fest", "camp", "expo", "week")

SCHOOL_WORDS = frozenset({"university", "college", "school", "institute", "institut",
                          "academy", "polytechnic", "uni", "universität", "université",
                          "universidad", "szkoła", "lycée", "gymnasium", "goethe-institut"})

LANGUAGES = _data_words("languages.txt")

PET_WORDS = frozenset(data_lines("pet_words.txt")) | {"budgies", "dogs", "cats"}

OWNABLE_WORDS = frozenset({"car", "bike", "bicycle", "motorbike", "motorcycle", "scooter",
                           "van", "truck", "boat", "tinny", "kayak", "canoe", "house", "flat",
                           "apartment", "cottage", "cabin", "piano", "guitar", "turntable",
                           "laptop", "camera", "rower", "treadmill", "printer", "printers",
                           "ute", "suv", "caravan", "rv", "yacht", "drone", "console",
                           "collection", "tesla", "mazda", "toyota", "ford", "honda", "bmw",
                           "audi", "volkswagen", "vw", "hilux", "subaru", "nissan", "kia",
                           "hyundai", "volvo"})


def ownable_noun(word: str) -> bool:
    """A noun for a thing one owns, singular or plural ("bike", "cars")."""
    return word in OWNABLE_WORDS or word.rstrip("s") in OWNABLE_WORDS

#: Departments are not organisations ("Marco from IT").
DEPARTMENTS = _data_words("departments.txt")

KINSHIP = {"husband": "he", "wife": "she", "son": "he", "daughter": "she", "brother": "he",
           "sister": "she", "mom": "she", "mum": "she", "mother": "she", "dad": "he",
           "father": "he", "partner": None, "friend": None, "cousin": None, "boyfriend": "he",
           "girlfriend": "she", "aunt": "she", "uncle": "he", "grandma": "she",
           "grandpa": "he", "niece": "she", "nephew": "he", "fiancé": None, "fiance": None,
           "fiancée": "she", "spouse": None, "kid": None, "child": None,
           "granddaughter": "she", "grandson": "he", "grandmother": "she",
           "grandfather": "he", "stepmother": "she", "stepfather": "he", "stepson": "he",
           "stepdaughter": "she"}

#: Words for a spouse, in English chat and other languages ("hubby", "esposa", "mahaththaya").
SPOUSE_WORDS = frozenset(w.lower() for w in data_json("role_words.json")["spouse"])
#: Words that answer "yes" at the start of a reply ("ya", "sí", "ndiyo").
YES_WORDS = _data_words("yes_words.txt")
#: Words that answer "no" at the start of a reply ("nah", "nem", "não").
NO_WORDS = _data_words("no_words.txt")

#: Words for who someone is to the writer: kinship, spouses ("role_words.json") and the chat
#: and other-language forms of ``data/relation_nouns.txt`` ("sis", "hermana").
RELATION_NOUNS = SPOUSE_WORDS | frozenset(
    w.lower() for w in (*KINSHIP, *data_lines("relation_nouns.txt")))

#: Lower-case particles inside a person's name ("Joost de Vries", "Ana da Silva").
NAME_PARTICLES = frozenset({"de", "da", "di", "do", "dos", "das", "del", "della", "van", "von",
                            "der", "den", "ter", "ten", "du", "bin", "ibn", "bint", "le", "la",
                            "ó", "ní", "nic"})

#: Words that make a clause non-factual when they govern it.
HYPOTHETICAL = frozenset({"if", "would", "could", "might", "should", "maybe", "perhaps",
                          "considering", "evaluating", "thinking", "wonder", "wondering",
                          "hope", "hoping", "wish", "dream", "someday", "unless",
                          "whether", "plan", "planning", "consider", "want", "wants",
                          "'d", "suppose", "imagine", "kidding", "joking", "lol—kidding"})
REPORTING_VERBS = frozenset({"think", "say", "believe", "claim", "swear", "suggest",
                             "recommend", "tell", "insist", "argue", "reckon", "feel"})
CORRECTION_CUES = ("actually", "correction", "sorry", "i mean", "i meant", "wait", "scratch that",
                   "messed", "mixed up", "mix up", "my mistake", "typo", "autocorrect",
                   "not quite", "rather")


#: Last words that make a capitalised name a company ("Quorra Bank", "Tessaly Foods"), and the
#: legal suffixes ("Inc", "GmbH"): names the small model often leaves untagged.
COMPANY_HEADS = _data_words("company_heads.txt")


#: Nouns that stand in for a thing without naming it ("the ones", "the way", "a lot").
VAGUE_NOUNS = _data_words("vague_nouns.txt")
#: The parts of a working day ("love my job", "like the team"): no taste when liked alone.
WORK_DAY_NOUNS = _data_words("work_day_nouns.txt")
#: Words that take back the statement before them as a joke ("… joking o, lagos for life").
JOKE_MARKERS = _data_words("joke_markers.txt")
#: Marks that make the praise they close sarcastic ("we simply LOVE that printer … 🙄").
SARCASM_MARKERS = _data_words("sarcasm_markers.txt")
#: Head nouns that make "<Name> <noun>" no place to live in ("the Dublin office", "Pro plan").
NON_PLACE_HEADS = _data_words("non_place_heads.txt")
#: A school's last name word or a study noun ("Hillcrest Elementary", "nursing program").
STUDY_WORDS = _data_words("study_words.txt")
#: Degrees as typed ("MSc at Aalto", "B.Tech from NIT Trichy").
DEGREE_WORDS = _data_words("degree_words.txt")
#: Head nouns that make "<Name> <noun>" a group ("Didsbury Dads running club").
GROUP_HEADS = _data_words("group_heads.txt")
#: Head nouns that make "<Name> <noun>" a place visited for what it is ("a LGBTQ center").
VENUE_HEADS = _data_words("venue_heads.txt")
#: Nouns after a town that make the phrase a site of an organisation ("the Tartu warehouse").
FACILITY_HEADS = _data_words("facility_heads.txt")
#: Fillers that trail a chat statement ("slack tbh"): no part of a name read into them.
CHAT_FILLERS = _data_words("chat_fillers.txt")
#: Subjects that speak for the speaker's side as "we" does ("team uses gitlab").
COLLECTIVE_SUBJECTS = _data_words("collective_subjects.txt")
#: Words by which speakers speak of themselves, in several languages ("I", "my", "yo", "ich").
SELF_WORDS = _data_words("first_person.txt")
#: "I am" in other languages, before the speaker's own name ("Soy Flor, …").
I_AM = _data_words("i_am.txt")
#: Words of other languages that open a sentence and are never part of the name after them.
FOREIGN_OPENERS = _data_words("foreign_openers.txt") | I_AM
#: Verbs that make "a plan" a document written, not a subscription ("drafting the plan").
DOCUMENT_VERBS = _data_words("document_verbs.txt")
#: Life stages that are over ("when I was younger"): a past-tense clause beside one is "used to".
CHILDHOOD_PHRASES = tuple(line.lower() for line in data_lines("childhood_phrases.txt"))
#: Words between two times that make the second correct the first ("'71 — no, wait, '72").
TIME_CORRECTION_WORDS = _data_words("time_correction_words.txt")
#: An assistant's question that makes a verbless reply hypothetical ("the role you're
#: interviewing for?").
HYPOTHETICAL_PROMPTS = tuple(line.lower() for line in data_lines("hypothetical_prompts.txt"))
#: Head nouns that make "as a <noun>" no job title ("as a friend", "as a career").
NON_TITLE_HEADS = _data_words("non_title_heads.txt")


class TaggerGate(NamedTuple):
    """How the learned tagger's spans of one predicate are let through
    (``data/tagger_gates.json``)."""

    proposed: bool  #: False: the predicate is left to the rules
    near_words: frozenset[str]  #: one of these must be near the span (empty: none needed)
    window: int  #: how many tokens away from the span that word may be
    rules_first: bool  #: no span in a clause where a rule reads the predicate
    min_confidence: float  #: the least confidence a span needs (above the tagger's threshold)


@cache
def tagger_gate(predicate: str) -> TaggerGate | None:
    """The gate of ``predicate``'s tagged spans, None when they all are let through."""
    gate = data_json("tagger_gates.json").get(predicate)
    if not isinstance(gate, dict):
        return None
    near = gate.get("near_words")
    return TaggerGate(bool(gate.get("propose", True)),
                      _data_words(near) if near else frozenset(), int(gate.get("window", 0)),
                      bool(gate.get("rules_first", False)),
                      float(gate.get("min_confidence", 0.0)))


@cache
def _given_names() -> dict[str, str]:
    return dict(line.split("\t", 1) for line in data_lines("first_names.tsv"))


def likely_gender(name: str) -> str | None:
    """"she" or "he" when the first word of a person's name is a given name borne (almost)
    only by women or only by men (``data/first_names.tsv``); None when unknown or both."""
    words = name.split()
    return _given_names().get(words[0].lower()) if words else None
