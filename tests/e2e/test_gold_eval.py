"""`asof eval gold` end to end on a small gold set written for this test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from asof.api.cli import cli

pytestmark = pytest.mark.e2e

GOLD = {
    "id": "t-001",
    "description": "a job change with a stated start",
    "aliases": {"Harbor Labs": ["Harbor"]},
    "messages": [
        {"id": "m1", "speaker": "Oskar Lind", "role": "user", "at": "2024-02-10T10:00:00+00:00",
         "text": "I work at Harbor Labs."},
        {"id": "m2", "speaker": "Oskar Lind", "role": "user", "at": "2024-06-02T10:00:00+00:00",
         "text": "I started at Quill Systems on 1 June."},
    ],
    "facts": [
        {"subject": "Oskar Lind", "predicate": "works_at", "object": "Harbor Labs",
         "valid_from": "2024-02-10", "valid_to": "2024-06-01", "evidence": ["m1"]},
        {"subject": "Oskar Lind", "predicate": "works_at", "object": "Quill Systems",
         "valid_from": "2024-06-01", "valid_to": None, "evidence": ["m2"]},
    ],
    "questions": [
        {"question": "Where did Oskar Lind work in March 2024?",
         "asked_at": "2024-12-01T00:00:00+00:00", "answer": ["Harbor Labs"]},
        {"question": "When did Oskar Lind start at Quill Systems?",
         "asked_at": "2024-12-01T00:00:00+00:00", "answer_date": "2024-06-01"},
        {"question": "Where did Oskar Lind work in May 2024?",
         "asked_at": "2024-03-01T00:00:00+00:00", "answer": ["Harbor Labs"]},
    ],
}


def test_eval_gold_scores_facts_intervals_and_questions(tmp_path: Path) -> None:
    (tmp_path / "t-001.json").write_text(json.dumps(GOLD), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "gold", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) >= {"files", "fact_precision", "fact_recall", "fact_f1",
                           "interval_accuracy", "question_accuracy"}
    assert report["fact_f1"] == 1.0 and report["interval_accuracy"] == 1.0
    assert report["question_accuracy"] == 1.0
    text = CliRunner().invoke(cli, ["eval", "gold", str(tmp_path), "--show-errors"]).output
    assert "overall" in text


def test_eval_gold_reads_the_subfolders_too(tmp_path: Path) -> None:
    # a set kept in one folder per style ("heldout/terse", "heldout/hr") is scored whole
    for style in ("terse", "hr"):
        (tmp_path / style).mkdir()
        (tmp_path / style / f"{style}-001.json").write_text(json.dumps(GOLD), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "gold", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert [f["file"] for f in json.loads(result.output)["files"]] == ["hr-001", "terse-001"]


def test_eval_gold_on_an_empty_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "gold", str(tmp_path)])
    assert result.exit_code != 0 and "no gold conversations" in result.output


def test_the_same_conversations_give_the_same_facts_under_any_tenant_name() -> None:
    """Deterministic extraction and writes: tenant names and each tenant's random secret feed
    the ids, never the outcome (a claim-id tie-break once made a conversation's facts depend
    on them, and pairing predictions with gold facts in the store's order, which follows the
    ids, once made a file's false positives depend on the secret)."""
    from asof.extraction.pipeline import build_nlp
    from bench.evals.gold import evaluate_dir

    folder = Path(__file__).resolve().parents[2] / "corpus" / "hr"
    nlp = build_nlp()
    first = evaluate_dir(folder, nlp=nlp, tenant_prefix="a-")
    second = evaluate_dir(folder, nlp=nlp, tenant_prefix="a-much-longer-tenant-name-")
    assert first["files"] == second["files"]
    assert first["fact_f1"] == second["fact_f1"] > 0
