"""Job titles as relation candidates: "I'm a data engineer at X", "Elena Petrova, VP of
Data", "the CFO, Robert Kim", "she's head of data platform", "new title: principal designer".
Each title found gives a ``job_title`` candidate, and a ``works_at`` one when an employer
follows ("… at X"). Who holds the title is read here from the words around it; resolving
that subject (pronouns, aliases) happens later, in :mod:`asof.extraction.assembly`.
"""

from __future__ import annotations

from spacy.tokens import Doc

from asof.extraction.components.arguments import (
    FRAGMENT_ADVERBS,
    find_subject,
    name_before_comma,
    read_name,
)
from asof.extraction.components.base import (
    Candidate,
    Clause,
    is_honorific,
    is_nameish,
    name_start,
)
from asof.extraction.components.match_checks import org_after_of
from asof.extraction.components.mentions import name_run
from asof.extraction.gazetteer import is_place_name
from asof.extraction.lexicons import COMPANY_HEADS, DEPARTMENTS, RELATIONAL_ROLES, TITLE_HEADS
from asof.extraction.spans import is_emoji

#: Words between a title and its employer: "ux lead @ tostadora", and the other languages'
#: "at" of chat that switches ("IT-Administrator bei Huber", "directeur logistique chez X").
EMPLOYER_PREPOSITIONS = ("at", "with", "@", "bei", "chez")


#: Words that open a title and that the parser may read as a verb when nothing comes before
#: them ("lead naval architect from 1/9", "head chef since May").
_RANK_WORDS = frozenset({"lead", "head", "chief", "senior", "principal", "acting", "interim"})


def find_titles(doc: Doc, clauses: list[Clause]) -> list[Candidate]:
    """Job titles: "I'm a data engineer at X", "Elena Petrova, VP of Data", "the CFO,
    Robert Kim", "she's head of data platform". Emits job_title (+ works_at for "at X")."""
    found: list[Candidate] = []
    for index, clause in enumerate(clauses):
        j = clause.start
        while j < clause.end:
            token = doc[j]
            head_low = token.lower_
            if head_low in TITLE_HEADS:
                span = _title_span(doc, j, clause)
                if span is not None:
                    cand = _title_candidate(doc, clause, index, span)
                    found.extend(cand)
                    j = span[1]
                    continue
            j += 1
    # "chief marketing officer": the head "chief" alone is not a second title
    spans = [c.trigger for c in found if c.rule == "title"]

    def title_span(c: Candidate) -> tuple[int, int]:
        return c.trigger if c.rule == "title" else (c.trigger[0], c.trigger[1] - 1)

    return [c for c in found if not any(
        o != title_span(c) and o[0] <= title_span(c)[0] and title_span(c)[1] <= o[1]
        for o in spans)]

def _title_span(doc: Doc, head: int, clause: Clause) -> tuple[int, int] | None:
    """Extend a title head word into the full title: modifiers before it ("senior data",
    "VP"), "of X" after it ("head of product", "VP of Data")."""
    start = head
    while start > clause.start:
        prev = doc[start - 1]
        if prev.lower_ in ("a", "an", "the", "our", "my", "their", "his", "her", "as",
                           "is", "'s", "now", "am", "'m", "be", "was", ",", "been",
                           "currently", "i", "new", "also"):
            break
        if prev.text == "-" and prev.whitespace_:
            break  # "- Junior architect: …": a list line's bullet
        if prev.pos_ in ("NOUN", "ADJ", "PROPN") or prev.text in ("-",) or \
                prev.dep_ in ("amod", "compound") and start <= prev.head.i <= head or \
                prev.lower_ in ("part", "full", "time", "e", "commerce", "co"):
            start -= 1
            continue
        if prev.lower_ in _RANK_WORDS and (start - 1 == clause.start or
                                           doc[start - 2].is_punct):
            start -= 1  # "news: lead naval architect from 1/9": not the verb "lead"
            continue
        break
    end = head + 1
    # ("head of IT": the parser takes "IT" for a pronoun)
    while end < clause.end and doc[end].lower_ in ("of", "for") and end + 1 < clause.end \
            and (doc[end + 1].pos_ in ("NOUN", "PROPN", "ADJ") or
                 doc[end + 1].lower_ in DEPARTMENTS) and \
            doc[end].lower_ == "of" and not org_after_of(doc, end + 1, clause.end):
        end += 2
        while end < clause.end and doc[end].pos_ in ("NOUN", "PROPN") and \
                doc[end].lower_ not in ("at", "since"):
            end += 1
    if end < clause.end and doc[end].lower_ in ("engineer", "manager", "officer", "lead"):
        end += 1
    # drop leading names that are really the person ("Elena Petrova, VP")
    while start < head and (doc[start].ent_type_ in ("PERSON", "ORG", "GPE")
                            and doc[start].lower_ not in TITLE_HEADS):
        start += 1
    return start, end

