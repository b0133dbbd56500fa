"""The static embedder (``ASOF_EMBEDDER=static``) runs from the files inside its wheel: with
every socket refused in a fresh process it still loads and embeds, and its vectors are unit
length and put a related text nearer than an unrelated one."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from asof.query.embedding import StaticEmbedder, make_embedder

pytestmark = pytest.mark.e2e

NO_NETWORK = """
import json, socket
def refuse(*args, **kwargs):
    raise OSError("network refused by the test")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from asof.query.embedding import make_embedder
embedder = make_embedder("static")
vectors = embedder.embed(["Ran my first 42k on Sunday", "We bought a new sofa"])
print(json.dumps({"model": embedder.model_id, "dim": embedder.dim,
                  "lengths": [len(v) for v in vectors]}))
"""


def test_it_loads_and_embeds_with_the_network_refused() -> None:
    done = subprocess.run([sys.executable, "-c", NO_NETWORK], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["model"].startswith("wordllama-") and report["model"].endswith("-256")
    assert report["dim"] == 256 and report["lengths"] == [256, 256]


def test_vectors_are_unit_length_and_related_texts_are_nearer() -> None:
    embedder = make_embedder("static")
    assert isinstance(embedder, StaticEmbedder)
    diary, sofa, query = embedder.embed(
        ["Maya: ran my first 42k on Sunday, legs still dead", "Maya: we bought a new sofa",
         "marathon"], query=False)
    assert all(abs(sum(x * x for x in v) - 1.0) < 1e-4 for v in (diary, sofa, query))

    def cosine(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cosine(query, diary) > cosine(query, sofa)
    assert embedder.embed([]) == []
