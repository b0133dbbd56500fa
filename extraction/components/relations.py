"""``asof_relations_v1``: find relation candidates with spaCy's ``Matcher`` (patterns in
:mod:`extraction.patterns`), read their subject and object spans, and write them to
``doc._.asof_candidates``. Resolution (pronouns, aliases, "we", times) happens later, at the
conversation level (:mod:`asof.extraction.assembly`): finding matches is separate from deciding
what they mean.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from asof.extraction.components.arguments import (
    JOB_NOUNS,
    find_subject,
    hired_before,
    list_more,
    named_after_lower_title,
    read_after_comma_name,
    read_any,
    read_before,
    read_languages,
    read_name,
    read_np,
    read_owned,
    read_pet_name,
    read_team,
)
from asof.extraction.components.base import (
    FIRST_PERSON,
    FIRST_PLURAL,
    SUBJECT_PRONOUNS,
    THIRD_PERSON,
    Candidate,
    Clause,
    ensure_extensions,
    held_at_work,
    is_nameish,
    name_start,
    person_valued,
)
from asof.extraction.components.match_checks import (
    day_owner,
    no_object,
    no_reading,
)
from asof.extraction.components.mentions import name_run
from asof.extraction.components.titles import find_titles
from asof.extraction.lexicons import COLLECTIVE_SUBJECTS, NAME_PARTICLES, TITLE_HEADS
from asof.extraction.patterns import OTHER_LANGUAGE_NAMES, RULES, Rule
from asof.extraction.spans import line_end
from asof.extraction.word_frequency import common_words


def _required_words(rule: Rule) -> tuple[tuple[str, frozenset[str]], ...]:
    """What every match of the rule must contain: per required token with a word
    constraint, ("LEMMA" | "LOWER", its words)."""
    found = []
    for token in rule.pattern:
        if "OP" in token:
            continue
        for attr in ("LEMMA", "LOWER", "ORTH"):
            spec = token.get(attr)
            if isinstance(spec, dict) and "IN" in spec:
                found.append((attr, frozenset(spec["IN"])))
            elif isinstance(spec, str):
                found.append((attr, frozenset((spec,))))
    return tuple(found)


class RelationFinder:
    """Runs the rules' patterns over a doc. spaCy's ``Matcher`` evaluates set predicates in
    Python for every pattern at every token, so only the rules whose required word occurs
    in the doc are run (a ``Matcher`` per such subset of rules, cached, with the rules in
    registry order): the matches are the same as with all the rules, at a fraction of the
    cost."""

    _CACHE_SIZE = 1024

    def __init__(self, nlp: Language, rules: tuple[Rule, ...]) -> None:
        ensure_extensions()
        self.vocab = nlp.vocab
        self.matcher = Matcher(nlp.vocab)
        self.rules = {rule.id: rule for rule in rules}
        self._order = tuple(rules)
        for rule in rules:
            self.matcher.add(rule.id, [list(rule.pattern)], greedy="LONGEST")
        self._required = [_required_words(rule) for rule in rules]
        # rules by a word their first requirement needs: only those are checked in full
        self._by_word: dict[tuple[str, str], list[int]] = {}
        self._always: list[int] = []
        for index, required in enumerate(self._required):
            if not required:
                self._always.append(index)
                continue
            attr, needed = required[0]
            for word in needed:
                self._by_word.setdefault((attr, word), []).append(index)
        self._matchers: dict[frozenset[int], Matcher] = {}

    def _matcher_for(self, doc: Doc) -> Matcher | None:
        lower: set[str] = set()
        lemma: set[str] = set()
        orth: set[str] = set()
        for t in doc:  # one pass: spaCy builds a Token object per step
            lower.add(t.lower_)
            lemma.add(t.lemma_)
            orth.add(t.text)
        words = {"LOWER": lower, "LEMMA": lemma, "ORTH": orth}
        candidates = set(self._always)
        for attr, present in words.items():
            for word in present:
                candidates.update(self._by_word.get((attr, word), ()))
        key = frozenset(index for index in candidates
                        if all(not needed.isdisjoint(words[attr])
                               for attr, needed in self._required[index]))
        if not key:
            return None
        matcher = self._matchers.get(key)
        if matcher is None:
            if len(self._matchers) >= self._CACHE_SIZE:
                self._matchers.clear()
            matcher = Matcher(self.vocab)
            for index in sorted(key):
                rule = self._order[index]
                matcher.add(rule.id, [list(rule.pattern)], greedy="LONGEST")
            self._matchers[key] = matcher
        return matcher

    def __call__(self, doc: Doc) -> Doc:
        clauses: list[Clause] = doc._.asof_clauses or []
        candidates: list[Candidate] = []
        seen: set[tuple[str, int]] = set()
        taken: set[int] = set()
        matcher = self._matcher_for(doc)
        for match_id, start, end in (matcher(doc) if matcher is not None else ()):
            rule = self.rules[doc.vocab.strings[match_id]]
            clause_index = doc[start]._.asof_clause
            if clause_index < 0 or (rule.id, start) in seen:
                continue
            seen.add((rule.id, start))
            if rule.peek:
                end -= 1
            clause = clauses[clause_index]
            cand = self._candidate(doc, rule, clause, clause_index, start, end)
            if cand is not None:
                # one reading per trigger: the first (leftmost, then registry order) wins;
                # a reading of the place left ("moved to X from Y") reads another object
                second = rule.id == "move_to_from"
                if cand.objects and not second and any(i in taken for i in range(start, end)):
                    continue
                if cand.objects and not second:
                    taken.update(range(start, end))
                candidates.append(cand)
        candidates.extend(find_titles(doc, clauses))
        candidates.sort(key=lambda c: c.trigger)
        doc._.asof_candidates = candidates
        return doc

    # ---------------------------------------------------------------- one rule match

    def _candidate(self, doc: Doc, rule: Rule, clause: Clause, clause_index: int, start: int,
                   end: int) -> Candidate | None:
        # a heading ("Langues: arabe, français"): its list runs to the end of the line
        heading = doc[end - 1].text == ":" and clause.end <= end
        c_end = line_end(doc, end) if heading else \
            doc[start].sent.end if rule.sentence_object else clause.end
        objects: list[tuple[int, int, str, bool]] = []
        reader = rule.obj
        if reader == "none" and rule.kind == "retract" and any(
                child.dep_ in ("dobj", "obj") for child in doc[start].children):
            return None  # "they retired the old database": not a person retiring
        found: tuple[int, int, str, bool] | None = None
        if reader == "name":
            found = rule.predicate == "reports_to" and named_after_lower_title(doc, end) or \
                read_name(doc, end, c_end)
        elif reader in ("np", "np_at_last"):
            preps = ("with", "by") if rule.predicate == "prefers" else ()
            found = read_np(doc, end, c_end, preps)
        elif reader == "any":
            found = read_any(doc, end, c_end)
        elif reader == "before":
            found = read_before(doc, start, clause.start)
        elif reader == "pet_name":
            found = read_pet_name(doc, end, c_end, line_end(doc, end))
        elif reader == "after_comma_name":
            found = read_after_comma_name(doc, end, c_end)
        elif reader == "team":
            found = read_team(doc, end, c_end)
        elif reader == "owned":
            found = read_owned(doc, end, c_end)
        elif reader == "language":
            objects = read_languages(doc, end, c_end)
            if rule.lower_names or rule.id.startswith("xl_"):
                # "sprech deutsch", "hablo español": the language's own name
                objects += [(j, j + 1, OTHER_LANGUAGE_NAMES[doc[j].lower_], True)
                            for j in range(end, c_end)
                            if doc[j].lower_ in OTHER_LANGUAGE_NAMES]
        elif reader == "poss":
            # "accepted Norvik's offer": the name between the verb and "'s"
            k = start + 1
            while k < end and doc[k].text not in ("'s", "’s"):
                k += 1
            found = read_name(doc, start + 1, k)
        if found is not None and rule.id.startswith("xl_"):
            found = _trim_foreign(doc, found)
        if found is None and rule.lower_names:
            # in English only after "at" ("work with influencers" names no employer), where
            # a person is named ("my lead is sophie tremblay") or a home ("moving to teika")
            person = person_valued(doc, rule.predicate)
            if rule.id.startswith("xl_") or doc[end - 1].lower_ == "at" or person or \
                    rule.predicate == "lives_in":
                found = _read_lower_name(doc, start, end, c_end, clause.start, reader,
                                         person=person)
            elif reader == "pet_name":  # "my cat pulla sends regards": one word, the name
                found = _read_lower_name(doc, start, end, min(c_end, end + 1), clause.start,
                                         reader)
        if found is not None and rule.id.startswith("xl_as_title") and \
                not _title_like(doc[found[0]:found[1]].text):
            found = None  # "como siempre": no title
        if no_reading(doc, rule, start, end, c_end):
            return None
        if found is not None and no_object(doc, rule, end, found):
            found = None
        if found is not None:
            objects = [found]
            if rule.list_objects:
                objects = list_more(doc, found, c_end, "np" if reader == "np" else "any")
        if reader == "language":
            pass
        elif reader == "none":
            objects = []
        elif not objects:
            if rule.kind not in ("retract",) and rule.predicate not in ("lives_in",):
                return None
        # subject
        span: tuple[int, int] | None
        if rule.subj == "possessor":
            owner = doc[start].lower_
            if owner in FIRST_PERSON:
                subject, span = "speaker", (start, start + 1)
            elif owner in FIRST_PLURAL:
                subject, span = "we", (start, start + 1)
            elif owner in THIRD_PERSON:
                subject, span = THIRD_PERSON[owner], (start, start + 1)
            else:
                subject, span = find_subject(doc, clause, start)
        elif rule.id in ("last_day", "first_day") and (whose := day_owner(doc, start)):
            subject, span = whose  # "her last duty there", "Lena's last day at B&S"
        elif rule.id == "as_title" and (hired := hired_before(doc, start)) is not None:
            subject, span = "name", hired  # "I hired Kateryna Bondar as support manager"
        elif rule.subj == "we":
            subject, span = "we", None
        elif rule.subj == "speaker":
            subject, span = "speaker", None  # a first-person verb form ("trabajo en")
        elif rule.subj == "name_before":
            # "Andrés empieza en LogiCaribe": the name right before the verb (the English
            # parse of another language has no reliable subject)
            k = start - 1
            while k >= clause.start and doc[k].lower_ in ("ya", "también", "ahora", "aussi",
                                                          "auch", "jetzt", "maintenant"):
                k -= 1
            run = name_run(doc, name_start(doc, k + 1, clause.start), k + 1) \
                if k >= clause.start and is_nameish(doc[k]) else None
            if run is not None:
                subject, span = "name", run
            else:
                subject, span = find_subject(doc, clause, start)
                if span is not None and start <= span[0] < end:
                    subject, span = "default", None  # "Idiomas: español": the heading is no one
        elif rule.subj == "inner":
            # "Kofi and I got married": the pronoun inside the match, not the parse's subject
            pron = next((t for t in doc[start:end] if t.lower_ in FIRST_PERSON or
                         t.lower_ in THIRD_PERSON), None)
            if pron is None:
                subject, span = find_subject(doc, clause, start)
            else:
                subject = "speaker" if pron.lower_ in FIRST_PERSON else THIRD_PERSON[pron.lower_]
                span = (pron.i, pron.i + 1)
                if pron._.asof_clause >= 0:
                    clause_index = pron._.asof_clause  # "Kofi and | I got married in 2019"
        elif rule.subj == "object":
            # the pronoun the trigger's verb takes: last ("hired me") or inside ("bumped me
            # up to")
            at = next((t.i for t in doc[start + 1:end] if t.lower_ in ("me", "him", "her",
                                                                          "them")), end - 1)
            object_pronoun = doc[at].lower_
            subject = "speaker" if object_pronoun == "me" else THIRD_PERSON.get(object_pronoun,
                                                                                 "none")
            span = (at, at + 1)
        else:
            subject, span = find_subject(doc, clause, start)
            if subject == "noun" and span is not None:
                subject, span = self._noun_subject(doc, span, clause, start,
                                                   collective=held_at_work(doc, rule.predicate))
            if subject == "none" and held_at_work(doc, rule.predicate) and any(
                    t.lower_ in ("everything", "everyone", "everybody") and
                    t.dep_ in ("nsubj", "nsubjpass") for t in doc[clause.start:start]):
                subject, span = "we", None  # "Everything is on SharePoint": at work
            verb = doc[start]
            if subject == "none" and verb.dep_ == "conj" and verb.head.i < start and \
                    not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
                # "I went to X, the book fair here, …, and spent New Year's Eve in Y": the
                # conjoined verb shares the first verb's subject
                subject, span = find_subject(doc, clause, verb.head.i)
        return Candidate(rule.id, rule.predicate, rule.kind, clause_index, (start, end),
                         subject, span, objects, negated=clause.negated and
                         not rule.allow_negation, inverse=rule.inverse)

    @staticmethod
    def _noun_subject(doc: Doc, span: tuple[int, int], clause: Clause, trigger: int, *,
                      collective: bool = False) -> tuple[str, tuple[int, int] | None]:
        """A common-noun subject: "my husband Cian …" → Cian; "our company" → we; else none.
        The name comes before the trigger ("my sister married Tom": not Tom). ``collective``
        (a tool or plan, held at work): "team uses gitlab", "the whole company is on Slack"
        are "we" too."""
        head = doc[span[0]]
        for k in range(head.i + 1, min(clause.end, head.i + 3, trigger)):
            run = name_run(doc, k, clause.end)
            if run is not None:
                return "name", run
        owner = [c for c in head.children if c.dep_ == "poss"]
        workday = head.lower_ in ("day", "duty", "shift") and head.i > 0 and \
            doc[head.i - 1].lower_ in ("last", "final", "first", "working")
        if owner and (head.lower_ in JOB_NOUNS or workday):
            # ("her last duty there is July 28": hers)
            # "my first job was at X", "her previous role was with Y": the possessor
            pron = owner[0].lower_
            if pron in FIRST_PERSON:
                return "speaker", (owner[0].i, owner[0].i + 1)
            if pron in THIRD_PERSON:
                return THIRD_PERSON[pron], (owner[0].i, owner[0].i + 1)
        if owner and owner[0].lower_ in ("our",) and head.lower_ in (
                "team", "company", "org", "organisation", "organization", "firm"):
            return "we", None
        if collective and head.lower_ in COLLECTIVE_SUBJECTS and not owner and \
                not any(c.dep_ == "det" and c.lower_ not in ("the", "whole", "entire")
                        for c in head.children):
            return "we", None  # "team uses gitlab", "the whole company is on Slack"
        return "none", None


#: Function words of the languages chat switches into: never part of a lower-case name.
_FOREIGN_FUNCTION = frozenset("""
el la los las le les un una unos unas de del al en y e o u con por para que desde hasta hace
ya muy mas más pero como cuando donde este esta ese esa mi mis tu su sus lo se me te nos
der die das dem den des ein eine einen und oder mit seit bis bei von zu im am ist bin
le la les un une des du et ou avec pour depuis jusqu au aux chez dans sur
o a os as um uma do da dos das no na nos nas em com para desde até e ou
na ya wa za kwa ni sa ng si ang mga ko
""".split())


def _trim_foreign(doc: Doc, found: tuple[int, int, str, bool]
                  ) -> tuple[int, int, str, bool] | None:
    """A name read after an other-language phrase, without the function words the English
    model ran it into ("Medellín el 4 y 5 de", "& lina", "desde hoy")."""
    start, end, _text, is_name = found
    while start < end and (doc[start].lower_ in _FOREIGN_FUNCTION or
                           not any(c.isalnum() for c in doc[start].text)):
        start += 1
    k = start + 1
    while k < end:
        t = doc[k]
        if t.text.islower() and (t.lower_ in _FOREIGN_FUNCTION or t.like_num) and not (
                k + 1 < end and doc[k + 1].text[:1].isupper()):
            break
        if t.like_num:
            break
        k += 1
    end = k
    while end > start and (doc[end - 1].lower_ in _FOREIGN_FUNCTION or
                           not any(c.isalnum() for c in doc[end - 1].text)):
        end -= 1
    if end <= start or (is_name and not any(t.text[:1].isupper() for t in doc[start:end])):
        return None
    return start, end, doc[start:end].text, is_name


def _lower_name_word(doc: Doc, j: int) -> bool:
    t = doc[j]
    low = t.lower_
    if not t.is_alpha or not t.text.islower() or len(low) < 3 or t.is_stop or \
            low in _FOREIGN_FUNCTION or t.ent_type_ in ("DATE", "TIME", "CARDINAL"):
        return False
    english, _other = common_words().get(low, (0, False))
    return english < 8


def _read_lower_name(doc: Doc, start: int, end: int, c_end: int, c_start: int,
                     reader: str, person: bool = False) -> tuple[int, int, str, bool] | None:
    """A name typed in lower case after (or, for ``before``, right before) an other-language
    phrase: up to three words that are no everyday English word nor a function word
    ("empecé en quillay el viernes" → Quillay, "reporto a pablo serrano" → Pablo Serrano).
    A ``person``'s name may hold a particle ("ciarán ó súilleabháin") and does not open with
    an adjective or a verb ("my boss is thrilled")."""
    if person and reader != "before" and end < c_end and \
            doc[end].pos_ in ("ADJ", "VERB", "ADV", "AUX") and \
            common_words().get(doc[end].lower_, (0, False))[0] >= 5:
        return None  # an English word the parser reads as a verb or an adjective
    if reader == "before":
        j = start - 1
        while j >= c_start and doc[j].is_punct:
            j -= 1
        k = j + 1
        while j >= c_start and k - j <= 3 and _lower_name_word(doc, j):
            j -= 1
        lo, hi = j + 1, k
    else:
        lo = hi = end
        while hi < c_end and hi - lo < 3 and (_lower_name_word(doc, hi) or (
                person and hi > lo and doc[hi].lower_ in NAME_PARTICLES and hi + 1 < c_end
                and _lower_name_word(doc, hi + 1))):
            hi += 1
    if hi <= lo:
        return None
    text = " ".join(w[:1].upper() + w[1:] for w in doc[lo:hi].text.split())
    return lo, hi, text, True


_TITLE_ENDINGS = ("or", "ora", "er", "ero", "era", "ista", "ente", "ante", "eur", "euse",
                  "in", "ist", "ant", "ent", "ier", "iere", "ière")


def _title_like(text: str) -> bool:
    """"director de operaciones", "diseñadora", "Data Engineer": a job title, not "siempre"."""
    words = [w.lower() for w in text.split()]
    return any(w in TITLE_HEADS or (len(w) > 4 and w.endswith(_TITLE_ENDINGS)) for w in words)


@Language.factory("asof_relations_v1", default_config={})
def make_relations(nlp: Language, name: str) -> RelationFinder:
    return RelationFinder(nlp, RULES)


__all__ = ["RelationFinder", "SUBJECT_PRONOUNS", "find_subject", "read_name", "read_np"]
