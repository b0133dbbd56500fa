"""The arguments of a relation candidate: the object after a trigger (a name, a noun
phrase, a list of languages, a pet's name, a team, an owned thing) and the subject before it.
Used by :mod:`asof.extraction.components.relations` and by the assembler's situation readers.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from asof.extraction.components.base import (
    Clause,
    is_honorific,
    is_nameish,
    name_start,
)
from asof.extraction.components.mentions import name_run
from asof.extraction.lexicons import (
    COMPANY_HEADS,
    EVENT_WORDS,
    GROUP_WORDS,
    LANGUAGES,
    PET_WORDS,
    TITLE_HEADS,
    data_lines,
    ownable_noun,
)
from asof.extraction.patterns import OTHER_LANGUAGE_NAMES
from asof.extraction.spans import is_emoji

_SKIP_BEFORE_OBJECT = frozenset({"a", "an", "the", "my", "our", "his", "her", "their", "its",
                                 "new", "old", "secondhand", "second-hand", "used", "brand",
                                 "this", "that", "these", "those", "some", "both", "all",
                                 "over", "to", "in", "into", "at", "with", "on", "for",
                                 "entire", "whole", "two", "three", "four", "several", "few",
                                 "back", "off", "rescue", "remote", "little", "tiny", "big",
                                 "whatever"})
_NP_STOP = frozenset({"over", "to", "than", "instead", "when", "because", "since", "until",
                      "till", "but", "and", "or", "so", "if", "which", "that", "who", "at",
                      "for", "from", "in", "on", "as", "after", "before", "while", "lol",
                      "honestly", "though", "tho", "anyway", "actually", "too", "now",
                      "either", "btw", "haha", "pls", "please", "not", "rather", "these",
                      "there", "here", "every", "all", "really", "much", "more", "is", "are",
                      "was", "were", "'s", "it", "i", "mostly", "especially", "like", "via",
                      "anymore", "today", "yesterday", "then", "ever", "again", "effective",
                      "starting"})
_NP_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X"})
#: Title words that are not in TITLE_HEADS but head an appositive ("our CEO, X").
EXEC_WORDS = frozenset({"ceo", "cto", "cfo", "coo", "cio", "cmo", "cpo", "cro", "cso", "cdo",
                        "cco", "chro", "vp", "director",
                        "head", "chief", "president", "founder", "manager", "boss", "lead",
                        "supervisor"})
_PRON_OBJECTS = {"it": "it", "me": "me", "them": "them", "him": "him", "her": "her", "that": "it",
                 "here": "here", "there": "there", "us": "us"}


def _acronym(token: Token) -> bool:
    """A word typed in capitals ("IT coordinator", "the US"): no pronoun "it" or "us"."""
    return token.is_upper and len(token) > 1


def _pronoun_object(token: Token) -> bool:
    return token.lower_ in _PRON_OBJECTS and not _acronym(token)


#: Ordinals that belong to a title ("first officer", "second engineer"), not a count.
_ORDINALS = frozenset({"first", "second", "third"})


JOB_NOUNS = frozenset({"job", "position", "role", "post", "internship", "contract", "gig",
                        "placement", "fellowship", "residency"})
FRAGMENT_ADVERBS = frozenset({"currently", "now", "still", "also", "then", "and", "so",
                               "officially", "today"})


def _skip(doc: Doc, i: int, end: int) -> int:
    """Past the words before an object that are not part of it: determiners and the like, a
    number before a name or noun, a courtesy title before a name ("Mr Patrick Mwansa")."""
    while i < end:
        if (k := _after_honorific(doc, i, end)) > i:
            return k
        if not (doc[i].lower_ in _SKIP_BEFORE_OBJECT or doc[i].like_num and
                doc[i].lower_ not in ("one",) and i + 1 < end and
                not (doc[i].lower_ in _ORDINALS and doc[i + 1].lower_ in TITLE_HEADS) and
                (is_nameish(doc[i + 1]) or doc[i + 1].pos_ in ("NOUN", "ADJ"))):
            break
        i += 1
    return i


def _after_honorific(doc: Doc, i: int, end: int) -> int:
    """Where the name after a courtesy title at ``i`` starts ("Mr. Patrick Mwansa"), or ``i``."""
    k = i + 1 + (i + 1 < end and doc[i + 1].text == ".")
    if is_honorific(doc[i]) and k < end and is_nameish(doc[k]):
        return k
    return i


def name_before_comma(doc: Doc, start: int) -> tuple[int, int] | None:
    """A name run that ends right before ``start`` with a comma ("…, Rita Gomez, | is …")."""
    end = start - 1
    if end < 1 or doc[end].text != ",":
        return None
    first = name_start(doc, end)
    return (first, end) if first < end else None


_HIRING = frozenset({"hire", "appoint", "promote", "recruit", "onboard", "bring", "name",
                     "take"})


def hired_before(doc: Doc, i: int) -> tuple[int, int] | None:
    """The name right before token ``i`` when it is the object of a hiring verb."""
    end = i
    start = name_start(doc, end)
    if start == end or start == 0:
        return None
    verb = doc[start - 1]
    if verb.lemma_ in _HIRING and verb.pos_ == "VERB":
        return start, end
    return None


def read_name(doc: Doc, i: int, end: int) -> tuple[int, int, str, bool] | None:
    if i < end and doc[i].lower_ in ("her", "him") and (
            i + 1 >= end or doc[i + 1].is_punct or doc[i + 1].pos_ not in ("NOUN", "PROPN",
                                                                             "ADJ")):
        return i, i + 1, _PRON_OBJECTS[doc[i].lower_], False  # "reports to her."
    i = _skip(doc, i, end)
    if i < end and _pronoun_object(doc[i]):
        return i, i + 1, _PRON_OBJECTS[doc[i].lower_], False
    run = name_run(doc, i, end)
    if run is None:
        return None
    start, stop = run
    # "our CTO, Omar Haddad" / "the COO, Segun Afolabi": the name after a title
    if all(t.lower_ in TITLE_HEADS or t.lower_ in EXEC_WORDS for t in doc[start:stop]) and \
            stop + 1 < len(doc) and doc[stop].text == ",":
        named = name_run(doc, stop + 1, len(doc))
        if named is not None and not any(t.lower_ in TITLE_HEADS for t in
                                         doc[named[0]:named[1]]) and not (
                named[1] < len(doc) and doc[named[1]].pos_ in ("VERB", "AUX")):
            start, stop = named
    # "Grid Analytics team", "Toronto office": keep a trailing group word
    if stop < end and doc[stop].lower_ in GROUP_WORDS:
        stop += 1
    elif event_word_after(doc, stop, end):
        stop += 1
    # "leaving uhai medical end of jan": a name typed in lower case keeps its company word
    while stop < end and doc[stop].lower_ in COMPANY_HEADS and doc[stop].is_lower and \
            all(t.is_lower for t in doc[start:stop]):
        stop += 1
    # "Women in Tech Aotearoa", "Rega Planar 3": the model's entity, when it starts here and
    # runs on through lower-case connectors or a model number, is the whole name
    ent_end = _entity_end(doc, start, stop, end)
    if ent_end is not None:
        stop = ent_end
    text = doc[start:stop].text.strip(" ,.'\"")
    if text.endswith("'s"):
        text = text[:-2]
    return (start, stop, text, True) if text else None


def event_word_after(doc: Doc, stop: int, end: int) -> bool:
    """"the BKFA conference": the lower-case event word right after a name that modifies it
    is part of the event's name."""
    return stop < end and doc[stop].lower_ in EVENT_WORDS and doc[stop].is_lower and \
        doc[stop - 1].head.i == stop