def _title_candidate(doc: Doc, clause: Clause, index: int,
                     span: tuple[int, int]) -> list[Candidate]:
    start, end = span
    title = doc[start:end].text
    prev = doc[start - 1] if start > 0 else None
    prev2 = doc[start - 2] if start > 1 else None
    nxt = doc[end] if end < len(doc) else None
    result: list[Candidate] = []
    subject: str | None = None
    subject_span: tuple[int, int] | None = None
    head_low = doc[end - 1].lower_ if doc[end - 1].lower_ in TITLE_HEADS else \
        doc[start].lower_
    # "our CTO, Omar Haddad" / "the CFO, Robert Kim" → the name after
    if nxt is not None and nxt.text == "," and end + 1 < clause.end:
        first = end + 1
        while first + 1 < clause.end and (is_honorific(doc[first]) or doc[first].text == "."):
            first += 1  # "our finance director, Dr. Rose Achieng"
        run = name_run(doc, first, clause.end)
        k = start - 1
        while k > 0 and doc[k].lower_ in _INTERIM:
            k -= 1  # "our new operations manager, Ang Nima Lama"
        if run is not None and prev is not None and doc[k].lower_ in (
                "the", "our", "their", "his", "her", "my") and not (
                    end - start == 1 and head_low in RELATIONAL_ROLES and
                    doc[k].lower_ != "the"):
            # not "(my manager, head of design)": whose manager someone is, no title
            subject, subject_span = "name", run
    # "- Junior architect: Hadi Fakhoury, started 01/09": a line that opens with the title
    if subject is None and nxt is not None and nxt.text == ":" and (
            start == 0 or "\n" in doc[start - 1].text or doc[start - 1].text in ("-", "•", "*")):
        run = name_run(doc, end + 1, len(doc))
        if run is not None and head_low not in RELATIONAL_ROLES and not any(
                t.ent_type_ == "ORG" for t in doc[run[0]:run[1]]):
            # not "Manager: Dirk Sommer" (whose manager he is), nor "Postdoc: Université
            # de Montpellier"
            subject, subject_span = "name", run
    # "Elena Petrova, VP of Data" / "Grace Okonkwo, our HR director"
    if subject is None and prev is not None:
        k = start - 1
        while k >= clause.start and doc[k].lower_ in ("our", "their", "the", "his", "her",
                                                      "a", "an", "my", "new"):
            k -= 1
        if k >= clause.start and doc[k].text == "," and k - 1 >= clause.start:
            j = k - 1
            if is_nameish(doc[j]) and doc[j].lower_ != "here":
                first = name_start(doc, j + 1, clause.start)
                if first > 0 and doc[first - 1].pos_ == "ADP" and \
                        is_place_name(doc[first:j + 1].text):
                    # "Oskar runs our station in Voss, station manager since 2020": a town is
                    # no one who holds a title, the clause's subject is
                    owner, owner_span = find_subject(doc, _stretch(doc, doc[first].sent.start,
                                                                   first), first)
                    if owner in ("name", "he", "she"):
                        subject, subject_span = owner, owner_span
                else:
                    subject, subject_span = "name", (first, j + 1)
            elif doc[j].lower_ == "here" and j - 1 >= clause.start:
                subject, subject_span = "speaker", None
    # "I'm a nurse", "she's head of data platform", "he's their data platform lead",
    # "I've been an account executive", "as a content strategist" (handled by as_title)
    if subject is None and prev is not None:
        k = start - 1
        while k >= clause.start and doc[k].lower_ in ("a", "an", "the", "their", "our",
                                                      "now", "currently", "also", "still",
                                                      "basically", "officially", "just"):
            k -= 1
        if k >= clause.start and (doc[k].lemma_ in ("be", "become") or doc[k].lower_ in (
                "'m", "'s", "am", "is", "was", "been", "i'm", "im")):
            if k - 1 >= clause.start and doc[k - 1].lower_ == "as":
                return result
            subject, subject_span = find_subject(doc, clause, k)
            if subject == "default":
                named = name_before_comma(doc, clause.start)
                # "my old boss, Rita Gomez, | is now CFO at X": the appositive's name
                subject, subject_span = ("name", named) if named else ("speaker", None)
            if subject in ("none", "noun", "who") and subject != "who":
                subject = None
        elif k >= clause.start and doc[k].lower_ == "as":
            # the as_title rule reads the title; the employer after it is read here ("I took
            # over from Alejandro as IT coordinator at Grupo Comal")
            org = _employer_after(doc, end, clause) if end < clause.end and \
                doc[end].lower_ in EMPLOYER_PREPOSITIONS else None  # ("head of ML": no org)
            owner, owner_span = find_subject(doc, clause, k)
            if org is not None and owner not in ("none", "noun", "default"):
                result.append(Candidate("title_at", "works_at", "assert", index,
                                        (start, end + 1), owner, owner_span, [org],
                                        negated=clause.negated))
            return result
        elif k < clause.start and clause.connector in (",", "") and \
                clause.start > 0 and doc[clause.start - 1].text == "," and \
                prev2 is not None:
            # "hi, Ingrid here, finance director at Sable & Finch"
            k2 = clause.start - 2
            if k2 >= 0 and doc[k2].lower_ == "here":
                subject = "speaker"
    if subject is None and start == clause.start and clause.start >= 2 and \
            doc[clause.start - 1].text == "," and is_nameish(doc[clause.start - 2]):
        # "Caio Almeida, CTO da Bossa Calçados": a title the parser made a clause of its own,
        # after the name that opens the sentence
        sentence = doc[clause.start - 2].sent.start
        first = name_start(doc, clause.start - 1, sentence)
        person = next((k for k in range(first, clause.start - 1)
                       if doc[k].ent_type_ == "PERSON"), None)
        if first == sentence and person is not None:
            # (from the person's name: "Contact Tolga Önal, IT manager")
            subject, subject_span = "name", (person, clause.start - 1)
    if subject is None and start == clause.start and clause.start > 0:
        # "…, finance director at X" after "Ingrid here" / "I'm Rafael"
        k = clause.start - 1
        if doc[k].text == "," and k >= 1:
            back = doc[k - 1]
            if back.lower_ == "here" or (is_nameish(back) and k >= 2 and (
                    doc[k - 2].lower_ in ("i'm", "'m", "am", "im") or is_nameish(
                        doc[k - 2]) and k >= 3 and doc[k - 3].lower_ in ("'m", "am"))):
                subject = "speaker"
    if subject is None and start == clause.start and (
            clause.start == 0 or doc[clause.start - 1].is_sent_start or
            doc[clause.start - 1].is_punct) and nxt is not None and nxt.lower_ in (
            "at", "@", ",") and doc[start].is_sent_start:
        # a fragment answer: "copywriter, from 2019 …"; after "He signed!", his
        subject, subject_span = _previous_owner(doc, start)
    if subject is None and prev is not None and prev.text == "," and (
            nxt is None or end >= clause.end or nxt.is_punct or is_emoji(nxt.text)) and \
            any(t.lemma_ in _JOB_START_VERBS for t in doc[clause.start:start]):
        # "Liezl starts at Rooihek Primary on the 1st, grade 3 teacher": the title closing
        # the clause is its subject's
        owner, owner_span = find_subject(doc, clause, start - 1)
        if owner in ("name", "he", "she", "speaker"):
            subject, subject_span = owner, owner_span
    if subject is None:
        # "currently product designer at X, since 2021", "context: data analyst at X",
        # "new title: principal designer as of May 1": a verbless fragment about the
        # speaker, at the start of a sentence or right after a colon or dash
        k = start
        while k > clause.start and doc[k - 1].lower_ in FRAGMENT_ADVERBS:
            k -= 1
        opens = k == 0 or doc[k].is_sent_start or doc[k - 1].text in (":", "—", "–", ";")
        after_colon = k > 0 and doc[k - 1].text in (":", "—", "–")
        follows = nxt is None or nxt.lower_ in EMPLOYER_PREPOSITIONS or (
            after_colon and (nxt.is_punct or nxt.lower_ in ("as", "since", "from",
                                                             "starting", "effective")))
        # after a colon or dash, which does not always end a clause
        if (k == clause.start or after_colon) and opens and follows and not any(
                t.pos_ in ("VERB", "AUX") for t in doc[k:start]):
            subject, subject_span = _colon_owner(doc, k - 1) if after_colon else \
                ("speaker", None)
            if subject is None:
                return result
    if subject is None:
        return result
    if head_low in ("student", "owner", "partner", "fellow", "hire"):
        return result
    cand_title = Candidate("title", "job_title", "assert", index, (start, end), subject,
                           subject_span, [(start, end, title, False)],
                           negated=clause.negated)
    result.append(cand_title)
    org = _employer_after(doc, end, clause)
    if org is not None:
        result.append(Candidate("title_at", "works_at", "assert", index, (start, end + 1),
                                subject, subject_span, [org], negated=clause.negated))
    home = _town_after(doc, end, clause)
    if home is not None:
        # "I'm a data engineer in Tunis": where the one who holds the title lives
        result.append(Candidate("title_in", "lives_in", "assert", index, (start, end + 1),
                                subject, subject_span, [home], negated=clause.negated))
    return result


