"""Replies read with the assistant's question right before them.

- A yes/no question the reply confirms: "Are you based in Kraków?" → "ya, near the old town"
  says the speaker lives in Kraków, "Is Bruno your dog?" → "sí, 3 yrs" that Bruno is their pet
  (:func:`confirmed_statements`).
- A question the reply's opening words answer: "Where are you based?" → "bergen, sandviken
  side", "Who's your manager?" → "roderick vella. head of compliance"
  (:func:`answered_by_opening_name`; :func:`opening_answer` also tells the subject reader
  whose the reply's verbless title is).

The question shapes are data (``data/confirmed_questions.json``), the words that say yes and
no are ``data/yes_words.txt`` and ``data/no_words.txt``; the reply stays the evidence of the
fact, as the issue's "an assistant restatement the user does not contradict" asks."""

from __future__ import annotations

import re
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from asof.extraction.assembly.state import ConversationState, Record
from asof.extraction.lexicons import (
    NO_WORDS,
    PET_WORDS,
    RELATION_NOUNS,
    TITLE_HEADS,
    YES_WORDS,
    data_json,
)
from asof.extraction.spans import text_of
from asof.extraction.word_frequency import common_english
from asof.graph.ids import normalize_name
from asof.graph.models import AssertionKind, Basis
from asof.timex import Role

_NAME = (r"[A-ZÀ-ÞĀ-Ž][\w'’&.-]*"
         r"(?:\s+(?:de|da|do|del|la|van|von|of|&)?\s*[A-ZÀ-ÞĀ-Ž][\w'’&.-]*){0,3}")


def last_sentence(text: str) -> str:
    """The last sentence of ``text`` (of an assistant's message: the question it ends with)."""
    return re.split(r"(?<=[.!?])\s+", text.strip())[-1]


@cache
def _questions() -> list[tuple[str, re.Pattern[str], frozenset[str] | None]]:
    data = data_json("confirmed_questions.json")
    kinds = {"pets": frozenset(PET_WORDS) | frozenset(data_json("role_words.json")["pets"]),
             "businesses": frozenset(data["businesses"])}
    # the question's words in any case, its names capitalised as the assistant writes them
    return [(q["predicate"], re.compile(q["pattern"].replace("NAME", f"(?-i:{_NAME})"),
                                        re.IGNORECASE),
             kinds[q["kind"]] if "kind" in q else None)
            for q in data["questions"]]


@cache
def _answered() -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str]]:
    data = data_json("confirmed_questions.json")
    trailing = "|".join(re.escape(w) for w in sorted(data["trailing"], key=len, reverse=True))
    return ([(q["predicate"], re.compile(q["pattern"].replace("NAME", f"(?-i:{_NAME})"),
                                         re.IGNORECASE))
             for q in data["answered"]],
            re.compile(rf"(?:\s+(?:{trailing}))+$", re.IGNORECASE))


def opening_answer(doc: Doc) -> tuple[str, str, tuple[int, int]] | None:
    """The predicate the assistant's question asks for and the name the reply opens with
    (one to three words before the first punctuation, no English verb, no everyday English
    word alone: the tagger calls "ingvild" a verb), with its character span: "Where are
    you based?" → "tromsø, near the harbour", "Who's your manager?" → "roderick vella. head
    of compliance". Read once per message (the subject reader asks for every candidate)."""
    if "asof_opening_answer" not in doc.user_data:
        doc.user_data["asof_opening_answer"] = _opening_answer(doc)
    answer: tuple[str, str, tuple[int, int]] | None = doc.user_data["asof_opening_answer"]
    return answer


def _opening_answer(doc: Doc) -> tuple[str, str, tuple[int, int]] | None:
    prompt = doc._.asof_prompt
    if not prompt:
        return None
    question = last_sentence(prompt)
    questions, trailing = _answered()
    predicate = next((p for p, pattern in questions if pattern.search(question)), None)
    if predicate is None:
        return None
    words = []
    opening = 0
    if len(doc) > 2 and doc[0].lower_ in NO_WORDS and doc[1].text == ",":
        opening = 2  # "nah, ringwood": no to "near where you live?", then the home
    for token in doc[opening:]:
        if token.is_alpha:
            words.append(token)
        elif not (token.text == "-" and words and not words[-1].whitespace_ and
                  not token.whitespace_ and doc[token.i + 1:token.i + 2].text.isalpha()):
            break  # a hyphen inside a name ("cedar-riverside") is part of it
    if not 1 <= len(words) <= 4:
        return None
    text = trailing.sub("", doc[words[0].i:words[-1].i + 1].text)
    names = text.split()
    if not 1 <= len(names) <= 3 or \
            any(t.pos_ in ("VERB", "AUX") and common_english(t.text) or t.is_stop or
                t.lower_ in YES_WORDS or t.lower_ in TITLE_HEADS
                for t in words[:len(names)]) or \
            text.islower() and any(common_english(w) for w in names):
        return None  # "lol yes, …", "ux designer @ …", "home mostly"
    name = " ".join(w[:1].upper() + w[1:] for w in names) if text.islower() else text
    return predicate, name, (words[0].idx, words[0].idx + len(text))


