"""Conversation → episodes → spaCy → mentions → entities → facts with intervals.

Produces domain models only (``graph.models``); never touches a database.
"""

from __future__ import annotations

from asof.extraction.pipeline import Pipeline, build_nlp, load_model
from asof.extraction.readers import (
    Conversation,
    InputFileError,
    Message,
    read_conversations,
    read_gold,
    read_jsonl,
    read_locomo,
    read_openai_chat,
    read_transcript,
)

__all__ = [
    "Conversation", "InputFileError", "Message", "Pipeline", "build_nlp", "load_model",
    "read_conversations", "read_gold", "read_jsonl", "read_locomo", "read_openai_chat",
    "read_transcript",
]
