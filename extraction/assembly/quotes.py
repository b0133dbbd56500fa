"""Quoted first-person speech in a user message, as dictated life stories and notes have it:
"Mum (Ilse Brandt): 'I was born in Bergen in 1950 …'", "- Tomas Berg: 'I left Nordvik in
March …'", "More from him: '…'". The "I" of the quote is the person it is attributed to, not
the speaker.

Who is quoted comes from the words before the colon that opens the quote: a name in brackets
there ("Dad (Rui Alves)"), else a person named there, else a relative's word that an earlier
quote tied to a name ("next part, Dad: '…'"), else, for a short lead-in ("Part 2", "Next
bit", "her words exactly"), the person quoted last in the conversation.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from asof.extraction.assembly.state import ConversationState
from asof.extraction.lexicons import COMPANY_HEADS, KINSHIP
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import trim_name
from asof.graph.ids import normalize_name

__all__ = ["quote_owners"]

#: A lead-in, a colon and an opening quote mark; the lead-in starts after the last line break
#: or sentence end before it ("Nordvik: '16 to '20" opens a year, not a quote).
_OPENING = re.compile(r"(?P<intro>[^\n.!?:]{0,80}?)\s*:\s*(?P<mark>['\"“‘])(?!\d)")
#: A closing mark: after a non-space, before a space, the end or punctuation ("it.' Then").
_CLOSING = re.compile(r"(?<=\S)['\"”’](?=\s|$|[.,;:!?)\]])")
#: A lead-in this short with no one named in it goes on quoting the last person quoted.
_SHORT_LEAD_IN = 4
#: Names in brackets: "Dad (Rui Alves, goes by Ray here)".
_BRACKETED = re.compile(r"\(([^)]*)\)")
_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*)*")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|my|me)\b", re.IGNORECASE)
#: Pronouns a lead-in may point with, and the gender each asks for.
_THIRD_PERSON = {"him": "he", "his": "he", "he": "he", "her": "she", "she": "she"}


def quote_owners(doc: Doc, state: ConversationState, positions: dict[str, int],
                 speaker: str) -> list[tuple[int, int, str]]:
    """The quoted stretches of the message said in the first person by someone else: (start
    char, end char, whose words). ``positions``: the people this message names, at the char
    offset of their first mention."""
    text = _text(doc)
    found: list[tuple[int, int, str]] = []
    at = 0
    while (opening := _OPENING.search(text, at)) is not None:
        start = opening.end()
        closing = _CLOSING.search(text, start)
        end = closing.start() if closing is not None else len(text)
        at = max(end, start) + 1
        if not _FIRST_PERSON.search(text[start:end]):
            continue
        owner = _owner(state, positions, opening.group("intro"), opening.start("intro"))
        if owner is not None and owner != speaker:
            found.append((start, end, owner))
            state.quoted[""] = owner
    return found


def _owner(state: ConversationState, positions: dict[str, int], intro: str,
           offset: int) -> str | None:
    words = re.findall(r"[\w'’-]+", intro.lower())
    kin = next((w for w in words if w in KINSHIP), None)
    for inside in _BRACKETED.findall(intro):
        name = _NAME.search(inside.split(",")[0])
        if name is not None and len(name.group().split()) >= 2:
            owner = state.add_person(trim_name(name.group()))
            if kin is not None:
                state.quoted[kin] = owner
            return owner
    named = [(pos, name) for name, pos in positions.items()
             if offset <= pos < offset + len(intro) and state.type_of(name) == "person"]
    if named:
        return max(named)[1]
    run = _NAME.fullmatch(intro.strip(" -–—•*\t"))
    if run is not None and len(run.group().split()) >= 2 and \
            state.type_of(run.group()) in (None, "person") and \
            run.group().split()[-1].lower() not in COMPANY_HEADS:
        return state.add_person(trim_name(run.group()))  # "- Tomas Berg: '…'", a list's line
    if kin is not None and kin in state.quoted:
        return state.quoted[kin]
    pronoun = next((w for w in words if w in _THIRD_PERSON), None)
    if pronoun is not None:
        # "More from him", "her words exactly": the one quoted last, else the latest person
        return state.quoted.get("") or state.recent_person(_THIRD_PERSON[pronoun],
                                                           set(state.user_speakers))
    if len(words) <= _SHORT_LEAD_IN and "" in state.quoted and not any(
            normalize_name(w) in state.speakers for w in words):
        return state.quoted[""]
    return None
