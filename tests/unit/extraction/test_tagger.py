"""The learned object tagger: labelling, features, and training end to end on a small slice."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import asof.extraction
from asof.extraction.tagger.corpus import checksum, labelled_objects, message_labels
from asof.extraction.tagger.features import doc_features, question_words
from asof.extraction.tagger.model import ModelArtifactError, ObjectTagger, TaggedSpan
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
    "aliases": {"Tallinn": ["tln"], "Brasa Digital": ["brasa"]},
    "messages": [
        {"id": "m1", "speaker": "Ana Ruiz", "role": "user", "at": "2024-03-05T09:00:00+00:00",
         "text": "new job!! ux lead @ brasa, starting monday"},
        {"id": "m2", "speaker": "assistant", "role": "assistant",
         "at": "2024-03-05T09:00:05+00:00", "text": "Congrats! Where are you based?"},
        {"id": "m3", "speaker": "Ana Ruiz", "role": "user", "at": "2024-03-05T09:01:00+00:00",
         "text": "tln. not moving to riga, that was a joke"},
    ],
    "facts": [
        {"subject": "Ana Ruiz", "predicate": "works_at", "object": "Brasa Digital",
         "valid_from": "2024-03-11", "valid_to": None, "evidence": ["m1"]},
        {"subject": "Ana Ruiz", "predicate": "job_title", "object": "ux lead",
         "valid_from": "2024-03-11", "valid_to": None, "evidence": ["m1"]},
        {"subject": "Ana Ruiz", "predicate": "lives_in", "object": "Tallinn",
         "valid_from": "2024-03-05", "valid_to": None, "evidence": ["m3"]},
    ],
    "questions": [],
}


def test_objects_are_labelled_through_their_aliases(nlp) -> None:  # type: ignore[no-untyped-def]
    objects = labelled_objects(CONVERSATION)
    doc = nlp.make_doc("new job!! ux lead @ brasa, starting monday")
    labels = message_labels(doc, objects["m1"])
    assert [(t.text, label) for t, label in zip(doc, labels, strict=True) if label != "O"] == [
        ("ux", "B-job_title"), ("lead", "I-job_title"), ("brasa", "B-works_at")]
    doc = nlp.make_doc("tln. not moving to riga, that was a joke")
    labels = message_labels(doc, objects["m3"])
    assert labels[0] == "B-lives_in" and labels.count("O") == len(doc) - 1  # riga stays O


def test_a_short_reply_sees_the_question_it_answers(nlp) -> None:  # type: ignore[no-untyped-def]
    assert question_words("Congrats! Where are you based?") == ["based"]
    doc = parsed(nlp, "tln.")
    assert "q=based" in doc_features(doc, "Congrats! Where are you based?")[0]
    long = parsed(nlp, "I have lived in a small flat in the old town of Tallinn for many years.")
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
    # the commit of the code that annotated the data (the rules' candidates are features)
    root = Path(asof.extraction.__file__).resolve().parents[1]
    if (root / ".git").exists():
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
        assert tagger.meta["code"]["commit"] == head and len(head) == 40
        assert isinstance(tagger.meta["code"]["modified"], bool)
    else:
        assert tagger.meta["code"] is None


def test_a_missing_or_stale_artifact_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(ModelArtifactError, match="asof train"):
        ObjectTagger(tmp_path)
    (tmp_path / "object_tagger.crfsuite").write_bytes(b"")
    (tmp_path / "object_tagger.json").write_text(json.dumps({"features_version": -1}))
    with pytest.raises(ModelArtifactError, match="run `asof train` again"):
        ObjectTagger(tmp_path)


def _toy_conversation(index: int, lines: list[tuple[str, str]]) -> dict[str, object]:
    messages, facts = [], []
    for k, (text, sport) in enumerate(lines):
        messages.append({"id": f"m{k}", "speaker": "Ana Ruiz", "role": "user",
                         "at": f"2024-03-{k + 1:02d}T09:00:00+00:00", "text": text})
        if sport:
            facts.append({"subject": "Ana Ruiz", "predicate": "plays", "object": sport,
                          "valid_from": f"2024-03-{k + 1:02d}", "valid_to": None,
                          "evidence": [f"m{k}"]})
    return {"id": f"toy-{index}", "aliases": {}, "messages": messages, "facts": facts,
            "questions": []}


def test_a_new_predicate_needs_only_the_registry_and_annotated_data(tmp_path: Path) -> None:
    """A toy predicate ("plays" a sport) is added the way a deployment would: a registry entry
    and annotated conversations; `asof train` learns it, the pipeline extracts it. No code."""
    from datetime import UTC, datetime

    from asof.extraction import Conversation, Message, Pipeline, build_nlp
    from asof.graph.models import Role
    from asof.graph.predicates import LITERAL, Cardinality, Predicate, default_registry

    sports = ["tennis", "chess", "rugby", "padel", "squash", "hockey", "golf", "cricket"]
    data = tmp_path / "data"
    data.mkdir()
    for index in range(8):
        sport = sports[index]
        lines = [(f"I play {sport} every weekend now.", sport),
                 (f"my brother wants me to try {sports[(index + 3) % 8]} but no thanks", ""),
                 (f"been playing {sports[(index + 5) % 8]} since school honestly",
                  sports[(index + 5) % 8]),
                 ("work is busy, nothing new there", "")]
        (data / f"toy-{index}.json").write_text(json.dumps(_toy_conversation(index, lines)))
    train([data], tmp_path / "model")
    registry = default_registry().extended([Predicate(
        "plays", Cardinality.MANY, ("person",), ("concept", LITERAL), description="sport")])
    nlp = build_nlp(tagger_model=str(tmp_path / "model"))
    at = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
    found = [a for _, fs in Pipeline("toy", nlp=nlp, registry=registry).extract(Conversation(
        "c", [Message("Bea Lopez", Role.USER, at, "I play volleyball every weekend now.")]))
        for a in fs]
    assert [(a.subject.name, a.predicate, a.value or (a.object and a.object.name))
            for a in found if a.predicate == "plays"] == [("Bea Lopez", "plays", "volleyball")]
    # the default registry does not know it: the same model proposes nothing there
    plain = [a for _, fs in Pipeline("toy", nlp=nlp).extract(Conversation(
        "c", [Message("Bea Lopez", Role.USER, at, "I play volleyball every weekend now.")]))
        for a in fs]
    assert not [a for a in plain if a.predicate == "plays"]


def test_tagging_from_several_threads_gives_what_one_thread_gives(  # type: ignore[no-untyped-def]
        nlp) -> None:
    """The REST server extracts in a thread pool: a tag and the marginals read after it must
    not see another thread's sequence (once "The position, 9 is out of range of 6")."""
    from concurrent.futures import ThreadPoolExecutor

    from asof.extraction.tagger.model import default_dir

    tagger = ObjectTagger(default_dir())
    texts = ["design lead @ quillon since march, moved to tallinn", "hamburg. 2 cats",
             "I work at Kestrel Labs as a data analyst and live in Tromsø now", "ok"]
    sequences = [doc_features(parsed(nlp, t)) for t in texts]
    serial = [tagger.spans(f, 0.0) for f in sequences]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: tagger.spans(sequences[i % 4], 0.0), range(4000)))
    assert all(r == serial[i % 4] for i, r in enumerate(results))


