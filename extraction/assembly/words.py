"""Tests on names and spans that need no conversation: is this name an event, a group, a
company "… Group"; is this literal too vague to keep; what is left of it once cleaned; does
a clause open without a subject of its own ("starts 2 December as …", "wife's starting at
…"); where an object read too far ends (a time, an emoji, a chat filler, a word past a
title's head)."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from asof.extraction.components.base import Clause
from asof.extraction.gazetteer import is_place_name
from asof.extraction.lexicons import (
    CHAT_FILLERS,
    DEPARTMENTS,
    DOCUMENT_VERBS,
    EVENT_SUFFIXES,
    EVENT_WORDS,
    GROUP_WORDS,
    KINSHIP,
    PLAN_TIERS,
    TITLE_HEADS,
    VAGUE_NOUNS,
    WORK_DAY_NOUNS,
    YES_WORDS,
    ownable_noun,
)
from asof.extraction.spans import is_emoji, token_at
from asof.extraction.word_frequency import common_english, common_words
from asof.graph.ids import normalize_name
from asof.timex import TimeMention


def is_event(name: str) -> bool:
    low = name.lower()
    words = low.replace("-", " ").split()
    if any(w in EVENT_WORDS for w in words) or "i/o" in low or ":" in low:
        return True
    # "DevSummit", "GopherCon", "Oktoberfest": an event suffix glued to a name
    for word in name.replace("-", " ").split():
        for suffix in EVENT_SUFFIXES:
            cut = len(word) - len(suffix)
            if cut >= 2 and word.lower().endswith(suffix) and (
                    word[cut].isupper() or (suffix == "fest" and word[1:].islower())):
                return True
    return False


def event_appositive(text: str, name: str) -> bool:
    """"FIL, the book fair here": an appositive right after the name calls it an event."""
    at = text.find(name)
    if at < 0:
        return False
    match = re.match(r"\s*,\s*(?:the|a|an|our|their)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)",
                     text[at + len(name):])
    return match is not None and any(w in EVENT_WORDS for w in match.group(1).lower().split())


def is_group(name: str) -> bool:
    """A group word ends the name or follows its first word ("Harbourside Chess Club",
    "Chess Club Harbourside"), or opens it in a language that puts the noun first ("Coro San
    Telmo"; an English "Club" or "Team" opening a name may be a brand's)."""
    words = name.lower().split()
    return bool(words) and (words[-1] in GROUP_WORDS or any(w in GROUP_WORDS for w in words[1:])
                            or len(words) > 1 and words[0] in GROUP_WORDS and
                            not common_english(words[0]))


def company_group(name: str) -> bool:
    """"Harwick Insurance Group", "Tessaly Group": a company named "… Group" (capitalised,
    after at least one other capitalised word), not a club or a team."""
    words = name.split()
    return len(words) >= 2 and words[-1] == "Group" and words[-2][:1].isupper()


# ---------------------------------------------------------------------------- helpers

def head_after(doc: Doc, end: int, stop: int) -> tuple[bool, list[str], int]:
    """What follows a name inside its noun phrase: whether it is a possessor ("Tomás
    Aguilar's team") and the lower-case nouns it qualifies ("the Dublin office", "Didsbury
    Dads running club", "Pro plan"), up to three words; and where the name really ends when
    the reader stopped at a lower-case word inside it ("Women in Data Italia mentoring
    programme")."""
    k = min(end, stop)
    while k + 1 < stop and doc[k].lower_ in ("in", "of", "for", "and", "&") and \
            doc[k + 1].text[:1].isupper():
        k += 1
        while k < stop and doc[k].text[:1].isupper():
            k += 1
    if k > end and not (k < stop and doc[k].is_lower and doc[k].is_alpha):
        k = end  # the capitalised words after "in" are a place or another name, not this one
    name_end = k
    possessive = k < stop and doc[k].lower_ in ("'s", "’s", "'")
    if possessive:
        k += 1
    words: list[str] = []
    while k < stop and len(words) < 3 and doc[k].is_alpha and doc[k].is_lower and \
            doc[k].pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and \
            doc[k].ent_type_ not in ("DATE", "TIME"):
        words.append(doc[k].lower_)
        k += 1
    return possessive, words, name_end


#: What names nothing a liking could be of ("the ones", "my job").
_TASTE_VAGUE_NOUNS = VAGUE_NOUNS | WORK_DAY_NOUNS


def vague_literal(doc: Doc, start: int, end: int, *, taste: bool = False) -> bool:
    """A literal object with no noun of its own, or only a stand-in noun ("ones", "way");
    for a ``taste``, also only a part of the working day ("I love my job")."""
    span = doc[start:min(end, len(doc))]
    if any(t.pos_ == "PRON" for t in span):
        return False  # "I love it": the thing "it" means is found later
    tokens = [t for t in span if not t.is_punct and not t.is_stop]
    if not tokens:
        return True
    nouns = [t for t in tokens if t.pos_ in ("NOUN", "PROPN") or t.tag_ == "VBG"]
    vague = _TASTE_VAGUE_NOUNS if taste else VAGUE_NOUNS
    return not nouns or all(t.lower_ in vague for t in nouns)


#: Determiners that point at one thing in view ("love that painting", "love your dress").
_POINTING = frozenset({"that", "this", "these", "those", "your"})
#: The verbs of a liking, to judge the spans the tagger found under them.
_LIKING_VERBS = frozenset({"love", "like", "enjoy", "adore", "hate", "dislike"})


def passing_taste(doc: Doc, trigger: tuple[int, int] | None, start: int, end: int) -> bool:
    """A liking said of one thing in view or of a clause, not a standing taste: "love that
    painting", "Love the colors!" (no subject: a reaction), "like references" ("like" as a
    preposition), "all my love to a child" (the noun without "for"/"of"), "I love that it
    teaches me" (a clause), "love seeing your dedication" (an activity named by the thing
    it is done to, which the object leaves out)."""
    last = doc[min(end, len(doc)) - 1]
    if last.tag_ == "VBG" and end - start == 1 and any(
            c.dep_ in ("dobj", "obj", "dative", "ccomp", "xcomp") and c.i >= end
            for c in last.children):
        return True
    if trigger is None:
        # a span the tagger found: judged by the verb that governs it, if that is a liking
        root = next((t for t in doc[start:end] if not start <= t.head.i < end), None)
        governor = root.head if root is not None else None
        for _ in range(3):  # through the noun phrase it sits in ("the X and Y theme")
            if governor is None or governor.pos_ not in ("NOUN", "PROPN") or \
                    governor.head.i == governor.i:
                break
            governor = governor.head
        if governor is None or governor.lemma_ not in _LIKING_VERBS:
            return False
        trigger = (governor.i, governor.i + 1)
    verb = doc[trigger[0]]
    if trigger[1] < len(doc) and doc[trigger[1]].text == "-" and not verb.whitespace_:
        return True  # "like-minded people", "love-hate": part of a compound word
    if verb.pos_ in ("ADP", "SCONJ") or (verb.dep_ == "amod" and
                                          verb.lower_.endswith("ing") and any(
            c.dep_ in ("det", "poss") for c in verb.head.children)):
        return True  # "documents like references", "a more loving world"
    if verb.pos_ == "NOUN" and verb.dep_ in ("conj", "compound", "nmod") and \
            verb.head.pos_ in ("NOUN", "PROPN"):
        return True  # "the self-acceptance and love theme": a noun inside a noun phrase
    if verb.pos_ == "NOUN" and any(c.dep_ in ("det", "poss") for c in verb.children) and \
            not (verb.i + 1 < len(doc) and doc[verb.i + 1].lower_ in ("for", "of")):
        return True  # "all my love to a child" (but "love running actually": a verb)
    between = doc[trigger[1]:start]
    if any(t.dep_ == "mark" or (t.lower_ == "that" and t.pos_ == "SCONJ") for t in between):
        return True
    if any(t.lower_ in _POINTING for t in between):
        return True
    definite = any(t.lower_ in ("the", "all") for t in between)
    if definite and _after_exclaiming_over_a_thing(doc, verb.i):
        return True  # "Wow, that's gorgeous! I love the colours": the ones in view
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    return not has_subject and verb.pos_ == "VERB" and definite


def _after_exclaiming_over_a_thing(doc: Doc, i: int) -> bool:
    """An earlier sentence of the message exclaims over something pointed at ("Wow, that's
    gorgeous!", "that photo's amazing!"): a definite thing loved after it is in view."""
    here = doc[i].sent.start
    for sentence in doc.sents:
        if sentence.start >= here:
            return False
        if sentence[-1].text == "!" and any(t.lower_ in ("that", "this", "those", "these")
                                             for t in sentence):
            return True
    return False


def written_plan(doc: Doc, plan: int) -> bool:
    """The plan at token ``plan`` is a document being written, not a subscription plan
    ("polishing the business plan", "drafting my biz plan")."""
    return doc[plan].head.lemma_.lower() in DOCUMENT_VERBS


_LITERAL_DROP = frozenset({"a", "an", "the", "my", "our", "his", "her", "their", "its",
                           "some", "really", "very", "so", "just", "also", "still", "lol",
                           "honestly", "actually", "como", "comme", "als"})


#: A word with no letter or digit: an emoji, a symbol ("Head of IT 🙂", "tech lead ✨").
_NO_WORD = re.compile(r"^[^\w]+$")


def clean_literal(text: str) -> str:
    words = [w for w in re.split(r"\s+", text.strip(" ,.;:!?\"'"))
             if w and not (_NO_WORD.match(w) and w not in ("&", "/", "+", "-"))]
    while words and words[0].lower() in _LITERAL_DROP:
        words.pop(0)
    while words and words[-1].lower() in _LITERAL_DROP:
        words.pop()
    return " ".join(words).lower()


#: Parts of speech a title never ends in ("research lead done", "paramedic wi' the
#: ambulance"): a word the reader ran into past the title's head.
_NOT_TITLE_END = frozenset({"VERB", "AUX", "ADV", "INTJ", "PART", "ADP", "SCONJ", "CCONJ",
                            "DET", "PRON"})


def past_title_head(doc: Doc, k: int) -> bool:
    """Whether ``doc[k]`` is such a word, right after a title's head word."""
    return k > 0 and doc[k].pos_ in _NOT_TITLE_END and doc[k - 1].lower_ in TITLE_HEADS and \
        doc[k].lower_ not in TITLE_HEADS and doc[k].lower_ not in DEPARTMENTS


def trim_title(title: str) -> str:
    """A title read with a yes or a chat filler before it ("yep backend dev"): the title
    without it."""
    words = title.split()
    while len(words) > 1 and (words[0] in YES_WORDS or words[0] in CHAT_FILLERS):
        words.pop(0)
    return " ".join(words)


def lowercase_name_subject(doc: Doc, start: int, end: int) -> str | None:
    """"sanne starts at brattli school on the 1st": a lower-case word that opens its sentence
    as the parser's subject of a verb in ``doc[start:end]`` and is no everyday word (of English
    or another language), title, chat filler or place is a person's name typed in lower case
    (returned capitalised, with a lower-case surname the parser joins to it)."""
    for token in doc[start:end]:
        if token.head.pos_ not in ("VERB", "AUX") or token.head.i <= token.i or \
                token.dep_ not in ("nsubj", "nsubjpass", "amod", "npadvmod", "dep"):
            continue  # the small model reads "sanne starts" as an adjective of the verb
        first = token.i
        while first > 0 and doc[first - 1].dep_ == "compound" and doc[first - 1].head == token:
            first -= 1
        words = doc[first:token.i + 1]
        opens = first == 0 or doc[first].is_sent_start or doc[first - 1].is_punct or \
            not doc[first - 1].is_alpha
        between = doc[token.i + 1:token.head.i]
        if opens and all(unknown_lowercase_word(t) for t in words) and \
                not any(t.is_punct for t in between):  # not "nee wacht, ik haal …"
            return " ".join(t.text.capitalize() for t in words)
    return None


def unknown_lowercase_word(token: Token) -> bool:
    # no everyday word of English or another language ("elle", "festa"), no chat filler
    # ("pls"), no title ("backend dev"), no place ("munich")
    english, other_language = common_words().get(token.lower_, (0, False))
    return token.is_alpha and token.is_lower and len(token) >= 3 and not token.is_stop and \
        english < 8 and not other_language and token.lower_ not in CHAT_FILLERS and \
        token.lower_ not in TITLE_HEADS and not is_place_name(token.text.capitalize())


def third_person_opening(doc: Doc, clause: Clause) -> bool:
    """The clause opens a sentence with a verb in the third person singular and no subject
    ("starts 2 December as senior project manager"): someone else's statement, elided."""
    first = next((t for t in doc[clause.start:clause.end] if not t.is_punct), None)
    return first is not None and bool(first.is_sent_start) and first.tag_ == "VBZ" and \
        first.pos_ in ("VERB", "AUX") and \
        not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in first.children)


