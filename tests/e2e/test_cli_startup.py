"""`asof --help` and `asof --version` stay instant: the heavy packages (the MCP SDK, LangGraph,
FastAPI, spaCy) load only inside the commands that use them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e

HEAVY = ("mcp", "mcp_types", "langgraph", "fastapi", "spacy", "starlette")
PROBE = """
import json, sys
from asof.api.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(json.loads(HEAVY)))
print(json.dumps(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["mcp", "--help"]])
def test_help_and_version_import_no_heavy_package(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE.replace("HEAVY", repr(json.dumps(HEAVY))),
                           *args], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip(), "the command printed nothing"
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
