"""The subject(s) of each candidate ("I", a name, "we" as the organisation, "X and I", a
partner). Whether its clause asserts anything at all is ``factuality``'s."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from asof.extraction.assembly.antecedents import Antecedents
from asof.extraction.assembly.partners import ME_AND, and_i, partner_named_with
from asof.extraction.assembly.words import (
    kin_opening,
    lowercase_name_subject,
    third_person_opening,
    unknown_lowercase_word,
)
from asof.extraction.components.base import (
    Candidate,
    Clause,
    is_honorific,
    is_nameish,
)
from asof.extraction.components.mentions import name_ending_at, name_run, opening_verb
from asof.extraction.lexicons import (
    I_AM,
    LANGUAGES,
    NAME_PARTICLES,
    RELATION_NOUNS,
    RELATIONAL_ROLES,
    TITLE_HEADS,
)
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _token_at
from asof.extraction.spans import trim_name as _trim_name
from asof.extraction.word_frequency import common_english
from asof.graph.ids import normalize_name

#: Punctuation that attaches a description to the name before it: "Tomasz Lis (COO)",
#: "Marta Gil — Sr. BA", "Aleksi Koskinen: at Kuura since 2021", "Brian Njoroge, our drummer".
_APPOSITIVE_MARKS = frozenset({"(", "—", "–", "-", ":", ","})
#: Words allowed between that punctuation and the described span.
_APPOSITIVE_FILLERS = frozenset({"our", "my", "his", "her", "their", "the", "a", "an", "at",
                                 "in", "from", "with", "now", "currently", "still", "new",
                                 "based", "lives", "living", "works", "working"})
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "i'm", "im", "i've", "i'd", "myself", "we",
                           "our", "us", "we're"})


class SubjectResolution(Antecedents):
    """Decides who a candidate is about."""

    def _subjects(self, doc: Doc, clause: Clause, ci: int, cand: Candidate, speaker: str,
                  subjects: dict[int, list[str]]) -> list[str]:
        state = self.state
        kind = cand.subject
        predicate = cand.predicate
        org_subject = "organization" in state.registry.get(predicate).subject_types
        if kind == "default" and predicate == "reports_to" and ci in subjects and any(
                c.clause == ci and c.predicate == "job_title" and c.trigger < cand.trigger
                for c in doc._.asof_candidates or []):
            # "Signed today: senior developer with us, reporting to Haakon": the line of
            # whoever holds the title the clause gives
            return subjects[ci]
        if kind in ("default", "speaker") and predicate in self._person_predicates():
            described = self._titled_name(doc, cand) if cand.objects and (
                kind == "default" or predicate == "job_title") else None
            if described is None and (kind == "default" or cand.subject_span is None):
                described = self._line_head(doc, cand)
            if described is not None:
                return [described]
        if kind in ("default", "speaker") and cand.subject_span is None:
            # no "I" said: a CV line of the candidate's
            topic = self._topic_person(doc, cand, speaker)
            if topic is None:
                topic = self._third_person_message(doc, cand, speaker)
            if topic is not None:
                return [topic]
        if kind == "speaker":
            span = cand.subject_span
            partner = partner_named_with(doc, span) if span is not None else None
            return [speaker, state.add_person(partner)] if partner else [speaker]
        if kind == "we" and cand.rule == "switched_off" and cand.objects:
            # "Bullhorn was switched off on Jan 31": whoever held it, when it was one holder
            held = {r.subject for r in state.records if r.predicate == predicate and
                    normalize_name(r.obj) == normalize_name(cand.objects[0][2]) and
                    any(normalize_name(c.obj) == normalize_name(r.obj)
                        for c in state.current(r.subject, predicate))}
            if len(held) == 1:
                return list(held)
        if kind == "we":
            org = state.conversation_org(speaker)
            if org_subject and org and state.we_as_org:
                return [org]
            partner = and_i(doc, clause)
            result = [speaker]
            if partner:
                result.append(state.add_person(partner))
            return result
        if kind in ("he", "she", "they"):
            at = doc[cand.subject_span[0]].idx if cand.subject_span else len(_text(doc))
            if kind != "they":
                at = self._chain_start(doc, at, kind)
            if kind == "they" and org_subject and not self._they_person(at):
                org = self._they_org(doc, at)
                if org is not None:
                    return [org]
            gender = kind if kind != "they" else None
            # the closest person named before the pronoun in this message, in a slot that
            # refers ("she is Leiterin Recht", "from Tampere" do not)
            near = self._antecedent(doc, at, gender, speaker, plural=kind == "they")
            if near:
                return near
            if kind == "they":
                # no antecedent in a referring slot: the latest person named before it in
                # this message who is not in the chat ("our friend Sam can help — they live
                # in …"); the people of the chat are "you", and a "they" with no one named
                # is a group ("you're right, Caroline … they loved the canyon")
                earlier = [(pos, name) for name, pos in self._positions.items()
                           if pos < at and name not in state.user_speakers and
                           name != speaker and state.type_of(name) == "person"]
                return [max(earlier)[1]] if earlier else []
            # people named after the pronoun in this message are not its antecedent (also
            # those only a reading of this message made known: "reporting to Bethan Ellis")
            after = _text(doc)[at + 1:]
            later = {name for name, pos in self._positions.items() if pos > at} | {
                name for name in state.recent[-8:]
                if re.search(rf"\b{re.escape(name)}\b", after)}
            person = state.recent_person(gender, {speaker} | later) or \
                state.recent_person(gender, {speaker})
            return [person] if person else []
        if kind == "who":
            if cand.subject_span is not None:
                # "his brother Obinna, who's the CEO": a relative "who" means the name right
                # before it
                k = cand.subject_span[0] - 1
                if k >= 0 and doc[k].text == ",":
                    k -= 1
                if k >= 0 and is_nameish(doc[k]):
                    near = self._antecedent(doc, doc[cand.subject_span[0]].idx, None, speaker,
                                           adjacent=True)
                    if near:
                        return near
            person = state.recent_person(None, {speaker})
            return [person] if person else []
        if kind == "name" and cand.subject_span is not None:
            if cand.subject_span[0] > 0 and doc[cand.subject_span[0] - 1].lower_ in I_AM:
                return [speaker]  # "Soy Flor, recruiter en …": the speaker's own name
            text = _trim_name(doc[cand.subject_span[0]:cand.subject_span[1]].text)
            spec = state.registry.get(predicate)
            # "Tyler married Brooke": the name beside a person-to-person relation is a person's
            # whatever else the word may be
            between_people = bool(cand.objects) and spec.subject_types == ("person",) and \
                spec.object_types == ("person",) and all(
                    t.pos_ == "PROPN" and t.is_title and not t.is_stop and len(t) > 2 and
                    t.lower_ not in TITLE_HEADS
                    for t in doc[cand.subject_span[0]:cand.subject_span[1]])
            if not text or not between_people and \
                    self._everyday_word(doc, cand.subject_span, text):
                return []
            if not org_subject and doc[cand.subject_span[1] - 1].like_num:
                return []  # "Ref 2 was his old supervisor": a numbered label, no one's name
            previous = doc[cand.subject_span[0] - 1] if cand.subject_span[0] else None
            if org_subject and previous is not None and previous.lower_ in ("our", "my"):
                # "Our ERP is Odoo 17": what we have, not an organisation named
                return self._subjects(doc, clause, ci, replace(
                    cand, subject="we" if previous.lower_ == "our" else "speaker",
                    subject_span=None), speaker, subjects)
            if previous is not None and is_honorific(previous) and len(text.split()) == 1:
                text = f"{previous.text} {text}"  # "Mr Mwansa retires": the known Mwansa
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
            if known is not None and known.type == "animal" and predicate == "has_pet":
                holder = state.pet_holder(known.name)  # "Kuro died": its keeper loses it
                return [holder] if holder else []
            if known is not None and known.type == "organization" and not org_subject and \
                    any(c.clause == ci and c.rule == "got_job" and
                        any(o[0] == cand.subject_span[0] for o in c.objects)
                        for c in doc._.asof_candidates or []):
                # "got PayNest, backend engineer": the clause names the employer, the title
                # is the subject's; read the clause as if it had no subject
                return self._subjects(doc, clause, ci, replace(cand, subject="default",
                                                               subject_span=None),
                                      speaker, subjects)
            if known is not None and known.tentative and between_people:
                state.retype(known.name, "person")
            if known is not None and known.type not in ("person", "unknown", "concept"):
                return []  # an animal, a place, … is not the subject of these relations
            if normalize_name(text) in LANGUAGES:
                return []
            if predicate in ("uses", "owns") and known is None and \
                    any(e.text == text and e.label_ == "ORG" for e in doc.ents):
                return [state.canonical(text, "organization")]
            if known is None and not between_people and \
                    not self._could_be_person(doc, cand.subject_span) and \
                    not state.first_name_known(text):
                # "Junior Unity Developer, starts 3 June", "Joined Razorpay in Jan '21",
                # "matías y yo vamos": no one's name; read the clause as if it had no subject
                return self._subjects(doc, clause, ci, replace(cand, subject="default",
                                                               subject_span=None),
                                      speaker, subjects)
            name = state.add_person(text)
            if normalize_name(name) == normalize_name(speaker):
                return [speaker]
            before = _text(doc)[max(0, doc[cand.subject_span[0]].idx - 40):
                                doc[cand.subject_span[0]].idx]
            if ME_AND.search(before):
                return [speaker, name]  # "me and my boyfriend Luca moved in together"
            return [name]
        if kind == "default":
            named = self._lowercase_subject(doc, clause, cand) or \
                self._described_person(doc, cand)
            if named is None and predicate in self._person_predicates() and \
                    (lower := lowercase_name_subject(
                        doc, clause.start, min(cand.trigger[0] + 1, clause.end))):
                named = state.add_person(lower)
            if named is not None:
                return [named]
            kin = kin_opening(doc, clause)
            if kin is not None:
                # "wife's starting at GTBank": hers, the spouse named before, if any
                spouse = state.current(speaker, "married_to") if kin in (
                    "wife", "husband", "spouse", "partner") else []
                return [spouse[-1].obj] if len(spouse) == 1 else []
            relative = self._named_before_relative(doc, ci)
            if relative is not None:
                return [relative]
            if clause.connector and ci - 1 in subjects and \
                    doc._.asof_clauses[ci - 1].sent == clause.sent:
                return subjects[ci - 1]
            for prev in range(ci - 1, -1, -1):
                if prev in subjects and doc._.asof_clauses[prev].sent == clause.sent:
                    return subjects[prev]
            fragment = self._fragment_subject(doc, clause, cand, speaker)
            if fragment is not None:
                return [fragment]
            if third_person_opening(doc, clause):
                # "he accepted. starts 2 December as …": "starts" is nobody's "I"
                at = doc[clause.start].idx
                earlier = [(pos, name) for name, pos in self._positions.items()
                           if pos < at and name != speaker and
                           state.type_of(name) == "person"]
                # "- Zane Kļava, chief accountant. Speaks Russian": or a name the model did not
                # call a person, known as one by now
                earlier += [(span.start_char, known.name)
                            for span in doc.spans.get("asof_mentions", [])
                            if span.start_char < at and span.label_ == "NAME" and
                            (known := state.entity(span.text)) is not None and
                            known.type == "person" and known.name != speaker]
                person = max(earlier)[1] if earlier else state.recent_person(None, {speaker})
                if person is not None:
                    return [person]
            named = self._sentence_subject(doc, cand)
            return [named] if named is not None else [speaker]
        if kind == "none" and ci in subjects and any(
                c.clause == ci and c.predicate == "job_title" and c.trigger[0] == clause.start
                for c in doc._.asof_candidates or []):
            # "Welding supervisor, starts Monday, reporting to X": a clause led by a title is
            # about whoever holds the title
            return subjects[ci]
        return []

    def _person_named(self, doc: Doc, span: tuple[int, int]) -> str | None:
        """The person a name run means, unless the conversation or the model knows it as
        something else (an organisation, a place, a product)."""
        text = _trim_name(doc[span[0]:span[1]].text)
        if not text or self._everyday_word(doc, span, text) or \
                normalize_name(text) in LANGUAGES or \
                span[1] - span[0] >= 2 and opening_verb(doc[span[0]]):
            return None  # "Joined Kestrel in 2021 as …": a note's opening verb, no name
        known = self.state.entity(text)
        if known is not None and known.type != "person":
            return None
        if known is None and span[1] - span[0] == 1 and \
                (alias := self.state.alias_of(text, "person")) is not None and \
                alias.type == "person" and not alias.tentative:
            return self.state.add_person(alias.name)  # "Tolegen is promoted": Tolegen Saparov
        tokens = doc[span[0]:span[1]]
        if known is not None and not known.tentative and \
                not any(t.is_upper and len(t) > 1 for t in tokens):
            return self.state.add_person(text)  # a person the conversation already knows
        spoken = normalize_name(text) in self.state.speakers or any(
            normalize_name(text) in (normalize_name(n), normalize_name(n.split()[0]))
            for n in self.state.speaker_names)
        if not spoken and (any(t.is_upper and len(t) > 1 for t in tokens) or not (
                any(t.ent_type_ == "PERSON" for t in tokens) or
                (len(tokens) >= 2 and all(t.is_title and t.is_alpha and
                                          not common_english(t.text) and
                                          t.lower_ not in TITLE_HEADS for t in tokens
                                          if t.lower_ not in NAME_PARTICLES)))):
            # "CV says …", "Presentations: …", "Senior Data Scientist — …": an abbreviation,
            # a heading or a title, not a person
            return None
        return self.state.add_person(text)

    def _titled_name(self, doc: Doc, cand: Candidate) -> str | None:
        """"our motion designer Joost de Vries", "the new operations director, Iván Castro": a
        title right before a name (a noun phrase in apposition) is that person's; not a
        relation to someone ("my manager Ewa")."""
        start, end = cand.objects[0][0], cand.objects[0][1]
        words = [t.lower_ for t in doc[start:end]]
        if not words or words[-1] not in TITLE_HEADS or \
                (len(words) == 1 and words[0] in RELATIONAL_ROLES):
            return None
        k = start - 1
        while k >= 0 and doc[k].pos_ == "ADJ" and doc[k].lower_ not in _FIRST_PERSON:
            k -= 1
        if k >= 0 and doc[k].lower_ not in ("our", "their", "the", "his", "her", "my", "your",
                                            "its"):
            return None
        if k >= 1 and doc[k - 1].lemma_ == "be":
            return None  # "I'm the e-commerce manager, Carlos …": the title is predicated
        j = end + 1 if end < len(doc) and doc[end].text == "," else end
        run = name_run(doc, j, len(doc)) if j < len(doc) else None
        if run is None or any(t.lower_ in TITLE_HEADS for t in doc[run[0]:run[1]]):
            return None
        if j > end and run[1] < len(doc) and doc[run[1]].pos_ in ("VERB", "AUX"):
            return None  # "…, Carlos Mendes is the account owner": a new clause's subject
        return self._person_named(doc, run)

    def _line_head(self, doc: Doc, cand: Candidate) -> str | None:
        """A line of a list or a roster that opens with a person's name and a dash or a colon
        ("Aleksi Koskinen — at Kuura since 2021, lives in Tampere", "1) Henrik Dahl — was
        Senior Data Scientist", "Dani (Daniel Ortega) — joined us as an intern"): what the line
        says without a subject of its own is about that person, unless "I" comes in."""
        text = _text(doc)
        # an objectless start ("First day with us 2 June") is placed by its cue
        end = cand.objects[0][0] if cand.objects else cand.trigger[0]
        at = doc[end].idx
        line = text.rfind("\n", 0, at) + 1
        k = _token_at(doc, line)
        if doc[k].idx < line:
            k += 1
        first = k
        while k < len(doc) and (doc[k].is_space or doc[k].text in ("-", "*", "•", ")", ".") or
                                doc[k].like_num and len(doc[k]) <= 2):
            k += 1
        bullet = any(t.text in ("-", "*", "•") for t in doc[first:k])
        run = name_run(doc, k, len(doc))
        if run is None or cand.trigger[0] <= run[0] < cand.trigger[1]:
            return None  # "Idiomas: español, inglés": the statement's own heading is no one
        j = run[1]
        if j + 1 < len(doc) and doc[j + 1].text == ":" and (
                doc[j].like_num or len(doc[j].text) == 1 and doc[j].is_upper):
            j += 1  # "Finalist A: …", "Candidate 2: …": a label's letter or number
        if j < len(doc) and doc[j].text == "(":
            while j < len(doc) and doc[j].text != ")" and doc[j].idx < at:
                j += 1
            j += 1
        elif j + 3 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ in ("my", "our") \
                and doc[j + 2].lower_ in RELATION_NOUNS:
            j += 3  # "Tőnis, my boyfriend — from Tartu": the relation said in apposition
        if j >= len(doc) or doc[j].idx >= at or doc[j].text not in ("—", "–", "-", ":") and not (
                doc[j].text == "," and run[1] - run[0] >= 2 and bullet and
                all(t.ent_type_ == "PERSON" for t in doc[run[0]:run[1]])):
            return None  # (a full name and a comma: "- Helena Quintela, CFO, based in Porto")
        if any(t.lower_ in ("i", "i'm", "im", "i've", "i'd", "we", "we're", "we've")
               for t in doc[j:end]):
            return None  # "Aleksi — I met him at …": the speaker's own clause
        if doc[j].text == ":":
            # "Contacto: Martín Olivera, gerente …", "Finalist A: Rūta Kazlauskienė — …": a
            # label before the colon, and the person is the full name in apposition after it
            after = name_run(doc, j + 1, len(doc))
            if after is not None and after[1] - after[0] >= 2 and after[1] < len(doc) and \
                    doc[after[1]].text in (",", "(", "—", "–") and \
                    doc[after[1]].idx < at:
                return self._person_named(doc, after)
        return self._person_named(doc, run)

    def _described_person(self, doc: Doc, cand: Candidate) -> str | None:
        """"Tomasz Lis (COO)", "Marta Gil — Sr. BA", "Brian Njoroge, our drummer": a span
        attached to the name right before it by punctuation describes that person."""
        if not cand.objects or cand.predicate not in self._person_predicates():
            return None
        j = cand.objects[0][0] - 1
        while j >= 0 and doc[j].lower_ in _APPOSITIVE_FILLERS:
            j -= 1
        if j >= 3 and doc[j].text == "," and doc[j - 1].lower_ in RELATIONAL_ROLES and \
                doc[j - 2].lower_ in ("my", "our", "his", "her", "their"):
            j -= 3  # "Tomas Lindgren (my manager, head of design)": his, past the relation
        if j < 1 or doc[j].text not in _APPOSITIVE_MARKS:
            return None
        run = name_ending_at(doc, j - 1)
        if run is not None and cand.trigger[0] <= run[0] < cand.trigger[1]:
            return None  # "Idiomas: español": the statement's own heading is no one
        known = self.state.alias_of(doc[j - 2:j].text, "person") if j >= 2 and \
            doc[j - 1].is_lower and doc[j - 2].is_alpha else None
        if known is not None and known.type == "person":
            return known.name  # "reporting to mikel arrieta (cto)": typed in lower case
        named = self._person_named(doc, run) if run is not None else None
        if named is None and doc[j].text == ",":
            before = self._titled_before(doc, j)
            named = self._person_named(doc, before) if before is not None else None
        return named

    def _titled_before(self, doc: Doc, comma: int) -> tuple[int, int] | None:
        """"Nikola Radović, our IT lead, based in Podgorica": the person named before the
        title that stands between two commas, when the conversation knows them as a person
        (their title, read first, made them one) or the model tags them so."""
        k = comma - 1
        while k > 0 and comma - k <= 8 and doc[k].text != "," and \
                doc[k].pos_ not in ("VERB", "AUX") and (
                    doc[k].lower_ in ("our", "my") or doc[k].lower_ not in _FIRST_PERSON):
            k -= 1  # ("our IT lead" is a title, "I" or "we" a clause of the speaker's)
        if k <= 0 or k >= comma - 1 or doc[k].text != ",":
            return None
        run = name_ending_at(doc, k - 1)
        if run is None:
            return None
        span = doc[run[0]:run[1]]
        known = self.state.entity(span.text)
        if all(t.ent_type_ == "PERSON" for t in span) or \
                known is not None and known.type == "person":
            return run
        return None

    def _named_before_relative(self, doc: Doc, ci: int) -> str | None:
        """"Arvo Lindell, who runs our paint shop, | is retiring …", "Temuujin (my husband) |
        starts at …": a clause that opens with its verb after a relative clause or a
        parenthesis is about the person named before it."""
        clauses = doc._.asof_clauses or []
        start = clauses[ci].start
        if 2 <= start < len(doc) and doc[start - 1].text == ")" and \
                doc[start].pos_ in ("AUX", "VERB"):
            k = start - 2
            while k > doc[start].sent.start and doc[k].text not in ("(", ")"):
                k -= 1
            run = name_ending_at(doc, k - 1) if doc[k].text == "(" and k >= 1 else None
            named = self._person_named(doc, run) if run is not None else None
            if named is None and run is not None and doc[run[0]].is_title and \
                    any(t.lower_ in RELATION_NOUNS for t in doc[k:start]):
                named = self.state.add_person(doc[run[0]:run[1]].text)  # "Gerel (my wife)"
            if named is not None:
                return named
            word = doc[k - 1] if k >= 1 and doc[k].text == "(" else None
            if word is not None and unknown_lowercase_word(word) and \
                    (word.i == 0 or doc[word.i - 1].is_punct):
                return self.state.add_person(word.text.capitalize())  # "temuujin (…)"
            return None
        if ci < 2 or doc[clauses[ci].start].pos_ not in ("AUX", "VERB") or \
                doc[clauses[ci - 1].start].lower_ not in ("who", "who's", "whose") or \
                clauses[ci - 2].sent != clauses[ci].sent:
            return None
        end = clauses[ci - 1].start
        while end > clauses[ci - 2].start and doc[end - 1].is_punct:
            end -= 1
        run = name_ending_at(doc, end - 1)
        return self._person_named(doc, run) if run is not None else None

    def _sentence_subject(self, doc: Doc, cand: Candidate) -> str | None:
        """"Tunde flies for Skyvale Air, first officer": a span with no subject of its own
        belongs to the named person who is the grammatical subject of its sentence, unless
        the speaker comes into the sentence between them ("Sara says my title is …")."""
        if not cand.objects or cand.predicate not in self._person_predicates():
            return None
        start = cand.objects[0][0]
        sent = doc[start].sent
        if any(t.lower_ in _FIRST_PERSON for t in doc[sent.start:start]):
            return None
        for token in doc[sent.start:start]:
            if token.i == sent.start and token.dep_ == "compound" and is_nameish(token) and \
                    (run := name_run(doc, token.i, start)) is not None and \
                    self._known_person(doc, run) and \
                    not any(t.ent_type_ in ("ORG", "GPE", "LOC", "FAC", "PRODUCT")
                            for t in doc[run[0]:run[1]]):
                # the parser took "Sade flies" for a noun and the name for its compound
                # (a sentence in another language the same): a known person opening the
                # sentence is still its subject
                return self.state.add_person(_trim_name(doc[run[0]:run[1]].text))
            if token.dep_ in ("nsubj", "nsubjpass") and is_nameish(token):
                run = name_ending_at(doc, token.i)
                return self._person_named(doc, run) if run is not None else None
        return None

    def _known_person(self, doc: Doc, run: tuple[int, int]) -> bool:
        """The name run is a known person's, or their first name."""
        text = _trim_name(doc[run[0]:run[1]].text)
        known = self.state.entity(text)
        return known.type == "person" if known is not None else \
            self.state.first_name_known(text)

    def _fragment_subject(self, doc: Doc, clause: Clause, cand: Candidate,
                          speaker: str) -> str | None:
        """"ingrid got promoted!! team lead now": a clause with no verb that
        opens its sentence says more of the person the sentence before is about, when no one
        speaks of themselves in either."""
        if cand.predicate not in self._person_predicates():
            return None
        words = [t for t in doc[clause.start:clause.end] if not t.is_punct]
        sent = doc[clause.start].sent
        if not words or sent.start == 0 or any(
                t.pos_ in ("VERB", "AUX") or t.lower_ in _FIRST_PERSON for t in words) or \
                any(not t.is_punct for t in doc[sent.start:clause.start]):
            return None
        before = doc[sent.start - 1].sent
        if any(t.lower_ in _FIRST_PERSON for t in before) or \
                "\n" in doc[before.end - 1:sent.start + 1].text:
            return None  # a list's lines are no sentences about one person
        mentioned = dict(self._mentions)
        for token in before:
            if token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX"):
                run = name_ending_at(doc, token.i) if is_nameish(token) else (token.i,
                                                                                token.i + 1)
                name = mentioned.get(doc[run[0]].idx) if run is not None else None
                return name if name is not None and name != speaker else None
        return None

    def _could_be_person(self, doc: Doc, span: tuple[int, int]) -> bool:
        """A name run read as a clause subject can be a new person's name: not a job title
        ("Junior Unity Developer"), not an everyday word or a verb opening the sentence
        ("Joined Razorpay"), not an abbreviation ("SAP"); written in lower case only when
        the NER finds exactly a person there (in lower-case chat, words of another language
        are tagged as names: "dev en", "y yo vamos")."""
        tokens = doc[span[0]:span[1]]
        person = [t for t in tokens if t.ent_type_ == "PERSON"]
        if all(t.is_lower or not t.is_alpha for t in tokens):
            first, last = tokens[0], tokens[-1]
            return first.ent_iob_ == "B" and first.ent_type_ == "PERSON" and (
                last.i + 1 >= len(doc) or doc[last.i + 1].ent_iob_ != "I")
        if any(t.lower_ in TITLE_HEADS for t in tokens):
            return False
        if any(t.is_upper and len(t) > 1 for t in tokens) and not person:
            return False
        head = tokens[0]
        word = head.text
        if len(tokens) >= 3 and tokens[1].text == "-" and not head.whitespace_ and \
                not tokens[1].whitespace_:
            word = tokens[:3].text  # "Min-ji Cho": the given name is "Min-ji", not "Min"
        if head.is_sent_start and (head.pos_ in ("VERB", "AUX") or
                                   common_english(word)) and not person:
            return False
        # the model takes a note's opening past verb into the name after it ("Joined Kestrel")
        return not (len(tokens) >= 2 and opening_verb(head))

    def _everyday_word(self, doc: Doc, span: tuple[int, int], text: str) -> bool:
        """A one-word "name" that is an everyday English word the model does not call a person
        and nobody in the conversation goes by ("Painting looks like a great outlet", "Come
        to think of it"): not a subject."""
        if span[1] - span[0] != 1 or doc[span[0]].ent_type_ == "PERSON":
            return False
        key = normalize_name(text)
        if self.state.alias_of(text, "person") is not None or key in self.state.speakers:
            return False
        # "Rosters": the plural of an everyday word is one too
        lemma = doc[span[0]].lemma_.lower()
        return common_english(key) or lemma != key and common_english(lemma)

    def _lowercase_subject(self, doc: Doc, clause: Clause, cand: Candidate) -> str | None:
        """"kenji's been at Vantage since 2017": a known person's first name typed in lower
        case as the subject of the trigger's verb (the parser's subject, not the speaker)."""
        at = {pos: name for name, pos in self._positions.items()}
        for token in doc[clause.start:min(cand.trigger[0] + 1, clause.end)]:
            if token.is_lower and token.dep_ in ("nsubj", "nsubjpass") and token.idx in at:
                return at[token.idx]
        return None
