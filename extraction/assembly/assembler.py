"""The entry point: :class:`Assembler` walks one conversation's annotated docs message by
message, runs the stages clause by clause, then the phrase readers, corrections and implied
facts, and returns the message's assertions."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from asof.extraction.assembly.aliases import AliasReaders
from asof.extraction.assembly.anchoring import TITLE_RULES
from asof.extraction.assembly.answers import answered_by_opening_name, confirmed_statements
from asof.extraction.assembly.candidates import learned_under_rules, tool_moves
from asof.extraction.assembly.corrections import Corrections, self_corrected_objects
from asof.extraction.assembly.factuality import factual
from asof.extraction.assembly.quotes import quote_owners
from asof.extraction.assembly.reschedules import rescheduled_starts
from asof.extraction.assembly.roles import RoleReaders
from asof.extraction.assembly.start_cues import (
    date_cued_starts,
    moves_to_new_jobs,
    tenure_dates_the_job,
    titled_starts,
    trailing_starts,
    with_us,
)
from asof.extraction.assembly.state import Record
from asof.extraction.assembly.words import (
    bought_thing,
    object_end,
    passing_taste,
    product_and_plan,
    vague_literal,
    written_plan,
)
from asof.extraction.assembly.workplace import Workplace
from asof.extraction.components.arguments import read_name
from asof.extraction.components.base import Candidate, Clause, is_nameish
from asof.extraction.lexicons import (
    COMPANY_HEADS,
    EVENT_WORDS,
    GROUP_HEADS,
    OWNABLE_WORDS,
    PET_WORDS,
    VENUE_HEADS,
)
from asof.extraction.spans import text_of as _text
from asof.extraction.spans import token_at as _tok
from asof.extraction.tagger.component import LEARNED_RULE
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Episode, FactAssertion
from asof.graph.predicates import LITERAL
from asof.timex import Role, TimeMention, weekday_range

#: "a LGBTQ support group", "the Hokusai museum": the noun is what was visited
_VISITED_HEADS = EVENT_WORDS | GROUP_HEADS | VENUE_HEADS
_CONTEXT_START_RULES = frozenset({"start_bare", "first_day", "moving_day", "move_bare",
                                  "arrive_bare"})
#: What a business is called when its name is said elsewhere ("she owns the bakery").
_BUSINESS_NOUNS = COMPANY_HEADS | {"shop", "practice", "café", "cafe"}
#: Nouns whose "was at X" names an employer ("my first job was at X", "her role is with Y").
_JOB_WORDS = frozenset({"job", "role", "position", "internship", "gig", "stint", "placement"})
#: Nouns a tool's name may qualify and still be the tool ("the HubSpot CRM", "Slack app").
_TOOL_NOUNS = frozenset({"app", "apps", "tool", "tools", "software", "platform", "system",
                         "crm", "erp", "account", "subscription", "plan", "license", "licence",
                         "instance", "workspace", "integration", "database", "db", "suite",
                         "stack", "cloud", "server", "servers", "service", "api", "sdk"})
#: Nouns that stand for the subject's employer ("left the company", "quit his job").
_EMPLOYER_NOUNS = frozenset({"company", "firm", "job", "organisation", "organization",
                             "business", "employer"})


#: Endings said without the job's name ("I resigned", "Tom got laid off", "last day
#: Friday"): they end the job the subject holds.
_JOB_ENDINGS = frozenset({"resign", "last_day", "laid_off_bare", "let_go", "made_redundant"})


def _objectless_stop(cand: Candidate) -> bool:
    """"… but cancelled in 2020": a stop verb with nothing to stop yields no fact of its own,
    so it owns no time (the fact it ends does)."""
    return cand.kind == "retract" and not cand.objects and \
        cand.rule not in _JOB_ENDINGS


#: Verbs by which a person leaves a job (as lemmas).
_LEAVING = frozenset({"leave", "quit", "retire", "resign"})


def _leaves(doc: Doc, end: int) -> bool:
    """The name ending before token ``end`` is the subject of a leaving verb right after it
    ("my manager Priya left in April", "my boss Tom just quit")."""
    k = end
    while k < len(doc) and doc[k].pos_ == "ADV":
        k += 1
    return k < len(doc) and doc[k].pos_ in ("VERB", "AUX") and doc[k].lemma_ in _LEAVING


def _visited_head(doc: Doc, start: int, end: int) -> int | None:
    """The group, event or venue noun the name ``doc[start:end]`` only qualifies, through a
    compound ("a LGBTQ+ pride parade", "a Pride support group downtown"): where the head of
    its last word that has one leads."""
    for token in reversed(doc[start:end]):
        if not start <= token.head.i < end:
            head = token.head
            while head.lower_ not in _VISITED_HEADS and head.dep_ == "compound" and \
                    head.head.i > head.i:
                head = head.head
            return head.i if head.lower_ in _VISITED_HEADS else None
    return None


def _adoption_times(doc: Doc, ci: int, clauses: list[Clause],
                    clause_times: dict[int, list[TimeMention]]) -> list[TimeMention]:
    """"We adopted a greyhound on Saturday! His name is Bran", "his name is Kiki, … we got
    him from a shelter in 2021": the adoption's time, said before or after the name."""
    order = [*range(ci - 1, -1, -1), *range(ci + 1, len(clauses))]
    for other in order:
        tokens = doc[clauses[other].start:clauses[other].end]
        if clause_times.get(other) and any(t.lemma_ in ("adopt", "get", "bring", "rescue")
                                           for t in tokens) and \
                any(t.lower_ in PET_WORDS or (other > ci and t.lower_ in ("him", "her"))
                    for t in tokens):
            return clause_times[other][:1]
    return []

