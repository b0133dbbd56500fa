"""Checks on one rule match before it becomes a candidate: a match that is no reading of its
rule ("as well as", "my own journey", "ran my first 10k", "getting others involved in"), an
object that is no object of it ("as a friend"), and whose day a "last day" is."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from asof.extraction.components.base import (
    FIRST_PERSON,
    THIRD_PERSON,
    is_honorific,
    is_nameish,
    name_start,
)
from asof.extraction.components.mentions import name_run
from asof.extraction.gazetteer import is_place_name
from asof.extraction.lexicons import (
    DEPARTMENTS,
    LANGUAGES,
    NON_TITLE_HEADS,
    SCHOOL_WORDS,
    TITLE_HEADS,
)
from asof.extraction.patterns import Rule
from asof.extraction.word_frequency import common_english
from asof.timex.vocabulary import MONTH_NAMES, WEEKDAY_ABBREVIATIONS, WEEKDAY_NAMES

#: Words after "run" that make its object a race run, not a tool ("ran my first 10k").
_RACE_WORDS = frozenset({"first", "second", "third", "1st", "2nd", "3rd", "fastest",
                         "longest"})


def no_reading(doc: Doc, rule: Rule, start: int, end: int, clause_end: int) -> bool:
    """The match at ``doc[start:end]`` says nothing of its rule's predicate."""
    before = doc[start - 1] if start > 0 else None
    if rule.id == "as_title" and before is not None and before.lower_ in ("well", "such"):
        return True  # "as well as modern music", "such as": no "as a <title>"
    if rule.id == "on_team" and _said_of_another(doc[start]):
        return True  # "getting others involved in the community": theirs, not ours
    if rule.id == "run_tool" and any(t.lower_ in _RACE_WORDS
                                     for t in doc[end:min(end + 3, clause_end)]):
        return True  # "ran my first 10k": a race run, not a tool
    if rule.id == "drop" and end < clause_end and doc[end].lower_ in ("to", "down"):
        return True  # "we're dropping to the Basic plan": a downgrade (switch_to), no ending
    if rule.id == "perform_for" and end < clause_end and (
            doc[end].lower_ in ("the", "a", "an") or doc[end].lower_ in LANGUAGES):
        return True  # "play in the … league" is play_in's; "we sing in Swahili": a language
    if rule.id in ("left_org", "leave_place") and end < clause_end and \
            doc[end].lower_ == "for":
        return True  # "leaves for Rosario on 3 July": where someone goes, not what they left
    if rule.id == "no_longer_with" and not any(t.lower_ in ("longer", "anymore", "more")
                                               for t in doc[start:clause_end]):
        return True  # "I'm not with Kestrel on this one": no leaving said
    if rule.id == "report_to_named" and (doc[start].dep_ != "relcl" or end >= len(doc) or
                                         doc[end].text != ","):
        return True  # "…, which I report to, …" is no name; "the guy I report to, X" is
    # "my own journey", "Jon's own studio": a word of emphasis
    return rule.id == "own" and before is not None and before.tag_ in ("PRP$", "POS")


#: "got the Rabobank job": the words that make a name after "got the" a new employer.
_JOB_NOUNS = frozenset({"job", "offer", "role", "position", "gig", "internship", "contract",
                        "post"})

#: "a Salesforce shop", "a Microsoft house": an organisation that runs on the tool named.
_TOOL_SHOP_HEADS = frozenset({"shop", "house", "company", "customer", "user", "org"})


