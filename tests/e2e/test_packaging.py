"""The built wheel as a user gets it: one ``asof`` namespace, its data files, and the README's
Python example working in an app that has its own ``api/`` package.

Builds the wheel from a copy of the source tree, installs it (no dependencies: those come from the
test environment's site-packages, appended after the fresh venv's own) into a fresh venv, and
runs the example there from a folder holding an unrelated ``api/`` package.
"""

from __future__ import annotations

import re
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
_SKIP = shutil.ignore_patterns(".git", ".venv", ".neo4j", "__pycache__", "build", "*.egg-info",
                               ".pytest_cache", ".mypy_cache", ".ruff_cache", "*.db")


def _run(args: list[str], cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src") / "asof"
    shutil.copytree(ROOT, src, ignore=_SKIP)
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
         cwd=out)
    (built,) = out.glob("asof-*.whl")
    return built


def test_wheel_installs_one_namespace_with_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"asof"}
    for needed in ("asof/py.typed", "asof/api/data/demo.jsonl", "asof/timex/__init__.py",
                   "asof/extraction/data/common_words.tsv",
                   "asof/extraction/data/vague_nouns.txt",
                   "asof/extraction/models/object_tagger.crfsuite",
                   "asof/extraction/models/object_tagger.json",
                   "asof/graph/sqlite/sql/schema/0001_initial.sql",
                   "asof/cypher/read/versions_by_subject.cypher",
                   "asof/extraction/llm/prompts/claims-v1.txt"):
        assert needed in names, needed
    # Every named statement of both adapters ships (a missing one fails only when it runs),
    # every prompt version of the LLM extractor, every template and static file of the web
    # UI, and every data file the layers read at run time.
    for folder, suffix in (("graph/sqlite/sql", ".sql"), ("cypher", ".cypher"),
                           ("extraction/llm/prompts", ".txt"), ("api/ui/templates", ".html"),
                           ("api/ui/static", ""), ("extraction/data", ""), ("query/data", ""),
                           ("timex/data", "")):
        for statement in sorted((ROOT / folder).rglob(f"*{suffix}")):
            shipped = f"asof/{statement.relative_to(ROOT)}"
            assert shipped in names, shipped
    assert not any(n.startswith(("bench/", "tests/", "asof/bench")) for n in names)

    # every source module of every layer, subpackages included (a folder missing from
    # pyproject's package list would install without its modules)
    for layer in ("graph", "extraction", "query", "api", "cypher", "timex"):
        for module in sorted((ROOT / layer).rglob("*.py")):
            packaged = f"asof/{module.relative_to(ROOT).as_posix()}"
            assert packaged in names, f"{packaged} is not in the wheel"


def test_readme_example_runs_beside_an_app_named_api(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
         cwd=tmp_path)
    fresh_site = Path(_run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                           cwd=tmp_path).strip())
    # The dependencies (spaCy, pydantic, ...) from the test environment, after the fresh venv's
    # own packages; the test environment's editable asof is not activated by a plain path entry.
    (fresh_site / "zz_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    app = tmp_path / "app"
    (app / "api").mkdir(parents=True)
    (app / "api" / "__init__.py").write_text("ROUTES = ['/health']  # the app's own package\n")
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"```python\n(.*?)```", readme, re.S)
    assert example, "README.md has no Python example"
    (app / "example.py").write_text(
        example.group(1) + "\nimport api\nassert api.ROUTES == ['/health']\n"
        "print(mem.ask('Where did Priya work in June 2024?', tenant='acme').answers)\n")
    assert _run([str(python), "example.py"], cwd=app).strip().splitlines()[-1] == "['Acme Corp']"

    script = "import asof, asof.api.cli; print(asof.__version__, asof.__file__)"
    version, location = _run([str(python), "-c", script], cwd=app).split()
    assert version == _project_version()
    assert Path(location).is_relative_to(fresh_site)


def _project_version() -> str:
    found = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert found
    return found.group(1)
