"""Whether a candidate's clause asserts it at all: questions, wishes, conditionals,
requests, reported speech and negation, each over the reach it has in the clause."""

from __future__ import annotations

from spacy.tokens import Doc

from asof.extraction.components.base import Candidate, Clause, asks_to_switch
from asof.extraction.spans import is_emoji

#: Words that make a whole clause hypothetical, wherever they stand ("if", "someday").
CLAUSE_WIDE_HYPO = frozenset({"if", "someday", "maybe", "unless", "whether", "kidding",
                               "joking", "perhaps", "dream"})


def factual(doc: Doc, clause: Clause, cand: Candidate) -> bool:
    """Whether the candidate's clause asserts it: not asked, supposed, requested, reported
    or negated where the candidate stands."""
    start = cand.trigger[0]
    # "if my dog Rex can come in the car", "can my boss Ana join?": a name given by
    # possession is presupposed, whatever the clause asks or supposes
    presupposed = doc[start].lower_ in ("my", "our", "his", "her", "their") and \
        bool(cand.objects) and cand.objects[0][0] == cand.trigger[1]
    # "could you switch us to the Team plan from 1 August?": an instruction, whatever
    # its question mark and its "could"
    if not presupposed and not (cand.predicate == "uses" and asks_to_switch(doc, clause)):
        if clause.question and (clause.question_from is None or
                                cand.trigger[1] > clause.question_from):
            return False
        # "if", "someday", "kidding" colour the whole clause; modals only what follows
        if any(p <= cand.trigger[1] or doc[p].lower_ in CLAUSE_WIDE_HYPO
               for p in clause.hypos):
            return False
    if cand.predicate in ("prefers", "likes", "uses", "owns") and any(
            p <= cand.trigger[1] and
            doc[p].left_edge.i <= cand.trigger[0] <= doc[p].right_edge.i
            for p in clause.requests):
        # "wants the q1 deck by fri": a request, not a preference. It reaches what its
        # verb governs, not "…, so please upgrade us to Plus" after it
        return False
    if any(p < start for p in clause.reports) and \
            doc[start].lower_ not in ("my", "our", "his", "her", "their"):
        # "heard my lead kim sumin is leaving": the lead is the speaker's whatever the
        # rumour says (a possessive description holds outside the report)
        return False
    if cand.negated:
        for p in clause.negations:
            if p < start and any(is_emoji(t.text) for t in doc[p + 1:start]):
                continue  # "not Oslo 😂 New job at …": in chat an emoji ends a statement
            if p < start and any(t.lower_ in ("but", "though", "although", "however")
                                 for t in doc[p + 1:start]):
                continue  # "won nothing, but my dog Biscuit won the crowd": a contrast
            if start - 4 <= p <= cand.trigger[1] + 1:
                return False
            if doc[p].head.i in range(cand.trigger[0], cand.trigger[1]):
                return False
    return True
