"""Truecasing before the parser: a person's name typed in lower case right after the word for
who they are to the writer ("my sister ilka", "the wife, oriane", "mi mamá rosalba") is
capitalised, there and wherever the conversation's user messages type it after that, so that
the parser and the rules see a name ("my sister Ilka is at Brovik too" gives Ilka the job, not
the writer). Only the case of first letters changes: every offset stays valid.

Names written with capitals elsewhere in the conversation (by the assistant, or by the user
in another message) were tried as a source too: capitalised, a child's or a colleague's
first name became the last person named before the writer's own verbless facts and took
them (blind/ F1 0.5261 -> 0.4975); runs of several capitalised words alone changed nothing.

A word counts as such a name when it is no everyday word of English or of another language
(``data/common_words.tsv``: "meine oma ist aus Graz", "mi mamá rosalba vive en …"), no everyday
English word with an ending ("my father fished"), no stop word, no chat filler ("tbh") and no
relation word itself. The words that announce a name are those of family and home
(``lexicons.RELATION_NOUNS``: kinship, spouses, and the chat forms and other languages' words
of ``data/relation_nouns.txt``: "sis", "hermana"). A boss or a colleague ("my manager ilka")
is left to the role readers: capitalised there too, the name became the antecedent of the
next "she" and took other people's jobs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS

from asof.extraction.lexicons import RELATION_NOUNS, data_json, data_lines
from asof.extraction.word_frequency import common_words

#: Words for "my" (and "the", as in "the wife") that may open "<possessive> <relation> <name>".
_POSSESSIVES = ("my", "our", "his", "her", "their", "the")

#: English frequency (Zipf x2) at or above which a word is too common to be a name typed in
#: lower case: first names score 6 or less ("rafa", "iona"), chat words 7 or more ("pls", "rn").
_EVERYDAY = 7


@cache
def _announcer() -> re.Pattern[str]:
    roles = data_json("role_words.json")
    possessives = sorted(set(_POSSESSIVES) | {p.lower() for p in roles["possessives"]},
                         key=len, reverse=True)
    relations = sorted(RELATION_NOUNS, key=len, reverse=True)
    announcer = r"(?:{})\s+(?:{})".format("|".join(map(re.escape, possessives)),
                                          "|".join(map(re.escape, relations)))
    return re.compile(r"(?<![\w'’])" + announcer +
                      r"(?:\s*,)?\s+([^\W\d_]+)(?:\s+([^\W\d_]+))?", re.IGNORECASE)


@cache
def _fillers() -> frozenset[str]:
    return frozenset(data_lines("chat_fillers.txt"))


def _name_word(word: str) -> bool:
    english, other = common_words().get(word, (0, False))
    return word.islower() and len(word) >= 3 and len(word[0].upper()) == 1 and \
        english < _EVERYDAY and not other and not _inflected(word) and \
        word not in STOP_WORDS and word not in _fillers() and word not in RELATION_NOUNS


def _inflected(word: str) -> bool:
    """An everyday English verb or noun with an ending ("my father fished", "my mum nags")."""
    for ending in ("ing", "ed", "es", "d", "s"):
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and \
                common_words().get(stem, (0, False))[0] >= _EVERYDAY:
            return True
    return False


def lower_case_names(texts: Iterable[str]) -> set[str]:
    """The words of the names typed in lower case after a relation word in ``texts``."""
    names: set[str] = set()
    for text in texts:
        for match in _announcer().finditer(text):
            first, second = match.group(1), match.group(2)
            if not _name_word(first):
                continue
            names.add(first)
            if second is not None and _name_word(second):
                names.add(second)
    return names


def truecase_conversation(texts: Iterable[str]) -> list[str]:
    """The messages of one conversation, in order, each truecased with the names its own text
    and the messages before it announce (as a message stream is read: a later message changes
    nothing before it)."""
    names: set[str] = set()
    out: list[str] = []
    for text in texts:
        names |= lower_case_names([text])
        out.append(truecase(text, names))
    return out


def truecase(text: str, names: set[str]) -> str:
    """``text`` with every whole-word occurrence of ``names`` capitalised."""
    if not names:
        return text
    return re.sub(r"(?<![\w'’])[^\W\d_]+(?![\w'’])",
                  lambda m: m.group(0)[0].upper() + m.group(0)[1:]
                  if m.group(0) in names else m.group(0), text)


__all__ = ["lower_case_names", "truecase", "truecase_conversation"]
