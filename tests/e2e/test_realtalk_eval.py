"""`asof eval locomo --format realtalk` on a small chat written for this test in the REALTALK
layout, and the per-mode report (bm25, lexical, vector, rrf, hybrid) with the bundled model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from asof.api.cli import cli
from asof.graph.errors import InvalidInputError
from asof.query.embedding import BundledEmbedder
from bench.evals.locomo import evaluate_locomo
from bench.evals.realtalk import read_realtalk

pytestmark = pytest.mark.e2e

CHAT = {
    "name": {"speaker_1": "Emi", "speaker_2": "Elise"},
    "session_1_date_time": "29.12.2023, 22:42:04",
    "session_1": [
        {"speaker": "Emi", "dia_id": "D1:1", "date_time": "29.12.2023, 22:42:04",
         "clean_text": "Hey Elise! We just got back from a tent trip by the lake."},
        {"speaker": "Elise", "dia_id": "D1:2", "date_time": "29.12.2023, 22:44:10",
         "clean_text": "Oh nice! I spent the day baking bread."},
        {"speaker": "Elise", "dia_id": "D1:3", "clean_text": ""},
    ],
    "session_2_date_time": "03.01.2024, 09:15:00",
    "session_2": [
        {"speaker": "Elise", "dia_id": "D2:1",
         "clean_text": "Happy new year! I started a pottery course yesterday."},
        {"speaker": "Emi", "dia_id": "D2:2", "clean_text": "That sounds fun, good luck!"},
    ],
    "qa": [
        {"question": "When did Emi go camping?", "answer": "December 2023",
         "evidence": ["D1:1"], "category": 2},
        {"question": "When did Elise start a pottery course?", "answer": "2 January 2024",
         "evidence": ["D2:1"], "category": 2},
        {"question": "What did Elise bake?", "answer": "bread", "evidence": ["D1:2"],
         "category": 1},
    ],
}


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    folder = tmp_path / "realtalk"
    folder.mkdir()
    path = folder / "Chat_1_Emi_Elise.json"
    path.write_text(json.dumps(CHAT), encoding="utf-8")
    return path


def test_the_reader_keeps_times_ids_and_questions(chat: Path) -> None:
    conversations, samples = read_realtalk(chat.parent, assume_tz="Europe/Berlin")
    [conversation] = conversations
    assert conversation.id == "Chat_1_Emi_Elise"
    assert [m.id for m in conversation.messages] == ["D1:1", "D1:2", "D2:1", "D2:2"]
    first, second, third, fourth = conversation.messages
    assert first.at.isoformat() == "2023-12-29T22:42:04+01:00"
    assert second.at.isoformat() == "2023-12-29T22:44:10+01:00"
    assert third.at.isoformat() == "2024-01-03T09:15:00+01:00"
    assert fourth.at.isoformat() == "2024-01-03T09:15:30+01:00"  # session time + 30 s
    assert [q["category"] for q in samples[0]["qa"]] == [2, 2, 1]


def test_bad_times_and_layouts_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**CHAT, "session_2_date_time": "2024-01-03 09:15"}))
    with pytest.raises(InvalidInputError, match="29.12.2023, 22:42:04"):
        read_realtalk(bad, assume_tz="UTC")
    bad.write_text(json.dumps({"qa": []}))
    with pytest.raises(InvalidInputError, match="no session_N"):
        read_realtalk(bad, assume_tz="UTC")


def test_the_evaluation_reports_every_mode_side_by_side(chat: Path) -> None:
    report = evaluate_locomo(chat, k=1, assume_tz="UTC", embedder=BundledEmbedder(),
                             format="realtalk")
    assert report["temporal_questions"] == 2
    assert set(report["modes"]) == {"bm25", "lexical", "vector", "rrf", "hybrid", "search"}
    for figures in report["modes"].values():
        assert set(figures) == {"recall_at_1", "recall_at_5", "recall_at_10", "mrr"}
        assert all(value is not None and 0.0 <= value <= 1.0 for value in figures.values())
    # "camping" is not in the turn about the tent trip: only the vectors can find it
    camping = report["questions"][0]
    assert camping["mode_ranks"]["bm25"] is None
    assert camping["mode_ranks"]["vector"] is not None
    assert camping["mode_ranks"]["search"] is not None  # the product's hybrid search too
    without = evaluate_locomo(chat, k=1, assume_tz="UTC", format="realtalk")
    assert without["modes"]["vector"]["recall_at_5"] is None
    assert without["modes"]["search"]["recall_at_5"] is None
    assert without["modes"]["lexical"] == report["modes"]["lexical"]


def test_the_cli_reads_a_realtalk_folder(chat: Path) -> None:
    result = CliRunner(env={"ASOF_EMBEDDER": "none"}).invoke(
        cli, ["eval", "locomo", str(chat.parent), "--format", "realtalk", "--json"],
        catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["conversations"] == 1