def named_after_lower_title(doc: Doc, i: int) -> tuple[int, int, str, bool] | None:
    """"their head of platform, Sara Moe": a title typed in lower case, then a comma and the
    name of the person who holds it."""
    i = _skip(doc, i, len(doc))
    k = i
    while k < len(doc) and k - i < 5 and doc[k].is_alpha and doc[k].is_lower:
        k += 1
    if k == i or k + 1 >= len(doc) or doc[k].text != "," or not any(
            t.lower_ in TITLE_HEADS or t.lower_ in EXEC_WORDS for t in doc[i:k]):
        return None
    named = name_run(doc, k + 1, len(doc))
    if named is None or any(t.lower_ in TITLE_HEADS for t in doc[named[0]:named[1]]):
        return None
    text = doc[named[0]:named[1]].text.strip(" ,.'\"")
    return (named[0], named[1], text, True) if text else None


#: Lower-case words that can sit inside an organisation's name ("Women in Tech Aotearoa").
_NAME_INNER = frozenset({"of", "in", "for", "de", "la", "du", "del", "der", "von", "van",
                         "des", "di", "da", "y", "e", "the"})


def _entity_end(doc: Doc, start: int, stop: int, end: int) -> int | None:
    """Where a named entity that begins at ``start`` ends, when it reaches past ``stop``
    without a date or a clause break inside."""
    token = doc[start]
    if token.ent_iob_ != "B" or token.ent_type_ not in ("ORG", "PRODUCT", "FAC", "WORK_OF_ART",
                                                         "EVENT", "NORP"):
        return None
    k = start + 1
    while k < len(doc) and doc[k].ent_iob_ == "I":
        k += 1
    if k <= stop or k > end:
        return None
    inside = doc[stop:k]
    if any(t.is_punct and t.text not in ("&", "-") or t.like_num and len(t.text) == 4 or
           t.is_lower and t.is_stop and t.lower_ not in _NAME_INNER and
           t.lower_ not in ("'s", "’s") for t in inside):
        # "Klinikum rechts der Isar" and "St. Brigid's Hospital" stay whole; "Jira to Linear"
        # is two names
        return None
    if not is_nameish(doc[k - 1]):
        return None
    if any(t.ent_type_ == "DATE" or t.pos_ in ("VERB", "AUX") for t in inside):
        return None
    return k


