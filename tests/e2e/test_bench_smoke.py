"""Each benchmark entry point runs at a tiny size and reports what it claims to measure.

Not timed: benchmarks measure speed (docs/benchmarks.md), tests only that they still run and
that their answers are right. SQLite only (real files); the Neo4j runs and the Graphiti
comparison (the ``bench`` extra) are run by hand, see docs/benchmarks.md.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench import facts_profile, ingest, scale
from bench.graphiti_side import holds
from bench.vs_graphiti import interleaved
from bench.workload import Query

pytestmark = pytest.mark.e2e

#: the repo's own annotated conversations stand in for the evaluation sets, which a clean
#: clone may not have beside it
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def test_facts_profile_counts_the_store_calls_of_memory_facts(tmp_path: Path) -> None:
    out = tmp_path / "profile.json"
    facts_profile.main(["--backend", "sqlite", "--versions", "300", "--queries", "20",
                        "--rounds", "2", "--profile-queries", "30", "--out", str(out)])
    report = json.loads(out.read_text())
    variants = report["timing"]["variants"]
    assert set(variants) == {"asof_find_versions", "asof_memory_facts", "asof_store_facts",
                             "asof_rest_facts"}
    assert all(v["correct"] == 1.0 and (v["n"], v["n_timed"]) == (20, 40)
               for v in variants.values())
    assert report["store_calls_per_memory_facts"] == {  # on SQLite: two statements
        "find_versions_with_provenance": 1, "find_versions": 1, "get_provenance": 1}
    phases = report["rest_phases_ms"]
    assert set(phases) == {"GET /v1/facts", "GET /healthz", *facts_profile.REST_PHASES.values()}
    assert all(ms > 0 for ms in phases.values())
    assert phases["GET /v1/facts"] > sum(ms for name, ms in phases.items()
                                         if name in facts_profile.REST_PHASES.values())
    assert "Memory.facts" in (tmp_path / "profile-profile.txt").read_text()
    assert report["commit"] and report["nproc"] and len(report["loadavg_start"]) == 3


def test_scale_loads_measures_disk_and_reads_cold_and_concurrently(tmp_path: Path) -> None:
    out = tmp_path / "scale.json"
    scale.main(["--backend", "sqlite", "--versions", "500", "--queries", "40", "--warmup", "5",
                "--cold-queries", "10", "--readers", "2", "--seconds", "0.5",
                "--keep-page-cache", "--path", str(tmp_path / "s.db"), "--out", str(out)])
    report = json.loads(out.read_text())
    assert report["load"]["versions"] >= 500
    assert report["disk_bytes"]["file"] > 0 and report["disk_bytes_per_version"] > 0
    assert report["warm"]["as_of_find_versions"]["n"] == 40
    assert report["cold"]["as_of_find_versions"]["n"] == 10
    assert report["concurrent_readers"]["read"]["n"] > 0
    both = report["concurrent_readers_and_writer"]
    assert both["read"]["n"] > 0 and both["versions_written"] > 0
    assert both["transactions_writing_nothing"] == 0  # the writer carries on, never replays
    # --reuse: the same reads on the file the load left, without loading it again
    again = tmp_path / "reuse.json"
    scale.main(["--backend", "sqlite", "--versions", "500", "--queries", "40", "--warmup", "5",
                "--cold-queries", "10", "--readers", "2", "--seconds", "0.5",
                "--keep-page-cache", "--path", str(tmp_path / "s.db"), "--reuse",
                "--out", str(again)])
    reused = json.loads(again.read_text())
    assert reused["load"]["reused"] == str(tmp_path / "s.db")
    assert reused["load"]["versions"] >= report["load"]["versions"] + both["versions_written"]
    assert reused["warm"]["as_of_rows_found"] > 0
    writer = reused["concurrent_readers_and_writer"]
    assert writer["versions_written"] > 0 and writer["transactions_writing_nothing"] == 0


def test_ingest_splits_wall_time_between_extraction_and_storage(tmp_path: Path) -> None:
    out = tmp_path / "ingest.json"
    dev = tmp_path / "eval" / "dev"
    dev.mkdir(parents=True)
    for path in sorted((CORPUS / "life").glob("*.json"))[:2]:
        shutil.copy(path, dev / path.name)
    ingest.main(["--backends", "sqlite", "--embedders", "none", "--rounds", "1",
                 "--sources", "dev", "--limit", "2", "--eval-dir", str(dev.parent),
                 "--out", str(out)])
    (run,) = json.loads(out.read_text())["runs"]
    assert run["conversations"] == 2 and run["messages"] > 0 and run["versions_written"] > 0
    assert {"extraction", "storage", "other"} <= set(run["split_s"])
    assert run["embedder"] == "none" and run["peak_rss_mb"] > 0
    assert sum(run["split_s"].values()) == pytest.approx(run["seconds"], abs=0.01)


def test_interleaving_rotates_the_order_and_grades_each_query_once() -> None:
    t = datetime(2024, 1, 1, tzinfo=UTC)
    queries = [Query("t", f"p{i}", "works_at", t, t, frozenset({"Acme"}), i == 0)
               for i in range(3)]
    calls: list[str] = []

    def variant(name: str, answer: set[str]) -> object:
        async def ask(q: Query) -> set[str]:
            calls.append(name)
            return answer
        return ask

    report = asyncio.run(interleaved({"a": variant("a", {"Acme"}),  # type: ignore[dict-item]
                                      "b": variant("b", set())}, queries, [], rounds=2))
    assert calls == ["a", "b", "b", "a", "a", "b", "b", "a", "a", "b", "b", "a"]
    a, b = report["variants"]["a"], report["variants"]["b"]
    assert a["n"] == b["n"] == 3 and len(a["round_p50_ms"]) == 2
    assert (a["correct"], b["correct"]) == (1.0, 0.0)
    assert (a["n_needs_known_at"], a["n_valid_time_only"]) == (1, 2)
    assert set(report["ratios"]) == set()  # only asof_/sqlite_ variants are baselines


def test_graphiti_filters_in_python_are_the_four_date_conditions() -> None:
    def day(n: int) -> datetime:
        return datetime(2024, 1, n, tzinfo=UTC)

    edge = SimpleNamespace(valid_at=day(2), invalid_at=day(5), created_at=day(3),
                           expired_at=day(6))
    assert holds(edge, day(3), day(4))
    assert not holds(edge, day(1), day(4))  # not started yet
    assert not holds(edge, day(5), day(4))  # ended (invalid_at is exclusive)
    assert not holds(edge, day(3), day(2))  # not recorded yet
    assert not holds(edge, day(3), day(6))  # superseded (expired_at is exclusive)
    assert holds(SimpleNamespace(valid_at=None, invalid_at=None, created_at=day(1),
                                 expired_at=None), day(9), day(9))


def test_result_files_never_record_a_password() -> None:
    from bench.runinfo import header

    argv = header("bench.x", ["--url", "bolt://h", "--password", "s3cret", "--password=two"])
    assert argv["argv"] == ["--url", "bolt://h", "--password", "***", "--password=***"]
