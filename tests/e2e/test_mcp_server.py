"""`asof mcp` end to end: the server runs as a real subprocess (the installed console script) and
is driven by the MCP SDK's own client session, over stdio and over streamable HTTP, on a real
SQLite file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp_types import CallToolResult, TextContent

pytestmark = pytest.mark.e2e

ASOF = str(Path(sys.executable).with_name("asof"))
TOOLS = {"remember", "ask", "facts", "timeline", "history", "search", "context", "forget",
         "audit_verify"}
CONVERSATION = [
    {"id": "m1", "speaker": "Ines Duarte", "at": "2024-02-01T10:00:00+01:00",
     "text": "I work at Fernhill Robotics and I live in Porto."},
    {"id": "m2", "speaker": "assistant", "role": "assistant", "at": "2024-02-01T10:00:05+01:00",
     "text": "Good to know!"},
    {"id": "m3", "speaker": "Ines Duarte", "at": "2024-06-10T09:00:00+02:00",
     "text": "I moved to Lisbon last month."},
]


def _env() -> dict[str, str]:
    # the server must not inherit a tenant, a store or limits from the developer's shell
    return {k: v for k, v in os.environ.items()
            if k not in ("ASOF_TENANT", "ASOF_STORE", "ASOF_MAX_BATCH", "ASOF_MAX_MESSAGE_CHARS")}


def _json(result: CallToolResult) -> Any:
    assert not result.is_error, result.content
    text = result.content[0]
    assert isinstance(text, TextContent)
    return json.loads(text.text)


def _error(result: CallToolResult) -> str:
    assert result.is_error
    text = result.content[0]
    assert isinstance(text, TextContent)
    return text.text


async def _scenario(client: Client) -> None:
    listed = await client.list_tools()
    tools = {t.name: t for t in listed.tools}
    assert set(tools) == TOOLS
    for tool in tools.values():  # written for a model: every tool and argument is described
        assert tool.description and len(tool.description) > 40
        for name, schema in tool.input_schema.get("properties", {}).items():
            assert schema.get("description"), f"{tool.name}.{name} has no description"
        assert "tenant" not in tool.input_schema.get("properties", {})
    assert tools["remember"].input_schema["required"] == ["messages"]

    stored = _json(await client.call_tool("remember", {"messages": CONVERSATION}))
    assert stored["messages"] == 3 and stored["versions_written"] >= 3
    again = _json(await client.call_tool("remember", {"messages": CONVERSATION}))
    assert again["duplicates"] == 3 and again["versions_written"] == 0

    past = _json(await client.call_tool(
        "ask", {"question": "Where did Ines Duarte live in March 2024?"}))
    assert past["status"] == "answered" and past["answers"] == ["Porto"]
    assert [e["episode_id"] for e in past["evidence"]]
    assert any("Porto" in (e["evidence"] or "") for e in past["evidence"])
    assert past["intervals"][0]["valid_to"].startswith("2024-05")
    now = _json(await client.call_tool("ask", {"question": "Where does Ines Duarte live?"}))
    assert now["answers"] == ["Lisbon"]

    facts = _json(await client.call_tool("facts", {"subject": "Ines Duarte",
                                                   "valid_at": "2024-03-01T00:00:00Z"}))
    assert {f["object"] for f in facts["facts"]} >= {"Porto", "Fernhill Robotics"}
    timeline = _json(await client.call_tool("timeline", {"entity": "Ines Duarte"}))
    assert [e["object"] for e in timeline["predicates"]["lives_in"]] == ["Porto", "Lisbon"]
    history = _json(await client.call_tool("history", {"target": facts["facts"][0]["fact_key"]}))
    assert history["versions"] and history["versions"][0]["events"]
    hits = _json(await client.call_tool("search", {"text": "Lisbon"}))
    assert hits["hits"]
    block = _json(await client.call_tool("context", {"subject": "Ines Duarte"}))
    assert "Lisbon" in block["text"] and block["tokens"] <= 300
    assert _json(await client.call_tool("audit_verify", {}))["ok"] is True

    # bad input: a clear tool error, nothing stored
    naive = _error(await client.call_tool("facts", {"valid_at": "2024-03-01T00:00:00"}))
    assert "offset" in naive
    bad = _error(await client.call_tool("remember", {"messages": [
        {"speaker": "X", "at": "2024-01-01T00:00:00Z", "text": "I live in Oslo."},
        {"speaker": "X", "at": "2024-01-02T00:00:00", "text": "I work at Acme."}]}))
    assert "offset" in bad or "at" in bad
    long = _error(await client.call_tool("remember", {"messages": [
        {"speaker": "X", "at": "2024-01-01T00:00:00Z", "text": "I live in Oslo. " * 1300}]}))
    assert "longer than 20000" in long
    twice = _error(await client.call_tool("remember", {"messages": [
        {"id": "d", "speaker": "X", "at": "2024-01-01T00:00:00Z", "text": "I live in Oslo."},
        {"id": "d", "speaker": "X", "at": "2024-01-02T00:00:00Z", "text": "I live in Oslo."}]}))
    assert "duplicate" in twice
    # (by the words: nearest neighbours by meaning always exist, Porto among them)
    assert _json(await client.call_tool("search", {"text": "Oslo", "mode": "lexical"}))[
        "hits"] == []
    # a tenant in the arguments is not one of the tool's: the server's own tenant is read
    smuggled = _json(await client.call_tool("facts", {"subject": "Ines Duarte",
                                                      "tenant": "other"}))
    assert smuggled["facts"] and smuggled == _json(
        await client.call_tool("facts", {"subject": "Ines Duarte"}))

    erased = _json(await client.call_tool("forget", {"entity": "Ines Duarte"}))
    assert erased["versions"] >= 3
    gone = await client.call_tool("timeline", {"entity": "Ines Duarte"})
    assert gone.is_error and "no entity" in _error(gone)
    assert _json(await client.call_tool("audit_verify", {}))["ok"] is True


def test_stdio_server_remembers_and_answers_as_of(tmp_path: Path) -> None:
    db = tmp_path / "mcp.db"
    params = StdioServerParameters(command=ASOF, args=[
        "mcp", "--store", f"sqlite:///{db}", "--tenant", "acme"], env=_env())

    async def main() -> None:
        async with Client(params, read_timeout_seconds=120) as client:
            await _scenario(client)

    anyio.run(main)
    # the tools wrote to the fixed tenant, and only there
    def audit_events(tenant: str) -> list[Any]:
        shown = subprocess.run([ASOF, "audit", "show", "--store", f"sqlite:///{db}",
                                "--tenant", tenant, "--json"], capture_output=True, text=True,
                               env=_env(), check=True)
        return list(json.loads(shown.stdout)["items"])

    assert {e["actor"] for e in audit_events("acme")} == {"mcp"}
    assert audit_events("other") == [] and audit_events("default") == []


def test_an_invalid_tenant_is_refused_at_start(tmp_path: Path) -> None:
    result = subprocess.run([ASOF, "mcp", "--store", f"sqlite:///{tmp_path / 'x.db'}",
                             "--tenant", "no spaces"], capture_output=True, text=True,
                            env=_env(), timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode != 0 and "tenant" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen([ASOF, "mcp", "--http", "--port", str(port), "--store",
                             f"sqlite:///{tmp_path / 'http.db'}", "--tenant", "acme"],
                            env=_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 60
    try:
        while True:  # ready when the endpoint answers HTTP at all
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "asof mcp --http did not start"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()


def test_http_server_serves_the_same_tools_on_loopback(http_server: str) -> None:
    async def main() -> None:
        async with Client(http_server, read_timeout_seconds=120) as client:
            await _scenario(client)

    anyio.run(main)
    # a page on another site cannot reach it through DNS rebinding: foreign Host headers fail
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {"Accept": "application/json, text/event-stream", "Host": "attacker.example"}
    assert httpx.post(http_server, json=ping, headers=headers, timeout=10).status_code == 421


def test_the_mcp_benchmark_runs_and_answers() -> None:
    """bench/mcp.py, tiny: it must keep working, its figures are not judged here."""
    done = subprocess.run([sys.executable, "-m", "bench.mcp", "--calls", "3", "--warmup", "1",
                           "--json"], capture_output=True, text=True, timeout=300, check=True,
                          env=_env(), cwd=Path(__file__).resolve().parents[2])
    report = json.loads(done.stdout)
    assert report["ask_over_mcp_stdio"]["n"] == report["ask_in_process"]["n"] == 3
    assert list(report["answer_status"].values()).count("answered") >= 2
