"""Annotated conversations → token sequences labelled for the tagger.

A gold fact (``shared/eval/FORMAT.md``) names the messages that state it (``evidence``). In each
such user message, every occurrence of the object's canonical name or one of its aliases
(case-insensitive, on word boundaries) is labelled with the predicate, BIO-encoded: ``B-works_at``,
``I-works_at``, ``O``. Mentions of the same object in messages that are not its evidence stay
``O``: a plan that fell through, a negation or a joke teaches the model what is not a fact.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

OUTSIDE = "O"


@dataclass(frozen=True, slots=True)
class Sequence:
    """One user message: its features and labels, token by token."""

    conversation: str
    message: str
    features: list[list[str]]
    labels: list[str]


def gold_files(folders: Iterable[Path]) -> list[Path]:
    """Every ``*.json`` gold file under the folders, in a stable order."""
    files: list[Path] = []
    for folder in folders:
        files.extend(sorted(p for p in Path(folder).rglob("*.json") if p.is_file()))
    return files


def checksum(files: Iterable[Path]) -> str:
    """SHA-256 over the files' names and bytes: what an artifact was trained on."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _forms(name: str, aliases: dict[str, list[str]]) -> list[str]:
    forms = {name}
    for canonical, others in aliases.items():
        group = {canonical, *others}
        if any(f.casefold() == name.casefold() for f in group):
            forms |= group
    return sorted((f for f in forms if f.strip()), key=len, reverse=True)


def message_labels(doc: Doc, objects: list[tuple[str, list[str]]]) -> list[str]:
    """BIO labels for ``doc`` given ``(predicate, surface forms)`` of the facts it states."""
    labels = [OUTSIDE] * len(doc)
    text = doc.text
    for predicate, forms in objects:
        for form in forms:
            pattern = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)", re.IGNORECASE)
            for match in pattern.finditer(text):
                span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
                if span is None or any(labels[k] != OUTSIDE for k in range(span.start, span.end)):
                    continue
                labels[span.start] = f"B-{predicate}"
                for k in range(span.start + 1, span.end):
                    labels[k] = f"I-{predicate}"
    return labels


def labelled_objects(data: dict[str, Any]) -> dict[str, list[tuple[str, list[str]]]]:
    """Message id → ``(predicate, surface forms of the object)`` for every gold fact."""
    aliases: dict[str, list[str]] = data.get("aliases") or {}
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for fact in data.get("facts", []):
        forms = _forms(str(fact["object"]), aliases)
        for message_id in fact.get("evidence") or []:
            found.setdefault(str(message_id), []).append((fact["predicate"], forms))
    return found


def sequences(files: Iterable[Path], docs_of: Any) -> Iterator[Sequence]:
    """Labelled sequences of every user message of every file. ``docs_of(path)`` returns the
    conversation's messages and their annotated docs (with the rules' candidates, without the
    tagger), as the pipeline makes them."""
    from asof.extraction.tagger.features import doc_features

    for path in files:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        objects = labelled_objects(data)
        for message, doc in docs_of(path):
            if message.role.value != "user" or not len(doc):
                continue
            yield Sequence(path.stem, message.id or "", doc_features(doc, doc._.asof_prompt),
                           message_labels(doc, objects.get(message.id or "", [])))