def answered_by_opening_name(doc: Doc, index: int, speaker: str, state: ConversationState,
                             buffer: list[Record]) -> None:
    """The reply's opening name answers the assistant's question: where the speaker lives
    ("Where are you based?" → "Bergen. 2 cats"), with those named beside "me"; whom they
    report to ("Who's your manager?" → "roderick vella. head of compliance")."""
    answer = opening_answer(doc)
    if answer is None:
        return
    predicate, name, span = answer
    if any(r.subject == speaker and r.predicate == predicate for r in buffer):
        return
    state.group_counter += 1
    if predicate == "lives_in":
        people = [speaker, *_with_me(doc, state)]
    else:
        people, name = [speaker], state.add_person(name)
    for person in people:
        buffer.append(Record(person, predicate, name, False, AssertionKind.ASSERT, None, None,
                             None, None, state.group_counter, index, span, 0.5))


#: "me + shushan", "pualani and me", "me n kemi": a person named beside the speaker's "me".
_WITH_ME = re.compile(r"\bme\s*(?:\+|&|\band\b|\bn\b)\s*(?P<after>[\w'’-]+)|"
                      r"(?P<before>[\w'’-]+)\s*(?:\+|&|\band\b|\bn\b)\s*me\b", re.IGNORECASE)


def _with_me(doc: Doc, state: ConversationState) -> list[str]:
    """The people a reply names together with "me" ("arabkir. me + shushan (fiancée)"): they
    live where the speaker does. A person the conversation knows, or a word that is no
    everyday English word, no relation noun and no stop word."""
    people = []
    for match in _WITH_ME.finditer(text_of(doc)):
        word = match.group("after") or match.group("before")
        known = state.alias_of(word, "person")
        if known is not None:
            if known.type == "person":
                people.append(known.name)
        elif word.isalpha() and not common_english(word) and word.lower() not in STOP_WORDS \
                and word.lower() not in RELATION_NOUNS:
            people.append(state.add_person(word[:1].upper() + word[1:]))
    return list(dict.fromkeys(people))


def confirmed_statements(doc: Doc, index: int, speaker: str, state: ConversationState,
                         buffer: list[Record]) -> None:
    """The facts of the assistant's yes/no question right before ``doc`` when the reply
    opens with a yes, as the speaker's records of this message."""
    prompt = doc._.asof_prompt
    words = [t for t in doc if t.is_alpha]
    if not prompt or not words or words[0].lower_ not in YES_WORDS or \
            not prompt.rstrip().endswith("?"):
        return
    question = last_sentence(prompt)
    span = (words[0].idx, words[0].idx + len(words[0]))
    # a time said in the reply's first sentence is the fact's start ("oui, le 8 janvier",
    # "ya, since 2019", "ja, first week of june")
    first = next(iter(doc.sents))
    times = [t for t in doc._.asof_times or [] if t.end_char <= first.end_char and
             t.role in (Role.AT, Role.START, Role.DURATION)]
    since = times[0].value if len(times) == 1 else None
    for predicate, pattern, kinds in _questions():
        found = pattern.search(question)
        if found is None:
            continue
        groups = found.groupdict()
        if kinds is not None and (groups.get("kind") or "").lower() not in kinds:
            continue
        subject = speaker
        if groups.get("subject"):
            known = state.alias_of(groups["subject"], "person")
            subject = known.name if known is not None else state.add_person(groups["subject"])
        for key in ("object", "object2"):
            obj = groups.get(key)
            if not obj or normalize_name(obj) == normalize_name(subject) or any(
                    r.subject == subject and r.predicate == predicate and
                    normalize_name(r.obj) == normalize_name(obj) for r in buffer):
                continue
            state.group_counter += 1
            buffer.append(Record(subject, predicate, obj, False, AssertionKind.ASSERT,
                                 since.start if since else None, None,
                                 Basis.STATED if since else None,
                                 since.granularity if since else None, state.group_counter,
                                 index, span, 0.5))
        return