def kin_opening(doc: Doc, clause: Clause) -> str | None:
    """The clause opens with a relative said without a name, with "'s" for "is" or "has"
    before a verb ("wife's starting at GTBank", "sister's moved to Leeds"): that relative's
    word, whose fact it is, not the speaker's."""
    tokens = [t for t in doc[clause.start:clause.end] if not t.is_punct][:4]
    if tokens and tokens[0].lower_ in ("my", "our"):
        tokens = tokens[1:]
    if len(tokens) >= 3 and tokens[0].lower_ in KINSHIP and \
            tokens[1].text.lower() in ("'s", "’s") and tokens[2].pos_ in ("VERB", "AUX"):
        return tokens[0].lower_
    return None


#: Tier words that end a product's name only as its plan ("Wrenchly Standard", "Arvelo Pro");
#: "Business" and "Team(s)" are plans only with "plan" after them ("Microsoft Teams").
_SUFFIX_TIERS = PLAN_TIERS - {"business", "team", "teams"}


def product_and_plan(name: str) -> tuple[str, str] | None:
    """"Wrenchly Standard" → ("Wrenchly", "standard plan"), "Bookpeak's Starter plan" →
    ("Bookpeak", "starter plan"): a product named with its subscription tier, as the gold
    conventions keep them, two facts."""
    words = name.split()
    said_plan = len(words) >= 3 and words[-1].lower() in ("plan", "tier")
    if said_plan:
        words = words[:-1]
    if len(words) < 2 or not words[-1][:1].isupper() or \
            words[-1].lower() not in (PLAN_TIERS if said_plan else _SUFFIX_TIERS):
        return None
    if all(w.lower() in PLAN_TIERS for w in words[:-1]):
        return None  # "Business Standard": a plan's whole name
    product = " ".join(words[:-1])
    product = product[:-2] if product.endswith(("'s", "’s")) else product
    return (product, f"{words[-1].lower()} plan") if product else None


