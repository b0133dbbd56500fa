"""``asof_clauses_v1``: split sentences into clauses and mark their modality.

A clause ends at ; — – ( ) and at a comma or conjunction that introduces a new subject
("…, she's been at Meridian since 2020"). Flags: negated, hypothetical ("if", modals, "thinking
about"), question, reported speech ("my friend says …"), "used to", correction cues, future.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from asof.extraction.components.base import SUBJECT_PRONOUNS, Clause, ensure_extensions
from asof.extraction.lexicons import (
    CHILDHOOD_PHRASES,
    CORRECTION_CUES,
    HYPOTHETICAL,
    HYPOTHETICAL_PROMPTS,
    JOKE_MARKERS,
    REPORTING_VERBS,
    SARCASM_MARKERS,
    TITLE_HEADS,
)


def _asks_hypothetically(prompt: str | None) -> bool:
    low = " ".join((prompt or "").lower().replace("’", "'").split())
    return any(f" {phrase} " in f" {low} " or f" {phrase}?" in f" {low}"
               for phrase in HYPOTHETICAL_PROMPTS)


def _past_life_stage(doc: Doc, tokens: Span) -> bool:
    """A past-tense clause in a sentence set in a life stage that is over ("I loved taking
    lessons with my friends | when I was younger")."""
    verbs = [t for t in tokens if t.tag_ == "VBD" and t.lemma_ != "be"]
    if not verbs:
        return False
    sentence = doc[tokens.start].sent.text.lower()
    return any(phrase in sentence for phrase in CHILDHOOD_PHRASES)


_HARD_BREAKS = frozenset({";", "—", "–", "(", ")", "--", "…", "!", "|"})
_SOFT_BREAKS = frozenset({",", "and", "but", "so", "then", "because", "cause", "while",
                          "although", "though", "plus", "also", "which", "when", "once",
                          "after", "before", "or", "whereas", "cos", "coz"})
#: "…, any tips?": nouns that make "any X" the start of a question run on after a statement.
_ASKS = frozenset({"tips", "advice", "ideas", "suggestions", "thoughts", "recommendations",
                   "pointers", "help"})
_QUESTION_STARTS = frozenset({"do", "does", "did", "should", "can", "could", "would", "will",
                              "is", "are", "was", "were", "have", "has", "what", "who",
                              "where", "when", "why", "how", "which", "shall", "may", "am",
                              "any", "anything", "whats", "what's", "wanna"})
_TAG_QUESTIONS = frozenset({"right", "yes", "no", "correct", "ok", "okay", "yeah", "eh"})
_FUTURE = frozenset({"will", "'ll", "gonna", "shall", "tomorrow", "next", "upcoming",
                     "soon"})
_APPOSITIVE_HEADS = TITLE_HEADS | {"ceo", "cto", "cfo", "coo", "cio", "cmo", "vp", "director",
                                   "head", "chief", "president", "founder", "manager", "boss",
                                   "lead", "supervisor"}
#: Words that make the thing wanted a one-off request, not a standing preference ("wants the
#: q1 deck by fri", "wants a demo in February", "Mum wants one paragraph in Igbo").
_SPECIFIC = frozenset({"the", "this", "that", "these", "those", "one", "two", "three"})
_DEADLINE = frozenset({"by", "before", "asap", "until", "till", "about"})
#: Hearing something is hearsay whoever hears it ("also heard dr otieno is relocating").
_HEARSAY = frozenset({"hear"})
#: Positive affect a sarcasm mark can turn ("we simply LOVE that printer 🙄").
_PRAISE = frozenset({"love", "like", "enjoy", "adore", "loving"})
_NEGATIONS = frozenset({"not", "n't", "never", "no", "nobody", "nothing", "nor", "neither",
                        "dont", "didnt", "doesnt", "cant", "won't", "wont", "isnt"})


#: Who a trailing contrast names: "route the orders to Lars, our buyer, not to me".
_CONTRAST_PEOPLE = frozenset({"me", "us", "him", "her", "them", "you"})


def _contrast_on_a_person(lows: list[str], k: int) -> bool:
    """A "not" after a comma that only sets a person against the one named ("…, not to me",
    "…, not him"): it negates nothing else of the clause."""
    if lows[k] != "not" or k == 0 or lows[k - 1] not in (",", "—", "–", "-"):
        return False
    rest = lows[k + 1:k + 3]
    if rest and rest[0] in ("to", "for", "with", "from"):
        rest = rest[1:]
    return bool(rest) and rest[0] in _CONTRAST_PEOPLE


def _request(tokens: Span, k: int) -> bool:
    """"wants the q1 deck by fri", "wants a demo in February", "will want the Honda part more
    dramatic": a want of one specific thing, or by a time, is a request, not a preference
    ("she wants a Linux laptop", "wants fully remote" stay preferences)."""
    rest = []
    for t in tokens[k + 1:k + 8]:
        if t.is_punct:
            break
        rest.append(t)
    if not rest:
        return False
    if rest[0].lower_ in _SPECIFIC or rest[0].like_num:
        return True
    return any(t.lower_ in _DEADLINE or t.ent_type_ in ("DATE", "TIME") for t in rest)


def _subjects_of(verb: Token) -> list[Token]:
    """The verb's subjects, or its governing verb's ("Tita Nena kept telling everyone …")."""
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if own or verb.dep_ not in ("xcomp", "ccomp", "conj"):
        return own
    return [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]


def _mark_jokes_and_sarcasm(doc: Doc, clauses: list[Clause]) -> None:
    """A joke marker takes back the statement before it: its own clause up to it and the
    clause before ("i'm relocating to abuja 😤 this traffic... joking o, lagos for life").
    Hearsay ("also heard dr otieno (simba's vet) is relocating …") reports the rest of its
    sentence. A sarcasm mark closing praise ("we simply LOVE that printer. Best part of my
    mornings 🙄") makes the praise no fact."""
    text = doc.text.lower()
    if "hear" not in text and not any(marker in text
                                      for marker in JOKE_MARKERS | SARCASM_MARKERS):
        return  # most messages: no need to visit every token
    sents = list(doc.sents)
    for token in doc:
        low = token.lower_
        ci = token._.asof_clause
        if low in JOKE_MARKERS and 0 <= ci < len(clauses):
            for clause in clauses[max(ci - 1, 0):ci + 1]:
                clause.hypothetical = True
                clause.hypos.append(token.i)
        elif token.lemma_ in _HEARSAY and token.pos_ == "VERB" and 0 <= ci < len(clauses):
            for clause in clauses[ci + 1:]:
                if clause.sent != clauses[ci].sent:
                    break
                clause.reports.append(clause.start - 1)
        elif low in SARCASM_MARKERS or token.text in SARCASM_MARKERS:
            sent = token.sent
            index = next(i for i, s in enumerate(sents) if s.start == sent.start)
            scope = [sent]
            if index > 0 and len(sent) <= 8:
                scope.append(sents[index - 1])  # "… LOVE that printer. Best part of my mornings 🙄"
            for part in scope:
                for t in part:
                    if t.lemma_ in _PRAISE and t.pos_ == "VERB" and t.i < token.i:
                        tc = t._.asof_clause
                        if 0 <= tc < len(clauses):
                            clauses[tc].hypos.append(t.i)


def _starts_clause(doc: Doc, i: int) -> bool:
    token = doc[i]
    prev = doc[i - 1]
    if prev.text in _HARD_BREAKS or (prev.text == ":" and i - 1 > 0):
        return True
    if prev.text == "," and token.lower_ in _QUESTION_STARTS and token.lower_ not in (
            "when", "which", "who", "any", "anything"):
        return True
    if prev.text == "," and i >= 2 and doc[i - 2].lower_ in _APPOSITIVE_HEADS and \
            token.pos_ == "PROPN":
        j = i
        while j < len(doc) and doc[j].pos_ == "PROPN":
            j += 1
        if j >= len(doc) or doc[j].pos_ not in ("VERB", "AUX"):
            return False  # "I report to our CTO, Omar Haddad": an appositive, not a clause
    if prev.text == "," and token.lower_ in ("if", "unless"):
        return True  # "I live in Lyon, if that matters": the condition is its own clause
    if prev.text == "," and token.lower_ in ("though", "although", "whereas") and \
            i + 1 < len(doc) and not doc[i + 1].is_punct:
        return True  # "we're on Jira, though there's a plan to move … if …": a new clause
    if prev.lower_ not in _SOFT_BREAKS:
        return False
    # "and two weeks ago I started …", "and somehow I've been …": a conjunction, a time
    # phrase or an adverb, then a subject
    if token.ent_type_ == "DATE" or token.pos_ == "ADV" or \
            token.lower_ in ("then", "now", "later", "since"):
        k = token.i
        while k < len(doc) and k < token.i + 6 and (
                doc[k].ent_type_ == "DATE" or doc[k].pos_ == "ADV" or
                doc[k].lower_ in ("then", "now", "later", "ago", ",")):
            k += 1
        if k < len(doc) and doc[k].lower_ in SUBJECT_PRONOUNS:
            return True
    if token.lower_ in SUBJECT_PRONOUNS:
        return True
    if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("PROPN", "PRON"):
        return True
    # "…, Bongani Dlamini on the 23rd": a name followed by a verb or "'s"
    if token.pos_ == "PROPN" and token.dep_ in ("nsubj", "compound"):
        return True
    return False


@Language.factory("asof_clauses_v1", default_config={"break_on_colon": True})
def make_clauses(nlp: Language, name: str, break_on_colon: bool) -> ClauseSplitter:
    return ClauseSplitter(break_on_colon)


class ClauseSplitter:
    def __init__(self, break_on_colon: bool) -> None:
        ensure_extensions()
        self.break_on_colon = break_on_colon

    def __call__(self, doc: Doc) -> Doc:
        clauses: list[Clause] = []
        for sent_index, sent in enumerate(doc.sents):
            start = sent.start
            connector = ""
            for i in range(sent.start + 1, sent.end):
                if _starts_clause(doc, i):
                    if i > start:
                        clauses.append(Clause(start, i, sent_index, connector=connector))
                    connector = doc[i - 1].lower_
                    start = i
            if start < sent.end:
                clauses.append(Clause(start, sent.end, sent_index, connector=connector))
        sent_is_question = {}
        for sent_index, sent in enumerate(doc.sents):
            sent_is_question[sent_index] = sent.text.rstrip().endswith("?")
        text_low = doc.text.lower()
        correction = any(cue in text_low for cue in CORRECTION_CUES)
        sent_has_if: dict[int, int] = {}
        for index, clause in enumerate(clauses):
            tokens = doc[clause.start:clause.end]
            lows = [t.lower_ for t in tokens]
            clause.correction = correction
            negations = [k for k, w in enumerate(lows)
                         if w in _NEGATIONS and not _contrast_on_a_person(lows, k)]
            clause.negated = bool(negations)
            clause.negations = [tokens[k].i for k in negations]
            clause.used_to = any(
                lows[k] == "used" and k + 2 < len(lows) and lows[k + 1] == "to" and
                tokens[k + 2].tag_ == "VB" and not (k > 0 and tokens[k - 1].lemma_ in ("be",
                                                                                    "get"))
                for k in range(len(lows))) or _past_life_stage(doc, tokens)
            hypo = False
            for k, w in enumerate(lows):
                if w in HYPOTHETICAL:
                    # "'d prefer" / "would prefer" state a preference; "want(s) X" too
                    nxt = lows[k + 1] if k + 1 < len(lows) else ""
                    after = lows[k + 2] if k + 2 < len(lows) else ""
                    if w in ("'d", "would") and nxt in ("prefer", "rather", "love", "like") \
                            and after != "to" and not (nxt in ("love", "like") and after in (
                                "a", "an", "another", "one", "some")):
                        # "I'd love sushi" is a taste; "I'd love a second dog" is a wish
                        continue
                    if w in ("want", "wants") and nxt not in ("to",):
                        if _request(tokens, k):
                            clause.requests.append(tokens[k].i)
                        continue
                    if w in ("plan", "planning", "dream") and (tokens[k].pos_ == "NOUN" or
                                                               nxt not in ("to", "on")):
                        continue
                    if w == "thinking" and nxt not in ("about", "of"):
                        continue
                    hypo = True
                    clause.hypos.append(tokens[k].i)
            for k, w in enumerate(lows[:-1]):
                if w in ("planned", "supposed") and lows[k + 1] == "to":
                    # "we planned to start with Slack … but the board rejected it", "were
                    # supposed to go to Japan": a plan, said as one that did not happen
                    hypo = True
                    clause.hypos.append(tokens[k].i)
            if "if" in lows:
                sent_has_if[clause.sent] = index
            if clause.sent in sent_has_if and sent_has_if[clause.sent] == index - 1 and \
                    clause.connector in (",", "then"):
                hypo = True  # "if X, (then) Y": the consequence is hypothetical too
                clause.hypos.append(clause.start)
            clause.hypothetical = hypo
            first = lows[0] if lows else ""
            if first in ("also", "and", "but", "so", "oh", "ok", "btw", "hey") and len(lows) > 1:
                first = lows[1]
            last_sent_clause = index + 1 >= len(clauses) or clauses[index + 1].sent != clause.sent
            if sent_is_question[clause.sent]:
                if first in _QUESTION_STARTS:
                    clause.question = True
                elif last_sent_clause and not (len(lows) <= 3 and any(
                        w in _TAG_QUESTIONS for w in lows)):
                    clause.question = True
                    tail = next((k for k in range(1, len(lows) - 1)
                                 if lows[k] == "any" and lows[k + 1] in _ASKS), None)
                    if tail is not None:
                        clause.question_from = clause.start + tail
            clause.reports = [
                t.i for t in tokens
                if (t.lemma_ in REPORTING_VERBS and t.pos_ == "VERB" and any(
                    c.dep_ == "nsubj" and c.lower_ not in ("i", "we") for c in _subjects_of(t)))
                or (t.lemma_ in _HEARSAY and t.pos_ == "VERB")]
            if any(lows[k] == "according" and lows[k + 1] == "to"
                   for k in range(len(lows) - 1)):
                # "apparently I'm now CEO according to Workday": what a record says
                clause.reports.append(clause.start - 1)
            clause.reported = bool(clause.reports)
            clause.future = any(w in _FUTURE for w in lows) or any(
                t.lemma_ == "go" and t.tag_ == "VBG" and t.nbor(1).lower_ == "to"
                for t in tokens if t.i + 1 < len(doc))
            for t in tokens:
                t._.asof_clause = index
        _mark_jokes_and_sarcasm(doc, clauses)
        if _asks_hypothetically(doc._.asof_prompt):
            # "the role you're interviewing for?" — "senior frontend @ Payhawk": the verbless
            # reply names what is applied for, not what holds
            for clause in clauses:
                if not any(t.pos_ in ("VERB", "AUX") for t in doc[clause.start:clause.end]):
                    clause.hypothetical = True
                    clause.hypos.append(clause.start)
        doc._.asof_clauses = clauses
        return doc