class _CatNameTagger:
    """Stands in for a tagger that reads "mochi" as a pet: a learned candidate whatever the
    shipped model happens to tag."""

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        return [TaggedSpan(i, i + 1, "has_pet", 0.9) for i, token in enumerate(features)
                if "w=mochi" in token]


def test_the_readers_after_the_candidates_write_rules_records(  # type: ignore[no-untyped-def]
        learned_nlp, monkeypatch) -> None:
    """The phrase and role readers run after the candidates: their records are the rules',
    not the tagger's, whichever candidate came last (the tagger's are dropped where a rule
    says the same, and restatements of held facts are read as mentions)."""
    from datetime import datetime, timedelta, timezone

    from asof.extraction import Conversation, Message, Pipeline
    from asof.extraction.tagger import component
    from asof.graph.models import Role

    monkeypatch.setattr(component, "load", lambda _model: _CatNameTagger())
    at = datetime(2024, 6, 12, 10, tzinfo=timezone(timedelta(hours=2)))
    pipeline = Pipeline("unit", nlp=learned_nlp)
    pipeline.extract(Conversation("c", [
        Message("Maren Holt", Role.USER, at, "hamburg. 2 cats. mochi + pixel", id="u0"),
        Message("Maren Holt", Role.USER, at + timedelta(minutes=1),
                "Oskar Lindgren is my husband, by the way.", id="u1")]))
    state = pipeline._known
    assert state is not None
    assert any(r.learned for r in state.records if r.predicate == "has_pet")
    spouse = [r for r in state.records if r.predicate == "married_to"]
    assert spouse and not any(r.learned for r in spouse)


