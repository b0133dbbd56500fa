"""The `asof` CLI end to end with real files, on a real SQLite file and on Neo4j."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from asof.api.cli import cli

pytestmark = pytest.mark.e2e

CONVERSATION = [
    {"id": "1", "speaker": "Ines Duarte", "role": "user", "at": "2024-02-01T10:00:00+01:00",
     "text": "I work at Fernhill Robotics and I live in Porto."},
    {"id": "2", "speaker": "assistant", "role": "assistant",
     "at": "2024-02-01T10:00:05+01:00", "text": "Good to know!"},
    {"id": "3", "speaker": "Ines Duarte", "role": "user", "at": "2024-06-10T09:00:00+02:00",
     "text": "I moved to Lisbon last month."},
]


def write_jsonl(path: Path, messages: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(m) + "\n" for m in messages), encoding="utf-8")
    return path


def run(args: list[str], store: str, tenant: str, *, ok: bool = True) -> Any:
    result = CliRunner().invoke(cli, [*args[:1], *args[1:], "--store", store, "--tenant", tenant]
                                if args[0] not in ("audit", "eval") else
                                [*args[:2], *args[2:], "--store", store, "--tenant", tenant],
                                catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_ingest_ask_facts_timeline_audit(store_url: str, fresh_tenant: str,
                                         tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "talk.jsonl", CONVERSATION)
    out = run(["ingest", str(path), "--json"], store_url, fresh_tenant)
    report = json.loads(out.output)
    assert report["messages"] == 3 and report["versions_written"] >= 3

    again = json.loads(run(["ingest", str(path), "--json"], store_url, fresh_tenant).output)
    assert again["duplicates"] == 3 and again["versions_written"] == 0

    answer = json.loads(run(["ask", "Where does Ines Duarte live?", "--json"], store_url,
                            fresh_tenant).output)
    assert answer["answers"] == ["Lisbon"] and answer["evidence"]
    past = json.loads(run(["ask", "Where did Ines Duarte live in March 2024?", "--json"],
                          store_url, fresh_tenant).output)
    assert past["answers"] == ["Porto"]

    facts = json.loads(run(["facts", "Ines Duarte", "--valid-at", "2024-03-01T00:00:00Z",
                            "--json"], store_url, fresh_tenant).output)["items"]
    assert {f["object"] for f in facts} >= {"Porto", "Fernhill Robotics"}
    table = run(["facts", "Ines Duarte"], store_url, fresh_tenant).output
    assert "Lisbon" in table and "fact key" in table

    key = facts[0]["fact_key"]
    history = json.loads(run(["history", key, "--json"], store_url, fresh_tenant).output)
    assert history["items"] and history["items"][0]["events"]
    timeline = run(["timeline", "Ines Duarte"], store_url, fresh_tenant).output
    assert "lives_in" in timeline and "Porto" in timeline

    changes = json.loads(run(["diff", "2024-03-01T00:00:00Z", "2024-06-01T00:00:00Z",
                              "--json"], store_url, fresh_tenant).output)
    assert [(c["before"]["object"], c["after"]["object"]) for c in changes["changed"]] == [
        ("Porto", "Lisbon")]

    hits = json.loads(run(["search", "Porto", "--json"], store_url, fresh_tenant).output)
    assert hits["items"]
    block = run(["context", "Ines Duarte", "--budget", "80"], store_url, fresh_tenant).output
    assert "Lisbon" in block

    snapshot_file = tmp_path / "snap.graphml"
    run(["snapshot", "--format", "graphml", "--output", str(snapshot_file)], store_url,
        fresh_tenant)
    assert snapshot_file.read_text().lstrip().startswith("<graphml")

    checkpoint = tmp_path / "head.json"
    run(["audit", "export-checkpoint", "--output", str(checkpoint)], store_url, fresh_tenant)
    verify = json.loads(run(["audit", "verify", "--checkpoint", str(checkpoint), "--json"],
                            store_url, fresh_tenant).output)
    assert verify["ok"] is True
    events = json.loads(run(["audit", "show", "--json"], store_url, fresh_tenant).output)
    assert "Porto" not in json.dumps(events)

    erased = json.loads(run(["forget", "Ines Duarte", "--yes", "--json"], store_url,
                            fresh_tenant).output)
    assert erased["versions"] >= 3
    remaining = run(["facts", "--json"], store_url, fresh_tenant).output
    assert "Ines" not in remaining and "I live in Porto" not in remaining
    assert json.loads(run(["audit", "verify", "--json"], store_url, fresh_tenant).output)["ok"]


def test_ingest_with_parse_workers_stores_the_same_facts(store_url: str, fresh_tenant: str,
                                                        tmp_path: Path) -> None:
    second = [{**m, "id": f"b{m['id']}", "at": m["at"].replace("2024-", "2025-")}
              for m in CONVERSATION]
    second[0]["text"] = "I left Fernhill in January, I'm at Tidewater Labs now."
    paths = [write_jsonl(tmp_path / "a.jsonl", CONVERSATION),
             write_jsonl(tmp_path / "b.jsonl", second)]

    def stored(tenant: str, workers: str) -> list[tuple[str, ...]]:
        report = json.loads(run(["ingest", *map(str, paths), "--workers", workers, "--json"],
                                store_url, tenant).output)
        assert report["messages"] == 6
        items = [item for at in ("2024-03-01T00:00:00Z", "2025-03-01T00:00:00Z")
                 for item in json.loads(run(["facts", "--valid-at", at, "--json"], store_url,
                                            tenant).output)["items"]]
        return sorted((f["subject"], f["predicate"], f["object"] or f["value"] or "",
                       str(f["valid_from"]), str(f["valid_to"])) for f in items)

    in_process = stored(fresh_tenant, "1")
    # the second file ends the employer the first one stated
    assert {f[2] for f in in_process} >= {"Porto", "Fernhill Robotics", "Tidewater Labs"}
    assert stored(fresh_tenant + "-w", "2") == in_process

    refused = run(["ingest", str(paths[0]), "--workers", "0"], store_url, fresh_tenant + "-z",
                  ok=False)
    assert refused.exit_code == 2 and "--workers" in refused.output


@pytest.mark.parametrize(("args", "message"), [
    (["facts", "x", "--valid-at", "2024-03-01T00:00:00"], "no timezone offset"),
    (["facts", "x", "--valid-at", "yesterday"], "not an ISO 8601"),
    (["facts", "x", "--predicate", "is_ceo_of"], "unknown predicate"),
    (["timeline", "Nobody Known"], "no entity named"),
    (["ingest", "/nonexistent/file.jsonl"], "does not exist"),
])
def test_errors_are_one_line_and_exit_non_zero(args: list[str], message: str,
                                               tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [*args, "--store", f"sqlite:///{tmp_path / 'e.db'}"])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_naive_input_needs_assume_tz(tmp_path: Path) -> None:
    naive = write_jsonl(tmp_path / "naive.jsonl", [
        {"speaker": "Ines Duarte", "at": "2024-02-01T10:00:00", "text": "I live in Porto."}])
    store = f"sqlite:///{tmp_path / 'n.db'}"
    refused = CliRunner().invoke(cli, ["ingest", str(naive), "--store", store])
    assert refused.exit_code != 0 and "naive.jsonl" in refused.output
    assert "Traceback" not in refused.output
    accepted = CliRunner().invoke(cli, ["ingest", str(naive), "--store", store,
                                        "--assume-tz", "Europe/Lisbon", "--json"])
    assert accepted.exit_code == 0, accepted.output


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command.help and len(command.help.strip()) > 10
    for param in command.params:
        if isinstance(param, click.Option) and param.name not in ("help",):
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


def test_console_script_runs_the_demo() -> None:
    """`asof demo` through the installed console script, as `make demo` runs it."""
    exe = Path(sys.executable).with_name("asof")
    result = subprocess.run([str(exe), "demo"], capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    answers = dict(zip(re.findall(r"Q: (.*)", out),
                       (re.sub(r"\s+\(from messages .*\)$", "", a)
                        for a in re.findall(r"A: (.*)", out)), strict=True))
    assert answers == {
        "Where does Maya Okafor work now?": "Brightline Health",
        "Where did Maya Okafor work in March 2024?": "Northbeam Analytics",
        "Where did Maya Okafor live in April 2024?": "Leeds",
        # m8 corrects the start to 13 May; what we knew on 1 August was still 6 May
        "When did Maya Okafor start at Brightline Health?": "2024-05-13",
        "According to what we knew on 1 August 2024, when did Maya Okafor start at "
        "Brightline Health?": "2024-05-06",
        # "I no longer use Tableau" (m7) ends it
        "What does Maya Okafor use?": "Snowflake, Looker",
        # leaving Northbeam ends the reporting line there
        "Who is Maya Okafor's manager?":
            "nothing known: Nothing known about Maya Okafor's reports_to now.",
        "What pets does Maya Okafor have?": "Pixel",
    }
    timeline = [" ".join(line.split()) for line in
                out.split("3. Timeline")[1].split("4. Audit")[0].splitlines()[1:] if line.strip()]
    assert timeline == [
        "has_pet 2024-08-01 → now Pixel",
        "job_title 2024-01-15 → 2024-05-13 data analyst",
        "job_title 2024-05-13 → now senior analyst",
        "lives_in 2024-01-15 → 2024-05-01 Leeds",
        "lives_in 2024-05-01 → now Manchester",
        "reports_to 2024-01-15 → 2024-05-06 Tom Reyes",
        "uses 2024-01-15 → now Snowflake",
        "uses 2024-01-15 → 2024-06-20 Tableau",
        "uses 2024-06-20 → now Looker",
        "visited 2024-10-01 → 2024-11-01 Lisbon",
        "works_at 2024-01-15 → 2024-05-13 Northbeam Analytics",
        "works_at 2024-05-13 → now Brightline Health",
    ]
    assert re.search(r"\d+ assertions → \d+ fact versions written", out)
    assert "ok: " in out.split("Verify the audit chain")[1]


def test_train_command_end_to_end(tmp_path: Path) -> None:
    """`asof train` on a small slice of annotated data writes a model the pipeline loads."""
    data = tmp_path / "data"
    data.mkdir()
    conversation = {
        "id": "slice-1", "aliases": {"Lisbon": ["lx"]},
        "messages": [
            {"id": "m1", "speaker": "Ana Ruiz", "role": "user",
             "at": "2024-03-05T09:00:00+00:00", "text": "moved to lx last month, loving it"},
            {"id": "m2", "speaker": "Ana Ruiz", "role": "user",
             "at": "2024-03-06T09:00:00+00:00", "text": "started at Fernhill Robotics today"}],
        "facts": [
            {"subject": "Ana Ruiz", "predicate": "lives_in", "object": "Lisbon",
             "valid_from": "2024-02", "valid_to": None, "evidence": ["m1"]},
            {"subject": "Ana Ruiz", "predicate": "works_at", "object": "Fernhill Robotics",
             "valid_from": "2024-03-06", "valid_to": None, "evidence": ["m2"]}],
        "questions": []}
    (data / "slice-1.json").write_text(json.dumps(conversation))
    out = tmp_path / "model"
    result = CliRunner().invoke(cli, ["train", "--data", str(data), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "trained on 2 messages of 1 conversations" in result.output
    meta = json.loads((out / "object_tagger.json").read_text())
    assert meta["files"] == ["data/slice-1.json"] and len(meta["data_sha256"]) == 64
    from asof.extraction.tagger.model import ObjectTagger

    assert ObjectTagger(out).meta == meta
    result = CliRunner().invoke(cli, ["eval", "gold", str(data), "--json", "--tagger-model",
                                      str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["files"][0]["gold"] == 2


def test_shell_rough_edges(tmp_path: Path) -> None:
    """Errors name the fix that exists for that command, output never shows the internal end
    of time, and a closed pipe ends the command quietly."""
    store = f"sqlite:///{tmp_path / 'edges.db'}"
    data = write_jsonl(tmp_path / "c.jsonl", CONVERSATION)
    run(["ingest", str(data)], store, "edges")
    result = CliRunner().invoke(cli, ["facts", "--known-at", "2023-03-01", "--store", store,
                                      "--tenant", "edges"])
    assert result.exit_code == 2
    assert "2023-03-01T00:00:00Z" in result.output and "--assume-tz" not in result.output
    timeline = CliRunner().invoke(cli, ["timeline", "Ines Duarte", "--store", store,
                                        "--tenant", "edges"])
    assert timeline.exit_code == 0 and "(as known now)" in timeline.output
    asked = CliRunner().invoke(cli, ["ask", "Where does Ines Duarte live?", "--json",
                                     "--store", store, "--tenant", "edges"])
    assert "9999" not in asked.output and "9999" not in timeline.output
    # the reader goes away before the command writes (`asof facts | head`, head done early)
    exe = Path(sys.executable).with_name("asof")
    with subprocess.Popen([str(exe), "facts", "--store", store, "--tenant", "edges"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert code == 141, stderr  # as for a program that SIGPIPE ended, without a message
    assert stderr == ""


def test_exit_codes_are_documented_and_kept(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from asof.api.cli.common import ExitCode

    help_text = CliRunner().invoke(cli, ["--help"]).output
    for code in ExitCode:
        assert re.search(rf"^\s+{code.value}\s+\S", help_text, re.M), f"{code!r} undocumented"
    store = f"sqlite:///{tmp_path / 'codes.db'}"
    data = write_jsonl(tmp_path / "c.jsonl", CONVERSATION)
    run(["ingest", str(data)], store, "codes")

    def code_of(*args: str) -> int:
        return CliRunner().invoke(cli, [*args, "--store", store, "--tenant", "codes"]).exit_code

    assert code_of("timeline", "Ines Duarte") == ExitCode.OK
    assert code_of("history", "Nobody Known") == ExitCode.NOT_FOUND
    assert code_of("history", "fk_0000") == ExitCode.NOT_FOUND
    assert code_of("timeline", "Nobody Known") == ExitCode.NOT_FOUND
    assert code_of("facts", "--no-such-option") == ExitCode.USAGE
    assert code_of("facts", "--valid-at", "2024-01-01") == ExitCode.USAGE  # naive
    assert code_of("ask", "???") == ExitCode.USAGE  # unparseable question
    naive = write_jsonl(tmp_path / "naive.jsonl", [{**CONVERSATION[0], "at": "2024-02-01T10:00"}])
    assert code_of("ingest", str(naive)) == ExitCode.USAGE
    monkeypatch.setenv("ASOF_NEO4J_PASSWORD", "x")
    unreachable = CliRunner().invoke(cli, ["facts", "--store", "bolt://127.0.0.1:1"])
    assert unreachable.exit_code == ExitCode.STORE, unreachable.output
    assert "cannot be reached" in unreachable.output


def test_info_names_the_store_and_its_size(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'info.db'}"
    run(["ingest", str(write_jsonl(tmp_path / "c.jsonl", CONVERSATION))], store, "info")
    result = CliRunner().invoke(cli, ["info", "--store", store, "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["store"] == store and data["backend"] == "sqlite" and data["exists"]
    assert data["size_bytes"] > 0 and data["store_is_default"] is False
    assert data["tagger"]["conversations"] > 0 and len(data["tagger"]["data_sha256"]) == 64


def test_history_takes_an_entity_and_a_predicate(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'h.db'}"
    run(["ingest", str(write_jsonl(tmp_path / "c.jsonl", CONVERSATION))], store, "h")
    rows = json.loads(run(["history", "Ines Duarte", "lives_in", "--json"], store,
                          "h").output)["items"]
    assert {r["predicate"] for r in rows} == {"lives_in"}
    assert {r["object"] for r in rows} >= {"Porto", "Lisbon"}
    everything = json.loads(run(["history", "Ines Duarte", "--json"], store, "h").output)["items"]
    assert {"works_at", "lives_in"} <= {r["predicate"] for r in everything}
    by_key = json.loads(run(["history", rows[0]["fact_key"], "--json"], store,
                            "h").output)["items"]
    assert by_key and {r["fact_key"] for r in by_key} == {rows[0]["fact_key"]}
    for target in ("Nobody Known", "fk_0000"):
        result = CliRunner().invoke(cli, ["history", target, "--store", store, "--tenant", "h"])
        assert result.exit_code == 1 and "no " in result.output
