"""A name typed in lower case before a role in brackets, in English or another language
("heledd (y wraig)", "temuujin (nökhör 🙂)", "ramón (mi jefe)", "biscuit (our beagle)"): the
pattern and the test of the name, read by roles.py. The words are data
(``data/role_words.json``)."""

from __future__ import annotations

import re
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS

from asof.extraction.lexicons import KINSHIP, PET_WORDS, data_json
from asof.extraction.word_frequency import common_english


def alternation(words: list[str] | set[str] | frozenset[str]) -> str:
    """A regex alternation of ``words``, longest first (so "team lead" wins over "lead")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def bracketed_role_re() -> re.Pattern[str]:
    """Groups: ``name`` (one or two lower-case words), ``poss`` (a word for "my", "his", …,
    if said) and ``role`` (a spouse, boss or pet word)."""
    words = data_json("role_words.json")
    role = alternation({*words["spouse"], *words["boss"], *PET_WORDS, *words["pets"]})
    return re.compile(
        rf"(?<![\w@#'’])(?P<name>[^\W\d_]{{3,}}(?:\s+[^\W\d_]{{3,}})?)\s*\(\s*"
        rf"(?:(?P<poss>(?i:my|our|his|her|{alternation(words['possessives'])}))\s+)?"
        rf"(?P<role>(?i:{role}))(?:\s+(?i:{alternation(words['possessives_after'])}))?"
        rf"(?=[^\w)][^)]*\)|\))")


def lower_case_name(text: str) -> str | None:
    """Words typed in lower case that can be a name, capitalised: no everyday English word,
    stop word or kinship word ("adaeze" → Adaeze; not "lunch (my husband cooked)")."""
    words = text.split()
    if not all(w.islower() and not common_english(w) and
               w not in KINSHIP and w not in STOP_WORDS for w in words):
        return None
    return " ".join(w[:1].upper() + w[1:] for w in words)

