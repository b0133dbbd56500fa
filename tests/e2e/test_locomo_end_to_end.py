"""The LoCoMo temporal evaluation end to end on a tiny synthetic conversation (spaCy model and a
real SQLite store)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.evals.locomo import evaluate_locomo, render_locomo

pytestmark = pytest.mark.e2e


def _sample() -> dict[str, object]:
    return {
        "sample_id": "syn-1",
        "conversation": {
            "speaker_a": "Ana", "speaker_b": "Ben",
            # 4 March 2024 is a Monday
            "session_1_date_time": "10:00 am on 4 March, 2024",
            "session_1": [
                {"speaker": "Ana", "dia_id": "D1:1",
                 "text": "Hi Ben! I finally ran my first marathon last Sunday."},
                {"speaker": "Ben", "dia_id": "D1:2",
                 "text": "Amazing, Ana! I have been busy with my garden."},
                {"speaker": "Ana", "dia_id": "D1:3", "text": "How is the garden going?"},
                {"speaker": "Ben", "dia_id": "D1:4",
                 "text": "Great, the tomatoes are growing fast."},
            ],
            "session_2_date_time": "2:30 pm on 20 April, 2024",
            "session_2": [
                {"speaker": "Ben", "dia_id": "D2:1",
                 "text": "Ana, I adopted a puppy yesterday! He is tiny."},
                {"speaker": "Ana", "dia_id": "D2:2", "text": "Congrats! I love dogs."},
                {"speaker": "Ben", "dia_id": "D2:3", "text": "We walk in the park every day."},
            ],
        },
        "qa": [
            {"question": "When did Ana run a marathon?",
             "answer": "The Sunday before 4 March 2024", "evidence": ["D1:1"], "category": 2},
            {"question": "When did Ben adopt a puppy?", "answer": "19 April 2024",
             "evidence": ["D2:1"], "category": 2},
            {"question": "What does Ben grow?", "answer": "tomatoes", "evidence": ["D1:4"],
             "category": 4},
        ],
    }


def _evaluate(tmp_path: Path, sample: dict[str, object]) -> dict[str, Any]:
    """The evaluation (k = 2, UTC) of one LoCoMo sample written to a file."""
    path = tmp_path / f"{sample['sample_id']}.json"
    path.write_text(json.dumps([sample]), encoding="utf-8")
    return evaluate_locomo(path, k=2, assume_tz="UTC")


def test_end_to_end_on_a_tiny_conversation(tmp_path: Path) -> None:
    report = _evaluate(tmp_path, _sample())

    assert report["k"] == 2
    assert report["conversations"] == 1
    assert report["temporal_questions"] == 2  # the category-4 question is not scored
    assert report["evidence_recall_at_k"] == 1.0
    assert report["baseline_recall_at_k"] is not None
    assert report["date_resolvable"] == 2 and report["date_unresolvable"] == 0
    assert report["date_accuracy"] == 1.0
    assert report["asof_questions"] == 0 and report["asof_accuracy"] is None
    rows = {r["question"]: r for r in report["questions"]}
    assert rows["When did Ana run a marathon?"]["answered"] == "2024-03-03"
    assert rows["When did Ben adopt a puppy?"]["answered"] == "2024-04-19"
    assert [c["conversation"] for c in report["per_conversation"]] == ["syn-1"]
    assert report["timing"]["total_seconds"] >= 0
    json.dumps(report)  # JSON-able as it stands
    text = render_locomo(report)
    assert "recall@2" in text and "date accuracy" in text
    # the question of another category is ranked too, as a check the ranking was not tuned on
    assert report["heldout_questions"] == 1
    assert report["heldout"][0]["question"] == "What does Ben grow?"
    assert report["heldout_modes"]["lexical"]["recall_at_1"] == 1.0
    assert "held out" in text


def test_a_turn_next_to_the_words_of_the_question_ranks_high(tmp_path: Path) -> None:
    # the answer is said two turns before the words that name its topic
    sample = {
        "sample_id": "syn-2",
        "conversation": {
            "speaker_a": "Ana", "speaker_b": "Ben",
            "session_1_date_time": "10:00 am on 4 March, 2024",
            "session_1": [
                {"speaker": "Ana", "dia_id": "D1:1", "text": "I was ill last Monday."},
                {"speaker": "Ben", "dia_id": "D1:2", "text": "My cousin moved house yesterday."},
                {"speaker": "Ana", "dia_id": "D1:3", "text": "Guess what I did last Tuesday!"},
                {"speaker": "Ben", "dia_id": "D1:4", "text": "No idea, show me."},
                {"speaker": "Ana", "dia_id": "D1:5",
                 "text": "A watercolour painting of the sunrise over the fjord."},
                {"speaker": "Ana", "dia_id": "D1:6", "text": "We ate pizza last Friday."},
            ],
        },
        "qa": [{"question": "When did Ana make the sunrise painting?",
                "answer": "The Tuesday before 4 March 2024", "evidence": ["D1:3"],
                "category": 2}],
    }
    report = _evaluate(tmp_path, sample)
    # after the turn with the words and the reply to it, and before Ana's other turn that
    # only carries a time (D1:1, fourth without the neighbour feature: it is said earlier)
    assert report["questions"][0]["mode_ranks"]["lexical"] == 3


def test_the_turns_of_one_exchange_are_scored_as_a_unit(tmp_path: Path) -> None:
    # the question's words are spread over two turns of one exchange ("baked" … "a lemon
    # cake"); a turn of another session holds "lemon" and a time too
    sample = {
        "sample_id": "syn-3",
        "conversation": {
            "speaker_a": "Ana", "speaker_b": "Ben",
            "session_1_date_time": "10:00 am on 4 March, 2024",
            "session_1": [
                {"speaker": "Ana", "dia_id": "D1:1", "text": "Guess what I baked last Saturday!"},
                {"speaker": "Ben", "dia_id": "D1:2", "text": "No idea, tell me."},
                {"speaker": "Ana", "dia_id": "D1:3", "text": "A lemon cake with cream on top."},
                {"speaker": "Ben", "dia_id": "D1:4", "text": "Yum, save me a slice."},
            ],
            "session_2_date_time": "2:30 pm on 20 April, 2024",
            "session_2": [
                {"speaker": "Ana", "dia_id": "D2:1", "text": "I baked bread yesterday."},
                {"speaker": "Ben", "dia_id": "D2:2", "text": "Did you use the new oven?"},
                {"speaker": "Ana", "dia_id": "D2:3",
                 "text": "Yes, and I bought lemons at the market last week."},
            ],
        },
        "qa": [{"question": "When did Ana bake a lemon cake?",
                "answer": "The Saturday before 4 March 2024", "evidence": ["D1:1"],
                "category": 2}],
    }
    report = _evaluate(tmp_path, sample)
    row = report["questions"][0]
    # the exchange's two turns first: the window holds every word of the question, and each
    # turn gains a share of the other's score (third without the window and the spread: the
    # lone "lemons … last week" turn)
    assert row["retrieved"] == ["D1:3", "D1:1"]
    assert row["top_features"]["window"] == pytest.approx(1.0)
    assert row["top_features"]["around"] > 0
    assert report["spread"] > 0 and report["weights"]["window"] > 0
