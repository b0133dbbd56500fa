"""Other names for one entity, as a conversation states them: nicknames ("Adaeze (Ada to
everyone)", "Kazimierz — Kazik, we called him", "Shaz here"), short forms in brackets
("University of Lagos (UNILAG)") and renames ("Urenboek is now called Tessel", "X was rebranded
as Y", "Y, formerly X", "we're officially Y"). Each is linked in the conversation state
(:meth:`ConversationState.link`): later mentions of either name mean the same entity, and the
other names are stored with it so that a question may use any of them."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from asof.extraction.assembly.state import ConversationState, Entity
from asof.extraction.lexicons import COMPANY_HEADS, EXEC_TITLES, KINSHIP
from asof.extraction.spans import text_of as _text
from asof.extraction.word_frequency import common_english
from asof.graph.ids import normalize_name

#: Lower-case words allowed inside a name ("Universidad de Chile", "Bank of Ireland").
_PARTICLES = frozenset({"de", "del", "da", "do", "dos", "das", "di", "van", "von", "der", "den",
                        "la", "le", "el", "al", "of", "and", "&", "y", "e", "du", "des", "bin",
                        "dela", "ter", "ten", "by"})
#: Words that are never a name at the start of a name run (sentence openers, pronouns).
_NOT_NAME = frozenset({"i", "we", "he", "she", "they", "it", "you", "the", "a", "an", "my",
                       "our", "his", "her", "their", "its", "this", "that", "and", "but", "so",
                       "also", "ok", "okay", "btw", "yes", "no", "hi", "hey", "hello", "update",
                       "now", "then", "still", "just", "oh", "well", "sorry", "thanks", "noted",
                       "yeah", "lol", "anyway", "plus", "news"})
_TOKEN = r"[^\W\d_][\w'’\-.&]*"
_RUN = rf"{_TOKEN}(?:\s+(?:{_TOKEN}|&)){{0,5}}"
#: what follows a nickname in brackets: "Adaeze (Ada to everyone)", "(Kasia for short)"
_NICK_TAIL = (r"(?:\s+(?:to\s+(?:everyone|everybody|friends|family|us|all)|for\s+short|"
              r"to\s+(?:his|her|their|my|our)\s+(?:friends|family)))?")
#: "A (B)", "A (B to everyone)", "A (B, goes by C)"
_BRACKET_RE = re.compile(
    rf"(?P<a>{_RUN})\s*\(\s*(?P<b>{_RUN}?){_NICK_TAIL}\s*(?P<rest>[,;][^)]*)?\)")
#: "Kazimierz — Kazik, we called him", "Jo, as everyone calls her"
_CALLED_RE = re.compile(
    rf"(?P<a>{_RUN})\s*(?:[—–,]|\s-)\s*(?P<b>{_RUN}),?\s+(?:as\s+)?(?:we|everyone|everybody|"
    r"they|people|friends|the family|the kids)\s+(?:all\s+)?(?:call|calls|called)\s+"
    r"(?:him|her|them|it)\b", re.IGNORECASE)
#: "Katarzyna, whom everyone calls Kasia", "Guadalupe — we call her Lupita"
_CALLS_HIM_RE = re.compile(
    rf"(?P<a>{_RUN})\s*(?:[—–,(]|\s-)\s*(?:who(?:m)?\s+|but\s+)?(?:we|everyone|everybody|they|"
    r"people|friends)\s+(?:all\s+)?(?:call|calls|called)\s+(?:him|her|them)\s+"
    rf"(?P<b>{_RUN})", re.IGNORECASE)
#: "Daniel Osei, aka Dan", "Chidinma (who goes by Chi)", "Katarzyna, Kasia for short"
_AKA_RE = re.compile(
    rf"(?P<a>{_RUN})\b\s*(?:,|\(|—|–)?\s*\b(?:aka|a\.k\.a\.?|also known as|better known as|"
    rf"(?:who\s+)?goes by|(?:who\s+)?went by)\s+(?P<b>{_RUN})", re.IGNORECASE)
#: "(Appa = Suresh Menon, so you know)", "Oma = Greta Lind, turning 80": a
#: one-word name (often what the family says) glossed by a full name
_EQUALS_RE = re.compile(rf"(?:^|(?<=[(\n:;,.!?]))\s*(?P<a>{_TOKEN})\s*=\s*(?P<b>{_RUN})")
#: "her name's Rosa btw": the name of the relative talked about as "mom"
_HER_NAME_RE = re.compile(rf"\b(?P<pron>her|his)\s+name(?:'s|’s|\s+is)\s+(?P<name>{_TOKEN})",
                          re.IGNORECASE)
_SHORT_RE = re.compile(rf"(?P<a>{_RUN}),\s+(?P<b>{_TOKEN})\s+for\s+short\b", re.IGNORECASE)
#: "Shaz here from …", "hi, it's Ola here"
_SELF_RE = re.compile(
    rf"^\W*(?:(?:hi|hey|hello|hiya|g'day|good\s+\w+|ok|okay|yo|hola|oi|morning)\W+)?"
    rf"(?:it'?s\s+|this\s+is\s+)?(?P<name>{_TOKEN})\s+here\b", re.IGNORECASE)
_CALL_ME_RE = re.compile(rf"\b(?:please\s+)?call\s+me\s+(?P<name>{_TOKEN})\b", re.IGNORECASE)
#: the assistant addressing the user: "Congrats, Josh!", "¡Enhorabuena, Javi!"
_VOCATIVE_RE = re.compile(rf"^\W*(?:[^\W\d_][\w'’]*\s*){{1,3}},\s+(?P<name>{_TOKEN})\s*[!.?]")
#: renames. X before the cue, Y after it.
_RENAME_CUES = (
    r"(?:is|'s|was|has\s+been|had\s+been|got|just\s+got|were|are)\s+(?:now\s+|officially\s+)?"
    r"(?:bought\s+and\s+|acquired\s+and\s+)?(?:called|named|renamed|rebranded|re-?named|"
    r"known\s+as)(?:\s+(?:to|as|into))?",
    r"(?:renamed|rebranded|re-?named)(?:\s+(?:itself|themselves))?\s+(?:to|as|into)",
    r"(?:is|'s|are)\s+now",
    r"ahora\s+se\s+llama", r"se\s+llama\s+ahora", r"heißt\s+(?:jetzt|nun)", r"heisst\s+jetzt",
    r"s'appelle\s+(?:maintenant|désormais)", r"agora\s+se\s+chama", r"chama-se\s+agora",
)
_RENAME_RE = re.compile(rf"(?P<x>{_RUN})\s+(?:{'|'.join(_RENAME_CUES)})\s+"
                        rf"(?P<y>['‘\"“]?{_RUN})", re.IGNORECASE)
#: "X is Y now" (X a known organisation or product)
_NOW_AFTER_RE = re.compile(rf"(?P<x>{_RUN})\s+(?:is|'s|are)\s+(?P<y>{_RUN})\s+now\b",
                           re.IGNORECASE)
#: "Y, formerly X", "Y (formerly known as X)", "Y (ex-X)"
_FORMERLY_RE = re.compile(
    rf"(?P<y>{_RUN})\s*(?:,|\(|—|–)\s*(?:formerly|previously|once|ex-|née|nee)\s*"
    rf"(?:known\s+as\s+|called\s+)?(?P<x>['‘\"“]?{_RUN})", re.IGNORECASE)
#: "it's called Ledgerly now", "it's 'northcove studios' now": X is named before
_ITS_NOW_RE = re.compile(
    rf"\b(?:it|they)(?:'s|’s|\s+is|\s+are|'re)\s+(?:now\s+|officially\s+)?(?:called\s+|named\s+)?"
    rf"(?P<y>['‘\"“]?{_RUN})(?:['’\"”])?\s+now\b|\b(?:it|they)(?:'s|’s|\s+is|\s+are|'re)\s+now\s+"
    rf"(?:called\s+|named\s+)?(?P<y2>['‘\"“]?{_RUN})", re.IGNORECASE)
#: "the firm is now Okafor & Lee LLP", "we're officially Brightwick": the speaker's organisation
_OUR_ORG_NOW_RE = re.compile(
    rf"\b(?:(?:the|our)\s+(?:firm|company|business|startup|studio|agency|practice|shop|brand)"
    rf"(?:\s+is|'s|’s)|we(?:'re|’re|\s+are))\s+(?:now|officially|now\s+officially|officially\s+now)\s+"
    rf"(?:called\s+|named\s+)?(?P<y>['‘\"“]?{_RUN})", re.IGNORECASE)
_QUOTES = "'‘’\"“”"
#: Words one of which every rename pattern needs: a cheap test before trying them.
_RENAME_WORDS = ("now", "call", "name", "brand", "formerly", "previously", "once", "ex-",
                 "née", "nee", "officially", "llama", "heißt", "heisst", "appelle", "chama")
_AUXILIARIES = frozenset({"was", "is", "has", "have", "had", "been", "got", "just", "were",
                          "are", "'s", "finally", "officially", "recently"})
#: words that make "X is now Y" a plan, tier or role, not a new name
_NOT_NEW = frozenset({"plan", "tier", "edition", "license", "licence", "customer", "client",
                      "partner", "member", "vendor", "supplier", "subscription", "account",
                      "user", "users", "team", "version"})
_ORGISH = ("organization", "product", "group", "concept", "unknown")


def _abbreviates(short: str, name: str) -> bool:
    """"UNILAG" for University of Lagos, "TWL" for Trans-Wisła Logistyka: the short form's
    letters, in order, from the name's, starting with its first letter."""
    letters = [c for c in normalize_name(name) if c.isalnum()]
    wanted = [c for c in short.lower() if c.isalnum()]
    if not wanted or not letters or wanted[0] != letters[0]:
        return False
    at = 0
    for c in wanted:
        while at < len(letters) and letters[at] != c:
            at += 1
        if at == len(letters):
            return False
        at += 1
    return True


