"""The ``llm`` and ``hybrid`` extractors: the same interface as the rules' ``Pipeline``
(``extract(conversation)`` → one ``(Episode, [FactAssertion])`` pair per message)."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from asof.extraction.llm.cache import CachedResponse, ResponseCache, cache_key
from asof.extraction.llm.client import ChatClient
from asof.extraction.llm.config import LLMConfig
from asof.extraction.llm.grounding import Drop, Rejection, ground, parse_answer
from asof.extraction.llm.prompting import build_request
from asof.extraction.readers import Conversation
from asof.graph.models import Episode, FactAssertion, Role
from asof.graph.predicates import PredicateRegistry, default_registry

if TYPE_CHECKING:
    from asof.extraction.pipeline import Pipeline

log = logging.getLogger(__name__)


@dataclass(slots=True)
class LLMStats:
    """What the model was asked and what came of it (reported next to ingest and eval
    results)."""

    messages: int = 0  #: user messages that needed the model (answered or from the cache)
    calls: int = 0  #: HTTP requests that got an answer
    cache_hits: int = 0
    calls_saved: int = 0  #: hybrid: user messages the rules covered, never sent
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0  #: time spent waiting for the server
    proposed: int = 0  #: claims the model proposed
    kept: int = 0  #: claims that passed grounding
    dropped: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)

    @property
    def grounding_drop_rate(self) -> float:
        return sum(self.dropped.values()) / self.proposed if self.proposed else 0.0

    @property
    def seconds_per_call(self) -> float:
        return self.seconds / self.calls if self.calls else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"messages": self.messages, "calls": self.calls,
                "cache_hits": self.cache_hits, "calls_saved": self.calls_saved,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "seconds": round(self.seconds, 3),
                "seconds_per_call": round(self.seconds_per_call, 3),
                "claims_proposed": self.proposed, "claims_kept": self.kept,
                "grounding_drop_rate": round(self.grounding_drop_rate, 3),
                "dropped": dict(sorted(self.dropped.items())),
                "answers_rejected": dict(sorted(self.rejected.items()))}

    def summary(self) -> str:
        return (f"llm: {self.messages} messages, {self.calls} calls, {self.cache_hits} cache "
                f"hits, {self.calls_saved} saved by the rules, "
                f"{self.prompt_tokens + self.completion_tokens} tokens, "
                f"{self.seconds_per_call:.2f} s/call, {self.kept}/{self.proposed} claims "
                f"grounded (drop rate {self.grounding_drop_rate:.2f}), "
                f"{sum(self.rejected.values())} answers rejected")


class LLMExtractor:
    """Claims proposed by a model behind an OpenAI-compatible endpoint, grounded by asof.

    One request per user message, with the previous ``config.context_messages`` messages as
    context; answers are cached on disk (``config.cache_dir``)."""

    def __init__(self, config: LLMConfig, tenant: str = "default", *,
                 registry: PredicateRegistry | None = None,
                 client: ChatClient | None = None, stats: LLMStats | None = None) -> None:
        self.config = config
        self.tenant = tenant
        self.registry = registry or default_registry()
        self.extractor = config.extractor
        self._client = client
        self.cache = ResponseCache(config.cache_dir) if config.cache_dir else None
        self.stats = stats or LLMStats()

    @property
    def client(self) -> ChatClient:
        if self._client is None:
            self._client = ChatClient(self.config)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def extract(self, conversation: Conversation) -> list[tuple[Episode, list[FactAssertion]]]:
        episodes = conversation.episodes(self.tenant)
        return [(episode, self.message_claims(conversation, index)
                 if conversation.messages[index].role is Role.USER else [])
                for index, episode in enumerate(episodes)]

    def extract_each(self, conversations: Iterable[Conversation]
                     ) -> Iterator[list[tuple[Episode, list[FactAssertion]]]]:
        """:meth:`extract` of each conversation in turn."""
        return (self.extract(conversation) for conversation in conversations)

    def message_claims(self, conversation: Conversation, index: int) -> list[FactAssertion]:
        """The grounded claims of message ``index`` (a user message)."""
        messages = conversation.messages
        message = messages[index]
        context = messages[max(0, index - self.config.context_messages):index]
        request = build_request(self.config, self.registry, message, context)
        response = self._answer(request)
        self.stats.messages += 1
        parsed = parse_answer(response, max_chars=self.config.max_response_chars,
                              max_claims=self.config.max_claims)
        if isinstance(parsed, Rejection):
            self.stats.rejected[parsed.value] += 1
            log.info("model answer for message %d rejected: %s", index, parsed.value)
            return []
        out: list[FactAssertion] = []
        for proposed in parsed:
            self.stats.proposed += 1
            grounded = proposed if isinstance(proposed, Drop) else ground(
                proposed, message, context, self.registry, self.extractor)
            if isinstance(grounded, Drop):
                self.stats.dropped[grounded.value] += 1
                continue
            self.stats.kept += 1
            out.append(grounded)
        return out

    def _answer(self, request: dict[str, Any]) -> CachedResponse:
        key = cache_key(self.config.model, self.config.prompt, request)
        if self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                self.stats.cache_hits += 1
                return cached
        started = time.perf_counter()
        response = self.client.complete(request)
        self.stats.seconds += time.perf_counter() - started
        self.stats.calls += 1
        self.stats.prompt_tokens += response.prompt_tokens
        self.stats.completion_tokens += response.completion_tokens
        if self.cache is not None:
            self.cache.put(key, response)
        return response


class HybridExtractor:
    """The rules first; the model only for user messages where the rules found entities but
    no fact, or only facts below ``min_confidence``. When the model grounds claims for such a
    message they replace the rules' for it; otherwise the rules' stand."""

    def __init__(self, rules: Pipeline, llm: LLMExtractor, *,
                 min_confidence: float = 0.65) -> None:
        self.rules = rules
        self.llm = llm
        self.min_confidence = min_confidence
        self.tenant = rules.tenant
        self.extractor = f"hybrid({rules.extractor}+{llm.extractor})"

    @property
    def stats(self) -> LLMStats:
        return self.llm.stats

    def close(self) -> None:
        self.llm.close()

    def needs_model(self, mentions: int, assertions: Sequence[FactAssertion]) -> bool:
        if mentions == 0:
            return False
        return not assertions or max(a.confidence for a in assertions) < self.min_confidence

    def extract(self, conversation: Conversation) -> list[tuple[Episode, list[FactAssertion]]]:
        return self._consult(conversation, self.rules.extract(conversation))

    def extract_each(self, conversations: Iterable[Conversation]
                     ) -> Iterator[list[tuple[Episode, list[FactAssertion]]]]:
        """:meth:`extract` of each conversation in turn, the rules' parse running ahead
        across them (:meth:`Pipeline.extract_each`)."""
        conversations = list(conversations)
        for conversation, extracted in zip(conversations,
                                           self.rules.extract_each(conversations), strict=True):
            yield self._consult(conversation, extracted)

    def _consult(self, conversation: Conversation,
                 extracted: list[tuple[Episode, list[FactAssertion]]]
                 ) -> list[tuple[Episode, list[FactAssertion]]]:
        """The rules' results of ``conversation`` (just extracted: ``mentions_found`` is
        theirs), with the model's claims where :meth:`needs_model`."""
        mentions = self.rules.mentions_found
        out = []
        for index, (episode, assertions) in enumerate(extracted):
            if conversation.messages[index].role is not Role.USER:
                out.append((episode, assertions))
                continue
            if not self.needs_model(mentions[index], assertions):
                self.llm.stats.calls_saved += 1
                out.append((episode, assertions))
                continue
            claims = self.llm.message_claims(conversation, index)
            out.append((episode, claims or assertions))
        return out
