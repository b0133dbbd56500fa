"""Object-swapped copies of annotated conversations, for training the tagger on context rather
than on the names it happened to see.

A copy replaces every gold fact's object (and its aliases) in the user messages with another
object the training data gives the same predicate ("works at Kestrel Bank" → "works at
Sendfast"), and the fact's object with it. A name keeps the case it was typed in ("kestrel" →
"sendfast"). Speakers' names stay: they are who talks, not what is said. The choice is seeded,
so the same files give the same copies.

Measured when it was added (docs/extraction.md, scores, 5 December, second session): one copy
per conversation raised held-out F1 on all three held-out sets; a second copy added nothing.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterable
from typing import Any

from asof.extraction.tagger.corpus import name_forms

#: Objects longer than this are sentences rather than names: they are not swapped in.
_LONGEST = 40


def object_pool(conversations: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """Predicate → every object the conversations' facts give it, sorted (a stable choice)."""
    pool: dict[str, set[str]] = {}
    for data in conversations:
        for fact in data.get("facts", []):
            obj = str(fact["object"])
            if 2 <= len(obj) <= _LONGEST:
                pool.setdefault(str(fact["predicate"]), set()).add(obj)
    return {predicate: sorted(objects) for predicate, objects in sorted(pool.items())}


def swapped(data: dict[str, Any], pool: dict[str, list[str]],
            rng: random.Random) -> dict[str, Any] | None:
    """A copy of the gold conversation ``data`` with its facts' objects swapped for others of
    the same predicate from ``pool``, or None when nothing can be swapped."""
    speakers = {str(m.get("speaker", "")).casefold() for m in data.get("messages", [])}
    aliases: dict[str, list[str]] = data.get("aliases") or {}
    replacement: dict[str, str] = {}
    for fact in data.get("facts", []):
        obj = str(fact["object"])
        if obj in replacement or obj.casefold() in speakers:
            continue
        others = [o for o in pool.get(str(fact["predicate"]), []) if o.casefold() != obj.casefold()]
        if others:
            replacement[obj] = rng.choice(others)
    if not replacement:
        return None
    by_form: dict[str, str] = {}
    for obj, new in replacement.items():
        for form in name_forms(obj, aliases):
            by_form.setdefault(form.casefold(), new)
    # longest forms first, so "Kestrel Bank" is replaced whole before "Kestrel"
    forms = sorted(by_form, key=len, reverse=True)
    pattern = re.compile("|".join(r"(?<!\w)" + re.escape(f) + r"(?!\w)" for f in forms),
                         re.IGNORECASE)

    def replace(match: re.Match[str]) -> str:
        new = by_form[match.group(0).casefold()]
        return new.lower() if match.group(0).islower() else new

    out = copy.deepcopy(data)
    for message in out.get("messages", []):
        if message.get("role") == "user":
            message["text"] = pattern.sub(replace, str(message.get("text", "")))
    for fact in out.get("facts", []):
        fact["object"] = replacement.get(str(fact["object"]), fact["object"])
    # aliases of what was swapped now name nothing; the others still label their objects
    out["aliases"] = {name: others for name, others in aliases.items()
                      if not {f.casefold() for f in (name, *others)} & by_form.keys()}
    out["questions"] = []
    return out
