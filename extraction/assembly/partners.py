"""The speaker's partner named beside them as one subject: "Fatou and I moved", "wanjiru n i
were in mombasa", "Tamati (my partner) and I", "kemi and me", "me and my boyfriend Luca"."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from asof.extraction.components.base import Clause, is_nameish, name_start
from asof.extraction.components.mentions import name_ending_at
from asof.extraction.gazetteer import is_place_name
from asof.extraction.lexicons import KINSHIP
from asof.extraction.spans import text_of as _text
from asof.extraction.word_frequency import common_words


def partner_named_with(doc: Doc, speaker_span: tuple[int, int]) -> str | None:
    """The partner named right before the speaker's "I" or "me" with "and", "n" or "&", as a
    name to store (a lower-case one capitalised), or None."""
    first = speaker_span[0]
    if first < 2 or doc[first - 1].lower_ not in ("and", "n", "&"):
        return None
    k = _before_aside(doc, first - 2)
    # "Tamati (my partner) and I": a relative's name, whatever the NER makes of it
    kin = any(t.lower_ in KINSHIP for t in doc[k + 1:first - 1])
    if (kin and is_nameish(doc[k]) or _partner_before(doc, k)) and \
            doc[first - 1].lower_ == "and":
        return _full_name(doc, k)
    if _lower_partner(doc, k):
        return doc[k].text.title()
    return None


def _partner_before(doc: Doc, i: int) -> bool:
    """"Fatou and I …": the name before "and I" is a person coordinated with the speaker,
    not the tail of an organisation or place named earlier ("… at Orbit Labs and I live …")."""
    token = doc[i]
    if not is_nameish(token):
        return False
    if token.dep_ == "appos" and token.head.lower_ in KINSHIP and \
            token.head.dep_ in ("nsubj", "nsubjpass"):
        return True  # "my husband Takeshi and I moved": the subject's name, whatever the NER
    if token.dep_ in ("nsubj", "nsubjpass") and token.ent_type_ in ("NORP", "GPE", "ORG") and \
            i + 2 < len(doc) and doc[i + 2].dep_ == "conj" and doc[i + 2].head.i == i and \
            not is_place_name(doc[name_start(doc, i):i + 1].text):
        return True  # "Veikko and I went": the subject beside the "I", whatever the NER
    if token.ent_type_ in ("ORG", "GPE", "LOC", "FAC", "PRODUCT", "NORP", "EVENT") or \
            token.dep_ in ("pobj", "dobj", "attr", "appos"):
        return False
    k = name_start(doc, i)
    return not (k > 0 and doc[k - 1].pos_ in ("ADP", "VERB", "AUX"))


def _lower_partner(doc: Doc, i: int) -> bool:
    """"wanjiru n i were in mombasa": a partner typed in lower case, no English word."""
    token = doc[i]
    return token.is_alpha and token.is_lower and len(token) >= 3 and not token.is_stop and \
        (i == 0 or bool(doc[i - 1].whitespace_) and (doc[i - 1].is_punct or
                                                     not doc[i - 1].is_alpha)) and \
        common_words().get(token.lower_, (0, False))[0] < 6


#: "me and Luca …", "me & my sister Ana …": the speaker is a subject beside the name.
ME_AND = re.compile(r"(?:^|[^\w'’])(?i:me|i)\s+(?:and|&|n)\s+(?:(?i:my|our)\s+[\w-]+\s+)?$")


def and_i(doc: Doc, clause: Clause) -> str | None:
    """"Fatou and I …" / "she and I": the partner named with the speaker."""
    for token in doc[max(0, clause.start - 1):clause.end]:
        if token.lower_ == "and" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "i":
            prev = doc[token.i - 1] if token.i > 0 else None
            if prev is not None and is_nameish(prev):
                return _full_name(doc, prev.i)
    text = _text(doc)
    match = re.search(r"([A-Z][\w'’-]+) and I\b", text)
    return match.group(1) if match else None


def _before_aside(doc: Doc, k: int) -> int:
    """The token before a bracketed aside that ends at ``k`` ("Tamati (my partner) and I":
    Tamati), else ``k``."""
    if doc[k].text != ")":
        return k
    opening = next((i for i in range(k - 1, max(-1, k - 8), -1) if doc[i].text == "("), None)
    return opening - 1 if opening is not None and opening >= 1 else k


def _full_name(doc: Doc, k: int) -> str:
    """The whole name that ends at token ``k`` ("my husband Tom Berg and I": Tom Berg, not
    Berg), not reaching back past the sentence's first word."""
    run = name_ending_at(doc, k)
    start = run[0] if run is not None else k
    while start < k and doc[start].is_sent_start and not doc[start].ent_type_ == "PERSON":
        start += 1  # "Yesterday Tom and I …"
    return doc[start:k + 1].text
