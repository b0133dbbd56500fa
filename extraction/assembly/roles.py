"""Message-level readers of roles said around a name rather than with a verb: a kinship or
work role in apposition ("Adaeze (my wife)", "Jo — my wife —", "Pistache (our cat)", and in
lower case and other languages "gorka (senarra)", "ramón (mi jefe)"), a
name-first copula ("Arvind Iyer is my husband"), a title right before a name without a comma
("our motion designer Joost de Vries", "the CIO Riikka Salonen"), a plural title ("I'm one
of the senior agronomists at X"), note-style equations ("Amara = CEO, me = CTO"), a
self-introduction by title ("founder here"), "my title becomes X", and a group named in
apposition after its kind ("joined a running club, the Isarläufer").

The role words are data (``extraction/data/role_words.json``); nothing here names a person,
a place or an organisation."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc

from asof.extraction.assembly.bracket_roles import (
    alternation,
    bracketed_role_re,
    lower_case_name,
)
from asof.extraction.assembly.factuality import CLAUSE_WIDE_HYPO
from asof.extraction.assembly.phrases import PhraseReaders, clause_at
from asof.extraction.assembly.words import clean_literal
from asof.extraction.gazetteer import is_place_name
from asof.extraction.lexicons import (
    GROUP_WORDS,
    KINSHIP,
    PET_WORDS,
    SPOUSE_WORDS,
    TITLE_HEADS,
    data_json,
)
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _tok
from asof.extraction.spans import trim_name as _trim_name
from asof.extraction.word_frequency import common_english
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis
from asof.timex import Role, TimeMention

if TYPE_CHECKING:
    from asof.extraction.assembly.state import Record


def role_words() -> dict[str, Any]:
    return data_json("role_words.json")


#: A capitalised name of one to four words (with name particles inside). A word may end in a
#: full stop only when short ("J.", "St."): "due Thursday. Lena Berg, my boss" names Lena Berg.
_NAME = (r"(?:[A-ZÀ-ÞĀ-Ž][\w'’-]{0,2}\.|[A-ZÀ-ÞĀ-Ž][\w'’-]*(?:\.[\w'’-]+)*)"
         r"(?:\s+(?:(?:de|da|van|von|der|den|del|dos|das|di|du|le|la|al|el|"
         r"bin|ibn)\s+)?[A-ZÀ-ÞĀ-Ž][\w'’-]*){0,3}")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    words = role_words()
    spouse = alternation(words["spouse"])
    boss = alternation(words["boss"])
    pets = alternation(set(PET_WORDS) | set(words["pets"]))
    heads = alternation(TITLE_HEADS)
    groups = alternation(set(GROUP_WORDS) | set(words["groups"]))
    role = rf"(?P<role>(?i:{spouse}|{boss}|{pets}))"
    return {
        "lower_apposition": bracketed_role_re(),
        # "Adaeze (my wife) just moved", "Jo — my wife — reckons", "Rick Whitfield (hubby)",
        # "Nadia, Farid's wife, got her visa",
        # "Pistache (our cat)", "Sunny, his budgie.", "Shauna Gillis, his direct boss the whole
        # time"
        "apposition": re.compile(
            rf"(?P<name>{_NAME})\s*(?P<open>\(|—|–|,|\s-)\s*(?:(?P<poss>(?i:my|our|his|her)|"
            rf"(?P<possessor>[A-Z][\w-]+)(?:'s|’s))\s+)?"
            rf"(?:(?i:new|lovely|dear|old|sweet|little|darling|actual|direct|line)\s+)?"
            rf"{role}(?:\s+(?i:at|@)\s*(?P<org>{_NAME}))?\s*(?P<close>\)|—|–|,|\s-|[.!?;]|$|"
            rf"(?<=\s)(?=(?i:the|for|since|until|till|from)\b))"),
        # "Arvind Iyer is my husband", "Rui Carvalho's been my mgr since then", "Ilse Brandt
        # has been my manager since March"
        "copula": re.compile(
            rf"(?P<name>{_NAME})\s*(?:'s|’s|\s+is|\s+was|\s+has(?=\s+been))(?:\s+been)?\s+"
            rf"(?:now\s+|also\s+)?"
            rf"(?P<poss>my|his|her)\s+(?:(?:new|direct|line|actual|real|team)\s+)?"
            rf"{role}\b"),
        # "our motion designer Joost de Vries wants", "reports to the CIO Riikka Salonen"
        "title_name": re.compile(
            rf"\b(?P<det>(?i:our|the|their|my|his|her))\s+(?:new\s+|current\s+)?"
            rf"(?P<title>(?:(?:[a-z&-]+|[A-Z]{{2,5}})\s+){{0,3}}?(?i:{heads})|[A-Z]{{2,5}})"
            rf"\s+(?P<name>{_NAME})"),
        # "I'm one of the senior agronomists at Riverina Growers", "one of the two partners
        # of Iyer & Raman Associates"
        "one_of": re.compile(
            rf"\b(?:I'm|I’m|I am|im|i'm)\b[^.!?\n]{{0,60}}?\bone\s+of\s+the\s+(?:two|three|four|"
            rf"five|\d+)?\s*(?P<title>(?:[a-z&-]+\s+){{0,2}}(?:{heads}))s\s+(?:at|of|in|for|"
            rf"with)\s+(?P<org>{_NAME}(?:\s*&\s*{_NAME})?)"),
        # "Amara = CEO, me = CTO"
        "equals": re.compile(
            rf"(?P<name>\b[A-Z][\w'’-]+|\bme\b|\bI\b)\s*=\s*"
            rf"(?P<title>(?:[A-Za-z&-]+\s+){{0,2}}?(?i:{heads}))\b(?!\s*[=:])"),
        # "founder here lol", "— data lead here,"
        "title_here": re.compile(
            rf"(?:^|(?<=[^\w\s'’])|(?<=[^\w\s'’]\s))(?P<title>(?:[A-Za-z&-]+\s+){{0,2}}?"
            rf"(?i:{heads}))\s+here\b"),
        # "my title becomes ML Engineer", "my new title is Principal Designer"
        "my_title": re.compile(
            r"\b(?P<poss>my|his|her)\s+(?:new\s+|official\s+|job\s+)?title\s+(?:becomes|"
            r"will\s+be|is\s+now|is|'s|’s|changes\s+to|changed\s+to)\s+['\"‘“]?"
            r"(?P<title>[A-Za-z][\w&/ -]{1,40}?)['\"’”]?(?=\s*(?:[.,;!?—–(]|$|\s+(?:from|as|"
            r"on|since|starting|effective)\b))"),
        # "my cousin Njeri in Nakuru", "our son Kofi in Leeds": where a relative is
        "kin_in": re.compile(
            rf"\b(?P<poss>(?i:my|our|his|her))\s+(?:(?i:older|younger|little|big|baby|eldest|"
            rf"oldest|youngest)\s+)?(?i:{alternation(list(KINSHIP))})s?\s*,?\s+"
            rf"(?P<name>{_NAME})\s*,?\s+"
            rf"(?:(?i:who|who's|who’s)\s+(?:(?i:lives|is)\s+)?)?in\s+(?P<place>{_NAME})"),
        # "joined a running club, the Isarläufer", "I'm on the UNAM climbing team, Pumas
        # Escalada", "the book club (Bokcirkeln Söder)"
        "group_apposition": re.compile(
            rf"\b(?P<verb>(?i:joined|join|on|in|into|with))\s+(?i:a|an|the|my|our)\s+"
            rf"(?:[\w-]+\s+){{0,3}}?(?P<kind>(?i:{groups}))(?:\s+(?:on|in|at)\s+the\s+\w+)?"
            rf"\s*(?:,|\()\s*(?:the\s+)?(?P<name>{_NAME})"),
    }


#: The rest of a bracket up to its closing one, within the line.
_UNTIL_BRACKET_CLOSES = re.compile(r"[^()\n]*\)")


def _first_person_before(text: str, start: int) -> bool:
    """An "I"/"I'm"/"we" earlier in the same sentence."""
    left = re.split(r"[.!?\n]", text[:start])[-1]
    return re.search(r"\b(?:I|I'm|I’m|I've|Im|i'm|we|We|we're|We're)\b", left) is not None



def _start_after(doc: Doc, end: int) -> TimeMention | None:
    """A start said after a role in its sentence ("… has been my manager since March")."""
    sent_end = doc[_tok(doc, max(end - 1, 0))].sent.end_char
    return next((t for t in doc._.asof_times or [] if end <= t.start_char < sent_end
                 and t.role is Role.START), None)

#: "moving in with", "living with", "went to stay with": the home of the one named next.
_MOVING_IN_WITH = re.compile(r"\b(?:live|lives|living|stay|stays|staying|move|moves|moving|"
                             r"moved)\s+(?:in\s+)?with\s*$", re.IGNORECASE)


class RoleReaders(PhraseReaders):
    """Role phrases, read after the phrase readers (whose ``_named_before`` finds who a
    "his" or "her" means)."""

    def _clause_ok(self, doc: Doc, char: int) -> bool:
        """The clause at ``char`` asserts: no question before the phrase, no hypothetical cue
        before it or colouring the whole clause, no negation."""
        i = _tok(doc, char)
        clause = clause_at(doc, char)
        if clause is None or clause.negated:
            return False
        if clause.question and (clause.question_from is None or i >= clause.question_from):
            return False
        return not any(p <= i or doc[p].lower_ in CLAUSE_WIDE_HYPO for p in clause.hypos)

    def _owner(self, poss: str | None, name: str, at: int, speaker: str) -> str | None:
        poss = (poss or "my").lower()
        if poss in ("my", "our"):
            return speaker
        gender = "he" if poss == "his" else "she"
        return self._named_before(gender, at, {speaker, name}) or \
            self.state.recent_person(gender, {speaker, name})

    def _person_name(self, doc: Doc, raw: str, start: int, strict: bool = False) -> str | None:
        """A name that can be a person's: not a known place/organisation/product/pet, not a
        title or everyday word, not what the NER calls a place or an organisation.
        ``strict``: also the NER's person, a known person or two capitalised words."""
        name = _trim_name(raw)
        words = name.split()
        if not name or not words or words[0].lower() in KINSHIP or \
                words[0].lower() in TITLE_HEADS:
            return None
        state = self.state
        known = state.entity(name)
        if known is not None and not known.tentative and known.type not in (
                "person", "unknown", "concept"):
            return None
        labels = {e.label_ for e in doc.ents if e.start_char == start}
        person = "PERSON" in labels or (known is not None and known.type == "person") or \
            state.first_name_known(words[0])
        capitalised = len(words) >= 2 and all(
            w[:1].isupper() for w in words if w.lower() not in ("de", "da", "van", "von"))
        if not person and not (strict and capitalised) and \
                labels & {"GPE", "LOC", "ORG", "FAC", "PRODUCT", "EVENT", "NORP"}:
            return None
        if len(words) == 1 and common_english(words[0]) and not person:
            return None
        if strict and not person and not capitalised:
            return None
        return name

    def _add(self, buffer: list[Record], subject: str, predicate: str, obj: str,
             literal: bool, index: int, span: tuple[int, int], confidence: float = 0.6,
             since: TimeMention | None = None) -> None:
        if not obj or normalize_name(obj) == normalize_name(subject):
            return
        same = [r for r in buffer if r.subject == subject and r.predicate == predicate and
                normalize_name(r.obj) == normalize_name(obj)]
        if same:
            for r in same:
                # the tagger read it too: its record stands as the rules' (with its time)
                r.learned = False
            return
        if predicate in ("job_title", "reports_to", "married_to") and any(
                r.subject == subject and r.predicate == predicate and
                r.kind is AssertionKind.ASSERT for r in buffer):
            return  # one-valued: the rules' own reading of this message stands
        # "Tomas Lindgren (my manager) pushed for it": a relation as it is now, not from
        # the start of the promotion the message announces (_scheduled_starts)
        now = self.state.message_times[index] if predicate == "reports_to" else None
        buffer.append(self._record(
            subject, predicate, obj, literal, AssertionKind.ASSERT,
            since.value.start if since else now, None, index, span, confidence,
            basis=Basis.STATED if since else Basis.OBSERVED if now else None,
            granularity=since.value.granularity if since else None,
            stated=since.value if since else None))

    def _role_phrases(self, doc: Doc, index: int, speaker: str, buffer: list[Record]) -> None:
        state = self.state
        text = _text(doc)
        words = role_words()
        spouse = SPOUSE_WORDS
        boss = {w.lower() for w in words["boss"]}
        pats = _patterns()
        relational = {w.lower() for w in words["relational_titles"]}

        def relation(role: str) -> str:
            low = role.lower()
            return "married_to" if low in spouse else "reports_to" if low in boss else \
                "has_pet"

        for key in ("apposition", "copula", "lower_apposition"):
            for m in pats[key].finditer(text):
                if not self._clause_ok(doc, m.start("role")):
                    continue
                role = m.group("role")
                predicate = relation(role)
                if key == "lower_apposition":
                    raw = lower_case_name(m.group("name"))
                    if raw is None or predicate == "reports_to" and m.group("poss") is None:
                        continue
                    poss = "my" if (m.group("poss") or "my").lower() not in (
                        "his", "her") else m.group("poss")
                    owner = self._owner(poss, raw, m.start(), speaker)
                    obj = state.canonical(raw, "animal") if predicate == "has_pet" else \
                        state.add_person(raw)
                    if owner is not None:
                        self._add(buffer, owner, predicate, obj, False, index,
                                  (m.start(), m.end()))
                    continue
                if key == "apposition":
                    # "(my wife)" needs its closing bracket, after the role or after more
                    # words ("(my manager, head of design)"); no possessor only in brackets
                    if m.group("open") == "(" and m.group("close") != ")" and \
                            _UNTIL_BRACKET_CLOSES.match(text, m.end()) is None:
                        continue
                    if m.group("poss") is None and (m.group("open") != "(" or
                                                    predicate != "married_to"):
                        continue
                raw = _trim_name(m.group("name"))
                name: str | None
                if predicate == "has_pet":
                    if not raw or raw.lower() in KINSHIP or state.type_of(raw) == "person" \
                            and not state.entity(raw).tentative:  # type: ignore[union-attr]
                        continue
                    name = raw
                else:
                    name = self._person_name(doc, raw, m.start("name"))
                if not name:
                    continue
                if m.groupdict().get("possessor"):
                    # "Nadia, Farid's wife": the spouse of the person named
                    owner = self._person_name(doc, m.group("possessor"), m.start("possessor"))
                    owner = state.add_person(owner) if owner and predicate == "married_to" \
                        else None
                else:
                    owner = self._owner(m.group("poss"), name, m.start(), speaker)
                if owner is None:
                    continue
                span = (m.start(), m.end())
                if predicate == "has_pet":
                    self._add(buffer, owner, predicate, state.canonical(name, "animal"), False,
                              index, span)
                else:
                    # "Ilse has been my manager since March": the start said after it
                    since = _start_after(doc, m.end()) if key == "copula" else None
                    self._add(buffer, owner, predicate, state.add_person(name), False, index,
                              span, since=since)
                    if key == "apposition" and m.group("org") and predicate == "reports_to":
                        # "Kristaps (my lead at Daugava Data)": the boss works there
                        self._add(buffer, state.add_person(name), "works_at",
                                  state.canonical(_trim_name(m.group("org")), "organization"),
                                  False, index, span)
        for m in pats["title_name"].finditer(text):
            title = clean_literal(m.group("title"))
            head = title.split()[-1] if title else ""
            if not title or head in KINSHIP or (len(title.split()) == 1 and
                                                 head in relational) or \
                    not self._clause_ok(doc, m.start("name")):
                continue
            if m.group("title").isupper() and head not in TITLE_HEADS:
                continue
            named = self._person_name(doc, m.group("name"), m.start("name"), strict=True)
            if not named or any(w.lower() in GROUP_WORDS for w in named.split()):
                continue
            titled = state.add_person(named)
            self._add(buffer, titled, "job_title", title, True, index, (m.start(), m.end()))
            org = state.conversation_org(speaker) if m.group("det").lower() == "our" else None
            if org is not None and head not in KINSHIP and not state.current(titled,
                                                                            "works_at"):
                # "our finance lead Abena Owusu": one of the speaker's organisation
                self._add(buffer, titled, "works_at", org, False, index, (m.start(), m.end()))
        for m in pats["one_of"].finditer(text):
            if not self._clause_ok(doc, m.start("title")):
                continue
            title = clean_literal(m.group("title"))
            org = _trim_name(m.group("org"))
            if not title or not org or state.type_of(org) not in (None, "organization",
                                                                   "unknown", "concept"):
                continue
            span = (m.start(), m.end())
            self._add(buffer, speaker, "job_title", title, True, index, span)
            self._add(buffer, speaker, "works_at", state.canonical(org, "organization"),
                      False, index, span)
        for m in pats["equals"].finditer(text):
            raw = m.group("name")
            if raw.lower() in ("me", "i"):
                person: str | None = speaker
            else:
                known = state.alias_of(raw, "person")
                person = known.name if known is not None and known.type == "person" else (
                    state.add_person(raw) if state.first_name_known(raw) else None)
            title = clean_literal(m.group("title"))
            if person and title and self._clause_ok(doc, m.start()):
                self._add(buffer, person, "job_title", title, True, index,
                          (m.start(), m.end()))
        for m in pats["title_here"].finditer(text):
            title = clean_literal(m.group("title"))
            if title and title.split()[-1] not in relational and self._clause_ok(doc, m.start()):
                self._add(buffer, speaker, "job_title", title, True, index,
                          (m.start(), m.end()))
        for m in pats["my_title"].finditer(text):
            title = clean_literal(m.group("title"))
            if not title or not self._clause_ok(doc, m.start()) or len(title.split()) > 5:
                continue
            owner = self._owner(m.group("poss"), "", m.start(), speaker)
            if owner is not None:
                self._add(buffer, owner, "job_title", title, True, index,
                          (m.start(), m.end()))
        for m in pats["kin_in"].finditer(text):
            # a relative named by possession is there whatever the clause supposes ("If he
            # says no, my cousin Njeri in Nakuru can take one")
            place = _trim_name(m.group("place"))
            raw = _trim_name(m.group("name"))
            # after "my brother" a capitalised word is a name, even an everyday one ("Tom")
            name = self._person_name(doc, raw, m.start("name")) or (
                raw if state.type_of(raw) in (None, "person") and raw.lower() not in KINSHIP
                else None)
            gpe = any(e.label_ == "GPE" and e.start_char == m.start("place") for e in doc.ents)
            if not name or not (is_place_name(place) or gpe) or \
                    state.type_of(place) not in (None, "location"):
                continue
            home = state.canonical(place, "location")
            span = (m.start(), m.end())
            self._add(buffer, state.add_person(name), "lives_in", home, False, index, span)
            if _MOVING_IN_WITH.search(text[:m.start()]) and \
                    _first_person_before(text, m.start()) and self._clause_ok(doc, m.start()):
                # "I'm moving in with my daughter Maria in Kalamaria in June": mine too
                sent_end = doc[_tok(doc, m.end() - 1)].sent.end_char
                when = next((t for t in doc._.asof_times or []
                             if m.end() <= t.start_char < sent_end), None)
                self._add(buffer, speaker, "lives_in", home, False, index, span, since=when)
        for m in pats["group_apposition"].finditer(text):
            group = _trim_name(m.group("name"))
            left = re.split(r"[.!?\n]", text[:m.start()])[-1]
            said_by_speaker = _first_person_before(text, m.start()) or (
                m.group("verb").lower() == "joined" and
                re.fullmatch(r"[\s\W]*(?:(?:also|and|just|recently|finally|so|oh)\s+)*", left,
                             re.IGNORECASE))
            if not group or not said_by_speaker or \
                    not self._clause_ok(doc, m.start("kind")) or \
                    state.type_of(group) in ("location", "product", "animal"):
                continue
            state.retype(group, "group")
            self._add(buffer, speaker, "member_of", state.canonical(group, "group"), False,
                      index, (m.start(), m.end()))
