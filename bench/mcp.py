"""MCP round-trip latency of ``ask``: the time an agent waits for an answer through `asof mcp`.

    python -m bench.mcp [--calls 100] [--warmup 10] [--store sqlite:///path.db] [--json]
                        [--out bench/results/mcp_ask_latency.json]

What is measured, honestly: the server runs as a real subprocess (``asof mcp --tenant bench``,
stdio, the installed console script) over an embedded SQLite store holding the bundled demo
conversation (10 messages, remembered through the ``remember`` tool first). The client is the
MCP SDK's own; each sample is the wall time of one ``call_tool("ask", ...)``: JSON-RPC framing,
the pipe both ways, argument validation, the question parsed and answered from the store, the
answer serialised. Questions cycle through the demo's eight. After ``--warmup`` calls, the
``--calls`` MCP calls are interleaved one by one with the same question asked in-process
(``Memory.ask`` on the same file), so both see the same machine load; the difference of the
medians is what the protocol and the process boundary cost.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters

from asof.api.memory import Memory
from asof.graph.urls import backend_of
from bench.runinfo import save_report

TENANT = "bench"
#: The demo's questions. The messages are remembered live (transaction time is the real clock),
#: so the one about what was known in August 2024 is answered "nothing known": a real path too.
QUESTIONS = [
    "Where does Maya Okafor work now?",
    "Where did Maya Okafor work in March 2024?",
    "Where did Maya Okafor live in April 2024?",
    "When did Maya Okafor start at Brightline Health?",
    "According to what we knew on 1 August 2024, when did Maya Okafor start at "
    "Brightline Health?",
    "What does Maya Okafor use?",
    "Who is Maya Okafor's manager?",
    "What pets does Maya Okafor have?",
]


def _stats(samples_s: list[float]) -> dict[str, Any]:
    ms = sorted(s * 1000 for s in samples_s)

    def pct(p: float) -> float:
        return round(ms[min(len(ms) - 1, int(p * len(ms)))], 3)

    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 3), "p90_ms": pct(0.90),
            "p99_ms": pct(0.99), "mean_ms": round(statistics.fmean(ms), 3),
            "min_ms": round(ms[0], 3), "max_ms": round(ms[-1], 3)}


def _commit() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, cwd=Path(__file__).parent,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() + ("-dirty" if dirty else "")


async def _measure(url: str, calls: int, warmup: int) -> dict[str, Any]:
    demo = resources.files("asof.api").joinpath("data/demo.jsonl").read_text()
    messages = [json.loads(line) for line in demo.splitlines() if line.strip()]
    env = {k: v for k, v in os.environ.items() if k not in ("ASOF_TENANT", "ASOF_STORE")}
    params = StdioServerParameters(command=str(Path(sys.executable).with_name("asof")),
                                   args=["mcp", "--store", url, "--tenant", TENANT], env=env)
    started = time.perf_counter()
    async with Client(params, read_timeout_seconds=300) as client:
        connected = time.perf_counter() - started
        remembered = await client.call_tool("remember", {"messages": messages})
        assert not remembered.is_error, remembered.content
        memory = Memory.open(url)
        try:
            mcp_s: list[float] = []
            direct_s: list[float] = []
            statuses: dict[str, str] = {}
            for i in range(warmup + calls):
                question = QUESTIONS[i % len(QUESTIONS)]
                t0 = time.perf_counter()
                result = await client.call_tool("ask", {"question": question})
                t1 = time.perf_counter()
                assert not result.is_error, result.content
                if question not in statuses:
                    assert isinstance(result.structured_content, dict)
                    statuses[question] = str(result.structured_content["status"])
                memory.ask(question, tenant=TENANT)
                t2 = time.perf_counter()
                if i >= warmup:
                    mcp_s.append(t1 - t0)
                    direct_s.append(t2 - t1)
        finally:
            memory.close()
    mcp, direct = _stats(mcp_s), _stats(direct_s)
    return {"ask_over_mcp_stdio": mcp, "ask_in_process": direct,
            "protocol_overhead_p50_ms": round(mcp["p50_ms"] - direct["p50_ms"], 3),
            "server_start_and_connect_s": round(connected, 3), "answer_status": statuses}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mcp", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--store", help="store URL (default: a new temporary SQLite file)")
    parser.add_argument("--out", type=Path, help="also write the JSON report to this file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.store or f"sqlite:///{Path(tmp) / 'mcp-bench.db'}"
        measured = anyio.run(_measure, url, args.calls, args.warmup)
    from importlib.metadata import version

    report = {"benchmark": "mcp ask round trip (stdio)", "commit": _commit(),
              "at": datetime.now(UTC).isoformat(timespec="seconds"),
              "store": backend_of(url),
              "calls": args.calls, "warmup": args.warmup, **measured,
              "machine": {"python": platform.python_version(), "platform": platform.platform(),
                          "cpus": os.cpu_count(), "mcp": version("mcp"),
                          # a shared machine: the 1-minute load before and after the run
                          "load_average": [round(load_before, 2),
                                           round(os.getloadavg()[0], 2)]}}
    text = save_report(report, args.out)
    if args.json:
        print(text)
    else:
        m, d = report["ask_over_mcp_stdio"], report["ask_in_process"]
        print(f"ask over MCP (stdio): p50 {m['p50_ms']} ms, p90 {m['p90_ms']} ms, "
              f"p99 {m['p99_ms']} ms (n={m['n']})")
        print(f"ask in process:       p50 {d['p50_ms']} ms, p90 {d['p90_ms']} ms, "
              f"p99 {d['p99_ms']} ms")
        print(f"protocol + process overhead at p50: {report['protocol_overhead_p50_ms']} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