def read_np(doc: Doc, i: int, end: int, preps: tuple[str, ...] = ()) -> tuple[
        int, int, str, bool] | None:
    i = _skip(doc, i, end)
    if i < end and _pronoun_object(doc[i]):
        return i, i + 1, _PRON_OBJECTS[doc[i].lower_], False
    start = i
    j = i
    while j < end:
        token = doc[j]
        low = token.lower_
        if token.is_punct and token.text not in ("-", "&", "/"):
            break
        if low in preps and j > start and j + 1 < end and doc[j + 1].pos_ in (
                "NOUN", "PROPN", "ADJ", "DET"):
            j += 1
            if doc[j].pos_ == "DET":
                j += 1
            continue
        if low == "of" and j > start and j + 1 < end and doc[j + 1].pos_ in ("NOUN", "PROPN",
                                                                            "ADJ"):
            j += 1
            continue
        if low in _NP_STOP and not _acronym(token):
            break
        if j > start and (token.ent_type_ in ("DATE", "TIME") and token.ent_iob_ == "B" and
                          (token.is_lower or token.like_num) or is_emoji(token.text)):
            # "promoted to senior accountant last week 💃 …": the title ends there (not
            # "the Namba Thursday futsal league")
            break
        if token.pos_ in _NP_POS or (token.pos_ == "VERB" and token.tag_ in ("VBG", "VBN")
                                     and j > start) or token.text in ("-", "&", "/") or (
                token.pos_ in ("ADV", "VERB") and j == start and j + 1 < end and
                doc[j + 1].pos_ in ("ADJ", "NOUN")) or (token.pos_ == "VERB" and
                                                        token.tag_ == "VBG" and j == start):
            j += 1
            continue
        if j > start and low in TITLE_HEADS and token.pos_ == "VERB" and \
                (doc[j - 1].pos_ in ("NOUN", "PROPN", "ADJ") or doc[j - 1].is_upper):
            j += 1  # "as IT lead, Tina Zupan": the parser's verb ends a title
            continue
        if token.pos_ == "ADV" and low in ("downtown", "remote", "abroad", "outdoors",
                                           "online"):
            j += 1
            continue
        break
    while j > start and (doc[j - 1].text in ("-", "&", "/") or doc[j - 1].pos_ == "NUM"):
        j -= 1
    if j <= start:
        return None
    text = doc[start:j].text
    return start, j, text, any(is_nameish(t) for t in doc[start:j])


def read_any(doc: Doc, i: int, end: int) -> tuple[int, int, str, bool] | None:
    k = _skip(doc, i, end)
    if k < end and (is_nameish(doc[k]) or _pronoun_object(doc[k])):
        found = read_name(doc, i, end)
        if found is not None:
            # "the Enterprise plan", "Zebra ZD420s": a name followed by a plain noun
            stop = found[1]
            if stop < end and doc[stop].pos_ == "NOUN" and doc[stop].lower_ in (
                    "plan", "tier", "subscription", "package", "license", "licence"):
                return found[0], stop + 1, doc[found[0]:stop + 1].text, False
            return found
    return read_np(doc, i, end)


