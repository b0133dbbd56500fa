"""One chat-completions call over HTTP (httpx), with timeouts and retries (tenacity)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from tenacity import (
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from asof.extraction.llm.cache import CachedResponse
from asof.extraction.llm.config import LLMConfig
from asof.graph.errors import ExtractorUnavailableError

log = logging.getLogger(__name__)

#: statuses worth another attempt: rate limits and server-side failures
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code in _RETRY_STATUSES
    return isinstance(exc, httpx.TransportError)


class ChatClient:
    """Posts to ``<base_url>/chat/completions``. A network error, a timeout, a 429 or a 5xx is
    retried ``config.retries`` times with exponential back-off; then, or on any other HTTP
    error, :class:`ExtractorUnavailableError` says which server failed and how."""

    def __init__(self, config: LLMConfig, *, http: httpx.Client | None = None) -> None:
        self.config = config
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        self._http = http or httpx.Client(timeout=httpx.Timeout(config.timeout),
                                          headers=headers)
        self.url = config.base_url.rstrip("/") + "/chat/completions"

    def close(self) -> None:
        self._http.close()

    def complete(self, request: dict[str, Any]) -> CachedResponse:
        post = retry(
            retry=retry_if_exception(_retryable),
            stop=stop_after_attempt(self.config.retries + 1),
            wait=wait_exponential(multiplier=self.config.backoff, max=8),
            reraise=True,
        )(self._post)
        try:
            data = post(request)
        except httpx.HTTPStatusError as exc:
            raise ExtractorUnavailableError(
                f"the model server at {self.url} answered {exc.response.status_code}: "
                f"{exc.response.text[:300]!r}; nothing was stored") from exc
        except httpx.HTTPError as exc:
            raise ExtractorUnavailableError(
                f"the model server at {self.url} did not answer "
                f"({type(exc).__name__}: {exc}) after {self.config.retries + 1} attempt(s) "
                f"of at most {self.config.timeout:g} s; check ASOF_LLM_BASE_URL and that the "
                "server runs; nothing was stored") from exc
        return _parse_completion(data, self.url)

    def _post(self, request: dict[str, Any]) -> Any:
        response = self._http.post(self.url, json=request)
        response.raise_for_status()
        try:
            return response.json()
        except ValueError as exc:
            raise ExtractorUnavailableError(
                f"the model server at {self.url} answered with something that is not JSON: "
                f"{response.text[:200]!r}") from exc


def _parse_completion(data: Any, url: str) -> CachedResponse:
    """The first choice's text, why it stopped, and the token counts."""
    try:
        choice = data["choices"][0]
        content = choice["message"].get("content") or ""
        finish = choice.get("finish_reason")
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ExtractorUnavailableError(
            f"the model server at {url} answered without a chat completion "
            f"(no choices[0].message): {str(data)[:200]!r}") from exc
    usage = data.get("usage") or {}
    return CachedResponse(content=str(content), finish_reason=finish,
                          prompt_tokens=int(usage.get("prompt_tokens") or 0),
                          completion_tokens=int(usage.get("completion_tokens") or 0))
