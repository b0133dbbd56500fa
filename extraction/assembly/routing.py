"""Which predicate a candidate's object really belongs to: a place said as an employer, an
event, a team, a tool or a school is routed to the predicate its kind fits, or dropped."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from asof.extraction.assembly.subjects import SubjectResolution
from asof.extraction.assembly.words import (
    clean_literal,
    company_group,
    event_appositive,
    head_after,
    is_event,
    is_group,
    trim_title,
)
from asof.extraction.gazetteer import is_place_name
from asof.extraction.lexicons import (
    COMPANY_HEADS,
    DEGREE_WORDS,
    DEPARTMENTS,
    EXEC_TITLES,
    FACILITY_HEADS,
    GROUP_HEADS,
    LANGUAGES,
    NON_PLACE_HEADS,
    NON_TITLE_HEADS,
    PET_WORDS,
    PLAN_TIERS,
    SCHOOL_WORDS,
    STUDY_WORDS,
    TITLE_HEADS,
)
from asof.extraction.spans import is_emoji
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import trim_name as _trim_name
from asof.extraction.tagger.component import LEARNED_RULE
from asof.graph.ids import normalize_name
from asof.graph.models import Granularity
from asof.timex import Role, TimeMention, weekday_range

#: Triggers too common to trust against the NER's opinion of the object ("I'm at …").
#: Event words that also name something ongoing: a group one is a member of, a course.
_ONGOING = frozenset({"meetup", "workshop", "bootcamp"})
_WEAK_RULES = frozenset({"be_at", "join_org", "with_carrier", "here_at"})
#: Tool verbs: their object is a product even when the NER guesses a place ("use Tableau").
_TOOL_RULES = frozenset({"use", "connect", "run_on", "run_tool", "switch_to", "stop_using",
                         "no_longer_use", "dont_use_anymore", "track_in", "switch_from",
                         "drop", "sign_with"})


class PredicateRouting(SubjectResolution):
    """Routes an object to the predicate its kind fits."""

    def _object_token(self, doc: Doc) -> int | None:
        """The first token of the object being routed (at ``self._object_at``), if any."""
        return next((t.i for t in doc if t.idx >= self._object_at), None)

    def _joiner(self, doc: Doc) -> bool:
        """The object is the subject of "join" with "us" or "the team" after it ("Levan
        Beridze joins us as guide coordinator"): a person, whatever the NER calls the name."""
        first = self._object_token(doc)
        if first is None:
            return False
        head = doc[first].head if doc[first].dep_ == "compound" else doc[first]
        verb = head.head
        return head.dep_ == "nsubj" and verb.lemma_ == "join" and any(
            c.dep_ == "dobj" and c.lower_ in ("us", "team", "me") for c in verb.children)

    def _moved_here(self, doc: Doc) -> bool:
        """The object follows "here from" or "over from" ("moved here from Accra"): a home
        left, whatever the NER calls the name."""
        first = self._object_token(doc)
        return first is not None and first >= 2 and doc[first - 1].lower_ == "from" and \
            doc[first - 2].lower_ in ("here", "over")

    def _route(self, doc: Doc, predicate: str, kind: str, text: str, is_name: bool,
               subject: str, speaker: str, times: list[TimeMention],
               object_end: int | None = None) -> tuple[str, str, bool] | None:
        """Decide the final predicate and canonical object (entity or literal).
        ``object_end``: the token right after a name object, where a head noun it qualifies
        would follow ("the Dublin office", "the Payments squad")."""
        state = self.state
        text = text.strip(" ,.;:!?\"'")
        low = text.lower()
        if not text and kind == "retract" and predicate == "works_at":
            return predicate, "", True  # an ending whose employer no one named (anchoring)
        if not text or normalize_name(text) in ("", "it", "them", "him", "her", "that",
                                                 "here", "there", "this", "me", "you", "us"):
            pron = normalize_name(text)
            if pron in ("here", "there"):
                types = ("location",) if predicate == "lives_in" else ("organization",)
                found = state.offers.pop(subject, None) if predicate == "works_at" and \
                    kind == "assert" else None
                found = found or state.recent_of(types) or (
                    state.org_of(subject) or self._they_org(doc, self._object_at)
                    if predicate == "works_at" else None)
                return (predicate, found, False) if found else None
            if pron == "me" and predicate in ("reports_to", "married_to") and \
                    subject != speaker:
                return predicate, speaker, False  # "she reports to me"
            if pron in ("him", "her") and predicate in ("reports_to", "married_to"):
                # "Dev Patel, he reports to her": the latest other person of that gender
                person = state.recent_person("he" if pron == "him" else "she",
                                             {subject, speaker})
                return (predicate, person, False) if person else None
            if pron == "us" and predicate == "works_at" and kind in ("assert", "retract") \
                    and subject != speaker:
                # "Teo joins us on July 8", "Lan is not with us anymore": the speaker's
                # organisation, when it is known
                org = state.conversation_org(speaker)
                return (predicate, org, False) if org else None
            if pron in ("it", "them", "that") and predicate in ("uses", "owns", "likes",
                                                                 "dislikes", "prefers"):
                found = self._thing[1] if self._thing and self._thing[0] == self._message \
                    and predicate in ("likes", "dislikes") else self._recent_object(predicate)
                return (predicate, found, False) if found else None
            return None
        if predicate in ("job_title", "uses", "lives_in", "visited") and low.split() and \
                all(w in LANGUAGES for w in low.split()):
            # "switch to French", "sang along in Gaelic": a language, no tool, title or place
            return None
        if is_name and object_end is not None and predicate in ("lives_in", "works_at",
                                                                     "uses"):
            stop = doc[object_end - 1].sent.end if object_end else len(doc)
            possessive, heads, name_end = head_after(doc, object_end, stop)
            if predicate == "lives_in" and kind != "retract" and (
                    possessive or any(w in NON_PLACE_HEADS for w in heads)):
                return None  # "moved to the Pro plan", "moves to Tomás Aguilar's team"
            if predicate == "works_at" and kind == "assert" and not possessive and heads and \
                    heads[0] in FACILITY_HEADS and self._looks_like_place(doc, _trim_name(text)):
                # "our shift lead at the Tartu warehouse": a site of the speaker's employer,
                # "at their Kuopio plant": of the organisation named before; the town employs
                # no one
                first = self._object_token(doc)
                owner = doc[first - 1].lower_ if first else ""
                employer = state.org_of(speaker) if owner in ("our", "my") else \
                    self._they_org(doc, doc[first].idx) if first and owner in ("their", "its") \
                    else None
                return (predicate, employer, False) if employer else None
            if predicate == "works_at" and object_end is not None and \
                    _group_in_apposition(doc, object_end):
                # "I joined Laulupidu Kaar in February, a choir", "joining Tammela
                # Soutajat on Saturday, the rowing club": the name is the group's
                return "member_of", state.canonical(_trim_name(text), "group"), False
            if predicate in ("works_at", "uses") and not possessive and \
                    any(w in GROUP_HEADS for w in heads):
                # "joined the Didsbury Dads running club", "from Cards over to the Payments
                # squad": a group the subject is a member of, no employer and no tool
                if name_end > object_end:
                    first = self._object_token(doc)
                    if first is not None and first < object_end:
                        text = doc[first:name_end].text  # "Women in Data Italia"
                name = _trim_name(text)
                last = max(i for i, w in enumerate(heads) if w in GROUP_HEADS)
                if name and name_end == object_end:
                    # "the Hackney running club": the group's name runs to its head noun
                    name = " ".join([name, *doc[name_end:name_end + last + 1].text.split()])
                if name:
                    return "member_of", state.canonical(name, "group"), False
        if predicate == "job_title":
            title = trim_title(clean_literal(text))
            if not title or len(title.split()) > 6:
                return None
            if title in NON_TITLE_HEADS:
                return None  # "I'm vegan since 2019", "I'm a mum of two": no job
            return predicate, title, True
        if predicate == "speaks":
            if low.split()[-1] not in LANGUAGES:
                return None
            return predicate, text[:1].upper() + text[1:] if text.islower() else text, False
        if predicate in ("prefers", "likes", "dislikes"):
            if is_name and text[:1].isupper() and predicate != "prefers":
                return predicate, state.canonical(text, "product"), False
            literal = clean_literal(text)
            if not literal:
                return None
            known = state.entity(literal)
            if known is not None and known.type in ("product", "organization"):
                return predicate, known.name, False
            return predicate, literal, True
        if predicate in ("uses", "owns"):
            if re.search(r"\b(plan|tier)$", low):
                words = text.split()
                if len(words) >= 3 and words[-2][:1].isupper() and \
                        all(w[:1].isupper() for w in words[:-2]):
                    # "on Slatebook Studio plan", "Slatebook's Studio plan": the product is a
                    # tool of its own, the plan is the tier
                    text = " ".join(words[-2:])
                return "uses", clean_literal(text), True
            if predicate == "owns" and self._rule == "had_since" and is_name and \
                    state.type_of(subject) == "organization":
                # "we've had Vardo on the Standard plan since 2022": an organisation's named
                # thing it has had is a tool it runs
                predicate = "uses"
            if predicate == "uses" and low in PLAN_TIERS and (
                    self._rule in ("switch_to", "switch_us_to") or
                    any(r.obj.endswith(" plan") for r in state.current(subject, "uses"))):
                # "upgrade us to Business from 1 April", "can we go Pro from 1 July?" when a
                # plan is held: the business plan, the pro plan
                return "uses", f"{low} plan", True
            if not is_name:
                literal = clean_literal(text)
                known = state.entity(literal) if literal else None
                if known is not None:
                    return predicate, known.name, False
                if predicate == "owns" and literal:
                    return predicate, literal, True
                if predicate == "uses" and literal and kind != "assert" and \
                        state.known(subject, "uses", literal):
                    return predicate, literal, True
                return None
            if self._looks_like_place(doc, text) and kind == "assert" and not (
                    self._rule in _TOOL_RULES and state.type_of(text) != "location") and \
                    not (state.type_of(subject) == "organization" and
                         state.type_of(text) != "location"):
                # an organisation "on Tableau" runs a tool, whatever the NER calls it
                # a tool verb decides when only the NER calls the object a place
                if predicate == "uses" and (subject == speaker or (
                        state.type_of(subject) == "person" and is_place_name(text))):
                    # "Anisur and I have a three-bedroom in Mohammadpur": both live there
                    return "lives_in", state.canonical(text, "location"), False
                return None
            # "three Zebra ZD420s": one model, whatever the count
            text = re.sub(r"(?<=\d)s$", "", text)
            group = self._known_group(text) if predicate == "uses" else None
            if group is not None:
                return "member_of", group, False  # "from Cards over to …": a known team
            return predicate, state.canonical(text, "product"), False
        if not is_name:
            if predicate == "member_of" and is_group(text):
                return predicate, state.canonical(clean_literal(text), "group"), False
            if predicate == "has_pet":
                return None
            if predicate in ("lives_in", "works_at", "visited", "attended", "studies_at",
                             "reports_to", "married_to", "member_of"):
                # lowercase place names typed casually ("moved to kyoto") are still names
                if predicate in ("lives_in", "visited") and len(text.split()) == 1 and \
                        any(e.text.lower() == low and e.label_ in ("GPE", "LOC")
                            for e in doc.ents):
                    return predicate, state.canonical(text.title(), "location"), False
                return None
        name = _trim_name(text)
        if not name:
            return None
        if predicate == "lives_in" and kind == "assert" and self._rule.startswith("move") and \
                not self._looks_like_place(doc, name) and (
                    state.type_of(name) == "product" or self._tool_talk(doc)):
            # "we moved to HubSpot … and don't use Salesforce anymore": a tool move
            state.retype(name, "product")
            return "uses", state.canonical(name, "product"), False
        if predicate == "lives_in" and kind == "assert" and self._rule.startswith("move") and \
                name.split()[-1].lower().rstrip(".") in COMPANY_HEADS and \
                len(name.split()) > 1 and not self._looks_like_place(doc, name):
            # "Oona moved to Pohjola Dairy in May": a company moved to is a new employer
            state.retype(name, "organization")
            return "works_at", state.canonical(name, "organization"), False
        group = self._known_group(name) if predicate in ("works_at", "uses") else None
        if group is not None:
            return "member_of", group, False  # a known club or team ("left Bokcirkeln")
        known = state.alias_of(name, "person") if predicate == "visited" else None
        if known is not None and known.type == "person" and \
                known.name not in state.speakers and state.facts_name(known):
            return None  # "I went back to Ivan": a person the facts know, no place
        if predicate == "works_at" and kind == "retract" and state.type_of(name) == "product":
            return "uses", state.canonical(name, "product"), False  # "we left Trello in May"
        # before the relation types the name: "I left Lyon" leaves a town the model called a
        # person
        left_place = predicate == "works_at" and kind == "retract" and \
            self._leaving_place(doc, name)
        if predicate == "works_at" and self._rule == LEARNED_RULE and self._joiner(doc):
            state.retype(name, "person")  # "Levan Beridze joins us as …": who joins, no employer
            return None
        if predicate not in ("reports_to", "married_to"):
            state.retype(name, "location" if left_place else self._object_type(predicate))
        # the object's kind can change the predicate
        if predicate == "works_at":
            words = normalize_name(name).split()
            if normalize_name(name) in DEPARTMENTS or words and words[-1] in TITLE_HEADS:
                return None  # "my job is Senior Engineer": a title, not an employer
            if is_event(name):
                return "attended", state.canonical(name, "event"), False
            if kind == "assert" and self._rule in ("be_at", LEARNED_RULE) and \
                    state.type_of(name) != "organization" and self._dated_stay(doc, times) and \
                    not any(weekday_range(t) for t in times):
                # "Ola and I will be at Nordvik Seafood Market 6–9 May": a few days at a name
                # are an event (or a trip), never a job ("Mon–Thu" is a schedule)
                if self._looks_like_place(doc, name):
                    return "visited", state.canonical(name, "location"), False
                return "attended", state.canonical(name, "event"), False
            if is_group(name) and not re.search(r"\b(office|hospital)\b", name, re.I) and \
                    not (self._rule != "join_org" and company_group(name)):
                return "member_of", state.canonical(name, "group"), False
            if kind == "assert" and ((self._rule in ("start_at", "join_org", "be_at") or
                                      self._rule == LEARNED_RULE and self._started_at(doc)) and
                                     self._studying_at(doc, name) or
                                     self._study_said_before(doc)):
                # "Noor started at Lakeshore State in September, nursing program", "Sami started at
                # Hillcrest Elementary": a place of study
                return "studies_at", state.canonical(name, "organization"), False
            if left_place:
                # "leaving Lyon on Feb 1": a place left is a move
                return "lives_in", state.canonical(name, "location"), False
            if state.type_of(name) == "location" or (
                    (self._rule in _WEAK_RULES or self._rule.startswith("xl_")) and
                    self._looks_like_place(doc, name)):
                return None
            if state.type_of(name) == "person":
                return None
            if state.alias_of(name, "organization") is None:
                name = state.named_org(name) or name
            return predicate, state.canonical(name, "organization"), False
        if predicate == "lives_in":
            existing = state.type_of(name)
            if is_group(name):
                return "member_of", state.canonical(name, "group"), False
            if existing in ("product",) or (existing == "organization" and
                                            subject != speaker and
                                            state.type_of(subject) == "organization"):
                return "uses", state.canonical(name, "product"), False
            if existing == "organization" and kind in ("retract", "switch_from"):
                return "works_at", state.canonical(name, "organization"), False
            if kind == "switch_from" and not self._looks_like_place(doc, name) and \
                    self._rule != "move_to_from" and not self._moved_here(doc) and any(
                    e.text == name and e.label_ == "ORG" for e in doc.ents):
                # "she is coming from Norvik": an employer left, not a home
                return "works_at", state.canonical(name, "organization"), False
            if existing == "person":
                return None
            if state.type_of(subject) == "organization":
                return "uses", state.canonical(name, "product"), False
            if any(e.text == name and e.label_ in ("ORG", "PRODUCT") for e in doc.ents) and \
                    not self._looks_like_place(doc, name) and kind == "retract":
                return "works_at", state.canonical(name, "organization"), False
            if kind == "assert" and self._dated_stay(doc, times):
                # "back home in Tromsø 14–21 June": a few days somewhere are a trip
                return "visited", state.canonical(name, "location"), False
            return predicate, state.canonical(name, "location"), False
        if predicate == "visited":
            if state.type_of(name) in ("animal", "person"):
                return None  # "Leyla visits Moon at Shirin's": visiting a pet, not a place
            if is_event(name) or event_appositive(_text(doc), name) or \
                    self._rule == "back_from" and name[:1].isupper() and \
                    not self._looks_like_place(doc, name):
                # "I went to FIL, the book fair here, …": an event, whatever its name; "back
                # from AgQuip": from somewhere that is no place
                return "attended", state.canonical(name, "event"), False
            if times and any(t.role in (Role.RANGE, Role.START, Role.DURATION) and
                             not _short_stay(t) for t in times):
                return "lives_in", state.canonical(name, "location"), False
            return predicate, state.canonical(name, "location"), False
        if predicate == "attended":
            return predicate, state.canonical(name, "event"), False
        if predicate in ("reports_to", "married_to"):
            if state.type_of(name) not in (None, "person", "unknown"):
                return None
            if normalize_name(name) in ("the", "our") or name.lower() in EXEC_TITLES:
                return None
            return predicate, state.add_person(name), False
        if predicate in ("studies_at", "member_of") and is_event(name) and not (
                _ONGOING & set(normalize_name(name).split())):
            # "Mingma and I go to Tourism Expo Japan", "back from the … Beer Festival"; but a
            # meetup group or a writers' workshop is joined or studied at, not attended
            return "attended", state.canonical(name, "event"), False
        if predicate == "studies_at":
            return predicate, state.canonical(name, "organization"), False
        if predicate == "member_of":
            if self._rule == "perform_for" and (self._looks_like_place(doc, name) or any(
                    e.text == name and e.label_ == "PERSON" for e in doc.ents)):
                return None  # "we played in Galway", "I play for Anna": no band
            return predicate, state.canonical(name, "group"), False
        if predicate == "has_pet":
            if kind == "assert" and normalize_name(name) in PET_WORDS:
                return None  # "my 2 cats": the kind of animal, not its name
            canonical = state.canonical(name, "animal")
            return predicate, canonical, False
        return predicate, state.canonical(name, self._object_type(predicate)), False

    def _started_at(self, doc: Doc) -> bool:
        """The object follows "started at", "joins", "begins at" (the tagger's reading of a
        school a rule reads as one too)."""
        k = self._object_token(doc)
        if k is None:
            return False
        while k > 0 and doc[k - 1].lower_ in ("at", "@", "the"):
            k -= 1
        return k > 0 and doc[k - 1].lemma_ in ("start", "join", "begin")

    def _studying_at(self, doc: Doc, name: str) -> bool:
        """A school named by its kind ("… Elementary", "Lycée …") or a study noun in the object's
        sentence, and no job title there ("started at X as a teacher" stays a job)."""
        at = self._object_at
        sent = next((t.sent for t in doc if t.idx >= at), None)
        if sent is None:
            return False
        # the object's line of a list, when the parser ran the lines into one sentence
        text = _text(doc)
        line_start, line_end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        words = [t.lower_ for t in sent if line_start <= t.idx < line_end]
        if any(w in TITLE_HEADS for w in words) or "as" in words:
            return False
        return any(w in STUDY_WORDS or w in SCHOOL_WORDS
                   for w in normalize_name(name).split()) or \
            any(w in STUDY_WORDS for w in words)

    def _study_said_before(self, doc: Doc) -> bool:
        """The words right before "at"/"@" and the object say what is studied there: a degree
        or a programme ("part-time master's at Halden Tech", "exec program at X"), a year of
        study ("2nd yr @ vestby college", "final year cse @ ntnu") or a class year ("a junior
        at Loyola College")."""
        first = self._object_token(doc)
        k = (first or 0) - 1
        while k >= 0 and doc[k].lower_ == "the":
            k -= 1
        if k < 1 or doc[k].lower_ not in ("at", "@"):
            return False
        before = [t.lower_ for t in doc[max(0, k - 4):k]]
        if len(before) >= 2 and before[-1] in ("'s", "’s"):
            before[-2:] = [before[-2] + "'s"]  # "master's" is two tokens
        last = before[-1]
        if last in DEGREE_WORDS or last in ("program", "programme", "course"):
            return True
        if last in _CLASS_YEARS and len(before) >= 2 and before[-2] in ("a", "an"):
            return True
        return any(w in ("yr", "year") for w in before) and any(
            w in _ORDINAL_WORDS or re.fullmatch(r"\d(?:st|nd|rd|th)", w) for w in before)

    def _dated_stay(self, doc: Doc, times: list[TimeMention]) -> bool:
        """A few days' range said next to the place, with no other place, person, pronoun or
        emoji between them ("in Tromsø 14–21 June", "spent the 2nd and 3rd in Hvar"; not "Back
        in Oslo 🥲 I was home in Bodø from Dec 18 to Jan 5", whose range is Bodø's)."""
        first = self._object_token(doc)
        if first is None:
            return False
        for t in times:
            if not _short_stay(t):
                continue
            low, high = sorted((self._object_at, t.start_char))
            between = [tok for tok in doc if low < tok.idx < high and tok.i != first and
                       not t.start_char <= tok.idx < t.end_char]
            if not any(is_emoji(tok.text) or tok.pos_ == "PRON" or
                       tok.ent_type_ in ("GPE", "LOC", "PERSON") for tok in between):
                return True
        return False

    def _known_group(self, name: str) -> str | None:
        """The club or team the conversation already knows ``name`` to mean ("Bokcirkeln" for
        Bokcirkeln Söder, "Cards" for the Cards squad)."""
        state = self.state
        known = state.alias_of(name, "group") or state.team_named(name)
        if known is None or known.type != "group" or \
                normalize_name(known.name).split()[-1] in SCHOOL_WORDS:
            return None  # "Greenhill Academy" may be a workplace as well as a group
        return known.name

    def _recent_object(self, predicate: str) -> str | None:
        for record in reversed([*self.state.records, *self.state.pending]):
            if predicate in ("likes", "dislikes") and record.message < self._message - 2:
                return None  # "I love it" means something of this turn or the one before
            if record.predicate == predicate or (predicate in ("likes", "sells") and
                                                 record.predicate in ("uses", "owns")):
                return record.obj
        return None


#: "a junior at Loyola College": a class year, with its article (not "junior developer at").
_CLASS_YEARS = frozenset({"freshman", "sophomore", "junior"})
#: The years of a course: "2nd yr", "final year".
_ORDINAL_WORDS = frozenset({"first", "second", "third", "fourth", "fifth", "final", "last"})

#: The longest closed day-by-day range that is still a trip, not a stay at a home.
_SHORT_STAY_DAYS = 45


def _short_stay(t: TimeMention) -> bool:
    """"Dec 29 thru Jan 2", "from the 23rd to the 27th": a closed range of days that is a
    trip, not a residence ("in Berlin from 2019 to 2021")."""
    end = t.end_value
    if t.role is not Role.RANGE or end is None or \
            t.value.granularity is not Granularity.DAY or end.granularity is not Granularity.DAY:
        return False
    return 0 <= (end.end - t.value.start).days <= _SHORT_STAY_DAYS


def _group_in_apposition(doc: Doc, end: int) -> bool:
    """The name ending at token ``end`` is described right after it, past a short time
    phrase, as a group: ", a choir", ", the rowing club", "— a running crew"."""
    k = end
    while k < len(doc) and k < end + 4 and doc[k].text not in (",", "—", "–", "(") and \
            (doc[k].ent_type_ in ("DATE", "TIME") or doc[k].lower_ in ("in", "on", "since",
                                                                          "last", "this")):
        k += 1  # "in February", "on Saturday"
    if k >= len(doc) or doc[k].text not in (",", "—", "–", "("):
        return False
    words = [t.lower_ for t in doc[k + 1:k + 5] if not t.is_punct]
    if not words or words[0] not in ("a", "an", "the", "my", "our"):
        return False
    return any(w in GROUP_HEADS for w in words[1:4])