def list_more(doc: Doc, first: tuple[int, int, str, bool], end: int,
               reader: str) -> list[tuple[int, int, str, bool]]:
    """", Y and Z" after a first object: more objects of the same kind."""
    found = [first]
    j = first[1]
    while j < end:
        if doc[j].lower_ in (",", "and", "or", "&", "plus") or doc[j].text == ",":
            k = j + 1
            while k < end and doc[k].lower_ in (",", "and", "or", "also", "even"):
                k += 1
            if reader == "language":
                nxt = _language_at(doc, k, end)
            elif reader == "np":
                nxt = read_np(doc, k, end)
            else:
                nxt = read_any(doc, k, end)
            if nxt is None or nxt[0] != _skip(doc, k, end):
                break
            found.append(nxt)
            j = nxt[1]
            continue
        break
    return found


def _language_at(doc: Doc, i: int, end: int) -> tuple[int, int, str, bool] | None:
    i = _skip(doc, i, end)
    while i < end and doc[i].lower_ in ("fluent", "decent", "basic", "some", "native",
                                        "conversational", "a", "bit", "of", "little"):
        i += 1
    return _language_word(doc, i) if i < end else None


def _language_word(doc: Doc, i: int) -> tuple[int, int, str, bool] | None:
    """The language named by token ``i``: an English language name (with "te reo" before
    "Māori"), or a language's own name given its English one."""
    if doc[i].lower_ in LANGUAGES:
        start = i - 2 if i >= 2 and doc[i - 2].lower_ == "te" and doc[i - 1].lower_ == "reo" \
            else i
        return start, i + 1, doc[start:i + 1].text, True
    english = language_own_name(doc[i])
    return (i, i + 1, english, True) if english else None


def language_own_name(token: Token) -> str | None:
    """The English name of a language called by its own name ("castellano", "cymraeg",
    "Deutsch"); never a person's name ("Frans", "Russo")."""
    if token.ent_iob_ == "B" and token.i + 1 < len(token.doc) and \
            token.doc[token.i + 1].ent_iob_ == "I":
        return None  # part of a longer name ("Frans Hals")
    return OTHER_LANGUAGE_NAMES.get(token.lower_)


def read_languages(doc: Doc, i: int, end: int) -> list[tuple[int, int, str, bool]]:
    return [found for j in range(i, end) if (found := _language_word(doc, j)) is not None]


def languages_listed_with(doc: Doc, start: int, end: int) -> list[tuple[int, int, str, bool]]:
    """The other languages of the list a language at ``start:end`` stands in, on its line:
    "runasimi, castellano, english" around "english"; nothing when no list separator
    ("," "/" "&" "and") joins them."""
    found = []
    for step in (-1, 1):
        j = start - 1 if step < 0 else end
        while 0 <= j < len(doc) and doc[j].text in (",", "/", "&", "and", "+"):
            k = j + step
            if not 0 <= k < len(doc):
                break
            language = _language_word(doc, k)
            if language is None or doc[k].dep_ in ("nsubj", "nsubjpass"):
                break  # "…, German is a work in progress": another clause's subject
            found.append(language)
            j = k + step
    return sorted(found)


def read_before(doc: Doc, i: int, start: int) -> tuple[int, int, str, bool] | None:
    j = i - 1
    while j >= start and doc[j].lower_ in ("was", "were", "has", "have", "had", "got", "'s",
                                           "just", "finally", "officially", "and", "i",
                                           "me", "also", "all", "then"):
        j -= 1
    if j < start:
        return None
    if doc[j].lower_ in _PRON_OBJECTS or doc[j].lower_ in ("he", "she", "they"):
        return j, j + 1, doc[j].lower_, False
    if not is_nameish(doc[j]):
        if doc[j].pos_ == "NOUN":
            k = j
            while k > start and doc[k - 1].pos_ in ("NOUN", "ADJ", "PROPN"):
                k -= 1
            return k, j + 1, doc[k:j + 1].text, False
        return None
    k = j
    while k > start and (is_nameish(doc[k - 1]) or doc[k - 1].text == "&"):
        k -= 1
    return k, j + 1, doc[k:j + 1].text, True


