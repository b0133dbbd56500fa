"""Small readings of a parsed message shared by the assembler and its phrase readers:
its text and token offsets (computed once per doc) and names trimmed of the words around
them."""

from __future__ import annotations

import re
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


def trim_name(text: str) -> str:
    text = _TRAILING_DATE_RE.sub("", text)
    text = text.strip(" ,.;:!?\"'’()")
    if text.endswith(("'s", "’s")):
        text = text[:-2]
    words = text.split()
    while words and words[-1].lower() in ("here", "now", "the", "and", "in", "at", "on",
                                          "today", "tho", "lol", "again", "btw"):
        words.pop()
    while words and words[0].lower() in ("the", "a", "an", "our", "my", "their"):
        words.pop(0)
    return " ".join(words)