def _extracted_with(learned_nlp, monkeypatch, tagger, texts: list[str],  # type: ignore[no-untyped-def]
                    at: datetime | None = None) -> list:  # type: ignore[type-arg]
    """Extraction with ``tagger`` standing in for the trained one: the assertions of Maren
    Holt's messages ``texts``, a minute apart from ``at``."""
    from asof.extraction import Conversation, Message, Pipeline
    from asof.extraction.tagger import component
    from asof.graph.models import Role

    monkeypatch.setattr(component, "load", lambda _model: tagger)
    at = at or datetime(2024, 6, 12, 10, tzinfo=timezone(timedelta(hours=2)))
    messages = [Message("Maren Holt", Role.USER, at + timedelta(minutes=i), text, id=f"u{i}")
                for i, text in enumerate(texts)]
    return [a for _, found in Pipeline("unit", nlp=learned_nlp).extract(
        Conversation("c", messages)) for a in found]


def _found_with(learned_nlp, monkeypatch, tagger):  # type: ignore[no-untyped-def]
    """Extraction with ``tagger`` standing in for the trained one: the (predicate, object)
    pairs of one message of Maren Holt's."""
    def found(text: str) -> set[tuple[str, str]]:
        return {(a.predicate, a.object.name if a.object else "")
                for a in _extracted_with(learned_nlp, monkeypatch, tagger, [text])}

    return found


class _GroupTagger:
    """Stands in for a tagger that reads "Fjord Otters" as a group the speaker belongs to and
    "Volvo" as something owned."""

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        found = [TaggedSpan(i, i + 2, "member_of", 0.9) for i, token in enumerate(features)
                 if "w=fjord" in token and i + 1 < len(features) and
                 "w=otters" in features[i + 1]]
        return found + [TaggedSpan(i, i + 1, "owns", 0.9) for i, token in enumerate(features)
                        if "w=volvo" in token]


