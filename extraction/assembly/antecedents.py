"""Whom a "he", "she" or "they" means: the person named before it in the message, by
sentence subject, gender and the slot the name sits in, and the chain of one pronoun across
sentences."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from asof.extraction.assembly.topics import MessageTopics
from asof.extraction.components.arguments import SUCCESSOR_WORDS, successor_named
from asof.extraction.components.base import is_nameish
from asof.extraction.components.mentions import name_ending_at
from asof.extraction.lexicons import TITLE_HEADS
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _token_at
from asof.extraction.spans import trim_name


class Antecedents(MessageTopics):
    def _antecedent(self, doc: Doc, at: int, gender: str | None, speaker: str,
                    plural: bool = False, adjacent: bool = False) -> list[str]:
        """The person a pronoun at char ``at`` means when this message names one before it.
        Sentence by sentence back from the pronoun's own: a person named as (or inside) a
        sentence subject first ("Erik's mum is from Tampere and he …", "Valentina is coming
        from Enel, she …"), else the closest one named; the gender must fit, and names in
        slots that do not refer to a person are skipped (a predicate nominal of a pronoun,
        "she is Leiterin Recht"; a name only the NER calls a person after a place
        preposition, "lives in Tampere"). ``adjacent`` (a relative "who"): the closest one.
        A plural "they" takes two names joined by "and"/"&" together, and no single one."""
        state = self.state
        text = _text(doc)
        named = set(self._mentions)
        for known in state.distinct_entities():
            # people the message's earlier clauses made known (a name the NER missed)
            if known.type == "person" and known.name != speaker:
                for match in re.finditer(r"\b" + re.escape(known.name) + r"\b", text[:at]):
                    named.add((match.start(), known.name))
        # a part of a longer name said at the same place is that name ("Nwachukwu" inside
        # "Obi Nwachukwu")
        named = {(pos, name) for pos, name in named if not any(
            (p, n) != (pos, name) and p <= pos and pos + len(name) <= p + len(n)
            for p, n in named)}
        before: list[tuple[int, str, Token]] = []
        against_name: list[tuple[int, str, Token]] = []
        for pos, name in sorted(named):
            if pos >= at or name == speaker:
                continue
            entity = state.entity(name)
            if entity is None or entity.type != "person" or \
                    not entity.may_be(gender, by_name=False):
                continue
            token = doc[_token_at(doc, pos)]
            if not self._referring_slot(token, entity.tentative):
                continue
            (before if entity.may_be(gender) else against_name).append((pos, name, token))
        # a given name of the other side gives way, unless no one else fits, here or earlier
        # ("… reporting to Ilse Brandt. He moves to Narvik": not her, but the man named in an
        # earlier message)
        if not before and against_name and state.fitting_person(
                gender, {speaker, *(name for _, name, _ in against_name)}) is not None:
            return []
        before = before or against_name
        if not before:
            return []
        if adjacent:
            pick = len(before) - 1
        else:
            # in the pronoun's own sentence a subject first; in an earlier one the closest
            own = doc[_token_at(doc, at)].sent.start
            here = [i for i, (_, _, t) in enumerate(before) if t.sent.start == own]
            subjects = [i for i in here if self._in_subject(before[i][2])]
            # "1) Armen Sahakyan — senior developer. … Reports to Davit Grigoryan. He speaks …":
            # a line that opens with a person and a dash, a colon or a bracket is about them
            # (not one that opens by calling someone: "Ana, good news: …")
            line = text.rfind("\n", 0, at) + 1
            opening = [i for i, (pos, name, _) in enumerate(before)
                       if pos >= line and not text[line:pos].strip(" \t-*•)(.0123456789") and
                       text[pos + len(name):].lstrip(" \t")[:1] in ("—", "–", "-", ":", "(")]
            pick = (subjects or here or opening or [len(before) - 1])[-1]
        pos, name, _ = before[pick]
        chosen = state.entity(name)
        if chosen is not None and gender in ("he", "she") and chosen.gender is None:
            chosen.gender = gender
        if not plural:
            return [name]
        if pick > 0:
            pos2, name2, token2 = before[pick - 1]
            if name2 != name and (re.fullmatch(r"[\w'’-]+(?:\s+[\w'’-]+){0,2}\s+(?:and|&)\s+",
                                               text[pos2:pos]) or
                                  _subject_and_object(token2, before[pick][2])):
                return [name2, name]
        if pick + 1 < len(before) and before[pick + 1][1] != name and \
                _subject_and_object(before[pick][2], before[pick + 1][2]):
            return [name, before[pick + 1][1]]
        return []  # a plural "they" and one person: not decided here

    def _successor_at(self, doc: Doc, person: str) -> tuple[int, int] | None:
        """Where the message names ``person`` as someone's successor: the successor noun
        ("replacement", "Nachfolgerin") and the first token of the name said with it, or
        None."""
        for token in doc:
            if token.lower_ in SUCCESSOR_WORDS and token.pos_ in ("NOUN", "PROPN"):
                run = successor_named(doc, token.i, len(doc))
                entity = self.state.entity(trim_name(doc[run[0]:run[1]].text)) if run else None
                if run is not None and entity is not None and entity.name == person:
                    return token.i, run[0]
        return None

    def _predecessor(self, doc: Doc, noun: int, speaker: str, successor: str) -> str | None:
        """Whose post the successor takes over: the owner of the successor noun at token
        ``noun`` ("My replacement as IT lead, Stefan Đukić" the speaker's, "Marija's
        replacement in Šibenik is Tomislav Jurić" Marija's, "His replacement …" the man named
        before it), or None."""
        if noun == doc[noun].sent.start:
            return None
        owner = doc[noun - 1]
        if owner.lower_ in ("my", "mine"):
            return speaker
        if owner.lower_ in ("his", "her"):
            gender = "he" if owner.lower_ == "his" else "she"
            near = self._antecedent(doc, owner.idx, gender, speaker)
            if near and near[0] != successor:
                return near[0]
            return self.state.recent_person(gender, {speaker, successor})
        if owner.text in ("'s", "’s", "'") and noun >= 2:
            run = name_ending_at(doc, noun - 2)
            if run is not None:
                entity = self.state.entity(doc[run[0]:run[1]].text)
                return entity.name if entity is not None and entity.type == "person" else None
        return None

    def _successor_org(self, before: str | None, speaker: str, index: int) -> str | None:
        """Where a successor will work: where the one replaced (``before``) worked before
        this message (not where he is going: "he's joining Outfit7 on the 7th. His
        replacement …"), else where the one telling it works."""
        if before is None:
            return self.state.conversation_org(speaker)
        held = [r.obj for r in self.state.current(before, "works_at") if r.message < index]
        if held:
            return held[-1]
        org = self.state.conversation_org(speaker)
        return None if org is not None and org == self.state.org_of(before) else org

    def _chain_start(self, doc: Doc, at: int, gender: str) -> int:
        """Where the chain of "he" (or "she") a pronoun at char ``at`` continues starts: while
        the pronoun's sentence names no one before it and the sentence before opens with the
        same pronoun as its subject, that pronoun means the same person ("Rhys accepted! He
        starts with us, reporting to Gethin Hughes. His last day …": Rhys's, not Gethin's). A
        name-like word before the pronoun in its own sentence stops the chain ("Our tatik
        Siranush is in Gyumri with her cat")."""
        sents = list(doc.sents)

        def subject_of(k: int) -> Token | None:
            return next((t for t in sents[k] if t.dep_ in ("nsubj", "nsubjpass")), None)

        while True:
            k = next(i for i, s in enumerate(sents) if s.start_char <= at < s.end_char or
                     i == len(sents) - 1)
            if k == 0 or any(t.idx < at and is_nameish(t) for t in sents[k]):
                return at
            subject = subject_of(k - 1)
            if k >= 2 and (subject is None or subject.lower_ in TITLE_HEADS):
                # "He signed! Welding supervisor, starts 4 Nov, reporting to Annette. His last
                # day …": a sentence led by a title goes on about him; the one before it
                # may open the chain
                before = subject_of(k - 2)
                if before is not None and before.lower_ == gender:
                    subject = before
            if subject is None or subject.lower_ != gender:
                return at
            at = subject.idx

    @staticmethod
    def _np_head(token: Token) -> Token:
        while token.dep_ in ("compound", "flat", "poss", "appos") and token.head.i != token.i:
            if token.dep_ == "poss":
                return token.head
            token = token.head
        return token

    def _in_subject(self, token: Token) -> bool:
        """The name is the subject of its clause, or inside it ("Erik's mum")."""
        return self._np_head(token).dep_ in ("nsubj", "nsubjpass")

    def _referring_slot(self, token: Token, tentative: bool) -> bool:
        head = token
        while head.dep_ in ("compound", "flat") and head.head.i > head.i:
            head = head.head
        if head.dep_ == "attr" and any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON"
                                       for c in head.head.children):
            return False
        if head.dep_ == "pobj" and head.head.lower_ == "from" and \
                head.head.head.pos_ == "PROPN":
            return False  # "my sister Amra from Mostar": where the person named is from
        return not (tentative and head.dep_ == "pobj" and
                    head.head.lower_ in ("in", "at", "into", "near", "around", "on", "onto"))


def _subject_and_object(first: Token, second: Token) -> bool:
    """The two names are the subject and the object of one verb ("Tyler married Brooke in
    May, they …", "Ana met Ben at uni and they …"): together they are a plural "they"."""
    verb = first.head
    if first.dep_ not in ("nsubj", "nsubjpass") or verb.pos_ not in ("VERB", "AUX"):
        return False
    head = second
    while head.dep_ in ("compound", "flat") and head.head.i != head.i:
        head = head.head  # the last word of "Brooke Lee"
    return head.dep_ in ("dobj", "obj") and head.head.i == verb.i or \
        head.dep_ == "pobj" and head.head.lower_ == "with" and head.head.head.i == verb.i
