"""The learned object tagger: labelling, features, and training end to end on a small slice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asof.extraction.tagger.corpus import checksum, labelled_objects, message_labels
from asof.extraction.tagger.features import doc_features, question_words
from asof.extraction.tagger.model import ModelArtifactError, ObjectTagger
from asof.extraction.tagger.train import train

pytestmark = pytest.mark.unit


def parsed(nlp, text: str):  # type: ignore[no-untyped-def]
    """The statistical annotations only (asof's own components need a message time)."""
    own = [name for name in nlp.pipe_names if name.startswith("asof_")
           and name != "asof_attributes_v1"]
    with nlp.select_pipes(disable=own):
        doc = nlp(text)
    doc._.asof_speaker = "Ana Ruiz"
    return doc

CONVERSATION = {
    "id": "toy-1",
    "aliases": {"Lisbon": ["lx"], "Tostadora Digital": ["tostadora"]},
    "messages": [
        {"id": "m1", "speaker": "Ana Ruiz", "role": "user", "at": "2024-03-05T09:00:00+00:00",
         "text": "new job!! ux lead @ tostadora, starting monday"},
        {"id": "m2", "speaker": "assistant", "role": "assistant",
         "at": "2024-03-05T09:00:05+00:00", "text": "Congrats! Where are you based?"},
        {"id": "m3", "speaker": "Ana Ruiz", "role": "user", "at": "2024-03-05T09:01:00+00:00",
         "text": "lx. not moving to porto, that was a joke"},
    ],
    "facts": [
        {"subject": "Ana Ruiz", "predicate": "works_at", "object": "Tostadora Digital",
         "valid_from": "2024-03-11", "valid_to": None, "evidence": ["m1"]},
        {"subject": "Ana Ruiz", "predicate": "job_title", "object": "ux lead",
         "valid_from": "2024-03-11", "valid_to": None, "evidence": ["m1"]},
        {"subject": "Ana Ruiz", "predicate": "lives_in", "object": "Lisbon",
         "valid_from": "2024-03-05", "valid_to": None, "evidence": ["m3"]},
    ],
    "questions": [],
}


def test_objects_are_labelled_through_their_aliases(nlp) -> None:  # type: ignore[no-untyped-def]
    objects = labelled_objects(CONVERSATION)
    doc = nlp.make_doc("new job!! ux lead @ tostadora, starting monday")
    labels = message_labels(doc, objects["m1"])
    assert [(t.text, label) for t, label in zip(doc, labels, strict=True) if label != "O"] == [
        ("ux", "B-job_title"), ("lead", "I-job_title"), ("tostadora", "B-works_at")]
    doc = nlp.make_doc("lx. not moving to porto, that was a joke")
    labels = message_labels(doc, objects["m3"])
    assert labels[0] == "B-lives_in" and labels.count("O") == len(doc) - 1  # porto stays O


def test_a_short_reply_sees_the_question_it_answers(nlp) -> None:  # type: ignore[no-untyped-def]
    assert question_words("Congrats! Where are you based?") == ["based"]
    doc = parsed(nlp, "lx.")
    assert "q=based" in doc_features(doc, "Congrats! Where are you based?")[0]
    long = parsed(nlp, "I have lived in a small flat in the old town of Lisbon for many years.")
    assert not any(f.startswith("q=") for f in doc_features(long, "Where are you based?")[0])


def test_training_end_to_end_is_deterministic(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "toy-1.json").write_text(json.dumps(CONVERSATION))
    first = train([data], tmp_path / "a")
    second = train([data], tmp_path / "b")
    assert (tmp_path / "a" / "object_tagger.crfsuite").read_bytes() == \
        (tmp_path / "b" / "object_tagger.crfsuite").read_bytes()
    assert first == second
    assert first["data_sha256"] == checksum([data / "toy-1.json"])
    assert first["messages"] == 2 and first["spans_per_predicate"] == {
        "job_title": 1, "lives_in": 1, "works_at": 1}
    tagger = ObjectTagger(tmp_path / "a")
    assert tagger.meta["files"] == ["data/toy-1.json"]


def test_a_missing_or_stale_artifact_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(ModelArtifactError, match="asof train"):
        ObjectTagger(tmp_path)
    (tmp_path / "object_tagger.crfsuite").write_bytes(b"")
    (tmp_path / "object_tagger.json").write_text(json.dumps({"features_version": -1}))
    with pytest.raises(ModelArtifactError, match="run `asof train` again"):
        ObjectTagger(tmp_path)
