"""Small readings of a parsed message shared by the assembler and its phrase readers:
its text and token offsets (computed once per doc) and names trimmed of the words around
them."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from spacy.tokens import Doc


def text_of(doc: Doc) -> str:
    """``doc.text``, joined once per doc (spaCy joins the tokens again on every access, and
    the message-level readers here scan it many times)."""
    text = doc.user_data.get("asof_text")
    if text is None:
        text = doc.user_data["asof_text"] = doc.text
    return str(text)


def token_at(doc: Doc, char: int) -> int:
    """The index of the token at (or just before) a character offset."""
    starts = doc.user_data.get("asof_starts")
    if starts is None:
        starts = doc.user_data["asof_starts"] = [t.idx for t in doc]
    return max(0, bisect_right(starts, char) - 1)


#: A date glued to a name by the NER ("Coast General Hospital on Feb 3"): cut there.
_TRAILING_DATE_RE = re.compile(
    r"\s+(?:on|in|since|from|by|until|till|as of)\s+(?:the\s+)?(?:\d|(?:jan|feb|mar|apr|may|"
    r"jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b|(?:mon|tues|wednes|thurs|fri|satur|sun)"
    r"day\b|(?:last|next|this)\b).*$", re.IGNORECASE)


#: A numeric date typed after a name ("Honda 6/30", "Brooke 9/9", "Acme 1.4."): cut.
_TRAILING_NUMERIC_DATE_RE = re.compile(r"\s+\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\.?$")
#: Lower-case weekday abbreviations glued after a name in chat ("tostadora fri").
_WEEKDAYS = frozenset({"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
                       "sun", "monday", "tuesday", "wednesday", "thursday", "friday",
                       "saturday", "sunday", "yday", "tmrw", "tmr", "tomorrow", "yesterday"})
#: Lower-case particles that belong inside a name ("Sanne de Vries", "Leonardo da Vinci").
_NAME_PARTICLES = frozenset({"de", "da", "di", "do", "dos", "das", "del", "della", "van",
                             "von", "der", "den", "ter", "ten", "du", "bin", "ibn", "bint"})


def line_end(doc: Doc, i: int) -> int:
    """The index of the first token from ``i`` on that breaks the line (or the doc's end)."""
    while i < len(doc) and "\n" not in doc[i].text:
        i += 1
    return i


def is_emoji(text: str) -> bool:
    """A token made only of emoji, symbols and their joiners ("😬", "🇵🇹", "👍🏽"): in chat it
    parts a sentence as punctuation does."""
    return bool(text) and all(unicodedata.category(c) in ("So", "Sk", "Mn", "Cf")
                              for c in text)


#: Connectives that open a sentence before a name ("Also Smilla (our dog) is …"); not "So"
#: or "Oh", which are surnames too.
_LEADING_CONNECTIVES = frozenset({"also", "and", "but", "plus", "btw", "ps", "anyway", "then"})


def trim_name(text: str) -> str:
    text = _TRAILING_DATE_RE.sub("", text)
    text = _TRAILING_NUMERIC_DATE_RE.sub("", text)
    text = text.strip(" ,.;:!?\"'’()")
    if text.endswith(("'s", "’s")):
        text = text[:-2]
    words = text.split()
    # an emoji or a symbol typed after the name ("head of it 🙂")
    while words and not any(c.isalnum() for c in words[-1]):
        words.pop()
    while words and (words[-1].lower() in ("here", "now", "the", "and", "in", "at", "on",
                                           "today", "tho", "lol", "again", "btw") or
                     (words[-1] in _WEEKDAYS and len(words) > 1)):
        words.pop()
    while words and words[0].lower() in ("the", "a", "an", "our", "my", "their") or \
            len(words) > 1 and words[0].lower() in _LEADING_CONNECTIVES:
        words.pop(0)  # "Also Smilla (our dog)": the connective opening the sentence
    # "w/ Chiamaka Obi", "en Cemex": a lower-case word before a capitalised name is not part
    # of it, unless it is a name particle
    while len(words) > 1 and words[0].islower() and words[0] not in _NAME_PARTICLES and \
            any(w[:1].isupper() for w in words[1:]):
        words.pop(0)
    return " ".join(words)
