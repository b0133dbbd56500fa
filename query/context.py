"""Context blocks: a compact, dated memory of one entity for an agent's prompt.

Token counting uses a documented approximation: ``ceil(characters / 4)``, the usual rule of
thumb for English text with BPE tokenizers (it over-counts slightly for plain ASCII prose, so
blocks stay within budget for the common tokenizers). No tokenizer download is needed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from asof.graph.contract import VersionQuery
from asof.graph.errors import InvalidInputError
from asof.graph.instants import LATEST, require_aware, start_us
from asof.graph.models import FactVersion
from asof.graph.store import GraphStore
from asof.query.ask import format_date
from asof.query.embedding import Embedder
from asof.query.question import question_predicates
from asof.query.retrieval import POOL, Mode, retrieve, vectors_available

CHARS_PER_TOKEN = 4
MIN_BUDGET = 16
MAX_BUDGET = 100_000


def estimate_tokens(text: str) -> int:
    """Approximate tokens as ceil(len / 4)."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass(slots=True)
class ContextBlock:
    subject: str
    text: str
    tokens: int
    budget_tokens: int
    included: list[str] = field(default_factory=list)  #: version ids included
    omitted: int = 0  #: facts left out for lack of budget

    def as_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "text": self.text, "tokens": self.tokens,
                "budget_tokens": self.budget_tokens, "included": self.included,
                "omitted": self.omitted}


def _when(v: FactVersion, now: datetime) -> str:
    start = format_date(v.valid_from, v.granularity) if v.valid_from else None
    end = format_date(v.valid_to, None) if v.valid_to else None
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"since {start}" if v.valid_from and v.valid_from <= now else f"from {start}"
    if end:
        return f"until {end}"
    return "time unknown"


def _line(v: FactVersion, now: datetime, subject_id: str) -> str:
    predicate = v.predicate.replace("_", " ")
    if v.subject_id == subject_id:
        return f"- {predicate}: {v.object_label} ({_when(v, now)})"
    return f"- {v.subject_name or v.subject_id} {predicate} this ({_when(v, now)})"


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


#: Facts found by meaning alone that the related section takes.
BY_MEANING = 3


def context(store: GraphStore, subject: str, *, query: str | None = None,
            budget_tokens: int = 300, now: datetime | None = None,
            recent: int = 5, embedder: Embedder | None = None) -> ContextBlock:
    """A memory block about ``subject``: facts related to ``query`` first, then current facts
    with their validity dates, then recent changes (facts that ended), cut to the budget.

    With an ``embedder`` (and a store that keeps vectors), the :data:`BY_MEANING` facts about
    the subject closest to ``query`` in meaning join the related ones, after those sharing its
    words (nearest neighbours have no threshold: a cap keeps the rest in their sections).

    Lines are added in priority order while they fit; the block is then rendered in fixed
    sections so an agent can read it at a glance.
    """
    if not MIN_BUDGET <= budget_tokens <= MAX_BUDGET:
        raise InvalidInputError(
            f"budget_tokens must be between {MIN_BUDGET} and {MAX_BUDGET}")
    ref = require_aware(now, "now") if now is not None else store.clock.now()
    entity = store.resolve(subject)
    believed = store.find_versions(VersionQuery(entity_id=entity.id,
                                                known_at=ref if now is not None else LATEST))
    current = [v for v in believed if v.valid_at(ref)
               and (v.expires_at is None or v.expires_at > ref)]
    ended = sorted((v for v in believed if v.valid_to is not None and v.valid_to <= ref),
                   key=lambda v: -start_us(v.valid_to))[:recent]
    related: list[FactVersion] = []
    if query:
        wanted = _words(query)
        asked_about = set(question_predicates(query, store.registry))  # "which tools" → uses
        scored = [(2 * (v.predicate in asked_about)
                   + len(wanted & _words(f"{v.predicate} {v.object_label} {v.evidence or ''}")),
                   v) for v in believed]
        related = [v for score, v in sorted(scored, key=lambda x: (-x[0], x[1].version_id))
                   if score > 0]
        if vectors_available(store, embedder):
            # facts found by meaning ("running" for a marathon) follow those found by words
            ids = {v.version_id: v for v in believed}
            found = retrieve(store, query, limit=POOL, embedder=embedder, mode=Mode.VECTOR,
                             known_at=ref if now is not None else None)
            nearest = [ids[h.id] for h in found if h.id in ids and ids[h.id] not in related]
            related += nearest[:BY_MEANING]

    header = f"Memory about {entity.name} (as of {ref.date().isoformat()}):"
    sections: dict[str, list[tuple[str, str]]] = {"related": [], "current": [], "changes": []}
    used = estimate_tokens(header)
    seen: set[str] = set()
    omitted = 0
    for section, versions in (("related", related), ("current", current),
                              ("changes", ended)):
        for v in sorted(versions, key=lambda x: (x.predicate, start_us(x.valid_from))) \
                if section != "related" else versions:
            if v.version_id in seen:
                continue
            line = _line(v, ref, entity.id)
            cost = estimate_tokens(line) + 1 + (0 if sections[section] else 4)
            if used + cost > budget_tokens:
                omitted += 1
                continue
            used += cost
            seen.add(v.version_id)
            sections[section].append((v.version_id, line))
    titles = {"related": "Related to the question:", "current": "Current:",
              "changes": "Recent changes:"}
    parts = [header]
    for name, lines in sections.items():
        if lines:
            parts.append(titles[name])
            parts.extend(line for _, line in lines)
    if len(parts) == 1:
        parts.append("- nothing known")
    text = "\n".join(parts)
    while estimate_tokens(text) > budget_tokens and len(parts) > 1:
        parts.pop()
        omitted += 1
        text = "\n".join(parts)
    included = [vid for lines in sections.values() for vid, line in lines if line in parts]
    return ContextBlock(entity.name, text, estimate_tokens(text), budget_tokens, included,
                        omitted)
