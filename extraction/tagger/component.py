"""``asof_tagger_v1``: the learned object tagger as a spaCy component.

It runs after the rules' relation finder. Each span the model tags becomes a relation
:class:`Candidate` (rule ``learned``) in ``doc._.asof_candidates``, unless a rule candidate of a
different predicate already covers it (the rules' reading of that span stands). The assembler
resolves the learned candidate's subject, modality, times and corrections exactly as it does a
rule's, and keeps its fact only where no rule's fact says the same predicate of the same object.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from asof.extraction.components.arguments import (
    event_word_after,
    find_subject,
    language_own_name,
    languages_listed_with,
)
from asof.extraction.components.base import Candidate, Clause, held_at_work
from asof.extraction.components.relations import RelationFinder
from asof.extraction.lexicons import (
    EXEC_TITLES,
    RELATIONAL_ROLES,
    TITLE_HEADS,
    data_json,
    tagger_gate,
)
from asof.extraction.tagger.features import doc_features
from asof.extraction.tagger.model import TaggedSpan, load
from asof.graph.predicates import LITERAL, PredicateRegistry, default_registry

LEARNED_RULE = "learned"

#: Role words that, after "my" or "her", name a relation to a person ("my mgr", "her boss").
_RELATIONS = RELATIONAL_ROLES | {w.lower() for w in data_json("role_words.json")["boss"]}
#: Words after "X's" that make X someone's employer ("I'm Kestrel's CFO").
_TITLES = TITLE_HEADS | EXEC_TITLES


class ObjectTaggerComponent:
    def __init__(self, model: str | None, threshold: float) -> None:
        self.model = model
        self.threshold = threshold

    def __call__(self, doc: Doc) -> Doc:
        clauses: list[Clause] | None = doc._.asof_clauses
        if not clauses or not len(doc):
            return doc
        tagger = load(self.model)
        # the pipeline's registry, per doc (one nlp serves many pipelines and threads)
        registry: PredicateRegistry | None = doc._.asof_registry
        if registry is None:
            registry = default_registry()
        candidates: list[Candidate] = list(doc._.asof_candidates or [])
        covered = {k: c.predicate for c in candidates for (s, e, _t, _n) in c.objects
                   for k in range(s, e)}
        added = False
        for span in tagger.spans(doc_features(doc, doc._.asof_prompt), self.threshold):
            if span.predicate not in registry or not _let_through(doc, span):
                continue
            if any(covered.get(k, span.predicate) != span.predicate
                   for k in range(span.start, span.end)):
                continue
            candidate = self._candidate(doc, clauses, span, registry)
            if candidate is None:
                continue
            listed = []
            if span.predicate == "speaks":
                # "runasimi, castellano, english": the model tags the language it knows, the
                # list gives the others (a language called by its own name as well)
                listed = [replace(candidate, trigger=(s, e), objects=[(s, e, text, True)])
                          for (s, e, text, _n) in languages_listed_with(doc, span.start,
                                                                        span.end)
                          if all(k not in covered for k in range(s, e))]
            for found in [candidate, *listed]:
                candidates.append(found)
                covered.update(dict.fromkeys(range(*found.trigger), span.predicate))
            added = True
        if added:
            candidates.sort(key=lambda c: c.trigger)
            doc._.asof_candidates = candidates
        return doc

    @staticmethod
    def _candidate(doc: Doc, clauses: list[Clause], span: TaggedSpan,
                   registry: PredicateRegistry) -> Candidate | None:
        start, end = span.start, span.end
        while start < end and not doc[start].is_alpha and not doc[start].like_num:
            start += 1  # punctuation and symbols at the edges are not part of a name
        while end > start and not doc[end - 1].is_alpha and not doc[end - 1].like_num:
            end -= 1
        if start == end:
            return None
        if event_word_after(doc, end, len(doc)):
            end += 1  # "the BKFA conference", as the rules read it
        if doc[start].tag_ == "PRP$" and doc[end - 1].lower_ in _RELATIONS:
            return None  # "rui carvalho's been my mgr": a relation to someone, not a title
        if span.predicate == "works_at" and end + 1 < len(doc) and \
                doc[end].lower_ in ("'s", "’s") and doc[end + 1].lower_ not in _TITLES:
            return None  # "Al Noor's HR replied": the organisation's own, no one's employer
        span = TaggedSpan(start, end, span.predicate, span.confidence)
        ci = doc[span.start]._.asof_clause
        if ci < 0 or ci >= len(clauses):
            return None
        clause = clauses[ci]
        subject, subject_span = find_subject(doc, clause, span.start)
        if subject == "noun" and subject_span is not None:
            subject, subject_span = RelationFinder._noun_subject(
                doc, subject_span, clause, span.start,
                collective=held_at_work(doc, span.predicate))
        spec = registry.get(span.predicate)
        is_name = spec.object_types[0] not in (LITERAL, "concept")
        text = doc[span.start:span.end].text
        if span.predicate == "speaks" and span.end - span.start == 1:
            text = language_own_name(doc[span.start]) or text  # "castellano": Spanish
        return Candidate(LEARNED_RULE, span.predicate, "assert", ci, (span.start, span.end),
                         subject, subject_span, [(span.start, span.end, text, is_name)],
                         negated=clause.negated)


def _let_through(doc: Doc, span: TaggedSpan) -> bool:
    """Whether a tagged span may become a candidate (``data/tagger_gates.json``: "I'm in the
    Fjord Otters now" proposes no membership; "the Fjord Otters rowing club" does; "my wife
    Ines and her brother Tomas" proposes no second spouse beside the one a rule reads)."""
    gate = tagger_gate(span.predicate)
    if gate is None:
        return True
    if not gate.proposed or span.confidence < gate.min_confidence:
        return False
    if gate.rules_first:
        clause = doc[span.start]._.asof_clause
        if any(c.predicate == span.predicate and c.clause == clause and c.rule != LEARNED_RULE
               for c in doc._.asof_candidates or ()):
            return False
    if not gate.near_words:
        return True
    around = doc[max(0, span.start - gate.window):min(len(doc), span.end + gate.window)]
    return any(token.lower_ in gate.near_words for token in around)


#: threshold: the least mean marginal probability a tagged span needs. 0.3 was chosen by two-fold
#: cross-validation on train/ (F1 0.4075 against 0.4041 at 0.5; 0.15 the same as 0.3).
@Language.factory("asof_tagger_v1", default_config={"model": None, "threshold": 0.3})
def make_tagger(nlp: Language, name: str, model: str | None,
                threshold: float) -> ObjectTaggerComponent:
    return ObjectTaggerComponent(model, threshold)
