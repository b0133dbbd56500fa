"""Extraction by a language model behind an OpenAI-compatible endpoint, on a short leash:
the model proposes claims with quotes and raw time phrases; asof checks the quotes against the
message, resolves the times itself and leaves what ends to the write rules.

``LLMExtractor`` (``extractor="llm"``) asks the model about every user message;
``HybridExtractor`` (``extractor="hybrid"``) only about those the rules could not read.
"""

from __future__ import annotations

from asof.extraction.llm.cache import ResponseCache
from asof.extraction.llm.config import (
    EXTRACTORS,
    ExtractorName,
    LLMConfig,
    default_cache_dir,
)
from asof.extraction.llm.extractor import HybridExtractor, LLMExtractor, LLMStats
from asof.extraction.llm.grounding import Drop, Rejection

__all__ = ["EXTRACTORS", "Drop", "ExtractorName", "HybridExtractor", "LLMConfig",
           "LLMExtractor", "LLMStats", "Rejection", "ResponseCache", "default_cache_dir"]
