"""What the llm/hybrid extractors cost over an evaluation: the per-ingest counts of
``IngestReport.llm`` added up, with the latency per message and the grounding-drop rate."""

from __future__ import annotations

from collections import Counter
from typing import Any

_SUMMED = ("messages", "calls", "cache_hits", "calls_saved", "prompt_tokens",
           "completion_tokens", "seconds", "claims_proposed", "claims_kept")


def add_usage(total: dict[str, Any] | None, part: dict[str, Any] | None) -> dict[str, Any] | None:
    """``total`` plus one ingest's ``report.llm`` (None when the rules alone ran)."""
    if part is None:
        return total
    out: dict[str, Any] = dict(total) if total else {
        **{name: 0 for name in _SUMMED}, "dropped": {}, "answers_rejected": {}}
    for name in _SUMMED:
        out[name] = out[name] + part[name]
    for name in ("dropped", "answers_rejected"):
        out[name] = dict(Counter(out[name]) + Counter(part[name]))
    return out


def finish_usage(total: dict[str, Any] | None) -> dict[str, Any] | None:
    """The totals with the derived figures: seconds per message the model was asked about,
    per call, and the share of proposed claims grounding dropped."""
    if total is None:
        return None
    asked = total["messages"]
    return {**total, "seconds": round(total["seconds"], 2),
            "seconds_per_message": round(total["seconds"] / asked, 3) if asked else 0.0,
            "seconds_per_call": round(total["seconds"] / total["calls"], 3)
            if total["calls"] else 0.0,
            "grounding_drop_rate": round(1 - total["claims_kept"] / total["claims_proposed"], 3)
            if total["claims_proposed"] else 0.0}


def render_usage(usage: dict[str, Any] | None) -> str:
    if usage is None:
        return ""
    return (f"llm: {usage['messages']} messages asked, {usage['calls']} calls, "
            f"{usage['cache_hits']} cache hits, {usage['calls_saved']} saved by the rules, "
            f"{usage['prompt_tokens']} prompt + {usage['completion_tokens']} completion tokens, "
            f"{usage['seconds_per_message']:.2f} s/message; {usage['claims_kept']} of "
            f"{usage['claims_proposed']} claims grounded (drop rate "
            f"{usage['grounding_drop_rate']:.2f}; {usage['dropped']}), answers rejected "
            f"{usage['answers_rejected']}")
