"""Readers: every format, validation of the whole file, naive timestamps and assume_tz."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from asof.extraction import (
    Conversation,
    InputFileError,
    Message,
    read_conversations,
    read_gold,
    read_jsonl,
    read_locomo,
    read_openai_chat,
    read_transcript,
)
from asof.graph.errors import InvalidInputError
from asof.graph.models import Role

pytestmark = pytest.mark.unit


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_groups_conversations(tmp_path: Path) -> None:
    lines = [
        {"id": "a1", "conversation_id": "A", "speaker": "Ilse", "role": "user",
         "at": "2024-03-01T09:00:00+01:00", "text": "I live in Delft."},
        {"conversation_id": "B", "speaker": "Omar", "role": "user",
         "at": "2024-03-01T10:00:00Z", "text": "Hello"},
        {"id": "a2", "conversation_id": "A", "speaker": "assistant", "role": "assistant",
         "at": "2024-03-01T09:00:05+01:00", "text": "Nice!"},
    ]
    path = write(tmp_path, "x.jsonl", "\n".join(json.dumps(x) for x in lines))
    convs = read_jsonl(path)
    assert [c.id for c in convs] == ["A", "B"]
    assert [m.id for m in convs[0].messages] == ["a1", "a2"]
    assert convs[0].messages[1].role is Role.ASSISTANT
    assert convs[0].messages[0].at.utcoffset() == timedelta(hours=1)


def test_jsonl_error_names_file_line_and_field(tmp_path: Path) -> None:
    good = {"speaker": "Ilse", "role": "user", "at": "2024-03-01T09:00:00+01:00", "text": "hi"}
    bad = {**good, "at": "yesterday"}
    path = write(tmp_path, "bad.jsonl", f"{json.dumps(good)}\n\n{json.dumps(bad)}\n")
    with pytest.raises(InputFileError) as info:
        read_jsonl(path)
    assert info.value.line == 3 and info.value.field == "at"
    assert "bad.jsonl:3" in str(info.value)
    assert isinstance(info.value, InvalidInputError)


def test_naive_timestamps_need_an_explicit_zone(tmp_path: Path) -> None:
    line = {"speaker": "Ilse", "role": "user", "at": "2024-03-01T09:00:00", "text": "hi"}
    path = write(tmp_path, "naive.jsonl", json.dumps(line))
    with pytest.raises(InputFileError, match="assume_tz"):
        read_jsonl(path)
    (conv,) = read_jsonl(path, assume_tz="Europe/Oslo")
    assert conv.messages[0].at.utcoffset() == timedelta(hours=1)
    with pytest.raises(InvalidInputError, match="zoneinfo"):
        read_jsonl(path, assume_tz="Mars/Olympus")


def test_nothing_is_returned_from_a_file_that_fails_late(tmp_path: Path) -> None:
    good = {"speaker": "Ilse", "role": "user", "at": "2024-03-01T09:00:00+01:00", "text": "hi"}
    rows = [json.dumps(good)] * 5 + [json.dumps({**good, "text": ""})]
    path = write(tmp_path, "late.jsonl", "\n".join(rows))
    with pytest.raises(InputFileError) as info:
        read_jsonl(path)
    assert info.value.line == 6 and info.value.field == "text"


def test_openai_chat_with_start_and_spacing(tmp_path: Path) -> None:
    data = [{"role": "system", "content": "be nice"},
            {"role": "user", "content": "I moved to Ghent."},
            {"role": "assistant", "content": [{"type": "text", "text": "Great!"}]}]
    path = write(tmp_path, "chat.json", json.dumps(data))
    with pytest.raises(InputFileError, match="start"):
        read_openai_chat(path)
    start = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    conv = read_openai_chat(path, start=start, spacing=timedelta(minutes=2),
                            user_name="Femke")
    assert [m.speaker for m in conv.messages] == ["Femke", "assistant"]
    assert conv.messages[1].at - conv.messages[0].at == timedelta(minutes=2)
    assert conv.messages[1].text == "Great!"


def test_openai_chat_with_timestamps_and_line_numbers(tmp_path: Path) -> None:
    text = ('{"messages": [\n  {"role": "user", "content": "hi", "timestamp": '
            '"2024-05-01T12:00:00+02:00"},\n  {"role": "user", "content": "again", '
            '"timestamp": "2024-05-01T12:00:00"}\n]}')
    path = write(tmp_path, "chat2.json", text)
    with pytest.raises(InputFileError) as info:
        read_openai_chat(path)
    assert info.value.line == 3 and info.value.field == "messages[1].timestamp"


def test_transcript_sessions(tmp_path: Path) -> None:
    text = ("# 2024-02-03T09:00:00+01:00\n"
            "Ilse: I live in Delft.\n"
            "assistant: Lovely.\n"
            "Ilse: and I work at Brindle\n"
            "  as a baker.\n"
            "--- 2024-03-01T10:00:00+01:00 ---\n"
            "Ilse: back again\n")
    conv = read_transcript(write(tmp_path, "t.txt", text))
    assert [m.role for m in conv.messages] == [Role.USER, Role.ASSISTANT, Role.USER, Role.USER]
    assert conv.messages[2].text.endswith("as a baker.")
    assert conv.messages[3].at.month == 3


def test_transcript_without_header_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="session date"):
        read_transcript(write(tmp_path, "t.txt", "Ilse: hello\n"))


def test_gold_format(tmp_path: Path) -> None:
    data = {"id": "g1", "aliases": {"Brindle Foods": ["Brindle"]},
            "messages": [{"id": "m1", "speaker": "Ilse", "role": "user",
                          "at": "2024-03-05T09:12:00+00:00", "text": "hello"}],
            "facts": []}
    conv = read_gold(write(tmp_path, "g.json", json.dumps(data)))
    assert conv.id == "g1" and conv.metadata["aliases"] == {"Brindle Foods": ["Brindle"]}
    assert read_conversations(tmp_path / "g.json")[0].id == "g1"


def test_locomo_requires_a_zone(tmp_path: Path) -> None:
    data = [{"sample_id": "s1", "conversation": {
        "speaker_a": "Juno", "speaker_b": "Pia",
        "session_1_date_time": "1:56 pm on 8 May, 2023",
        "session_1": [{"speaker": "Juno", "dia_id": "D1:1", "text": "Hi Pia!"},
                      {"speaker": "Pia", "dia_id": "D1:2", "text": "Hey!"}]}}]
    path = write(tmp_path, "locomo.json", json.dumps(data))
    with pytest.raises(InputFileError, match="assume_tz"):
        read_conversations(path)
    (conv,) = read_locomo(path, assume_tz="America/Chicago")
    first = conv.messages[0].at
    assert (first.hour, first.minute, first.day, first.month) == (13, 56, 8, 5)
    assert first.utcoffset() == timedelta(hours=-5)
    assert all(m.role is Role.USER for m in conv.messages)


def test_locomo_recognised_when_a_long_qa_list_comes_first(tmp_path: Path) -> None:
    # real LoCoMo files open with their questions: the sessions start past the first 4 KiB
    qa = [{"question": f"When did Juno visit place {i}?", "answer": "8 May 2023",
           "evidence": ["D1:1"], "category": 2} for i in range(100)]
    data = [{"qa": qa, "sample_id": "s1", "conversation": {
        "speaker_a": "Juno", "speaker_b": "Pia",
        "session_1_date_time": "1:56 pm on 8 May, 2023",
        "session_1": [{"speaker": "Juno", "dia_id": "D1:1", "text": "Hi Pia!"}]}}]
    path = write(tmp_path, "locomo.json", json.dumps(data))
    assert len(json.dumps(data)[:4096].split("session_1")) == 1
    (conv,) = read_conversations(path, assume_tz="UTC")
    assert [m.text for m in conv.messages] == ["Hi Pia!"]


def test_locomo_image_turns_keep_their_caption(tmp_path: Path) -> None:
    data = [{"sample_id": "s2", "conversation": {
        "speaker_a": "Odile", "speaker_b": "Fen",
        "session_1_date_time": "9:05 am on 3 March, 2022",
        "session_1": [
            {"speaker": "Odile", "dia_id": "D1:1", "text": "Here is what I finished!",
             "img_url": ["https://example.org/x.jpg"],
             "blip_caption": "a photo of a  clay vase on a shelf", "query": "vase pottery"},
            {"speaker": "Fen", "dia_id": "D1:2", "text": "Lovely."}]}}]
    (conv,) = read_locomo(write(tmp_path, "l.json", json.dumps(data)), assume_tz="UTC")
    said, plain = conv.messages
    assert said.text == "Here is what I finished!"  # what extraction reads
    assert said.caption == "a photo of a clay vase on a shelf" and plain.caption is None
    image, reply = conv.episodes("t1")
    assert image.text == "Here is what I finished!\n[image: a photo of a clay vase on a shelf]"
    assert image.text.startswith(said.text)  # evidence offsets into the spoken text hold
    assert image.metadata == {"image_caption": "a photo of a clay vase on a shelf",
                              "spoken_chars": len(said.text)}
    assert "pottery" not in image.text  # the data set's search words are not the image
    assert reply.text == "Lovely." and reply.metadata == {}


def test_no_fact_is_drawn_from_a_caption(pipeline) -> None:  # type: ignore[no-untyped-def]
    at = datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
    conv = Conversation("c", [
        Message("Odile Varga", Role.USER, at, "Take a look at this!", id="m1",
                caption="I work at Brindle Foods and live in Oslo"),
        Message("Odile Varga", Role.USER, at + timedelta(minutes=1),
                "I moved to Ghent in March.", id="m2", caption="a photo of a canal"),
    ])
    (first, none), (second, found) = pipeline.extract(conv)
    assert none == []
    assert [(a.predicate, a.object.name if a.object else None) for a in found] == \
        [("lives_in", "Ghent")]
    (fact,) = found
    assert fact.evidence_start is not None and fact.evidence_end is not None
    assert fact.evidence_end <= second.metadata["spoken_chars"] == len("I moved to Ghent in March.")
    assert second.text[fact.evidence_start:fact.evidence_end] == fact.evidence


def test_locomo_caption_must_be_text(tmp_path: Path) -> None:
    data = [{"conversation": {"session_1_date_time": "9:05 am on 3 March, 2022",
                              "session_1": [{"speaker": "A", "text": "x", "blip_caption": 3}]}}]
    with pytest.raises(InputFileError, match="blip_caption"):
        read_locomo(write(tmp_path, "l.json", json.dumps(data)), assume_tz="UTC")


def test_locomo_bad_time(tmp_path: Path) -> None:
    data = [{"conversation": {"session_1_date_time": "sometime in May",
                              "session_1": [{"speaker": "A", "text": "x"}]}}]
    with pytest.raises(InputFileError, match="session_1_date_time"):
        read_locomo(write(tmp_path, "l.json", json.dumps(data)), assume_tz="UTC")


def test_episodes_are_idempotent(tmp_path: Path) -> None:
    line = {"speaker": "Ilse", "role": "user", "at": "2024-03-01T09:00:00+01:00", "text": "hi"}
    path = write(tmp_path, "e.jsonl", json.dumps(line))
    first = read_jsonl(path)[0].episodes("t1")
    again = read_jsonl(path)[0].episodes("t1")
    assert first[0].id == again[0].id
    assert read_jsonl(path)[0].episodes("t2")[0].id != first[0].id
