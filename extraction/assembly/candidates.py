"""The candidates of one clause before assembly: the tagger's reading of a span a rule
reads as well gives way to the rule's (or lends an objectless rule its object), and a move
from one tool to another is a switch of tools, not of homes."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from asof.extraction.components.base import Candidate
from asof.extraction.tagger.component import LEARNED_RULE

__all__ = ["learned_under_rules", "tool_moves"]

#: Words after an ending verb that name where one goes, not what one leaves ("leaving for
#: Nexon", "retiring to the coast").
_DESTINATION = frozenset({"for", "to", "into", "towards"})


def _words_between(doc: Doc, start: int, end: int) -> list[Token]:
    """The tokens of ``doc[start:end]`` that are no part of a time ("retired last year from
    Nordbane": "from")."""
    times = [(t.start_char, t.end_char) for t in doc._.asof_times or []]
    return [t for t in doc[start:end] if not any(a <= t.idx < b for a, b in times)]


def learned_under_rules(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """The tagger's reading of a span a rule reads as the end of the same predicate gives way
    to the rule's; and an ending said without its object ("last day @ tostadora fri", "left
    behaviour at the end of march") takes the object the tagger found right after it, so the
    name is what ends, not a fact that starts on the day it ended. So does a start ("moved to
    porto last month"), which would otherwise restart the home already held."""
    ruled = [c for c in cands if c.rule != LEARNED_RULE]
    kept: list[Candidate] = []
    for cand in cands:
        if cand.rule != LEARNED_RULE or not cand.objects:
            kept.append(cand)
            continue
        start, end = cand.objects[0][0], cand.objects[0][1]
        if any(c.predicate == cand.predicate and c.kind != cand.kind and
               any(o[0] < end and start < o[1] for o in c.objects) for c in ruled):
            continue  # "left Kuura": the rule's ending of "Kuura" stands
        ending = next((c for c in ruled if c.kind in ("retract", "assert") and
                       c.predicate == cand.predicate and not c.objects and
                       0 <= start - c.trigger[1] and
                       len(_words_between(doc, c.trigger[1], start)) <= 2 and
                       not any(t.pos_ in ("VERB", "AUX") or t.lower_ in _DESTINATION
                               for t in _words_between(doc, c.trigger[1], start))), None)
        if ending is not None:
            ending.objects = list(cand.objects)
            continue
        kept.append(cand)
    return kept


def tool_moves(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """"we moved from Trello to Linear": a move from a name to a tool some candidate reads as
    used is a switch of tools, not of homes; the name left is a tool that ends. What "we"
    start with is a tool taken on."""
    tools = {c.objects[0][0] for c in cands if c.predicate == "uses" and c.objects}
    out: list[Candidate] = []
    for cand in cands:
        if cand.rule == "start_at" and cand.subject == "we" and \
                doc[cand.trigger[1] - 1].lower_ == "with":
            # "we start with Deskly next week": a vendor taken on, not a job
            cand = replace(cand, rule="start_with", predicate="uses")
        if cand.predicate == "lives_in" and cand.kind == "switch_from" and cand.objects:
            k = cand.objects[0][1]
            if k + 1 < len(doc) and doc[k].lower_ == "to" and k + 1 in tools:
                cand = replace(cand, rule="switch_from", predicate="uses")
        out.append(cand)
    return out