def no_object(doc: Doc, rule: Rule, end: int, found: tuple[int, int, str, bool]) -> bool:
    """The object read is none the rule's predicate takes: "as a friend", "as a career";
    a spouse's name comes right after "my husband" (or its comma), not later in the clause
    ("she followed her husband to Hanoi")."""
    if rule.id == "got_job":
        if any(t.ent_type_ in ("PERSON", "GPE") for t in doc[found[0]:found[1]]) or \
                is_place_name(found[2]):
            return True  # "I got Sara, our new designer, a coffee", "got the Houston job"
        after = doc[found[1]:found[1] + 5]
        if doc[found[0] - 1].lower_ == "the":  # "got the Rabobank job"
            return not after or after[0].lower_ not in _JOB_NOUNS
        # "got PayNest, backend engineer"
        return not after or after[0].text != "," or \
            not any(t.lower_ in TITLE_HEADS for t in after[1:])
    if found[3] and _all_time(doc, found[0], found[1]):
        return True  # "joined X in Aug '14, left Feb '17": a month, not what was left
    if rule.id in ("degree_comma_school", "school_comma_degree") and not re.search(
            r"\b(?:19|20)\d\d\b", doc[found[0]:].text.split("\n")[0] + " " +
            doc[:found[0]].text.rsplit("\n", 1)[-1]):
        return True  # only a CV line that gives the years
    if rule.id == "became_members":
        k = found[1] + (found[1] < len(doc) and doc[found[1]].lower_ in ("corporate", "full",
                                                                          "paid"))
        return k >= len(doc) or doc[k].lower_ not in ("members", "member")
    if rule.id in ("degree_school", "degree_comma_school"):
        # "MSc Interaction Design" is the subject studied; "BSc Lakeside University" the school
        return not any(t.lower_ in SCHOOL_WORDS for t in doc[found[0]:found[1]])
    if rule.id == "tool_shop":
        return found[1] >= len(doc) or doc[found[1]].lower_ not in _TOOL_SHOP_HEADS
    if rule.id == "spouse":
        at = end  # (past the comma the match may end with)
        if at < len(doc) and is_honorific(doc[at]):
            at += 1 + (at + 1 < len(doc) and doc[at + 1].text == ".")  # "my husband, Dr Minh"
        return found[0] > at
    if rule.id == "manager_is" and any(t.lower_ in ("at", "@") for t in doc[end:found[0]]):
        return True  # "my lead at Daugava Data": where the boss works, not who
    if rule.id.startswith("manager_is") and all(t.ent_type_ == "NORP"
                                                for t in doc[found[0]:found[1]]):
        return True  # "my manager's Canadian": where the boss is from, not who
    if rule.id == "made_title":
        # "was made foreman": the title completes the passive verb; "the help I got made a big
        # difference": a thing made, its object
        return doc[found[1] - 1].dep_ == "dobj" or doc[found[1] - 1].lower_ in NON_TITLE_HEADS
    return rule.id == "as_title" and doc[found[1] - 1].lower_ in NON_TITLE_HEADS


def _all_time(doc: Doc, start: int, end: int) -> bool:
    """``doc[start:end]`` is a month's or a weekday's name inside a longer time the message
    says ("Feb" of "Feb '17"), not a name that only a time's words run through ("been at X
    for 34 years")."""
    words = [t.lower_.rstrip(".") for t in doc[start:min(end, len(doc))]]
    if not words or not all(w in MONTH_NAMES or w in WEEKDAY_NAMES or
                            w in WEEKDAY_ABBREVIATIONS for w in words):
        return False
    first, last = doc[start].idx, doc[min(end, len(doc)) - 1].idx
    return any(t.start_char <= first and last < t.end_char and
               t.end_char - t.start_char > len(doc[start:end].text)
               for t in doc._.asof_times or [])


def day_owner(doc: Doc, start: int) -> tuple[str, tuple[int, int]] | None:
    """Whose last or first day it is, by the possessive right before it: "my" (the
    speaker), "her"/"his"/"their" (a pronoun to resolve), "Lena's" (a name)."""
    if start == 0:
        return None
    before = doc[start - 1]
    if before.lower_ in FIRST_PERSON:
        return "speaker", (start - 1, start)
    if before.tag_ == "PRP$" and before.lower_ in THIRD_PERSON:
        return THIRD_PERSON[before.lower_], (start - 1, start)
    if before.text in ("'s", "’s") and start >= 2 and is_nameish(doc[start - 2]):
        return "name", (name_start(doc, start - 1), start - 1)
    return None


def _said_of_another(prep: Token) -> bool:
    """The phrase the preposition opens belongs to someone the clause's subject acts on:
    "getting others involved in X" (the participle describes "others"), "encouraged
    students to get involved in X" (the students get involved)."""
    head = prep.head
    if head.dep_ == "acl" and head.head.pos_ in ("NOUN", "PRON", "PROPN"):
        return True
    return head.dep_ == "xcomp" and any(c.dep_ in ("dobj", "obj") for c in head.head.children)


def org_after_of(doc: Doc, i: int, end: int) -> bool:
    """"IT coordinator of Grupo Comal", "the CTO of Koivu Timber Oy": the name after "of" is
    the employer, not part of the title, when the tagger calls it an organisation and one of
    its words is no everyday English word ("Head of Customer Success" stays one title)."""
    run = name_run(doc, i, end)
    if run is None:
        return False
    words = doc[run[0]:run[1]]
    if all(t.lower_ in DEPARTMENTS for t in words):
        return False  # "head of QA": a department
    return any(t.ent_type_ == "ORG" for t in words) and \
        any(t.is_alpha and not common_english(t.lower_) for t in words)