def _town_after(doc: Doc, end: int, clause: Clause) -> tuple[int, int, str, bool] | None:
    """A place the gazetteer knows, named right after a title with "in" ("a nurse in
    Wrexham"), and ending there (not "in Lyon's office")."""
    if end + 1 >= clause.end or doc[end].lower_ != "in":
        return None
    place = read_name(doc, end + 1, clause.end)
    if place is None or not place[3] or not is_place_name(place[2]) or \
            place[1] < len(doc) and doc[place[1]].lower_ in ("'s", "’s"):
        return None
    return place


#: Verbs of starting a job, whose clause a title after a comma may close.
_JOB_START_VERBS = frozenset({"start", "join", "begin"})


def _employer_after(doc: Doc, end: int, clause: Clause) -> tuple[int, int, str, bool] | None:
    """The employer named right after a title that ends at ``end``: "at", "with", "for" or
    "of" a name ("ux lead @ tostadora"), or "in" an organisation, where the model or a
    company word says so and no gazetteer place does ("IT administrator in Trans-Wisła
    Logistyka"; "a nurse in Wrexham" is a town)."""
    if end + 1 >= clause.end:
        return None
    word = doc[end].lower_
    if word in (*EMPLOYER_PREPOSITIONS, "for") or word == "of" and \
            org_after_of(doc, end + 1, clause.end):
        org = read_name(doc, end + 1, clause.end)
        return org if org is not None and org[3] else None
    if word == "in":
        org = read_name(doc, end + 1, clause.end)
        if org is not None and org[3] and (
                doc[org[0]].ent_type_ == "ORG" or
                org[2].split()[-1].lower() in COMPANY_HEADS) and not is_place_name(org[2]):
            return org
    return None