def test_spans_of_gated_predicates_need_their_cue(learned_nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """data/tagger_gates.json: a membership the tagger reads stands only beside a group word,
    and what is owned is left to the rules."""
    found = _found_with(learned_nlp, monkeypatch, _GroupTagger())

    assert ("member_of", "Fjord Otters") in found("I'm in the Fjord Otters rowing club now.")
    assert not any(p == "member_of" for p, _ in found(
        "I'm in the Fjord Otters now, rowing on Sundays."))
    assert not any(p == "owns" for p, _ in found("Drove the Volvo up to Røros today."))


class _SpouseTagger:
    """Stands in for a tagger that reads every "Tomas" and "Ines" as the speaker's spouse."""

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        return [TaggedSpan(i, i + 1, "married_to", 0.9) for i, token in enumerate(features)
                if "w=tomas" in token or "w=ines" in token]


def test_a_tagged_spouse_yields_to_the_rules_one(learned_nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """data/tagger_gates.json ("rules_first"): one spouse. Where a rule reads the spouse of a
    clause, another person the tagger reads there is not a second one; alone, it stands."""
    found = _found_with(learned_nlp, monkeypatch, _SpouseTagger())

    def spouses(text: str) -> set[str]:
        return {obj for predicate, obj in found(text) if predicate == "married_to" and obj}

    assert spouses("My wife Ines and her cousin Tomas flew in from Bergen.") == {"Ines"}
    assert spouses("Tomas and I finally tied the knot in Bergen!") == {"Tomas"}


class _UnsureHomeTagger:
    """Stands in for a tagger that reads "Molde" as a home, unsure of it, and "Bergen" surely."""

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        return [TaggedSpan(i, i + 1, "lives_in", 0.4 if "w=molde" in token else 0.9)
                for i, token in enumerate(features) if "w=molde" in token or "w=bergen" in token]


def test_a_home_the_tagger_is_unsure_of_is_left_out(learned_nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """data/tagger_gates.json ("min_confidence"): a home read wrongly replaces the one known,
    so a tagged home needs more confidence than the tagger's threshold."""
    found = _found_with(learned_nlp, monkeypatch, _UnsureHomeTagger())

    def homes(text: str) -> set[str]:
        return {obj for predicate, obj in found(text) if predicate == "lives_in" and obj}

    assert homes("ok so Molde these days, quiet but nice") == set()
    assert homes("ok so Bergen these days, quiet but nice") == {"Bergen"}


class _EmployerTagger:
    """Stands in for a tagger that reads the name of ``width`` words starting with ``word``
    (lower case) as an employer."""

    def __init__(self, word: str, width: int) -> None:
        self.feature, self.width = f"w={word}", width

    def spans(self, features: list[list[str]], threshold: float) -> list[TaggedSpan]:
        return [TaggedSpan(i, i + self.width, "works_at", 0.9)
                for i, token in enumerate(features)
                if self.feature in token and i + self.width <= len(features)]


def _jobs(found: list) -> set[tuple[str, str | None]]:  # type: ignore[type-arg]
    return {(a.subject.name, a.object.name if a.object else None)
            for a in found if a.predicate == "works_at"}


def test_a_tagged_job_stands_beside_the_rules_end_of_it(learned_nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A rule that reads only the end of a job ("last day 5/31") does not say the job was
    held: the tagger's reading of it stands, with the start the message gives, and the rule's
    end closes it."""
    from asof.graph.models import AssertionKind

    found = [a for a in _extracted_with(
        learned_nlp, monkeypatch, _EmployerTagger("fjellvik", 2),
        ["- Applicant: Maren Holt, RN. ICU nurse at Fjellvik Hospital in Tromsø since 2017, "
         "last day 5/31."], datetime(2024, 4, 22, 11, 30, tzinfo=timezone(timedelta(hours=-8))))
        if a.predicate == "works_at"]

    held = [a for a in found if a.kind is AssertionKind.ASSERT]
    assert [(a.object.name if a.object else None, a.valid_from and a.valid_from.year)
            for a in held] == [("Fjellvik Hospital", 2017)]
    assert any(a.kind is AssertionKind.RETRACT and a.valid_from is not None and
               a.valid_from.month == 5 and a.valid_from.day == 31 for a in found)


def test_a_speakers_tagged_job_stands_beside_a_colleagues(learned_nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A rule reads Oskar's job from "with us"; the speaker's own job at the same employer,
    which only the tagger reads, stands beside it."""
    jobs = _jobs(_extracted_with(
        learned_nlp, monkeypatch, _EmployerTagger("fjellsoft", 1),
        ["handover sheet, dictating between two meetings:\n"
         "- Me: backend team lead, Fjellsoft, since 2022.03.\n"
         "- Team: Oskar Lindgren, senior backend engineer, with us since 2019."],
        datetime(2024, 11, 4, 9, tzinfo=timezone(timedelta(hours=9)))))
    assert jobs == {("Maren Holt", "Fjellsoft"), ("Oskar Lindgren", "Fjellsoft")}, jobs


def test_a_speakers_tagged_job_does_not_replace_the_one_held(learned_nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The tagger reads the client named before "met their CTO" as the speaker's employer; a
    rule reads it as the CTO's. The speaker holds another job already, so the rule's reading
    stands alone (a second employer would end the first)."""
    jobs = _jobs(_extracted_with(
        learned_nlp, monkeypatch, _EmployerTagger("fjellsoft", 2),
        ["I'm a solutions architect at Kestrel Labs. Yesterday I flew to Singapore for a "
         "client visit.",
         "Fjellsoft Data — met their CTO, Ilse Brandt, she wants us onsite again next quarter"],
        datetime(2024, 3, 15, 11, tzinfo=timezone(timedelta(hours=8)))))
    assert ("Maren Holt", "Kestrel Labs") in jobs
    assert ("Ilse Brandt", "Fjellsoft Data") in jobs
    assert ("Maren Holt", "Fjellsoft Data") not in jobs, jobs
