"""A person named in a question by a word of their name ("Priya" for Priya Raman, "Ji-woo"
for Park Ji-woo), found through the store's full-text search."""

from __future__ import annotations

import re

from asof.graph.ids import normalize_name
from asof.graph.models import Entity
from asof.graph.store import GraphStore

STOP_WORDS = {"i", "me", "my", "we", "our", "it", "the", "a", "an", "who", "what", "where", "when",
         "which", "how", "does", "did", "is", "was", "now", "in", "on", "at", "to", "of"}


def first_name_mentions(store: GraphStore, text: str) -> list[tuple[int, Entity]]:
    """A capitalised word that starts a longer entity name ("Priya" → "Priya Raman"), found
    through full-text search; failing that, a word that is another part of one person's name
    (a given name after the family name, "Ji-woo" → "Park Ji-woo", or a last given name,
    "Mai" → "Nguyễn Thị Mai"). Only an unambiguous match counts. Capitals are any script's
    ("Élodie")."""
    out = []
    for m in re.finditer(r"\b[^\W\d_][\w\-]+", text):
        word = m.group()
        if not word[0].isupper() or word.lower() in STOP_WORDS or \
                m.start() == 0 and word.lower() in QUESTION_WORDS:
            continue
        key = normalize_name(word)
        hits = store.search(word, limit=20)
        names: dict[str, str] = {}
        parts: dict[str, str] = {}
        for hit in hits:
            v = hit.version
            if v is None:
                continue
            for eid, name in ((v.subject_id, v.subject_name), (v.object_id, v.object_name)):
                if not eid or not name:
                    continue
                tokens = normalize_name(name).split()
                if tokens and tokens[0] == key:
                    names[eid] = name
                elif key in tokens[1:]:
                    parts[eid] = name
        if not names and parts and not _in_longer_name(text, m.start(), m.end()):
            people = [e for e in store.get_entities(list(parts)) if e.type == "person"]
            if len({normalize_name(e.name) for e in people}) == 1:
                names = {people[0].id: people[0].name}
        if len(names) == 1:
            entity = store.get_entities(list(names))
            if entity:
                out.append((m.start(), entity[0]))
    return out


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """The word is one of several capitalised words in a row ("Quillon Person2"): a name of
    its own, not a part of someone else's."""
    before = re.search(r"([^\W\d_][\w\-]*)\s+$", text[:start])
    after = re.match(r"\s+([^\W\d_][\w\-]*)", text[end:])
    return any(w is not None and w.group(1)[0].isupper() for w in (before, after))



QUESTION_WORDS = {"who", "what", "where", "when", "which", "how", "does", "did", "is", "was",
                   "according", "as", "in", "on", "before", "after"}
