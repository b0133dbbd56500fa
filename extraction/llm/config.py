"""How to reach the model: one frozen value, built by the CLI or the app factory from settings
(the library reads no environment)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from platformdirs import user_cache_dir

from asof.graph.errors import InvalidInputError

#: ``json_schema`` is the OpenAI form (OpenAI, vLLM, Ollama); ``json_object`` with a
#: ``schema`` is the form llama-cpp-python's server understands.
ResponseFormat = Literal["json_schema", "json_object"]
ExtractorName = Literal["rules", "llm", "hybrid"]
EXTRACTORS: tuple[ExtractorName, ...] = ("rules", "llm", "hybrid")


def default_cache_dir() -> Path:
    """Responses are cached in the user's cache directory unless configured otherwise."""
    return Path(user_cache_dir("asof")) / "llm"


@dataclass(frozen=True, slots=True)
class LLMConfig:
    """An OpenAI-compatible chat-completions endpoint and how asof talks to it.

    Args:
        base_url: the API root, e.g. ``http://localhost:11434/v1`` (``/chat/completions`` is
            appended).
        model: the model name the server expects; also part of every claim's ``extractor``.
        api_key: sent as a bearer token when given.
        prompt: the prompt file (``extraction/llm/prompts/<prompt>.txt``), its version.
        context_messages: how many earlier messages of the conversation the model sees.
        max_tokens: the cap on each answer; a longer answer is cut by the server and rejected
            as truncated.
        timeout: seconds per HTTP attempt; ``retries`` more attempts follow a network error,
            a 429 or a 5xx, with exponential back-off.
        cache_dir: where responses are kept, keyed by (model, prompt version, request hash);
            ``None`` turns the cache off.
        max_response_chars: a larger answer is rejected as oversized before it is parsed.
        max_claims: an answer proposing more claims is rejected as oversized.
    """

    base_url: str
    model: str
    api_key: str | None = None
    prompt: str = "claims-v1"
    response_format: ResponseFormat = "json_schema"
    context_messages: int = 4
    max_tokens: int = 512
    temperature: float = 0.0
    timeout: float = 60.0
    retries: int = 2
    backoff: float = 0.5  #: seconds before the first retry, doubling (at most 8)
    cache_dir: Path | None = None
    max_response_chars: int = 16_000
    max_claims: int = 12

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise InvalidInputError(
                f"LLM base URL {self.base_url!r}: give an http(s) URL such as "
                "http://localhost:11434/v1 (ASOF_LLM_BASE_URL)")
        if not self.model.strip():
            raise InvalidInputError("LLM model: give the model name the server expects "
                                    "(ASOF_LLM_MODEL)")
        for name in ("context_messages", "retries", "backoff"):
            if getattr(self, name) < 0:
                raise InvalidInputError(f"LLM {name}: must be 0 or more")
        for name in ("max_tokens", "timeout", "max_response_chars", "max_claims"):
            if getattr(self, name) <= 0:
                raise InvalidInputError(f"LLM {name}: must be positive")

    @property
    def extractor(self) -> str:
        """What every claim of this configuration records as its ``extractor``."""
        return f"llm:{self.model}:{self.prompt}"