#: Words between "our" and a title that keep it the title of the name after it.
_INTERIM = frozenset({"new", "current", "interim", "acting"})

#: Entity types of a subject that cannot hold a title ("Kestrel Labs offered me …").
_NOT_PERSON = frozenset({"ORG", "GPE", "FAC", "LOC", "PRODUCT", "NORP", "EVENT"})


def _may_be_person(doc: Doc, span: tuple[int, int]) -> bool:
    """Whether a subject name can hold a title: no word of it tagged an organisation, a place,
    a product, …"""
    return not any(t.ent_type_ in _NOT_PERSON for t in doc[span[0]:span[1]])


def _colon_owner(doc: Doc, colon: int) -> tuple[str | None, tuple[int, int] | None]:
    """Whose is a title given after a colon or dash: the subject of the clause before it, on
    the same line ("Khải got promoted: rooms division manager", "Jon is the problem —
    auditor at KPMG"). The speaker when that clause names them ("X offered me a contract —
    UX lead"), has no verb ("new title: principal designer", "- me: nurse at …"), or has
    their own verb or a document's ("I got promoted: …", "their CV says: …"). Nobody when
    that clause is about a group ("we hired: …")."""
    start = colon
    while start > doc[colon].sent.start and "\n" not in doc[start - 1].text:
        start -= 1
    if not any(t.pos_ in ("VERB", "AUX") for t in doc[start:colon]):
        return "speaker", None
    if any(t.lower_ == "me" for t in doc[start:colon]):
        return "speaker", None  # "X offered me a contract — UX lead"
    given = [t for t in doc[start:colon] if t.dep_ == "dative" and t.lower_ in ("him", "her")]
    if given:
        # "I'm giving her a raise and a new title — head of export"
        return ("he" if given[-1].lower_ == "him" else "she"), (given[-1].i, given[-1].i + 1)
    subject, span = find_subject(doc, _stretch(doc, start, colon), colon)
    if subject in ("he", "she") or subject == "name" and span is not None and \
            not doc[span[1] - 1].text.isupper() and _may_be_person(doc, span):  # "their CV"
        return subject, span
    if subject in ("we", "they"):
        return None, None
    if subject == "default":
        # "Sara said yes!! Signed today: senior developer with us": a clause that names no
        # one continues the sentence before it ("offer accepted:" after "Great news!" is the
        # speaker's)
        return _previous_owner(doc, start)
    return "speaker", None  # "I got promoted:", "it's official:"


