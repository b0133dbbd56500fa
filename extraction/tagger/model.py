"""The trained tagger artifact: ``object_tagger.crfsuite`` (the CRF weights) and
``object_tagger.json`` (what it was trained on: data checksum, files, seed, parameters, feature
version). Both ship inside the package (``asof/extraction/models/``)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycrfsuite

from asof.extraction.tagger.features import FEATURES_VERSION
from asof.graph.errors import AsofError

MODEL_FILE = "object_tagger.crfsuite"
META_FILE = "object_tagger.json"


def default_dir() -> Path:
    """The folder of the shipped artifact."""
    return Path(str(resources.files("asof.extraction").joinpath("models")))


class ModelArtifactError(AsofError):
    """The trained artifact is missing or does not fit this code."""


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    start: int  #: token index
    end: int  #: token index, exclusive
    predicate: str
    confidence: float  #: the model's marginal probability of the span's labels (mean)


class ObjectTagger:
    """Loads a trained artifact and tags token feature sequences."""

    def __init__(self, folder: Path) -> None:
        meta_path = folder / META_FILE
        model_path = folder / MODEL_FILE
        if not model_path.is_file() or not meta_path.is_file():
            raise ModelArtifactError(
                f"no trained tagger in {folder} (expected {MODEL_FILE} and {META_FILE}); "
                "run `asof train` to make one")
        self.meta: dict[str, Any] = json.loads(meta_path.read_text())
        if self.meta.get("features_version") != FEATURES_VERSION:
            raise ModelArtifactError(
                f"{model_path} was trained on features v{self.meta.get('features_version')}, "
                f"this code makes v{FEATURES_VERSION}: run `asof train` again")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))
        # A Tagger keeps the last sequence it tagged, and marginal() reads that sequence:
        # one process tags from several threads (the REST server's pool), so a tag and the
        # marginals read after it must not interleave with another thread's tag.
        self._lock = threading.Lock()

    def spans(self, features: list[list[str]], threshold: float = 0.5) -> list[TaggedSpan]:
        """The most likely labelling's spans whose mean marginal probability passes
        ``threshold``."""
        if not features:
            return []
        with self._lock:
            return self._spans(features, threshold)

    def _spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        tagger = self._tagger
        labels = tagger.tag(features)
        found: list[TaggedSpan] = []
        i = 0
        while i < len(labels):
            if labels[i] == "O":
                i += 1
                continue
            predicate = labels[i][2:]
            j = i + 1
            while j < len(labels) and labels[j] == f"I-{predicate}":
                j += 1
            confidence = sum(tagger.marginal(labels[k], k) for k in range(i, j)) / (j - i)
            if confidence >= threshold:
                found.append(TaggedSpan(i, j, predicate, confidence))
            i = j
        return found


@cache
def load(folder: str | None = None) -> ObjectTagger:
    """The artifact in ``folder`` (default: the shipped one), loaded once per process."""
    return ObjectTagger(Path(folder) if folder else default_dir())
