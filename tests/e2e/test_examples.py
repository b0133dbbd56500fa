"""The examples in examples/ run as documented, offline, on a real SQLite file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_langgraph_agent_remembers_across_threads(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "langgraph_memory.py"),
                           f"sqlite:///{tmp_path / 'memory.db'}"], capture_output=True,
                          text=True, timeout=300, check=True)
    lines = done.stdout.splitlines()
    assert any(line.startswith("[tuesday] agent: Your favourite editor is Vim") for line in lines)
    assert any(line.startswith("[wednesday] agent: Your favourite editor is Helix")
               for line in lines)
    assert any(line.endswith("the store held: Vim") for line in lines)
    assert lines[-1] == "audit chain verifies: True"
