"""The import graph follows the layers of DESIGN.md §1: ``api -> query -> graph <- extraction``,
with ``timex`` (time expressions) a leaf that extraction, query and the evaluations share.

Every ``import`` and ``from ... import`` in every source file is read with :mod:`ast` (function-
level imports included), so a lazy import against the layering fails here too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]

#: Which asof subpackages each layer may import (itself always allowed).
ALLOWED: dict[str, set[str]] = {
    "graph": {"cypher"},
    "cypher": set(),
    "timex": {"graph"},
    "extraction": {"graph", "timex"},
    "query": {"graph", "timex"},
    # bench/ is not installed: only `asof eval` reaches into a checkout's bench/evals.
    "api": {"graph", "timex", "query", "extraction", "bench"},
}


def _asof_imports(path: Path) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "asof":
                names += [f"asof.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "asof" and len(parts) > 1 and parts[1] in ALLOWED:
                found.add((parts[1], node.lineno))
            elif parts[0] == "bench":
                found.add(("bench", node.lineno))
            elif parts[0] in ALLOWED:
                found.add((f"bare:{parts[0]}", node.lineno))
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_it_may(layer: str) -> None:
    bad = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for target, line in sorted(_asof_imports(path)):
            if target.startswith("bare:"):
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {target[5:]} outside the "
                           "asof namespace")
            elif target != layer and target not in ALLOWED[layer]:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports asof.{target}")
    assert not bad, "imports against the layering:\n" + "\n".join(bad)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from asof.extraction.pipeline import build_nlp\n"
                      "import graph.models\n")
    assert _asof_imports(source) == {("extraction", 2), ("bare:graph", 3)}


def test_the_cli_starts_without_its_heavy_dependencies() -> None:
    """`asof --help` and `asof --version` stay instant: importing the CLI loads no language
    model, web framework, database driver or pydantic model (commands import them inside)."""
    import subprocess
    import sys

    script = ("import sys, asof.api.cli\n"
              "print('\\n'.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, timeout=60).stdout.split()
    heavy = {"spacy", "fastapi", "starlette", "neo4j", "pydantic", "networkx", "uvicorn",
             "dateparser", "asof.extraction", "asof.graph.models", "asof.query"}
    assert not [m for m in loaded if m in heavy or m.rsplit(".", 1)[0] in heavy
                or any(m.startswith(h + ".") for h in heavy)]