def _previous_owner(doc: Doc, start: int) -> tuple[str, tuple[int, int] | None]:
    """Whose is a title fragment opening a sentence ("Welding supervisor, starts Monday"):
    the person the sentence before it, on the same line, was about when that was "he",
    "she" or a name ("He signed!! Welding supervisor, …", "Sara signed!! Junior Unity
    Developer, …"), or the one it was done to ("X hired him."); otherwise the speaker's own."""
    if start == 0 or "\n" in doc[start - 1].text:
        return "speaker", None
    before = doc[start - 1].sent
    if before.start == doc[start].sent.start:
        return "speaker", None
    subject, span = find_subject(doc, _stretch(doc, before.start, before.end), before.end)
    if subject in ("he", "she"):
        return subject, span
    # "Isar Antriebe hired him. Quality manager, start 1 October": the one it was done to
    done_to = [t for t in before if t.dep_ == "dobj" and t.lower_ in ("him", "her")]
    if done_to:
        return ("he" if done_to[-1].lower_ == "him" else "she"), (done_to[-1].i,
                                                                  done_to[-1].i + 1)
    if subject == "name" and span is not None and _may_be_person(doc, span):
        return subject, span  # "Sara signed!! Junior Unity Developer, starts 3 June"
    return "speaker", None


def _stretch(doc: Doc, start: int, end: int) -> Clause:
    """Tokens ``[start, end)`` read as one clause (of the sentence ``start`` is in), to ask
    who they are about."""
    clauses: list[Clause] = doc._.asof_clauses or []
    index = doc[start]._.asof_clause
    return Clause(start, end, clauses[index].sent if 0 <= index < len(clauses) else 0)

