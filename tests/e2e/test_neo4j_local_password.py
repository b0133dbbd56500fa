"""scripts/neo4j-local sets the server's initial password with neo4j-admin: any password
works, including one that starts with '-' (the generated one does, one time in 64).

Runs neo4j-admin itself on a fresh data directory, reusing the jars `make test` resolved
under .neo4j/ (hence the neo4j marker); no server is started.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

ROOT = Path(__file__).resolve().parents[2]


def _load_script() -> ModuleType:
    path = ROOT / "scripts" / "neo4j-local"
    loader = importlib.machinery.SourceFileLoader("neo4j_local", str(path))
    spec = importlib.util.spec_from_loader("neo4j_local", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.mark.parametrize("password", ["-Xq7_leading-dash", "plain-Password-9"])
def test_initial_password_is_set_whatever_its_first_character(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str) -> None:
    cached = ROOT / ".neo4j"
    if not (cached / "classpath.txt").exists():
        pytest.fail("no resolved Neo4j jars in .neo4j/: run `scripts/neo4j-local up` once "
                    "(make test does)")
    for name in ("classpath.txt", "classpath.key"):
        shutil.copy(cached / name, tmp_path / name)
    monkeypatch.setenv("ASOF_NEO4J_LOCAL_DIR", str(tmp_path))
    script = _load_script()
    lay = script.Layout()
    jars = script.resolve(lay)
    script.write_conf(lay, 7799)

    script.set_initial_password(lay, script.java_bin(), ":".join(jars), password)

    auth = lay.data / "dbms" / "auth.ini"
    assert auth.exists(), f"neo4j-admin wrote no {auth}"
    assert password not in auth.read_text()  # stored hashed, never in clear