def read_pet_name(doc: Doc, i: int, end: int,
                  line: int | None = None) -> tuple[int, int, str, bool] | None:
    """The name after a pet noun: "a cat named Jollof", "two budgies, Sun and Moon". With
    ``line`` (where the line ends), also a name set off past the clause, that the message
    says as an aside: "adopted a cat, Jollof 🐈", "got a puppy yesterday!! Saga, a lagotto",
    "adopted a dog 🐶 she's called Mate"."""
    j = i
    while j < end and doc[j].text in (",", "-", "named", "called", "—"):
        j += 1
    if j < end and doc[j].lower_ in ("named", "called"):
        j += 1
    if j < end and is_nameish(doc[j]) and doc[j].lower_ not in PET_WORDS:
        return j, j + 1, doc[j].text, True
    return _pet_name_aside(doc, i, line) if line is not None else None


#: What may stand between a pet noun and its name said as an aside (besides punctuation,
#: emoji and the day it came): "she's called Mate".
_PET_ASIDE_WORDS = frozenset({"she", "he", "it", "'s", "’s", "is", "called", "named"})


def _pet_name_aside(doc: Doc, i: int, line: int) -> tuple[int, int, str, bool] | None:
    j = i
    while j < min(line, i + 6) and (doc[j].is_punct or is_emoji(doc[j].text) or
                                    doc[j].ent_type_ == "DATE" or
                                    doc[j].lower_ in _PET_ASIDE_WORDS):
        j += 1
    run = name_run(doc, j, line) if j > i else None
    if run is None or doc[j].lower_ in PET_WORDS or run[1] - run[0] > 2 or \
            not doc[j].text[:1].isupper() or doc[j].pos_ == "ADJ":
        return None  # set off by itself, only a capitalised name ("Black, enormous, …")
    after = doc[run[1]] if run[1] < len(doc) else None
    if after is not None and not (after.is_punct or is_emoji(after.text)):
        return None  # "adopted a cat, Sara helped": a person doing something
    return run[0], run[1], doc[run[0]:run[1]].text, True


def read_after_comma_name(doc: Doc, i: int, end: int) -> tuple[int, int, str, bool] | None:
    for j in range(i, min(end, i + 8)):
        if doc[j].text == ",":
            return read_name(doc, j + 1, end)
    return read_name(doc, i, end)


def read_team(doc: Doc, i: int, end: int) -> tuple[int, int, str, bool] | None:
    found = read_name(doc, i, end)
    if found is not None and found[3]:
        words = found[2].lower().split()
        if words and words[-1] in GROUP_WORDS:
            return found
        return None
    found = read_np(doc, i, end)
    if found is not None and found[2].lower().split()[-1] in GROUP_WORDS:
        return found
    return None


def read_owned(doc: Doc, i: int, end: int) -> tuple[int, int, str, bool] | None:
    found = read_any(doc, i, end)
    if found is None:
        return None
    words = found[2].lower().split()
    if not words or not ownable_noun(words[-1]):
        return None
    # "a car tho, a 2017 Mazda CX-5": prefer the name given after the comma
    for j in range(found[1], min(end, found[1] + 4)):
        if doc[j].text == ",":
            named = read_name(doc, j + 1, end)
            if named is not None and named[3]:
                return named
            break
    return found


#: "replacement", "successor", "Nachfolgerin": the one who takes over someone's post.
SUCCESSOR_WORDS = frozenset(word.lower() for word in data_lines("successor_words.txt"))
#: What may stand between a successor noun and the successor's name.
_SUCCESSOR_LINKS = frozenset({",", ":", "—", "–", "-", "is", "'s", "will", "be", "was"})


def successor_named(doc: Doc, noun: int, end: int) -> tuple[int, int] | None:
    """The name of the one ``doc[noun]`` (a successor noun) says takes over, said within the
    sentence after a link ("His replacement as IT lead, Tina Zupan, starts 14 April",
    "Marija's replacement in Šibenik is Tomislav Jurić"), or None."""
    k = noun + 1
    while k < min(end, noun + 10) and not doc[k].is_sent_start:
        if doc[k].lower_ in _SUCCESSOR_LINKS:
            j = k + 1
            while j < end and doc[j].lower_ in _SUCCESSOR_LINKS:
                j += 1
            start = j + 1 if j + 1 < end and is_honorific(doc[j]) else j
            run = name_run(doc, start, end)
            if run is not None and not any(t.lower_ in TITLE_HEADS for t in doc[run[0]:run[1]]):
                return run
        if doc[k].text in (".", "!", "?", ";") or "\n" in doc[k].text:
            break  # (a list's next line is another person: "a replacement\n- bursar Prossy")
        k += 1
    return None