def _words(run: str) -> list[str]:
    return run.split()


def _is_cap(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit())


def _tail_name(run: str) -> str:
    """The capitalised name that ends ``run`` ("so I switched to Kobo Foods" → "Kobo
    Foods")."""
    words = _words(run)
    out: list[str] = []
    for word in reversed(words):
        if _is_cap(word):
            out.insert(0, word)
        elif word.lower() in _PARTICLES and out:
            out.insert(0, word)
        else:
            break
    while out and out[0].lower() in _PARTICLES:
        out.pop(0)
    if out and out[0].lower() in _NOT_NAME:
        out.pop(0)
    return " ".join(out)


def _head_name(run: str) -> str:
    """The capitalised name that starts ``run``."""
    words = _words(run)
    out: list[str] = []
    for word in words:
        if _is_cap(word):
            out.append(word)
        elif word.lower() in _PARTICLES and out:
            out.append(word)
        else:
            break
    while out and out[-1].lower() in _PARTICLES:
        out.pop()
    return " ".join(out)


def _quoted(run: str) -> str | None:
    """'wildatlantic interactive' → wildatlantic interactive (a quoted name, any case)."""
    if run[:1] in _QUOTES:
        inner = re.split(rf"[{_QUOTES}]", run[1:], maxsplit=1)[0]
        return inner.strip() or None
    return None


