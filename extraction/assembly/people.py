"""Who is named in a message and who the pronouns mean: people and organisations learned
from the text, "she"/"they" resolved to the most recent compatible mention, introductions
("I'm Ana, I work at …"), and the people listed or travelling along with the subject."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from asof.extraction.assembly.records import RecordKeeping
from asof.extraction.assembly.state import Record
from asof.extraction.assembly.words import clean_literal, is_event
from asof.extraction.components.base import (
    NOT_NAMES,
    Candidate,
    Clause,
    is_honorific,
    is_nameish,
    name_start,
)
from asof.extraction.components.mentions import name_run
from asof.extraction.gazetteer import is_place_name
from asof.extraction.lexicons import (
    COMPANY_HEADS,
    DEPARTMENTS,
    EXEC_TITLES,
    KINSHIP,
    LANGUAGES,
    RELATION_NOUNS,
    RELATIONAL_ROLES,
    TITLE_HEADS,
    WORK_ROLES,
)
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _tok
from asof.extraction.spans import trim_name as _trim_name
from asof.extraction.word_frequency import common_english
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind

#: Who can be named as company on an outing besides family ("with my boss Lena Berg").
_OUTING_MATES = (RELATIONAL_ROLES | WORK_ROLES) - {"owner", "hire", "report", "contact"}

#: The department of "head of …" / "vp of …": at most three words, never across "and"/"or"
#: ("our head of sales and she reports to X" is not a title "head of sales and she …").
DEPT = r"(?:(?!and\b|or\b|but\b)[\w-]+?(?: |(?=\W))){1,3}?"
#: Lower-case particles inside a person's name ("Anika de Villiers", "Joost van Dijk").
NAME_PARTICLE = r"(?:van|der|den|de|von|da|del|du)"
ROLE_RE = re.compile(
    r"\b(my|our|her|his|their)\s+((?:new\s+|current\s+|actual\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?i:manager|boss|lead|admin|administrator|deputy|contact|colleague|coworker|ceo|cto|cfo|"
    r"coo|cio|cmo|director|(?:head|vp) of " + DEPT + r"|president|founder|owner|"
    r"account owner))\s*(?:,|is|was|will be|-|—)?\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w'’-]+(?:[ \t]+(?:" + NAME_PARTICLE + r"\b|[A-Z][\w'’-]+))*)")
#: An organisation's name ("Kanmi Foods", "Maple & Finch") and a person's first one or two.
#: (lower-case particles inside, also Portuguese and Italian ones: "Cortiças Vale do Lima")
_ORG = (r"(?P<org>[A-Z][\w'’&-]*(?:[ \t]+(?:&[ \t]+|(?:" + NAME_PARTICLE +
        r"|do|dos|das|di)[ \t]+)?[A-Z][\w'’-]*)*)")
_PERSON = r"(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)"
#: A title of up to four words, its last word kept to be checked against the title heads.
_TITLE = r"(?P<title>(?:[\w&/-]+[ \t]+){0,3}?(?P<head>[\w-]+))"
_INTRO_RE = re.compile(
    _PERSON + r"[ \t]+(?:here[ \t]+)?(?:from|at|with)[ \t]+(?:the\s+)?" + _ORG)
#: "Olu here, IT lead at Kanmi Foods": an introduction with a title between (the parser may
#: read "IT lead" as a pronoun and a verb).
_HERE_TITLE_AT_RE = re.compile(
    _PERSON + r"[ \t]+here[ \t]*[,—–-][ \t]*(?:(?:the|a|an)[ \t]+)?" + _TITLE +
    r"[ \t]+(?:at|@|with|for)[ \t]+(?:the\s+)?" + _ORG)
#: Someone met, named with their organisation: "call with Priya Shah from Acme Robotics",
#: "spoke with Dana Kim at Quillon Labs", "met Tomás Vera (IT manager at Viña Sol)".
_MET = r"\b(?i:with|w/|met|meeting|call|spoke\s+to|talked\s+to)[ \t]+" + _PERSON
_MET_FROM_RE = re.compile(_MET + r"[ \t]+(?:from|at|of|@)[ \t]+(?:the[ \t]+)?" + _ORG)
_MET_TITLED_RE = re.compile(
    _MET + r"[ \t]*\([ \t]*" + _TITLE + r"[ \t]+(?:at|@|of)[ \t]+" + _ORG + r"[ \t]*\)")
_HERE_AT_RE = re.compile(r"\bhere at\s+" + _ORG)
#: "I'm the UI lead", "I am a buyer"
_I_AM_TITLED_RE = re.compile(r"\bI(?:'m|’m| am)\s+(?:the|a|an|their|its)\s+\w")
#: "Fjellkode is a 20-person software studio in Bodø": a name the text calls a company
_DESCRIBED_ORG_RE = re.compile(
    _ORG + r"\s+(?:is|'s|’s)\s+(?:a|an)\s+(?:[\w-]+\s+){0,4}?(?P<head>" +
    "|".join(sorted((re.escape(h) for h in COMPANY_HEADS), key=len, reverse=True)) + r")\b")
_KIN_RE = re.compile(r"\b(?:my|our|her|his)\s+(?P<kin>" + "|".join(KINSHIP) +
                     r")[ \t]*,?[ \t]+" + _PERSON)
#: "Tőnis, my boyfriend — from Pärnu": a name opening a line or sentence, then the relation
_KIN_AFTER_RE = re.compile(r"(?:^|(?<=[\n.!?;:])[ \t]*)" + _PERSON +
                           r"[ \t]*(?:,|\(|—|–)[ \t]*(?:my|our)[ \t]+(?P<kin>" +
                           "|".join(KINSHIP) + r")\b")


def _pronoun_after(doc: Doc, end: int) -> str | None:
    """"he"/"she" right after a name, past a comma ("Tunde Bakare, he's …")."""
    i = end + 1 if end < len(doc) and doc[end].text in (",", "—", "–", "-") else end
    if i < len(doc) and doc[i].lower_ in ("he", "she") and i + 1 < len(doc) and \
            doc[i + 1].pos_ in ("AUX", "VERB"):
        return doc[i].lower_
    return None


class PeopleAndNames(RecordKeeping):
    """Names and references, learned message by message."""

    def _learn_people(self, doc: Doc, speaker: str) -> None:
        state = self.state
        positions: dict[str, int] = {}
        mentions: list[tuple[int, str]] = []

        def seen(name: str, at: int) -> None:
            mentions.append((at, name))
            if name not in positions or at < positions[name]:
                positions[name] = at

        for match in _KIN_RE.finditer(_text(doc)):
            name = match.group("name")
            if normalize_name(name) in ("and", "is"):
                continue
            seen(state.add_person(name.split(" is")[0], KINSHIP.get(match.group("kin").lower())),
                 match.start("name"))
        for match in _KIN_AFTER_RE.finditer(_text(doc)):
            name = match.group("name")
            words = normalize_name(name).split()
            if words and words[0] not in NOT_NAMES and not common_english(words[0]) and \
                    state.type_of(name) in (None, "person", "unknown"):
                seen(state.add_person(name, KINSHIP.get(match.group("kin").lower())),
                     match.start("name"))
        for match in ROLE_RE.finditer(_text(doc)):
            # "my deputy Priyanka Sharma", "our CTO, Omar Haddad": a person, whatever the NER says
            name = _trim_name(match.group("name"))
            words = match.group(2).lower().split()
            key = normalize_name(name)
            if key and key.split()[0] not in NOT_NAMES and key not in LANGUAGES and \
                    any(w in WORK_ROLES for w in words) and name.lower() not in EXEC_TITLES \
                    and state.type_of(name) in (None, "person", "unknown", "concept"):
                seen(state.add_person(name), match.start("name"))
        for span in doc.spans.get("asof_mentions", []):
            # "Hana at Kestrel" tagged as one PERSON: the name ends before the preposition
            text = _trim_name(re.split(r"\s+(?:at|from|with|here)\b", span.text)[0])
            key = normalize_name(text)
            if not key or key.split()[0] in NOT_NAMES or key in LANGUAGES or \
                    key.split()[-1] in LANGUAGES:
                continue
            if span.label_ == "PERSON":
                if key == normalize_name(speaker) or not text[:1].isupper() or \
                        len(key.split()) > 1 and key.split()[-1] in COMPANY_HEADS:
                    continue  # "Haejin Shipping" read as a person: a company
                before = doc[span.start - 1] if span.start else None
                if before is not None and is_honorific(before) and len(text.split()) == 1:
                    # "Mr Mwansa retires": the one known person of that surname
                    full = state.without_honorific(f"{before.text} {text}")
                    text = full if len(full.split()) > 1 and full.split()[0] != before.text \
                        else text
                if state.type_of(text) is None:
                    state.add_person(text)
                    entity = state.entity(text)
                    if entity is not None:
                        entity.tentative = True
                    seen(entity.name if entity else text, span.start_char)
                elif state.type_of(text) == "person":
                    name = state.entity(text).name  # type: ignore[union-attr]
                    state.touch(name)
                    seen(name, span.start_char)
            elif (known := state.entity(text) or state.alias_of(text, "person")) is not None \
                    and (known.type == "person" or state.entity(text) is not None):
                # a known name, or a person's short name ("not Ifeoma"): mentioned again now
                name = known.name
                state.touch(name)
                if known.type == "person":
                    seen(name, span.start_char)
            elif span.label_ not in ("PERSON", "LANGUAGE", "NORP") and \
                    key != normalize_name(speaker) and \
                    state.type_of(text) is None and \
                    key.split()[-1] not in COMPANY_HEADS and not (
                        span.start > 0 and doc[span.start - 1].lower_ in ("at", "in", "on")) \
                    and (gender := _pronoun_after(doc, span.end)) is not None:
                # "Tunde Bakare, he's their lead": a name the model missed, taken up by he/she
                seen(state.add_person(text, gender), span.start_char)
        # a known person's first name typed in lower case ("kenji's been there for years"),
        # or alone where the model tags no name ("Tunde flies for Skyvale Air")
        firsts: dict[str, set[str]] = {}
        for entity in state.distinct_entities():
            if entity.type == "person" and entity.name.lower() != normalize_name(speaker):
                first = entity.name.split()[0].lower()
                if len(first) >= 3 and first not in NOT_NAMES and first not in state.speakers:
                    firsts.setdefault(first, set()).add(entity.name)
        if firsts:
            for token in doc:
                names = firsts.get(token.lower_)
                if names and not token.is_lower and not (
                        token.is_title and not common_english(token.text) and
                        doc[token.i + 1:token.i + 2].text != ":"):  # "Théo: French, …"
                    names = None
                if names and len(names) == 1 and token.pos_ != "VERB":
                    name = next(iter(names))
                    state.touch(name)
                    seen(name, token.idx)
        self._positions = positions
        #: every mention of a person in this message (char offset, name), not just the first
        self._mentions = sorted(set(mentions))

    def _learn_orgs(self, doc: Doc, index: int) -> None:
        """Organisation names a later "they" may mean ("…Bengal Textiles call … they run
        SAP"): ORG entities of the model plus known organisations named in any case."""
        state = self.state
        found: list[tuple[int, str]] = []
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            text = _trim_name(ent.text)
            key = normalize_name(text)
            if not key or key in DEPARTMENTS or key.split()[0] in NOT_NAMES or \
                    key in EXEC_TITLES or len(key) < 2:
                continue
            known = state.entity(text)
            if known is not None and not known.tentative and known.type != "organization":
                continue
            found.append((ent.start_char, text))
        found = [(at, text) for at, text in found if not state.inside_person_name(text)]
        for span in doc.spans.get("asof_mentions", []):
            # a name the model missed or took for a person, but its last word says is a
            # company ("Quorra Bank", "Kestrel Dairy")
            words = span.text.split()
            if len(words) >= 2 and \
                    words[-1].lower().rstrip(".") in COMPANY_HEADS and \
                    not any(a == span.start_char for a, _ in found):
                found.append((span.start_char, _trim_name(span.text)))
        for match in _DESCRIBED_ORG_RE.finditer(_text(doc)):
            org = _trim_name(match.group("org"))
            known = state.entity(org)
            if org and (known is None or known.tentative):
                state.retype(state.canonical(org, "organization"), "organization")
        low = _text(doc).lower()
        for entity in state.distinct_entities():
            if entity.type != "organization":
                continue
            at = low.find(entity.name.lower())
            if at >= 0 and not any(a == at for a, _ in found):
                found.append((at, entity.name))
        if found:
            state.org_mentions[index] = sorted(found)

    def _they_person(self, at: int) -> bool:
        """A singular "they" for a person ("our friend Sam can help — they live in …"): a
        person is named before it in this message and no organisation is."""
        named = [pos for pos in self._positions.values() if pos < at]
        orgs = [start for start, _ in self.state.org_mentions.get(self._message, [])
                if start < at]
        # "Meridian dropped Tableau and they've been on Snowflake": an organisation already
        # acted in this message
        acted = any(self.state.type_of(r.subject) == "organization" for r in self.state.pending)
        return bool(named) and not orgs and not acted

    def _they_org(self, doc: Doc, at: int) -> str | None:
        """The organisation a "they"/"them" at char ``at`` with an organisation-valued
        predicate means: the first one named before it in this message, else the latest known
        one, else the first one named in the latest earlier message that named one."""
        state = self.state
        index = self._message
        here = [name for start, name in state.org_mentions.get(index, []) if start < at and
                not state.inside_person_name(name)]
        pick = here[0] if here else state.recent_of(("organization",))
        if pick is None:
            for earlier in sorted((i for i in state.org_mentions if i < index), reverse=True):
                pick = state.org_mentions[earlier][0][1]
                break
        if pick is None:
            return None
        known = state.entity(pick)
        if known is not None and known.type == "organization":
            return known.name
        canonical = state.canonical(pick, "organization")
        entity = state.entity(canonical)
        if entity is not None and entity.tentative:
            entity.type, entity.tentative = "organization", False
        if entity is not None and entity.type not in ("organization", "unknown", "concept"):
            return None
        state.touch(canonical)
        return canonical

    def _intro(self, doc: Doc, speaker: str, index: int, buffer: list[Record]) -> None:
        """"Rafael from Northwind", "Thanh from ACME here", "here at Lumen Grid"."""
        state = self.state
        first = normalize_name(speaker).split()[0]
        for match in _INTRO_RE.finditer(_text(doc)):
            name = normalize_name(match.group("name"))
            known = state.entity(name)
            if not name or (name.split()[0] != first and (
                    known is None or known.type in ("location", "event"))):
                continue  # "Leeds with Ana": a place is not introduced as a person
            person = state.add_person(match.group("name")) if name.split()[0] != first \
                else speaker
            org = _trim_name(match.group("org"))
            if not org or normalize_name(org) in DEPARTMENTS or \
                    self._intro_place(doc, org) or is_event(org) or (
                        (known_org := state.entity(org)) is not None and
                        known_org.type == "person" and not known_org.tentative):
                continue
            if person != speaker and normalize_name(org) in LANGUAGES:
                continue
            state.retype(org, "organization")  # the NER's guess ("Kestrel Labs": PERSON)
            canonical = state.canonical(org, "organization")
            state.touch(canonical)
            buffer.append(self._record(person, "works_at", canonical, False,
                                       AssertionKind.ASSERT, None, None, index,
                                       (match.start(), match.end()), 0.7))
        for regex in (_MET_FROM_RE, _MET_TITLED_RE):
            for match in regex.finditer(_text(doc)):
                self._met(doc, match, speaker, first, index, buffer)
        for match in _HERE_TITLE_AT_RE.finditer(_text(doc)):
            self._titled_intro(doc, match, speaker, first, index, buffer)
        for match in _DESCRIBED_ORG_RE.finditer(_text(doc)):
            # "Fjellkode is a software studio in Bodø, I'm the QA lead": the speaker's
            # employer, when the sentence gives the speaker a title there
            rest = re.split(r"[.!?\n]", _text(doc)[match.end():], maxsplit=1)[0]
            org = _trim_name(match.group("org"))
            if org and state.type_of(org) == "organization" and \
                    _I_AM_TITLED_RE.search(rest) and not state.current(speaker, "works_at"):
                buffer.append(self._record(speaker, "works_at",
                                           state.canonical(org, "organization"), False,
                                           AssertionKind.ASSERT, None, None, index,
                                           (match.start(), match.end()), 0.7))
        for match in _HERE_AT_RE.finditer(_text(doc)):
            org = _trim_name(match.group("org"))
            if org and normalize_name(org) not in DEPARTMENTS:
                canonical = state.canonical(org, "organization")
                buffer.append(self._record(speaker, "works_at", canonical, False,
                                           AssertionKind.ASSERT, None, None, index,
                                           (match.start(), match.end()), 0.7))

    def _met(self, doc: Doc, match: re.Match[str], speaker: str, first: str, index: int,
             buffer: list[Record]) -> None:
        """Someone the speaker met, named with their organisation (and title): theirs."""
        state = self.state
        raw = match.group("name")
        if normalize_name(raw).split()[0] == first or \
                state.type_of(raw) not in (None, "person", "unknown"):
            return
        titled = match.groupdict().get("head") is not None
        if titled and match.group("head").lower() not in TITLE_HEADS:
            return
        org = _trim_name(match.group("org"))
        if not org or normalize_name(org) in DEPARTMENTS or self._intro_place(doc, org) or \
                state.type_of(org) in ("person", "event", "location") or is_event(org):
            return
        words = normalize_name(org).split()
        if not titled and state.type_of(org) != "organization" and words and \
                words[-1] not in COMPANY_HEADS and not any(
                    e.text == org and e.label_ == "ORG" for e in doc.ents):
            return  # "lunch with Tom from Leeds": a home town, not an employer
        person = state.add_person(raw)
        title = clean_literal(match.group("title")) if titled else ""
        self._works_there(person, org, title, index, (match.start(), match.end()), buffer)

    def _titled_intro(self, doc: Doc, match: re.Match[str], speaker: str, first: str,
                      index: int, buffer: list[Record]) -> None:
        """The speaker's introduction with a title: its employer and its title."""
        state = self.state
        if normalize_name(match.group("name")).split()[0] != first or \
                match.group("head").lower() not in TITLE_HEADS:
            return
        org = _trim_name(match.group("org"))
        title = clean_literal(match.group("title"))
        if not org or not title or normalize_name(org) in DEPARTMENTS or \
                self._intro_place(doc, org) or state.type_of(org) in ("person", "event"):
            return
        self._works_there(speaker, org, title, index, (match.start(), match.end()), buffer)

    def _works_there(self, person: str, org: str, title: str, index: int,
                     span: tuple[int, int], buffer: list[Record]) -> None:
        """``person`` works at ``org`` (an organisation from now on), with ``title`` if any."""
        state = self.state
        state.retype(org, "organization")
        canonical = state.canonical(org, "organization")
        buffer.append(self._record(person, "works_at", canonical, False, AssertionKind.ASSERT,
                                   None, None, index, span, 0.7))
        if title:
            buffer.append(self._record(person, "job_title", title, True, AssertionKind.ASSERT,
                                       None, None, index, span, 0.7))

    def _intro_place(self, doc: Doc, name: str) -> bool:
        """"Dana from Leeds" names a place only when the NER calls it a city or country
        (GPE) or it is a known place: its LOC label ("Andes Outdoor") is too unsure."""
        if self.state.type_of(name) == "location":
            return True
        return any(ent.text == name and ent.label_ == "GPE" for ent in doc.ents)

    def _leaving_place(self, doc: Doc, name: str) -> bool:
        """"I'm leaving Pune on Feb 1 for Oslo", "I left Lyon in May": a move, about a place
        the gazetteer knows right after "leave" (that the NER does not call an organisation),
        or any the NER names after "leaving" ("leaving Pune after 10 years here")."""
        if self.state.type_of(name) in ("organization", "product", "group"):
            return False
        if self.state.type_of(name) == "location":
            return True
        if any(ent.text == name and ent.label_ in ("GPE", "LOC") and ent.start > 0 and
               doc[ent.start - 1].lower_ == "leaving" for ent in doc.ents):
            return True
        # "I left Lyon in May": the object being routed comes right after "leave"; the model
        # may call the town a person, not an organisation (the gazetteer last: it is loaded
        # on first use)
        first = _tok(doc, self._object_at) if self._object_at < len(_text(doc)) else 0
        return first > 0 and doc[first - 1].lemma_.lower() == "leave" and not any(
            ent.text == name and ent.label_ in ("ORG", "PRODUCT", "FAC") for ent in doc.ents) \
            and is_place_name(name)

    def _listed_people(self, doc: Doc, clause: Clause, cand: Candidate) -> list[str]:
        """Names joined by "and" to the subject, or listed after the object's comma."""
        spans: list[tuple[int, int]] = []
        if cand.subject in ("name", "default"):
            # name runs joined by "and" right before the verb: "Timur and Dana report to me"
            k = cand.trigger[0]
            while k > clause.start and doc[k - 1].lower_ in ("now", "both", "all", "also"):
                k -= 1
            k -= 1
            if cand.subject == "name" and cand.subject_span is not None:
                k = cand.subject_span[0] - 1
            elif k >= clause.start and is_nameish(doc[k]):
                first = name_start(doc, k + 1, clause.start)
                spans.append((first, k + 1))
                k = first - 1
            while k >= clause.start and doc[k].lower_ in ("and", ","):
                first = name_start(doc, k, clause.start)
                if first >= k:
                    break
                spans.append((first, k))
                k = first - 1
        else:
            last = max((o[1] for o in cand.objects), default=cand.trigger[1])
            k = last
            if k < clause.end and doc[k].text == ",":
                k += 1
                while k < clause.end:
                    run = name_run(doc, k, clause.end)
                    if run is None:
                        break
                    spans.append(run)
                    k = run[1]
                    if k < clause.end and doc[k].lower_ in ("and", ","):
                        k += 1
                    else:
                        break
        found = []
        for start, end in spans:
            name = _trim_name(doc[start:end].text)
            if name and self.state.type_of(name) in (None, "person", "unknown"):
                found.append(self.state.add_person(name))
        return found

    def _companions(self, doc: Doc, clause: Clause, cand: Candidate,
                    roles: frozenset[str] = frozenset()) -> list[str]:
        """People named after "with" in a move's clause ("with my son Danylo", "with Ana",
        "with the missus Aino") or after one of ``roles`` ("with my boss Lena Berg"), not pets
        ("with our dog Bublyk")."""
        found: list[str] = []
        for k in range(cand.trigger[1], clause.end - 1):
            if doc[k].lower_ != "with":
                continue
            # "with his wife Yumi and my granddaughter Hana": each of a list
            while (end := self._companion(doc, k + 1, clause, roles, found)) is not None and \
                    end + 1 < clause.end and doc[end].lower_ in ("and", "&", ","):
                k = end
        return found

    def _companion(self, doc: Doc, j: int, clause: Clause, roles: frozenset[str],
                   found: list[str]) -> int | None:
        """The person named from ``doc[j]`` on, past a possessive and a relation ("my son
        Danylo"), added to ``found``; where the name ends, or None."""
        start, kin = j, None
        while j < clause.end:
            word = doc[j].lower_
            if word in RELATION_NOUNS or word in roles:
                kin = word
            elif word not in ("my", "our", "his", "her", "their", "the"):
                break
            j += 1
        if j > start and kin is None:
            return None  # "with our dog Bublyk", "with my old car"
        run = name_run(doc, j, clause.end)
        if run is None:
            return None
        name = _trim_name(doc[run[0]:run[1]].text)
        if name and self.state.type_of(name) in (None, "person", "unknown"):
            found.append(self.state.add_person(name, KINSHIP.get(kin) if kin else None))
        return run[1]

    def _outing_companions(self, doc: Doc, clause: Clause, cand: Candidate, subjects: list[str],
                           emitted: list[Record]) -> list[Record]:
        """"I was at the BKFA conference with my boss Lena Berg", "went to Porto with Ana": the
        people named after "with" were at the event or the place as well."""
        outings = [r for r in emitted if r.predicate in ("attended", "visited") and
                   r.subject in subjects and r.kind is AssertionKind.ASSERT]
        if not outings:
            return []
        mates = [p for p in self._companions(doc, clause, cand, _OUTING_MATES)
                 if p not in subjects]
        return [replace(r, subject=p) for r in outings for p in mates]

    def _tool_talk(self, doc: Doc) -> bool:
        """The message is about tools: another candidate in it is a tool relation."""
        return any(c.predicate == "uses" and c.objects and (
            c.rule != "be_on" or any(o[3] for o in c.objects))
            for c in doc._.asof_candidates or [])

    def _looks_like_place(self, doc: Doc, name: str) -> bool:
        known = self.state.alias_of(name, "organization")
        words = normalize_name(name).split()
        if known is not None and known.type in ("organization", "product") and \
                normalize_name(known.name).split()[:len(words)] == words or \
                self.state.named_org(name):
            # "Meridian" once "Meridian Bank" is known, whatever the NER says (but "Delft"
            # after "TU Delft" is still the city)
            return False
        for ent in doc.ents:
            if ent.text == name and ent.label_ in ("GPE", "LOC"):
                return True
        return self.state.type_of(name) == "location" or is_place_name(name)
