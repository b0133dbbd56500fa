"""Train the object tagger from annotated conversations (``asof train``).

Reproducible: the files are read in sorted order, the pipeline that annotates them is the same
code the tagger later runs behind, and L-BFGS has no random state, so the same files and
parameters give the same weights. The artifact records the data checksum it was trained on and
the commit of the code that annotated it.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pycrfsuite

from asof.extraction.tagger.corpus import checksum, gold_files, sequences
from asof.extraction.tagger.features import FEATURES_VERSION
from asof.extraction.tagger.model import META_FILE, MODEL_FILE

#: CRF parameters: elastic-net regularisation, L-BFGS. Chosen by cross-validation on train/
#: (docs/extraction.md).
DEFAULT_PARAMS: dict[str, Any] = {"c1": 0.05, "c2": 0.02, "max_iterations": 200,
                                  "feature.possible_transitions": True}

Progress = Callable[[str], None]


def _checkout_root() -> Path:
    """The folder holding the package's sources (a checkout, or site-packages when installed)."""
    import asof.extraction

    return Path(asof.extraction.__file__).resolve().parents[1]


def default_folders() -> list[Path]:
    """The checkout's own corpus/ and the shared train/ and dev/ sets, where present."""
    root = _checkout_root()
    candidates = [root / "corpus", root.parent / "shared" / "eval" / "train",
                  root.parent / "shared" / "eval" / "dev"]
    return [c for c in candidates if c.is_dir()]


def code_version() -> dict[str, Any] | None:
    """The commit of the checkout that trains, and whether its extraction code differs from it:
    the rules' candidates are features, so the same files under other rules give other
    weights. None outside a git checkout (an installed package)."""
    root = _checkout_root()
    if not (root / ".git").exists():
        return None
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                                capture_output=True, text=True, timeout=30).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "--",
             "extraction", "timex", "graph"],
            check=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "modified": bool(changed)}


def _docs_of(nlp: Any) -> Callable[[Path], Iterator[tuple[Any, Any]]]:
    from asof.extraction.pipeline import Pipeline
    from asof.extraction.readers import read_gold

    def docs_of(path: Path) -> Iterator[tuple[Any, Any]]:
        conversation = read_gold(path)
        pipeline = Pipeline("train", nlp=nlp)
        yield from zip(conversation.messages, pipeline.docs(conversation), strict=True)

    return docs_of


def train(folders: list[Path], out: Path, *, params: dict[str, Any] | None = None,
          progress: Progress | None = None) -> dict[str, Any]:
    """Train on every gold file under ``folders``; write the artifact into ``out``; return its
    metadata."""
    from asof.extraction.pipeline import build_nlp

    say = progress or (lambda _message: None)
    files = gold_files(folders)
    if not files:
        raise ValueError(f"no gold files (*.json) under {', '.join(map(str, folders))}")
    nlp = build_nlp(learned=False)
    trainer = pycrfsuite.Trainer(verbose=False)
    labels: Counter[str] = Counter()
    count = 0
    for index, sequence in enumerate(sequences(files, _docs_of(nlp))):
        trainer.append(sequence.features, sequence.labels)
        labels.update(label[2:] for label in sequence.labels if label.startswith("B-"))
        count = index + 1
        if count % 200 == 0:
            say(f"annotated {count} messages")
    say(f"annotated {count} messages from {len(files)} conversations; fitting the CRF")
    chosen = {**DEFAULT_PARAMS, **(params or {})}
    trainer.set_params(chosen)
    out.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out / MODEL_FILE))
    meta = {
        "name": "asof object tagger",
        "features_version": FEATURES_VERSION,
        "params": chosen,
        "messages": count,
        "spans_per_predicate": dict(sorted(labels.items())),
        "files": [f"{p.parent.name}/{p.name}" for p in files],
        "data_sha256": checksum(files),
        "code": code_version(),
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=1) + "\n")
    say(f"wrote {out / MODEL_FILE} ({(out / MODEL_FILE).stat().st_size // 1024} KiB)")
    return meta
