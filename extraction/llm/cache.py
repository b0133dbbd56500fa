"""Responses on disk, keyed by (model, prompt version, hash of the request): re-ingesting
or re-evaluating the same messages with the same model and prompt costs nothing and gives the
same claims."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class CachedResponse:
    content: str
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int

    def as_json(self) -> dict[str, Any]:
        return {"content": self.content, "finish_reason": self.finish_reason,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens}


def cache_key(model: str, prompt_version: str, request: object) -> str:
    """The request (its messages and schema) is hashed whole, so a change of context,
    registry or settings that reaches the model is a different key."""
    body = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(body.encode()).hexdigest()
    return hashlib.sha256(f"{model}\n{prompt_version}\n{digest}".encode()).hexdigest()


class ResponseCache:
    """One JSON file per response under ``root`` (two-level fan-out). Writes are atomic
    (a temporary file renamed), so a crash never leaves a half-written entry; an unreadable
    entry counts as a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedResponse | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return CachedResponse(content=str(data["content"]),
                                  finish_reason=data.get("finish_reason"),
                                  prompt_tokens=int(data.get("prompt_tokens", 0)),
                                  completion_tokens=int(data.get("completion_tokens", 0)))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, response: CachedResponse) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(response.as_json(), out, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
