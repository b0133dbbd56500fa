"""Prompts are versioned files (``prompts/<version>.txt``, package data) loaded by name; this
module fills one in for a message and builds the request with its JSON schema."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any

from asof.extraction.llm.config import LLMConfig
from asof.extraction.readers import Message
from asof.graph.errors import InvalidInputError
from asof.graph.instants import isoformat
from asof.graph.models import AssertionKind
from asof.graph.predicates import LITERAL, Cardinality, PredicateRegistry


def prompt_versions() -> list[str]:
    """The prompt versions this installation ships."""
    folder = files("asof.extraction.llm").joinpath("prompts")
    return sorted(p.name.removesuffix(".txt") for p in folder.iterdir()
                  if p.name.endswith(".txt"))


@cache
def load_prompt(version: str) -> Template:
    """The template of prompt ``version`` (comment lines removed); an unknown version fails
    loudly."""
    if version not in prompt_versions():
        raise InvalidInputError(f"unknown prompt version {version!r}; shipped: "
                                f"{', '.join(prompt_versions())}")
    text = files("asof.extraction.llm").joinpath("prompts", f"{version}.txt").read_text(
        encoding="utf-8")
    return Template("\n".join(line for line in text.splitlines()
                               if not line.startswith("#")).strip())


def describe_predicates(registry: PredicateRegistry) -> str:
    """One line per predicate: its name, description, cardinality and object kind."""
    lines = []
    for p in registry:
        notes = [p.description] if p.description else []
        if p.event:
            notes.append("an event, at the time it happened")
        elif p.cardinality is Cardinality.ONE:
            notes.append("one at a time")
        kinds = [t for t in p.object_types if t != LITERAL]
        notes.append("object: " + (" or ".join(kinds) if kinds else "a value")
                     + (" or a value" if kinds and LITERAL in p.object_types else ""))
        lines.append(f"- {p.name}: {'; '.join(notes)}")
    return "\n".join(lines)


def claims_schema(registry: PredicateRegistry, *, max_claims: int | None) -> dict[str, Any]:
    """The JSON schema of an answer; ``max_claims`` bounds the list for servers that constrain
    generation by grammar (OpenAI's strict mode does not take ``maxItems``). Strings are left
    unbounded: a length bound makes llama.cpp's grammar sampling many times slower."""
    text = {"type": "string"}
    claim = {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": [k.value for k in AssertionKind]},
            "subject": text,
            "predicate": {"type": "string", "enum": registry.names()},
            "object": text,
            "evidence": text,
            "time_phrase": {"type": ["string", "null"]},
        },
        "required": ["kind", "subject", "predicate", "object", "evidence", "time_phrase"],
        "additionalProperties": False,
    }
    claims: dict[str, Any] = {"type": "array", "items": claim}
    if max_claims is not None:
        claims["maxItems"] = max_claims
    return {"type": "object", "properties": {"claims": claims}, "required": ["claims"],
            "additionalProperties": False}


def _line(message: Message) -> str:
    return f"[{message.speaker}, {isoformat(message.at)}] {message.text}"


def build_request(config: LLMConfig, registry: PredicateRegistry, message: Message,
                  context: Sequence[Message]) -> dict[str, Any]:
    """The chat-completions body for one message, with the earlier ``context`` messages."""
    template = load_prompt(config.prompt)
    earlier = ("Earlier messages (context only):\n" + "\n".join(_line(m) for m in context)
               if context else "")
    values = {"speaker": message.speaker, "time": isoformat(message.at),
              "message": message.text, "context": earlier,
              "predicates": describe_predicates(registry)}
    grammar_bounded = config.response_format == "json_object"
    schema = claims_schema(registry, max_claims=config.max_claims if grammar_bounded else None)
    response_format: dict[str, Any] = (
        {"type": "json_object", "schema": schema} if grammar_bounded else
        {"type": "json_schema", "json_schema": {"name": "claims", "strict": True,
                                                "schema": schema}})
    return {
        "model": config.model,
        "messages": [{"role": "user", "content": template.safe_substitute(values)}],
        "response_format": response_format,
        "max_tokens": config.max_tokens,
        "temperature": config.temperature,
    }
