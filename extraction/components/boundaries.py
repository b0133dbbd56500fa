"""``asof_name_joins_v1``: runs before the parser and tells it where sentences do and do not
start.

The English model reads the particle of a Portuguese or Spanish name as a word of its own
language: in "I joined Rolhas Vale do Sousa on 2 May" it takes "do" for a verb and opens a
new sentence there, so the name is cut in two and the clause after it loses its subject. A
lower-case particle between two capitalised words ("Vale do Sousa", "Santa Maria da Feira",
"Banco do Brasil") is inside a name: neither it nor the word after it may start a sentence.
The parser keeps boundaries set before it runs (``Token.is_sent_start = False``).

In chat an emoji ends a sentence as a full stop does: in "I finish at the bakery on 28 Aug 🥹
my new boss will be Sara Lund" the parser reads one sentence, so the date of the first
statement dated the second. A pronoun, a possessive or a connective after an emoji that
follows a word starts a sentence.

A day and month written with full stops ("ab 1.7. bin ich bei …", "bis 14.4. an der
Uniklinik") end in a full stop the tokenizer splits off; the parser read it as the end of a
sentence, so the date lost the statement it dates. A lower-case word after such a date
starts no sentence.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from asof.extraction.components.base import NAME_CONNECTORS
from asof.extraction.spans import is_emoji

#: Connectors that are lower-case words of their own language ("do", "da", "de" …), not "&"
#: or "-", which the parser never takes for a sentence start.
_PARTICLES = frozenset(w for w in NAME_CONNECTORS if w.isalpha() and w not in ("the", "of"))

#: Words that open a statement of their own after an emoji ("… 🥹 my new boss will be …").
_SENTENCE_OPENERS = frozenset({"i", "my", "we", "our", "she", "he", "they", "her", "his",
                               "their", "also", "btw", "but", "so", "anyway", "plus"})


#: A day and month written with full stops, as the tokenizer leaves it ("1.7", "14.04").
_DAY_MONTH = re.compile(r"\d{1,2}\.\d{1,2}")


class NameJoins:
    def __call__(self, doc: Doc) -> Doc:
        for i in range(1, len(doc) - 1):
            token = doc[i]
            if is_emoji(token.text) and doc[i - 1].is_alpha and \
                    doc[i + 1].lower_ in _SENTENCE_OPENERS:
                doc[i + 1].is_sent_start = True
                continue
            if token.text == "." and not doc[i - 1].whitespace_ and \
                    _DAY_MONTH.fullmatch(doc[i - 1].text) and doc[i + 1].is_lower:
                doc[i + 1].is_sent_start = False  # "ab 1.7. bin ich bei …"
                continue
            if token.text in _PARTICLES and doc[i - 1].text[:1].isupper() and \
                    doc[i + 1].text[:1].isupper() and doc[i - 1].is_alpha and \
                    doc[i + 1].is_alpha and bool(doc[i - 1].whitespace_):
                token.is_sent_start = False
                doc[i + 1].is_sent_start = False
        return doc


@Language.factory("asof_name_joins_v1", default_config={})
def make_name_joins(nlp: Language, name: str) -> NameJoins:
    return NameJoins()