class AliasReaders:
    """Reads the sentences that give an entity another name (see the module docstring)."""

    state: ConversationState

    # ------------------------------------------------------------------ helpers

    def _known_suffix(self, run: str) -> tuple[str, Entity] | None:
        """The longest tail of ``run`` that names a known entity, in any case ("corrib" for
        Corrib Games, "HelpNest")."""
        state = self.state
        words = _words(run)
        while words and words[-1].lower() in _AUXILIARIES:
            words.pop()  # "Quillmoor was | rebranded as …"
        for n in range(min(len(words), 6), 0, -1):
            phrase = " ".join(words[-n:]).strip(_QUOTES + ",.;:!?")
            key = normalize_name(phrase)
            if not key or key in _NOT_NAME:
                continue
            entity = state.entity(phrase) or state.alias_of(phrase, "organization")
            if entity is not None:
                return phrase, entity
        return None

    def _known_prefix(self, run: str) -> tuple[str, Entity] | None:
        state = self.state
        words = _words(run)
        for n in range(min(len(words), 6), 0, -1):
            phrase = " ".join(words[:n]).strip(_QUOTES + ",.;:!?")
            key = normalize_name(phrase)
            if not key or key in _NOT_NAME:
                continue
            entity = state.entity(phrase)
            if entity is not None:
                return phrase, entity
        return None

    def _new_name(self, run: str) -> str | None:
        quoted = _quoted(run)
        if quoted:
            return quoted
        name = _head_name(run.strip(_QUOTES))
        if not name or normalize_name(name) in _NOT_NAME:
            return None
        return name

    # ------------------------------------------------------------------ readers

    def _learn_aliases(self, doc: Doc, speaker: str, index: int, role: str,
                       addressee: str | None = None) -> None:
        text = _text(doc)
        if role != "user":
            self._vocative(text, addressee)
            return
        self._nicknames(doc, text)
        self._self_names(text, speaker)
        self._renames(text, speaker)

    def _link_people(self, a: str, b: str) -> None:
        """Two names of one person; the longer (more words) is the name unless one is
        already known."""
        a, b = a.strip(), b.strip()
        if not a or not b:
            return
        if len(b.split()) > len(a.split()):
            a, b = b, a
        self.state.link(b, a, "person")

    def _person_like(self, doc: Doc, name: str) -> bool:
        state = self.state
        known = state.entity(name)
        if known is not None:
            return known.type == "person"
        low = normalize_name(name)
        return any(normalize_name(ent.text) == low and ent.label_ == "PERSON" for ent in doc.ents)

    def _nicknames(self, doc: Doc, text: str) -> None:
        state = self.state
        low = text.lower()
        for match in _BRACKET_RE.finditer(text) if "(" in text else ():
            a = _tail_name(match.group("a"))
            b = _head_name(match.group("b"))
            if a and len(a.split()) > 1:
                # "Added Haejin Shipping (Busan)": a verb that opens the sentence is no name
                at = match.start("a") + match.group("a").rfind(a)
                first = next((t for t in doc if t.idx == at), None)
                if first is not None and first.pos_ in ("VERB", "AUX"):
                    a = " ".join(a.split()[1:])
            if not a or not b or normalize_name(a) == normalize_name(b):
                continue
            if len(b.split()) != len(_words(match.group("b"))):
                continue  # "(Gdańsk office)": not a bare name
            tail = text[match.end("b"):match.end()]
            nick_tail = bool(re.match(r"\s+(?:to|for)\b", tail))
            ka, kb = state.entity(a), state.entity(b)
            types = {e.type for e in (ka, kb) if e is not None}
            if nick_tail and not types & {"organization", "product"}:
                self._link_people(a, b)  # "Adaeze (Ada to everyone)": whatever the NER says
                continue
            if types & {"location", "event"} or any(
                    ent.label_ in ("GPE", "LOC", "DATE", "TIME", "CARDINAL", "MONEY", "LANGUAGE",
                                   "NORP")
                    and normalize_name(ent.text) in (normalize_name(a), normalize_name(b))
                    for ent in doc.ents):
                continue
            if "person" in types - {"unknown"} or self._person_like(doc, a) or \
                    self._person_like(doc, b):
                rest = match.group("rest") or ""
                goes = re.match(rf"[,;]\s*(?:who\s+)?goes\s+by\s+(?P<c>{_RUN})", rest)
                if types - {"person", "unknown", "concept"} or (rest and not goes) or \
                        min(len(a.split()), len(b.split())) > 1 or \
                        self._org_like(doc, a) or self._org_like(doc, b):
                    continue
                self._link_people(a, b)
                if goes and _head_name(goes.group("c")):
                    c = _head_name(goes.group("c"))
                    state.link(c, self._canon_person(a, b), "person")
                continue
            # an organisation and its short form: "University of Lagos (UNILAG)"
            if re.fullmatch(r"[A-Z][A-Z0-9&.\-]{1,7}", b) and len(a.split()) >= 2 and \
                    not (types & {"person"}) and not match.group("rest") and \
                    _abbreviates(b, a) and b.lower() not in EXEC_TITLES:
                type_ = next(iter(types & set(_ORGISH)), "organization")
                state.link(b, a, type_)
        for match in _EQUALS_RE.finditer(text) if "=" in text else ():
            a, b = match.group("a"), _head_name(match.group("b"))
            if a[:1].isupper() and len(b.split()) >= 2 and not self._org_like(doc, b) and \
                    normalize_name(a) not in _NOT_NAME and (
                        self._person_like(doc, b) or self._person_like(doc, a)):
                known = state.entity(a)
                if known is None or known.type in ("person", "unknown", "concept"):
                    state.link(a, b, "person")
        for match in _HER_NAME_RE.finditer(text) if "name" in low else ():
            name = match.group("name")
            gender = "she" if match.group("pron").lower() == "her" else "he"
            # the relative most recently talked about by a kinship word ("mom")
            target = next((n for n in reversed(state.recent[-5:])
                           if normalize_name(n) in KINSHIP and
                           KINSHIP[normalize_name(n)] in (None, gender)), None)
            if not name[:1].isupper() or target is None:
                continue
            state.link(name, target, "person")
        for regex, cues in ((_CALLED_RE, ("call",)), (_CALLS_HIM_RE, ("call",)),
                            (_AKA_RE, ("aka", "a.k.a", "known as", "goes by", "went by")),
                            (_SHORT_RE, ("for short",))):
            if not any(cue in low for cue in cues):
                continue  # (the patterns are slow to try on every message)
            for match in regex.finditer(text):
                a = _tail_name(match.group("a"))
                b = _head_name(match.group("b"))
                if a and b and normalize_name(a) != normalize_name(b):
                    ka = state.entity(a)
                    if ka is not None and ka.type != "person":
                        continue
                    self._link_people(a, b)

    def _org_like(self, doc: Doc, name: str) -> bool:
        """An organisation or a place by the NER or by its last word ("Haejin Shipping")."""
        low = normalize_name(name)
        words = low.split()
        if words and (words[-1] in COMPANY_HEADS or len(words) > 1 and common_english(words[-1])):
            return True  # "Haejin Shipping", "Kestrel Dairy"
        return any(normalize_name(ent.text) == low and ent.label_ in ("ORG", "GPE", "LOC", "FAC")
                   for ent in doc.ents)

    def _canon_person(self, a: str, b: str) -> str:
        entity = self.state.entity(a) or self.state.entity(b)
        return entity.name if entity is not None else a

    def _self_names(self, text: str, speaker: str) -> None:
        """"Shaz here from Riverina" said by Sharon Mitchell: Shaz is the speaker."""
        state = self.state
        first = normalize_name(speaker).split()[:1]
        for regex, flags in ((_SELF_RE, 0), (_CALL_ME_RE, 0)):
            del flags
            match = regex.search(text)
            if match is None:
                continue
            name = match.group("name")
            key = normalize_name(name)
            if not name[:1].isupper() or not key or key in _NOT_NAME or [key] == first:
                continue
            known = state.entity(name)
            if known is not None and normalize_name(known.name) != normalize_name(speaker):
                continue
            if any(normalize_name(s).split()[:1] == [key] for s in state.speaker_names):
                continue  # another speaker's first name
            state.link(name, speaker, "person")

    def _vocative(self, text: str, addressee: str | None) -> None:
        """"Congrats, Josh!" from the assistant to Joshua dela Cruz: a short name of the
        user it answers (sharing the first letters of the user's first name)."""
        if not addressee:
            return
        state = self.state
        match = _VOCATIVE_RE.search(text)
        if match is None:
            return
        name = match.group("name")
        key = normalize_name(name)
        first = normalize_name(addressee).split()[:1]
        if not name[:1].isupper() or not key or not first or [key] == first or \
                key in _NOT_NAME or len(key) < 2:
            return
        if key[:2] != first[0][:2] or len(key) >= len(first[0]):
            return
        known = state.entity(name)
        if known is not None and normalize_name(known.name) != normalize_name(addressee):
            return
        state.link(name, addressee, "person")

    def _renames(self, text: str, speaker: str) -> None:
        state = self.state
        low = text.lower()
        if not any(cue in low for cue in _RENAME_WORDS):
            return  # (the patterns are slow to try on every message)
        for sentence in re.split(r"(?<=[.!?])\s+|\n+|\s+[—–]\s+(?=\w)", text):
            for regex in (_RENAME_RE, _NOW_AFTER_RE):
                for match in regex.finditer(sentence):
                    self._rename(match.group("x"), match.group("y"),
                                 strict=regex is _NOW_AFTER_RE or
                                 re.search(r"(?:is|'s|are)\s+now\s*$",
                                           sentence[match.end("x"):match.start("y")]) is not None)
            for match in _FORMERLY_RE.finditer(sentence):
                self._rename(match.group("x"), match.group("y"), strict=False, reverse=True)
            for match in _OUR_ORG_NOW_RE.finditer(sentence):
                org = state.conversation_org(speaker) or self._own_org(speaker)
                new = self._new_name(match.group("y"))
                if org and new and normalize_name(org) != normalize_name(new):
                    entity = state.entity(org)
                    state.link(new, org, entity.type if entity else "organization")
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            for match in _ITS_NOW_RE.finditer(sentence):
                y = match.group("y") or match.group("y2")
                new = self._new_name(y) if y else None
                if not new:
                    continue
                before = sentence[:match.start()]
                found = self._last_known_org(before)
                if found is not None and normalize_name(found) != normalize_name(new) and \
                        normalize_name(new) not in _NOT_NAME:
                    entity = state.entity(found)
                    if entity is not None:
                        state.link(new, found, entity.type)

    def _own_org(self, speaker: str) -> str | None:
        """The organisation the speaker last named as theirs by any fact ("Jonas and I run
        Kistenkram" read as a tool or an owned business)."""
        state = self.state
        for record in reversed(state.records):
            if record.subject == speaker and record.predicate in ("works_at", "owns", "uses") \
                    and not record.literal:
                entity = state.entity(record.obj)
                # (the object of "uses" or "works_at" is no person, whatever the NER said)
                if entity is not None and entity.type not in ("location", "event"):
                    return entity.name
        return None

    def _last_known_org(self, before: str) -> str | None:
        """The last organisation or product named in ``before``."""
        words = _words(before)
        for end in range(len(words), 0, -1):
            hit = self._known_suffix(" ".join(words[:end]))
            if hit is not None and hit[1].type in _ORGISH[:3]:
                return hit[1].name
        return None

    def _rename(self, x_run: str, y_run: str, *, strict: bool, reverse: bool = False) -> None:
        """X (the old name, known) is now called Y. ``strict``: the cue alone ("is now") says
        nothing of a name, so X must be a known organisation or product and Y a name."""
        state = self.state
        if reverse:
            hit = self._known_prefix(x_run.strip(_QUOTES)) if _quoted(x_run) is None else None
            old = _quoted(x_run) or (hit[0] if hit else _head_name(x_run))
            renamed = _tail_name(y_run)
            if not old or not renamed:
                return
            known = state.entity(old) or state.entity(renamed)
            if known is None or known.type not in _ORGISH:
                return
            state.link(old, renamed, known.type)
            return
        hit = self._known_suffix(x_run)
        if hit is None:
            return
        old, entity = hit
        if entity.type not in _ORGISH and (strict or entity.type in ("location", "event")):
            return
        new = self._new_name(y_run)
        if not new or normalize_name(new) == normalize_name(old):
            return
        if strict and (_quoted(y_run) is None and not new[:1].isupper()):
            return
        after = y_run[len(new):].strip(_QUOTES).split()[:1] if _quoted(y_run) is None else []
        if normalize_name(new).split()[-1] in _NOT_NEW or (
                after and after[0].lower() in _NOT_NEW):
            return  # "Acme is now Enterprise plan", "Kobo is now a customer"
        other = state.entity(new)
        if other is not None and other is not entity and other.type in ("person", "location"):
            return
        state.link(new, entity.name, entity.type)