#: Heads of a workplace phrase ("the hospital pharmacy at X", "their Leeds office at Y").
_WORKPLACE_HEADS = frozenset({"pharmacy", "office", "team", "department", "clinic", "hospital",
                              "lab", "branch", "store", "site", "role", "job", "position",
                              "unit", "ward", "desk", "division", "group", "hq", "headquarters",
                              "practice", "studio", "plant", "factory", "warehouse"})


#: Heads of a dwelling phrase ("a tiny flat in Cork", "a shared house in Leeds").
_DWELLINGS = frozenset({"flat", "apartment", "house", "place", "studio", "room", "condo",
                        "home", "cottage", "bungalow", "townhouse", "dorm", "loft"})


def _workplace_after(doc: Doc, i: int, end: int, heads: frozenset[str] = _WORKPLACE_HEADS,
                     preps: tuple[str, ...] = ("at", "with")
                     ) -> tuple[int, int, str, bool] | None:
    """"the hospital pharmacy at <Name>": the name after a phrase headed by one of ``heads``
    and one of ``preps``."""
    k = i
    while k < end and k - i < 6 and doc[k].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "PRON") \
            and doc[k].lower_ not in preps:
        k += 1
    if k == i or doc[k - 1].lower_ not in heads or k + 1 >= end or \
            doc[k].lower_ not in preps or not is_nameish(doc[k + 1]):
        return None
    stop = k + 2
    while stop < end and is_nameish(doc[stop]):
        stop += 1
    return k + 1, stop, doc[k + 1:stop].text, True


def _place_named_before(doc: Doc, i: int) -> tuple[tuple[int, int, str, bool], str] | None:
    """The last "at <Name>" or "in <Name>" before token ``i``, in its sentence or the one
    before, with its preposition: "there" points back to it."""
    sent = doc[i].sent
    first = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for k in range(i - 1, first, -1):
        if doc[k - 1].lower_ in ("at", "in") and is_nameish(doc[k]) and \
                not (k >= 2 and is_nameish(doc[k - 2])):  # not inside "Made in Chelsea"
            end = k + 1
            while end < i and is_nameish(doc[end]):
                end += 1
            return (k, end, doc[k:end].text, True), doc[k - 1].lower_
    return None


