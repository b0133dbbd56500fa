"""What every benchmark result file records about its run: the commit measured, the machine,
its load (``os.getloadavg``) and ``nproc``, and the peak RSS; plus the progress log."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def server_rss_mb(pid_file: str | None) -> dict[str, float] | None:
    if not pid_file:
        return None
    try:
        pid = Path(pid_file).read_text().strip()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    out = {}
    for line in status.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out


def versions_of(pkg: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(pkg)
    except Exception:
        return None


def machine() -> dict[str, Any]:
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        mem_gb = round(int(mem) / 1024 / 1024, 1)
    except OSError:
        mem_gb = None
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "cpu": cpu, "mem_gb": mem_gb,
            "graphiti_core": versions_of("graphiti-core"), "neo4j_driver": versions_of("neo4j"),
            "java": _java()}


def _java() -> str | None:
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=20)
        return out.stderr.splitlines()[0] if out.stderr else None
    except (OSError, subprocess.SubprocessError):
        return None


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent, timeout=20)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True,
                               cwd=Path(__file__).resolve().parent, timeout=20).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "") if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def redacted(argv: list[str]) -> list[str]:
    """``argv`` without the value of ``--password`` (result files are committed)."""
    out = list(argv)
    for i, arg in enumerate(out):
        if arg == "--password" and i + 1 < len(out):
            out[i + 1] = "***"
        elif arg.startswith("--password="):
            out[i] = "--password=***"
    return out


def save_report(report: dict[str, Any], out: str | Path | None) -> str:
    """``report`` as indented JSON (values JSON has no type for as strings), written to
    ``out`` (its folder made) when given; returned for printing."""
    text = json.dumps(report, indent=2, default=str)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text + "\n", encoding="utf-8")
    return text


def header(benchmark: str, argv: list[str]) -> dict[str, Any]:
    """The fields every result file starts with."""
    return {"benchmark": benchmark, "argv": redacted(argv), "commit": git_commit(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": machine(), "nproc": os.cpu_count(), "loadavg_start": loadavg()}
