"""The subject(s) of each candidate ("I", a name, "we" as the organisation, "X and I", a
partner), and whether its clause asserts anything at all (questions, wishes, conditionals)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from asof.extraction.assembly.people import PeopleAndNames
from asof.extraction.components.base import Candidate, Clause, is_nameish, name_start
from asof.extraction.patterns import (
    LANGUAGES,
    common_english,
)
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import trim_name as _trim_name
from asof.graph.ids import normalize_name

_CLAUSE_WIDE_HYPO = frozenset({"if", "someday", "maybe", "unless", "whether", "kidding",
                               "joking", "perhaps", "dream"})


def _partner_before(doc: Doc, i: int) -> bool:
    """"Fatou and I …": the name before "and I" is a person coordinated with the speaker,
    not the tail of an organisation or place named earlier ("… at Orbit Labs and I live …")."""
    token = doc[i]
    if not is_nameish(token) or token.ent_type_ in ("ORG", "GPE", "LOC", "FAC", "PRODUCT",
                                                     "NORP", "EVENT"):
        return False
    if token.dep_ in ("pobj", "dobj", "attr", "appos"):
        return False
    k = name_start(doc, i)
    return not (k > 0 and doc[k - 1].pos_ in ("ADP", "VERB", "AUX"))


def _and_i(doc: Doc, clause: Clause) -> str | None:
    """"Fatou and I …" / "she and I": the partner named with the speaker."""
    for token in doc[max(0, clause.start - 1):clause.end]:
        if token.lower_ == "and" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "i":
            prev = doc[token.i - 1] if token.i > 0 else None
            if prev is not None and is_nameish(prev):
                return prev.text
    text = _text(doc)
    match = re.search(r"([A-Z][\w'’-]+) and I\b", text)
    return match.group(1) if match else None


class SubjectResolution(PeopleAndNames):
    """Decides who a candidate is about."""

    @staticmethod
    def _factual(doc: Doc, clause: Clause, cand: Candidate) -> bool:
        start = cand.trigger[0]
        if clause.question and (clause.question_from is None or
                                cand.trigger[1] > clause.question_from):
            return False
        for p in clause.hypos:
            # "if", "someday", "kidding" colour the whole clause; modals only what follows
            if p <= cand.trigger[1] or doc[p].lower_ in _CLAUSE_WIDE_HYPO:
                return False
        if any(p < start for p in clause.reports):
            return False
        if cand.negated:
            for p in clause.negations:
                if start - 4 <= p <= cand.trigger[1] + 1:
                    return False
                if doc[p].head.i in range(cand.trigger[0], cand.trigger[1]):
                    return False
        return True

    def _subjects(self, doc: Doc, clause: Clause, ci: int, cand: Candidate, speaker: str,
                  subjects: dict[int, list[str]]) -> list[str]:
        state = self.state
        kind = cand.subject
        predicate = cand.predicate
        org_subject = "organization" in state.registry.get(predicate).subject_types
        if kind == "speaker":
            span = cand.subject_span
            if span is not None and span[0] >= 2 and doc[span[0] - 1].lower_ == "and" and \
                    _partner_before(doc, span[0] - 2):
                return [speaker, state.add_person(doc[span[0] - 2].text)]
            return [speaker]
        if kind == "we":
            org = state.conversation_org(speaker)
            if org_subject and org and state.we_as_org:
                return [org]
            partner = _and_i(doc, clause)
            result = [speaker]
            if partner:
                result.append(state.add_person(partner))
            return result
        if kind in ("he", "she", "they"):
            at = doc[cand.subject_span[0]].idx if cand.subject_span else len(_text(doc))
            if kind == "they" and org_subject and not self._they_person(at):
                org = self._they_org(doc, at)
                if org is not None:
                    return [org]
            gender = kind if kind != "they" else None
            # people first named after the pronoun in this message are not its antecedent
            later = {name for name, pos in self._positions.items() if pos > at}
            person = state.recent_person(gender, {speaker} | later) or \
                state.recent_person(gender, {speaker})
            return [person] if person else []
        if kind == "who":
            person = state.recent_person(None, {speaker})
            return [person] if person else []
        if kind == "name" and cand.subject_span is not None:
            text = _trim_name(doc[cand.subject_span[0]:cand.subject_span[1]].text)
            if not text or self._everyday_word(doc, cand.subject_span, text):
                return []
            group = state.team_named(text) if predicate == "member_of" else None
            if group is not None:
                # "Fleet is merged into the Platform team": the team's members move
                self._merged_group = group.name
                return sorted({r.subject for r in state.records
                               if r.predicate == "member_of" and r.obj == group.name and
                               any(c.obj == group.name
                                   for c in state.current(r.subject, "member_of"))})
            known = state.entity(text)
            if known is None and org_subject:
                # "Tulip runs on Figma" once "Tulip Payments" is known
                alias = state.alias_of(text, "organization")
                known = alias if alias is not None and alias.type == "organization" else None
            if known is not None and known.type in ("organization", "product") and org_subject:
                state.touch(known.name)
                return [known.name]
            if known is not None and known.type not in ("person", "unknown", "concept"):
                return []  # an animal, a place, … is not the subject of these relations
            if normalize_name(text) in LANGUAGES:
                return []
            if predicate in ("uses", "owns") and known is None and \
                    any(e.text == text and e.label_ == "ORG" for e in doc.ents):
                return [state.canonical(text, "organization")]
            name = state.add_person(text)
            if normalize_name(name) == normalize_name(speaker):
                return [speaker]
            return [name]
        if kind == "default":
            named = self._lowercase_subject(doc, clause, cand)
            if named is not None:
                return [named]
            if clause.connector and ci - 1 in subjects and \
                    doc._.asof_clauses[ci - 1].sent == clause.sent:
                return subjects[ci - 1]
            for prev in range(ci - 1, -1, -1):
                if prev in subjects and doc._.asof_clauses[prev].sent == clause.sent:
                    return subjects[prev]
            return [speaker]
        return []

    def _everyday_word(self, doc: Doc, span: tuple[int, int], text: str) -> bool:
        """A one-word "name" that is an everyday English word the model does not call a person
        and nobody in the conversation goes by ("Painting looks like a great outlet", "Come
        to think of it"): not a subject."""
        if span[1] - span[0] != 1 or doc[span[0]].ent_type_ == "PERSON":
            return False
        key = normalize_name(text)
        if self.state.alias_of(text, "person") is not None or key in self.state.speakers:
            return False
        return common_english(key)

    def _lowercase_subject(self, doc: Doc, clause: Clause, cand: Candidate) -> str | None:
        """"kenji's been at Vantage since 2017": a known person's first name typed in lower
        case as the subject of the trigger's verb (the parser's subject, not the speaker)."""
        at = {pos: name for name, pos in self._positions.items()}
        for token in doc[clause.start:min(cand.trigger[0] + 1, clause.end)]:
            if token.is_lower and token.dep_ in ("nsubj", "nsubjpass") and token.idx in at:
                return at[token.idx]
        return None