def object_end(doc: Doc, obj: tuple[int, int, str, bool],
                times: list[TimeMention]) -> tuple[int, int, str, bool]:
    """An object read into a time that ends it or runs on past it ("Dodoma mon–wed", "Porto
    fri-sun"), or across an emoji ("coast 🏖️ Hamish Boyd": in chat an emoji parts statements
    as punctuation does), ends before it. A time inside a name ("Kestrel 2020 Summit") or one
    that starts with a number of the name ("Gimnazjum nr 7 now") leaves it whole. A chat
    filler read into its end ("slack tbh") is cut."""
    start, end, text, is_name = obj
    if start >= len(doc) or end > len(doc):
        return obj
    trimmed = end
    while trimmed - 1 > start and (doc[trimmed - 1].lower_ in CHAT_FILLERS or
                                   not is_name and past_title_head(doc, trimmed - 1)):
        trimmed -= 1
    if trimmed < end:
        end, text = trimmed, doc[start:trimmed].text.strip(" ,;:")
        obj = (start, end, text, is_name)
    cuts = [first for t in times
            if start < (first := token_at(doc, t.start_char)) < end <=
            token_at(doc, t.end_char - 1) + 1 and not doc[first].like_num]
    cuts += [k for k in range(start + 1, end) if is_emoji(doc[k].text)]
    if not cuts:
        return obj
    cut = min(cuts)
    return start, cut, doc[start:cut].text.strip(" ,;:"), is_name


def past_copula(doc: Doc, start: int) -> bool:
    """A title said with "was" or "were" right before it ("I was HR Ops Specialist, I'm HR
    Ops Lead since 1 June"): a title held before, not now."""
    k = start - 1
    while k >= 0 and doc[k].lower_ in ("a", "an", "the", "their", "our", "his", "her", "my",
                                       "still", "also", "just"):
        k -= 1
    return k >= 0 and doc[k].lower_ in ("was", "were")


def bought_thing(doc: Doc, obj: tuple[int, int, str, bool]) -> bool:
    """What "picked up" may have bought: a thing whose noun is an ownable one ("a used
    bike") or a model given with its year ("a 2019 Volvo V70")."""
    words = obj[2].lower().split()
    year = any(t.like_num and len(t) == 4 for t in doc[max(0, obj[0] - 2):obj[1]])
    return bool(words) and (year or ownable_noun(words[-1]))


def names_within(part: str, whole: str) -> bool:
    """Whether the name ``part`` is said, as whole words, inside the name ``whole`` ("Klinik
    Nord" in "der Klinik Nord", "Bergen" in "Bergen Kommune"; not "Anna" in "Annabel")."""
    return f" {normalize_name(part)} " in f" {normalize_name(whole)} "