class Assembler(Corrections, RoleReaders, AliasReaders, Workplace):
    """Turns the annotated docs of one conversation into assertions, message by message."""

    def observe(self, index: int, episode: Episode, doc: Doc) -> None:
        """A message on the light path (tokens and name runs only, no facts possible): keep
        the recency of the people and organisations it names."""
        state = self.state
        self._message = index
        if episode.role.value == "user":
            state.user_speakers.add(state.add_person(episode.speaker))
            self._last_user = state.add_person(episode.speaker)
            self._learn_aliases(doc, self._last_user, index, "user")
        else:
            self._learn_aliases(doc, episode.speaker, index, "assistant",
                                self._last_user)
        self._learn_people(doc, episode.speaker)
        self._learn_orgs(doc, index)

    def message(self, index: int, episode: Episode, doc: Doc | None) -> list[FactAssertion]:
        state = self.state
        self._message = index
        if episode.role.value != "user":
            if doc is not None:
                self._learn_people(doc, episode.speaker)
                self._learn_aliases(doc, episode.speaker, index, "assistant",
                                    self._last_user)
            return []
        speaker = state.add_person(episode.speaker)
        state.user_speakers.add(speaker)
        self._last_user = speaker
        if doc is None:
            return []
        self._learn_aliases(doc, speaker, index, "user")
        self._learn_people(doc, speaker)
        self._learn_orgs(doc, index)
        buffer: list[Record] = []
        state.pending = buffer
        self._rule = ""
        self._intro(doc, speaker, index, buffer)
        quoted = quote_owners(doc, state, self._positions, speaker)
        clauses: list[Clause] = doc._.asof_clauses or []
        times: list[TimeMention] = doc._.asof_times or []
        by_clause: dict[int, list[Candidate]] = {}
        for cand in doc._.asof_candidates or []:
            by_clause.setdefault(cand.clause, []).append(cand)
        for ci in by_clause:
            by_clause[ci] = tool_moves(doc, learned_under_rules(doc, by_clause[ci]))
        state.message_times[index] = episode.occurred_at
        subjects: dict[int, list[str]] = {}
        #: the speaker's records said with "we" or no subject, before their employer was known
        unplaced: list[Record] = []
        clause_times: dict[int, list[TimeMention]] = {}
        for ci, clause in enumerate(clauses):
            lo, hi = doc[clause.start].idx, doc[clause.end - 1].idx + len(doc[clause.end - 1])
            clause_times[ci] = [t for t in times if lo <= t.start_char < hi]
        # triggers that own times; "since the company started in 2016" has no subject to own
        # one, so its time goes to the fact it dates
        # (a learned candidate's "trigger" is its object span: it owns no time of its own and
        # takes those of the nearest rule trigger)
        # (a one-off request owns its deadline: "my boss Ilse wants the reviews by Friday")
        self._anchors = {ci: sorted({c.trigger[0] for c in cands if c.rule not in TITLE_RULES
                                     and c.rule != LEARNED_RULE and c.subject != "none"
                                     and not _objectless_stop(c)} | set(clauses[ci].requests))
                         for ci, cands in by_clause.items()}
        for ci, clause in enumerate(clauses):
            for cand in by_clause.get(ci, []):
                if not factual(doc, clause, cand):
                    self._type_places(cand)
                    continue
                self._merged_group = None
                # inside a quote of someone else's words, "I" is theirs (assembly/quotes.py)
                at = doc[cand.trigger[0]].idx
                who = next((o for a, b, o in quoted if a <= at < b), speaker)
                subs = self._subjects(doc, clause, ci, cand, who, subjects)
                if cand.predicate == "reports_to" and cand.subject in ("name", "none",
                                                                       "default"):
                    # "Dias and Madina report to me", "two people report to me, Dias and
                    # Madina": every person named
                    subs = subs + [p for p in self._listed_people(doc, clause, cand)
                                   if p not in subs]
                if not subs:
                    continue
                subjects.setdefault(ci, subs)
                if cand.predicate == "lives_in" and cand.kind in ("assert", "switch_from"):
                    # "I moved to Warsaw with my son Danylo": the people who moved along
                    subs = subs + [p for p in self._companions(doc, clause, cand)
                                   if p not in subs]
                if cand.subject == "default" and \
                        state.registry.get(cand.predicate).employer_holds:
                    # "Business Standard since January", "get access to Jira, Slack": a tool
                    # or plan said without anyone's "I" is the employer's ("I use dbt" stays
                    # the speaker's)
                    subs = list(dict.fromkeys(self._holder_at_work(s, cand) for s in subs))
                if cand.rule == "we_married":
                    if len(subs) != 2:
                        continue  # "we got married" with no partner named with the "I"
                    # the verb stands for the object: the partner is whom the speaker marries
                    cand = replace(cand, subject="speaker", objects=[
                        (cand.trigger[1] - 1, cand.trigger[1], subs[1], True)])
                    subs = subs[:1]
                first = len(buffer)
                for subject in subs:
                    emitted = len(buffer)
                    self._emit(doc, index, episode, clause, ci, cand, subject, who,
                               clause_times, buffer, clauses)
                    if subject == speaker and cand.subject in ("we", "default"):
                        unplaced.extend(buffer[emitted:])
                buffer += self._outing_companions(doc, clause, cand, subs, buffer[first:])
        # the readers below are rules of their own: their records are no tagger's, whatever
        # candidate came last
        self._rule = ""
        self._pet_owner(doc, index, speaker, buffer)
        self._language_lists(doc, index, buffer)
        unplaced += self._tool_lists(doc, index, speaker, buffer)
        self._cv_lines(doc, index, speaker, buffer)
        self._cv_employers(doc, buffer)
        self._my_home(doc, index, speaker, buffer)
        self._language_skill(doc, index, speaker, buffer)
        self._boss_of(doc, index, speaker, buffer)
        self._role_phrases(doc, index, speaker, buffer)
        self._answered_spouse(doc, index, speaker, buffer)
        confirmed_statements(doc, index, speaker, state, buffer)
        answered_by_opening_name(doc, index, speaker, state, buffer)
        self._instead_of(doc, index, speaker, buffer)
        self._named_group(doc, index, speaker, buffer)
        self._group_ended(doc, index, buffer)
        self._pet_left(doc, index, buffer)
        self._took_over(doc, index, buffer)
        self._notice_ends(doc, index, speaker, buffer)
        self._left_us(doc, index, speaker, buffer)
        self._left_group(doc, index, speaker, buffer)
        self._plans(doc, index, episode, speaker, clauses, clause_times, buffer)
        self._roles(doc, index, episode, speaker, buffer)
        self._corrections(doc, index, episode, clause_times, buffer)
        self._answered_when(doc, index, speaker, buffer)
        rescheduled_starts(doc, index, speaker, state, buffer)
        self._scheduled_starts(episode, buffer)
        date_cued_starts(doc, buffer, self.state.user_speakers)
        trailing_starts(doc, buffer)
        moves_to_new_jobs(buffer)
        titled_starts(buffer, lambda who, predicate: {normalize_name(r.obj)
                                                      for r in state.current(who, predicate)})
        tenure_dates_the_job(doc, buffer)
        self._our_tools(speaker, unplaced)
        self._successors(doc, index, speaker, buffer)
        self._colleagues(doc, index, speaker, buffer)
        self._shared_thread_employer(doc, index, speaker, buffer)
        self._account_people(doc, index, speaker, buffer)
        self._told_starts(index, episode, buffer)
        merged = [r for r in self._merge(self._not_employers(self._rules_first(
            self_corrected_objects(_text(doc), buffer), _text(doc))))
                  if self._types_fit(r, episode.occurred_at) and not self._restated(r)]
        self._end_old_plans(index, episode, merged)
        self._implied(index, episode, merged)
        state.records.extend(merged)
        return [self._assertion(r, doc, episode) for r in merged]

    def _type_places(self, cand: Candidate) -> None:
        """A place named in a statement that gives no fact ("we should move to Kutaisi",
        "NOT moving to porto") is still a place: a name only the NER typed is retyped, so
        that a later "he" does not take it for a person."""
        if self.state.registry.get(cand.predicate).object_types != ("location",):
            return
        for _start, _end, text, is_name in cand.objects:
            if is_name:
                self.state.retype(text.strip(" ,.;:!?"), "location")

    def _restated(self, record: Record) -> bool:
        """A fact the tagger alone reads again while the conversation already holds it ("told
        Farid this morning", "back in Dublin", "1) Matthias is relocating") is a mention, not
        news: it neither starts the fact again nor cuts the interval already believed. A start
        said earlier than the one held still stands."""
        if not record.learned or record.kind is not AssertionKind.ASSERT or \
                record.valid_to is not None:
            return False
        key = normalize_name(record.obj)
        for held in self.state.current(record.subject, record.predicate):
            if normalize_name(held.obj) != key:
                continue
            began = held.valid_from or self.state.message_times.get(held.message)
            return record.valid_from is None or began is None or record.valid_from >= began
        return False

    def _emit(self, doc: Doc, index: int, episode: Episode, clause: Clause, ci: int,
              cand: Candidate, subject: str, speaker: str,
              clause_times: dict[int, list[TimeMention]], buffer: list[Record],
              clauses: list[Clause]) -> None:
        state = self.state
        predicate = cand.predicate
        kind = cand.kind
        objects = list(cand.objects)
        if cand.rule == "manager_is" and objects and _leaves(doc, objects[0][1]):
            kind = "retract"  # "my manager Priya left in April": reported to her until then
        if not objects and cand.rule in _CONTEXT_START_RULES and \
                not (objects := with_us(doc, cand.trigger[1])):
            times = self._own_times(doc, ci, cand, clause_times.get(ci, []))
            if times and self._date_context(subject, predicate, times[0], buffer) or \
                    cand.rule == "arrive_bare":
                return  # an arrival alone says nothing of a home ("landed at 6, so tired")
            if times and times[0].role in (Role.AT, Role.START) and \
                    self._date_earlier(subject, predicate, times[0], index, cand, doc, buffer):
                return
        if kind == "offer":
            self._offer(doc, index, episode, clause, ci, cand, subject, clause_times, buffer)
            return
        if cand.inverse:
            self._hired(doc, index, episode, clause, ci, cand, subject, speaker, clause_times,
                        buffer)
            return
        if not objects and predicate == "lives_in" and kind == "assert":
            home = _workplace_after(doc, cand.trigger[1], clause.end, _DWELLINGS, ("in",))
            if home is not None:
                objects = [home]  # "we live in a tiny flat in Cork city"
        if not objects and cand.rule == "move_to" and kind == "assert":
            workplace = _workplace_after(doc, cand.trigger[1], clause.end)
            if workplace is not None:
                # "I'm moving to the hospital pharmacy at Szpital Bielański": a job move
                objects, predicate = [workplace], "works_at"
        if not objects and predicate == "works_at" and kind == "assert" and \
                subject in state.offers:
            # "I accepted an offer from X. … first day is June 3": the offered job starts
            objects = [(cand.trigger[0], cand.trigger[0] + 1, state.offers.pop(subject), True)]
        if kind == "retract" and predicate == "works_at" and not objects and \
                cand.rule == "left_org":
            k = cand.trigger[1]
            while k < clause.end and doc[k].lower_ in ("the", "her", "his", "their", "my",
                                                       "our", "its"):
                k += 1
            if k < clause.end and doc[k].lower_ in _EMPLOYER_NOUNS:
                objects = [(k, k + 1, "company", False)]  # "Dana left the company in January"
            elif k == cand.trigger[1] and doc[cand.trigger[0]].pos_ == "VERB" and (
                    k >= clause.end or doc[k].is_punct or doc[k].ent_type_ == "DATE" or
                    any(t.start_char <= doc[k].idx < t.end_char for t in doc._.asof_times)) \
                    and state.org_of(subject) is not None:
                # "our ops lead Marcus left last week": someone with a known employer left it
                objects = [(cand.trigger[0], cand.trigger[0] + 1, "company", False)]
        if not objects and cand.rule == "last_day":
            k = cand.trigger[1]
            while k < clause.end and doc[k].lower_ in ("at", "with", "in", "for", "the"):
                k += 1
            named = read_name(doc, k, clause.end) if k > cand.trigger[1] else None
            if named is not None:
                objects = [named]  # "her last duty at Cedar Hospital": that employer
        if not objects:
            obj = None
            if not (kind == "retract" and cand.rule not in _JOB_ENDINGS):
                obj = self._context_object(subject, predicate, buffer)
            successor = self._successor_at(doc, subject) if obj is None and \
                predicate == "works_at" and kind == "assert" else None
            if successor is not None:
                # "His replacement as IT lead, Tina Zupan, starts 14 April"
                before = self._predecessor(doc, successor[0], speaker, subject)
                obj = self._successor_org(before, speaker, index)
            if obj is None and predicate == "works_at" and kind == "assert":
                obj = state.conversation_org(subject)
            if obj is None:
                if kind == "retract" and predicate in ("works_at",) and \
                        cand.rule in _JOB_ENDINGS:
                    obj = state.org_of(subject) or ""
                    if not obj and not any(state.current(subject, held)
                                           for held in ("job_title", "reports_to")):
                        # "Jure's last day is 4 April": with no employer known, the title
                        # and the reporting line end (anchoring ends them with the job)
                        return
                else:
                    return
            # the verb alone stands for the object: a time inside the match stays a time
            objects = [(cand.trigger[0], cand.trigger[0] + 1, obj, True)]
        objects = [object_end(doc, o, clause_times.get(ci, [])) for o in objects]
        event = state.registry.get(predicate).event
        times = [t for t in clause_times.get(ci, [])
                 if not any(o[0] <= _tok(doc, t.start_char) < o[1] for o in objects) and
                 (event or not weekday_range(t))]
        times = self._own_times(doc, ci, cand, times)
        times = [t for t in self._inherit_times(doc, clause, ci, cand, clause_times, times,
                                                clauses) if event or not weekday_range(t)]
        if objects and objects[0][0] >= 2 and doc[objects[0][0] - 2].lower_ == "still" and \
                doc[objects[0][0] - 1].lower_ in ("at", "in", "@", "with"):
            times = []  # "still at Haukeland, got promoted … 3/1": held before, first heard now
        if cand.rule == "here_in":
            # "planner at Fjordline since 2021, here in Bergen": a home said in passing,
            # which a move of the same message outranks ("moving to Trondheim … my lease here
            # in Stavanger")
            if any(r.subject == subject and r.predicate == "lives_in" for r in buffer):
                return
            times = []
        if not times and event and objects:
            times = self._event_day(doc, ci, objects[0][0], clause_times)
        if cand.rule == "had_since" and not any(t.role is Role.START for t in times):
            return
        if cand.rule == "as_title" and cand.trigger[0] >= 2 and (
                doc[cand.trigger[0] - 2].lemma_ in ("know", "call", "refer", "address") or
                doc[cand.trigger[0] - 1].lemma_ in ("know", "call")):
            return  # "the students know me as Demir Hoca": a name they use, not a title
        if cand.rule == "picked_up" and objects and doc[objects[0][1] - 1].lower_.endswith(
                "ing"):
            # "picked up cross-country skiing": a hobby, not a purchase; "I love it" next
            # means the hobby
            self._thing = (index, objects[0][2])
            return
        if cand.rule == "picked_up" and objects and not bought_thing(doc, objects[0]):
            return  # "picked up the kids", "picked up a shift": nothing bought
        if cand.rule == "sell" and cand.trigger[1] < len(doc) and \
                doc[cand.trigger[1]].lower_ in ("to", "for"):
            return  # "I sell to Quorra Bank": a customer, not a thing sold
        if cand.rule == "job_at" and cand.trigger[0] >= 2 and \
                doc[cand.trigger[0] - 1].lower_ in ("a", "an") and \
                doc[cand.trigger[0] - 2].lower_ in ("'s", "is", "are", "was", "there"):
            return  # "there's a job at X I could take": an opening, not a job held
        if cand.rule == "pet_named" and cand.trigger[0] > 0 and \
                doc[cand.trigger[0] - 1].lower_ == "my":
            return  # "my name is Katarzyna": the speaker introduces herself, no pet
        if cand.rule == "pet_named" and not times:
            times = _adoption_times(doc, ci, clauses, clause_times)
        if cand.rule == "been_there":
            if not any(t.role in (Role.START, Role.DURATION) for t in times):
                return  # "I've been there": a visit, not a tenure
            place = _place_named_before(doc, cand.trigger[0])
            if place is not None:
                # "Théo is at Michelin, he's been there since 2019": the place named before;
                # "a flat in Ennasr. He's been there since 2021": a home
                objects = [place[0]]
                if place[1] == "in":
                    predicate = "lives_in"
        # facts of one clause form a group: a date or a correction applies to all of them
        group = self._groups.setdefault((index, ci), state.group_counter + 1)
        state.group_counter = max(state.group_counter, group)
        if kind == "retract" and predicate in ("works_at", "lives_in"):
            fixed = []
            for start, end, text, is_name in objects:
                if normalize_name(text) in ("company", "firm", "them", "us", "job",
                                            "organisation", "organization", "team", "business"):
                    org = state.org_of(subject)
                    if org is None:
                        continue
                    fixed.append((start, end, org, True))
                    predicate = "works_at"
                else:
                    fixed.append((start, end, text, is_name))
            objects = fixed
        self._rule = cand.rule
        if cand.rule == "be_at" and any(t.lower_ in _JOB_WORDS
                                        for t in doc[clause.start:cand.trigger[0]]):
            self._rule = "job_at"  # "my first job was at Bancolombia": an employer, not a place
        if predicate == "uses":
            # "Wrenchly Standard", "Dealbird Team plan": the product and its plan
            split: list[tuple[int, int, str, bool]] = []
            for o in objects:
                plan = product_and_plan(o[2]) if o[3] else None
                split += [(o[0], o[1], plan[0], True), (o[0], o[1], plan[1], False)] \
                    if plan else [o]
            objects = split
        for start, end, text, is_name in objects:
            if not is_name and LITERAL in state.registry.get(predicate).object_types and \
                    vague_literal(doc, start, end, taste=predicate in ("likes", "dislikes")):
                continue  # "love the ones with…", "like the way…": no thing named
            if predicate == "owns" and text.islower() and text.split()[-1] in _BUSINESS_NOUNS:
                continue  # "she owns the bakery": the business is the one named elsewhere
            if predicate == "uses" and doc[end - 1].lower_ == "plan" and \
                    written_plan(doc, end - 1):
                continue  # "polishing the business plan": a document, no subscription
            if predicate == "job_title" and doc[end - 1].lower_ in _VISITED_HEADS:
                continue  # "went to a pride parade": an event or a place, no job
            if predicate == "lives_in" and cand.subject in ("default", "none") and any(
                    e.text == text and e.label_ == "PRODUCT" for e in doc.ents) and \
                    not self._looks_like_place(doc, text):
                continue  # "Leads from trade fairs live in Excel": where data is kept
            if predicate in ("likes", "dislikes") and kind == "assert" and passing_taste(
                    doc, None if cand.rule == LEARNED_RULE else cand.trigger, start, end):
                continue  # "love that painting", "love seeing your dedication"
            if predicate in ("owns", "uses") and is_name and end < clause.end and \
                    cand.rule != "tool_shop" and \
                    doc[end].pos_ == "NOUN" and doc[end].is_lower and \
                    doc[end - 1].head.i == end and doc[end].lower_ not in (
                        OWNABLE_WORDS if predicate == "owns" else _TOOL_NOUNS):
                # "will own the Flowdesk config", "used to run the Denver depot": the name
                # only describes the thing owned or run
                continue
            head = _visited_head(doc, start, end)
            if predicate in ("visited", "attended", "member_of") and is_name and \
                    end < clause.end and \
                    doc[end].is_lower and doc[end].is_alpha and \
                    head is not None and end <= head < clause.end:
                # "went to a LGBTQ+ support group": the name only says which group
                end = head + 1
                text = doc[start:end].text
            if predicate == "works_at" and kind == "assert" and text.lower() == "them":
                # "joined them in January": the organisation "they" would mean here
                org = self._they_org(doc, doc[start].idx)
                if org is None:
                    continue
                text, is_name = org, True
            self._object_at = doc[start].idx if start < len(doc) else len(_text(doc))
            target = self._route(doc, predicate, kind, text, is_name, subject, speaker, times,
                                 end if is_name else None)
            if target is None:
                continue
            pred, obj_name, literal = target
            if pred == "uses" and predicate == "lives_in" and cand.subject == "we" and \
                    state.we_as_org:
                subject = state.conversation_org(speaker) or subject  # "we moved to Planbase"
            if pred == "has_pet" and kind == "retract":
                # "we rehomed Moon" (Leyla's), "Kuro died" (the pet is the clause's subject)
                subject = state.pet_holder(obj_name) or subject
            if normalize_name(obj_name) == normalize_name(subject):
                continue
            if pred == "has_pet" and kind == "retract":
                new_home = self._rehomed_with(doc, cand, clause, end)
                if new_home is not None:
                    # "… with my sister Shirin": the pet lives on with her
                    self._emit_one(doc, index, episode, clause, cand, pred, "assert",
                                   new_home, obj_name, literal, times, group, (start, end),
                                   buffer)
            if pred == "works_at" and kind == "assert" and obj_name == state.org_of(subject) \
                    and cand.rule in ("join_org",) and not times:
                continue
            self._emit_one(doc, index, episode, clause, cand, pred, kind, subject, obj_name,
                           literal, times, group, (start, end), buffer)
            if kind == "switch_from":
                self._switch_target(doc, index, episode, clause, cand, pred, subject, speaker,
                                    end, times, group, buffer)
            # "at EVENT in CITY" / "in CITY for EVENT": the place and the event together
            if pred in ("attended", "visited"):
                self._event_companion(doc, index, episode, clause, cand, pred, subject, end,
                                      times, group, buffer)
