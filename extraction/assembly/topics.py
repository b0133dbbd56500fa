"""Whom a message is about when its statements do not say: a heading that names a candidate
("Candidate: Lior Ben-Ami. CV says …"), or, in a message where the speaker never speaks of
themselves, the person it names ("Verification file: Oliver Pham … Lendlease — senior project
manager"; "Discovery call — Volta Mutual. Contact: Akosua Frimpong, IT security lead"), else
the person the assistant's question before it asks about ("What does Idris do now?" →
"lecturer, hull uni"), who is the speaker's spouse on a yes to "Is Idris your husband?"."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from asof.extraction.assembly.answers import last_sentence, opening_answer
from asof.extraction.assembly.people import PeopleAndNames
from asof.extraction.assembly.state import Record
from asof.extraction.components.base import Candidate
from asof.extraction.lexicons import (
    COMPANY_HEADS,
    RELATION_NOUNS,
    SELF_WORDS,
    SPOUSE_WORDS,
    TITLE_HEADS,
    YES_WORDS,
)
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _token_at
from asof.extraction.word_frequency import common_english
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind

_TOPIC_RE = re.compile(
    r"\b(?i:candidate|applicant|new\s+hire|new\s+starter)"
    r"(?:\s+(?i:one|two|three|four|\#?\d|[A-D]))?"
    r"(?:\s+(?i:notes|profile|summary|details|info|update|brief))?\b\s*(?:is\s+|[:,—–-]\s*)"
    r"(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)+)|"
    r"\b(?P<owner>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)+)['’]s\s+(?i:CV|resume|résumé)\b|"
    r"\b(?P<pronoun>(?i:his|her))\s+(?i:CV|resume|résumé|LinkedIn|profile)\b|"
    # "CV de Emilio:", "resume of Dana Kim": a document's owner, also by a first name
    r"\b(?i:CV|resume|résumé|curriculum)\s+(?i:de|of|von|di|du|da|van)\s+"
    r"(?P<of>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)*)")


#: A question about one person: "Who's X?", "What does X do?", "Is X your wife?", "Did X start
#: at …?", "Where does X live?".
_ASKED_ABOUT_RE = re.compile(
    r"^(?:\W*\s*)?(?i:who's|who\s+is|what\s+does|what's|what\s+is|where\s+does|where's|"
    r"is|was|did|does|has|how\s+is|how's|and)\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(?=\s|[?'’]|$)")

_YOUR_RELATION_RE = re.compile(r"^\s+(?i:your)\s+(?P<relation>[\w-]+)")  # "… your sister?"


class MessageTopics(PeopleAndNames):
    """The people a message is about, for the statements that name no one."""

    def _person_predicates(self) -> frozenset[str]:
        registry = self.state.registry
        return frozenset(p.name for p in registry if p.subject_types == ("person",))

    def _topic_person(self, doc: Doc, cand: Candidate, speaker: str) -> str | None:
        """The person a message is about, named before the statement by a heading ("Candidate:
        Lior Ben-Ami. CV says Senior Analyst at …", "I'm verifying a candidate, Daniel
        Mensah. His CV: …", "Priya Nair's CV: …"): a verbless fact of a person is theirs."""
        if cand.predicate not in self._person_predicates():
            return None
        at = doc[cand.trigger[0]].idx
        found = [m for m in _TOPIC_RE.finditer(_text(doc)) if m.end() <= at]
        if not found:
            return None
        pronoun = found[-1].group("pronoun")
        if pronoun is not None:
            # "from his resume: - Viterra: elevator manager 2018 - present": the "his" of the
            # heading names the person, not the speaker
            gender = "he" if pronoun.lower() == "his" else "she"
            state = self.state
            before = [name for pos, name in self._mentions
                      if pos < found[-1].start() and name != speaker and
                      (entity := state.entity(name)) is not None and
                      entity.may_be(gender)]
            later = {name for name, pos in self._positions.items() if pos > found[-1].start()}
            return before[-1] if before else state.recent_person(gender, {speaker} | later)
        named = found[-1].group("name") or found[-1].group("owner") or found[-1].group("of")
        known = self.state.alias_of(named, "person")  # "CV de Emilio": Emilio Cordero
        return known.name if known is not None and known.type == "person" else \
            self.state.add_person(named)

    def _third_person_message(self, doc: Doc, cand: Candidate, speaker: str) -> str | None:
        """A message in which the speaker never speaks of themselves ("Verification file:
        Oliver Pham, applying to SA Water. CV says: - Lendlease — senior project manager"):
        a verbless fact of a person is about the last person it names before the fact, not the
        speaker; an employer named before anyone is the first person's named after it with a
        title, the contact of a call note ("Discovery call — Volta Mutual Insurance. Contact:
        Akosua Frimpong, IT security lead"), not of "HR changes for Zephyr Air: Chidi Eze
        resigned". A one-word name counts only once an earlier fact names
        it ("Hahaha she'll take credit" names nobody), and a name ending in a company word is
        no person."""
        if cand.predicate not in self._person_predicates() or \
                any(t.lower_ in SELF_WORDS for t in doc):
            return None
        at = doc[cand.objects[0][0]].idx if cand.objects else doc[cand.trigger[0]].idx
        state = self.state
        stated = {r.subject for r in state.records} | {r.obj for r in state.records}
        people = []
        for pos, name in self._mentions:
            entity = state.entity(name)
            if name != speaker and name not in state.user_speakers and \
                    entity is not None and entity.type == "person" and \
                    (len(name.split()) > 1 or name in stated) and \
                    name.split()[-1].lower() not in COMPANY_HEADS:  # "Fjordline Freight"
                people.append((pos, name))
        before = [p for p in people if p[0] < at]
        if before:
            return max(before)[1]
        if cand.predicate == "works_at" and people:
            pos, name = min(people)
            if self._titled_after(doc, pos + len(name)):
                return name  # "Discovery call — Volta Mutual. Contact: Akosua Frimpong, CISO"
        return self._asked_about(doc, speaker) if not people else None

    def _answered_spouse(self, doc: Doc, index: int, speaker: str,
                         buffer: list[Record]) -> None:
        """"Is Idris your husband?" → "ya, 6 yrs now"; "Who's Idris?" → "my husband 😄": the
        speaker is married to the person asked about, when the reply opens with a yes
        (``data/yes_words.txt``) to a question about a spouse, or with a spouse word."""
        person = self._asked_about(doc, speaker)
        if person is None:
            return
        words = [t for t in doc if t.is_alpha][:3]
        if not words:
            return
        question = last_sentence(doc._.asof_prompt or "")
        asked = _YOUR_RELATION_RE.search(question[question.find(person.split()[0]) +
                                                  len(person.split()[0]):])
        yes = words[0].lower_ in YES_WORDS and asked is not None and \
            asked.group("relation").lower() in SPOUSE_WORDS
        said = any(t.lower_ in SPOUSE_WORDS for t in words)
        if (yes or said) and not any(r.predicate == "married_to" for r in buffer):
            buffer.append(self._record(speaker, "married_to", person, False,
                                       AssertionKind.ASSERT, None, None, index,
                                       (words[0].idx, words[-1].idx + len(words[-1])), 0.6))

    def _asked_about(self, doc: Doc, speaker: str) -> str | None:
        """The person the assistant's question right before the message asks about ("What does
        Idris do now?" → "lecturer, hull uni"; "Is Maelle your wife?" → "ya. nurse @ …"):
        the reply that names no one and never says "I" answers about them."""
        prompt = doc._.asof_prompt
        if not prompt or not prompt.rstrip().endswith("?"):
            return None
        answer = opening_answer(doc)
        if answer is not None and answer[0] == "reports_to":
            # "Who's your manager?" → "roderick vella. head of compliance": his title
            return self.state.add_person(answer[1])
        question = last_sentence(prompt)
        found = _ASKED_ABOUT_RE.search(question)
        if found is None:
            return None
        name = found.group("name")
        state = self.state
        if normalize_name(name) in {normalize_name(s) for s in state.user_speakers | {speaker}} \
                or common_english(name.split()[0]):
            return None
        known = state.alias_of(name, "person") or state.entity(name)
        if known is not None:
            return known.name if known.type == "person" else None
        # a name the conversation has not typed yet is a person only when the question says
        # so: "Who's X?", "Is X your sister?"
        if question.lower().lstrip(" ¿¡").startswith(("who", "and who")) or \
                (relation := _YOUR_RELATION_RE.search(question[found.end():])) is not None and \
                relation.group("relation").lower() in RELATION_NOUNS:
            return state.add_person(name)
        return None

    @staticmethod
    def _titled_after(doc: Doc, end_char: int) -> bool:
        """Whether a title follows a name ending at ``end_char`` in apposition ("Akosua
        Frimpong, IT security lead", "Fang Jing (purchasing manager)")."""
        k = _token_at(doc, end_char)
        while k < len(doc) and doc[k].idx < end_char:
            k += 1
        if k >= len(doc) or doc[k].text not in (",", "(", "—", "–", "-"):
            return False
        return any(t.lower_ in TITLE_HEADS for t in doc[k + 1:k + 6])