def find_subject(doc: Doc, clause: Clause, before: int) -> tuple[str, tuple[int, int] | None]:
    """The subject of a trigger at token ``before``: the last subject-like word of its clause
    before the trigger ("speaker", "we", "he", "she", "they", "name", or "none")."""
    best: tuple[str, tuple[int, int] | None] | None = None
    j = clause.start
    while j < before:
        token = doc[j]
        low = token.lower_
        if low == "guess" and j + 1 < before and doc[j + 1].lower_ in ("who", "who's"):
            # "Guess who got promoted …", "guess who's back at kora": the one who speaks
            best = ("speaker", None)
            j += 2
            continue
        if low in ("i", "i'm", "i've", "i'd", "im", "ive") or low == "me" and j >= 2 and \
                doc[j - 1].lower_ in ("and", "&", "n") and j + 1 < len(doc) and \
                doc[j + 1].pos_ in ("VERB", "AUX"):
            # "darryl and me moved into …": "me" as a subject beside a partner
            if not (token.text == "i" and 0 < j < before - 1 and doc[j - 1].is_title and
                    doc[j + 1].is_title):
                best = ("speaker", (j, j + 1))  # not the "i" (and) of "Słowo i Sens"
        elif low in ("we", "we're", "we've"):
            best = ("we", (j, j + 1))
        elif low in ("he", "she", "they") and token.dep_ != "pobj":
            best = (low, (j, j + 1))
        elif low == "both" and token.dep_ in ("nsubj", "nsubjpass") and j > 0 and \
                doc[j - 1].text == ",":
            best = ("they", (j, j + 1))  # "Lena Vogt and Okan Yıldız, both report to me"
        elif low in SUCCESSOR_WORDS and token.pos_ in ("NOUN", "PROPN") and \
                (run := successor_named(doc, j, len(doc))) is not None:
            best = ("name", run)
            j = max(run[1], j + 1)
            continue
        elif low in ("who",) and best is None:
            best = ("who", (j, j + 1))
        elif low in ("you", "everyone", "everybody", "nobody", "it", "everything"
                     ) and token.dep_ in ("nsubj", "nsubjpass"):
            best = ("none", None)
        elif is_nameish(token) and (token.dep_ in ("nsubj", "nsubjpass", "compound", "ROOT",
                                                   "npadvmod", "appos", "poss", "conj")
                                    or j == clause.start):
            run = name_run(doc, j, before)
            if run is not None:
                stop = run[1]
                nxt = doc[stop] if stop < len(doc) else None
                is_subject = any(doc[k].dep_ in ("nsubj", "nsubjpass") for k in
                                 range(run[0], stop)) or (
                    nxt is not None and (nxt.pos_ in ("VERB", "AUX") or nxt.lower_ in (
                        "'s", "is", "was", "has", "had", "just", "still", "now", "also",
                        "who", "moved", "left", "hired")) and not (
                        # "at St. Brigid's Hospital": a possessive after a preposition is
                        # the start of a place's name, not someone who is
                        nxt.lower_ == "'s" and run[0] > 0 and doc[run[0] - 1].pos_ == "ADP")
                ) or (
                    nxt is not None and nxt.text == "," and stop + 1 < before and
                    doc[stop + 1].lower_ in ("who", "he", "she", "they"))
                if nxt is not None and nxt.text == ":":
                    is_subject = True
                if is_subject:
                    best = ("name", run)
                j = stop
                continue
        elif token.dep_ in ("nsubj", "nsubjpass") and token.pos_ == "NOUN" and \
                token.is_alpha and low not in ("everything", "everyone", "thing", "one") and \
                not (j + 1 < before and doc[j + 1].lower_ in TITLE_HEADS and
                     doc[j + 1].head.i != j):
            # "my husband Cian", "her boss", "the academy move": possessor or a following name
            # (an emoji the parser calls a noun is nobody: "switched hospitals 🏥 left X"; in
            # "X is our team lead and reports to me" "team" is no subject of a verb "lead")
            best = ("noun", (j, j + 1))
        j += 1
    if best is None:
        return ("default", None)
    return best
