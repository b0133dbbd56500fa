"""``asof_name_joins_v1``: runs before the parser and tells it where no sentence starts.

The English model reads the particle of a Portuguese or Spanish name as a word of its own
language: in "I joined Rolhas Vale do Sousa on 2 May" it takes "do" for a verb and opens a
new sentence there, so the name is cut in two and the clause after it loses its subject. A
lower-case particle between two capitalised words ("Vale do Sousa", "Santa Maria da Feira",
"Banco do Brasil") is inside a name: neither it nor the word after it may start a sentence.
The parser keeps boundaries set before it runs (``Token.is_sent_start = False``).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from asof.extraction.components.base import NAME_CONNECTORS

#: Connectors that are lower-case words of their own language ("do", "da", "de" …), not "&"
#: or "-", which the parser never takes for a sentence start.
_PARTICLES = frozenset(w for w in NAME_CONNECTORS if w.isalpha() and w not in ("the", "of"))


class NameJoins:
    def __call__(self, doc: Doc) -> Doc:
        for i in range(1, len(doc) - 1):
            token = doc[i]
            if token.text in _PARTICLES and doc[i - 1].text[:1].isupper() and \
                    doc[i + 1].text[:1].isupper() and doc[i - 1].is_alpha and \
                    doc[i + 1].is_alpha and bool(doc[i - 1].whitespace_):
                token.is_sent_start = False
                doc[i + 1].is_sent_start = False
        return doc


@Language.factory("asof_name_joins_v1", default_config={})
def make_name_joins(nlp: Language, name: str) -> NameJoins:
    return NameJoins()
