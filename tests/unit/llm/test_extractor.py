"""The LLM extractor over HTTP (an in-process transport standing in for the server: the real
server is exercised by tests/e2e/test_llm_extractor.py): one request per user message with its
context, the on-disk cache, retries and clear errors, and the hybrid's routing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from asof.extraction import Conversation, Message, Pipeline, build_nlp
from asof.extraction.llm import HybridExtractor, LLMConfig, LLMExtractor
from asof.extraction.llm.client import ChatClient
from asof.extraction.llm.prompting import build_request, claims_schema, load_prompt
from asof.graph.errors import ExtractorUnavailableError, InvalidInputError
from asof.graph.models import Role
from asof.graph.predicates import default_registry

pytestmark = pytest.mark.unit

TZ = timezone(timedelta(hours=2))
AT = datetime(2024, 6, 12, 10, 0, tzinfo=TZ)

Handler = Callable[[httpx.Request], httpx.Response]


def _completion(claims: list[dict[str, Any]], finish: str = "stop") -> httpx.Response:
    return httpx.Response(200, json={
        "choices": [{"message": {"role": "assistant", "content": json.dumps({"claims": claims})},
                     "finish_reason": finish}],
        "usage": {"prompt_tokens": 120, "completion_tokens": 30}})


def _claim(obj: str, evidence: str, time_phrase: str | None = None,
           predicate: str = "works_at") -> dict[str, Any]:
    return {"kind": "assert", "subject": "I", "predicate": predicate, "object": obj,
            "evidence": evidence, "time_phrase": time_phrase}


def _conversation() -> Conversation:
    texts = [(Role.USER, "Hi, I'm Priya."), (Role.ASSISTANT, "Hello Priya! Where do you work?"),
             (Role.USER, "I joined Acme in March 2021."), (Role.USER, "I live in Lisbon.")]
    return Conversation("c1", [
        Message(speaker="Priya" if role is Role.USER else "agent", role=role,
                at=AT + timedelta(minutes=i), text=text)
        for i, (role, text) in enumerate(texts)])


def _extractor(handler: Handler, tmp_path: Path | None = None, **config: Any
               ) -> LLMExtractor:
    settings: dict[str, Any] = {"base_url": "http://model.test/v1", "model": "tiny",
                                "backoff": 0.0, "cache_dir": tmp_path}
    settings.update(config)
    cfg = LLMConfig(**settings)
    client = ChatClient(cfg, http=httpx.Client(transport=httpx.MockTransport(handler)))
    return LLMExtractor(cfg, "t", client=client)


def _answers(request: httpx.Request) -> httpx.Response:
    text = json.loads(request.content)["messages"][0]["content"].rsplit("\n", 1)[-1]
    if "Acme" in text:
        return _completion([_claim("Acme", "I joined Acme", "in March 2021"),
                            _claim("Globex", "I joined Acme")])  # Globex: not in it
    if "Lisbon" in text:
        return _completion([_claim("Lisbon", "I live in Lisbon", predicate="lives_in")])
    return _completion([])


def test_one_request_per_user_message_with_the_earlier_messages_as_context() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return _answers(request)

    llm = _extractor(handler, context_messages=2)
    out = llm.extract(_conversation())
    assert len(seen) == 3  # the assistant's message is context, never extracted
    last = seen[-1]["messages"][0]["content"]
    assert "Hello Priya! Where do you work?" in last and "I joined Acme" in last
    assert "Hi, I'm Priya." not in last  # only the two previous messages
    assert seen[0]["max_tokens"] == 512
    assert seen[0]["response_format"]["type"] == "json_schema"
    facts = [f for _, claims in out for f in claims]
    assert [(f.predicate, f.object.name if f.object else None) for f in facts] == [
        ("works_at", "Acme"), ("lives_in", "Lisbon")]
    assert {f.extractor for f in facts} == {"llm:tiny:claims-v1"}
    stats = llm.stats
    assert (stats.calls, stats.proposed, stats.kept) == (3, 3, 2)
    assert stats.dropped == {"object_not_in_message": 1}
    assert stats.prompt_tokens == 360 and stats.completion_tokens == 90


def test_the_cache_answers_a_second_run_without_a_call(tmp_path: Path) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return _answers(request)

    first = _extractor(handler, tmp_path).extract(_conversation())
    again = _extractor(handler, tmp_path)
    second = again.extract(_conversation())
    assert len(calls) == 3 and again.stats.calls == 0 and again.stats.cache_hits == 3
    assert second == first
    # another model, prompt context or settings is another key
    _extractor(handler, tmp_path, model="other").extract(_conversation())
    assert len(calls) == 6
    _extractor(handler, tmp_path, context_messages=0).extract(_conversation())
    assert len(calls) == 8  # the first message had no context anyway


def test_server_failures_are_retried_then_reported_clearly() -> None:
    attempts: list[int] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        return httpx.Response(503) if len(attempts) < 3 else _answers(request)

    llm = _extractor(flaky, retries=2)
    llm.message_claims(_conversation(), 2)
    assert len(attempts) == 3 and llm.stats.calls == 1

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(ExtractorUnavailableError, match=r"model.test/v1/chat/completions.*"
                       r"did not answer.*ConnectError.*2 attempt"):
        _extractor(down, retries=1).extract(_conversation())

    def refuses(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": "unknown model"})

    with pytest.raises(ExtractorUnavailableError, match="answered 400.*unknown model"):
        _extractor(refuses).extract(_conversation())

    def not_a_completion(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"result": "ok"})

    with pytest.raises(ExtractorUnavailableError, match="without a chat completion"):
        _extractor(not_a_completion).extract(_conversation())


def test_rejected_answers_are_counted_and_give_no_claims() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return _completion([_claim("Acme", "I joined Acme")], finish="length")

    llm = _extractor(handler)
    assert all(claims == [] for _, claims in llm.extract(_conversation()))
    assert llm.stats.rejected == {"truncated": 3}


def test_the_llama_cpp_form_bounds_the_answer_in_the_schema() -> None:
    request = build_request(LLMConfig("http://x/v1", "m", response_format="json_object",
                                      max_claims=5),
                            default_registry(), _conversation().messages[0], ())
    schema = request["response_format"]["schema"]
    assert request["response_format"]["type"] == "json_object"
    assert schema["properties"]["claims"]["maxItems"] == 5
    item = schema["properties"]["claims"]["items"]
    assert item["properties"]["predicate"]["enum"] == default_registry().names()
    assert item["properties"]["kind"]["enum"] == ["assert", "retract", "correct"]
    # OpenAI's strict mode refuses bounds it does not know: none there
    assert "maxItems" not in json.dumps(claims_schema(default_registry(), max_claims=None))


def test_config_and_prompt_errors_are_clear() -> None:
    with pytest.raises(InvalidInputError, match="http"):
        LLMConfig("localhost:8080", "m")
    with pytest.raises(InvalidInputError, match="model"):
        LLMConfig("http://x/v1", " ")
    with pytest.raises(InvalidInputError, match="unknown prompt version 'claims-v0'"):
        load_prompt("claims-v0")


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline("t", nlp=build_nlp(learned=False))


def test_hybrid_asks_the_model_only_where_the_rules_found_names_but_no_fact(
        rules: Pipeline) -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        text = json.loads(request.content)["messages"][0]["content"].rsplit("\n", 1)[-1]
        sent.append(text)
        return _completion([_claim("Zorblax", "Zorblax", predicate="uses")])

    texts = ["I work at Acme since 2020.",  # the rules read it: no call
             "Zorblax was great yesterday with Kenji.",  # names, no rule fact: a call
             "ok thanks"]  # no names: no call
    conversation = Conversation("c", [Message(speaker="Priya", role=Role.USER,
                                              at=AT + timedelta(minutes=i), text=t)
                                      for i, t in enumerate(texts)])
    hybrid = HybridExtractor(rules, _extractor(handler))
    out = hybrid.extract(conversation)
    assert sent == [texts[1]]
    assert [a.predicate for a in out[0][1]] == ["works_at"]
    assert [a.extractor for a in out[0][1]] == [rules.extractor]
    assert [(a.predicate, a.extractor) for a in out[1][1]] == [("uses", "llm:tiny:claims-v1")]
    assert out[2][1] == []
    assert hybrid.stats.calls == 1 and hybrid.stats.calls_saved == 2


def test_hybrid_over_several_conversations_routes_each_as_alone(rules: Pipeline) -> None:
    # extract_each parses every conversation in one stream; the model is still asked about
    # the messages of each conversation that the rules read names but no fact in
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content)["messages"][0]["content"].rsplit("\n", 1)[-1])
        return _completion([_claim("Zorblax", "Zorblax", predicate="uses")])

    talks = [["I work at Acme since 2020.", "Zorblax was great yesterday with Kenji."],
             ["Kenji said Zorblax crashed again.", "ok thanks"]]
    conversations = [Conversation(f"c{n}", [Message(speaker="Priya", role=Role.USER,
                                                     at=AT + timedelta(days=n, minutes=i),
                                                     text=t, id=f"m{n}-{i}")
                                             for i, t in enumerate(texts)])
                     for n, texts in enumerate(talks)]

    def facts(results):  # type: ignore[no-untyped-def]
        return [[(e.id, a.predicate, a.extractor) for e, found in pairs for a in found]
                for pairs in results]

    alone = HybridExtractor(Pipeline("t", nlp=rules.nlp), _extractor(handler))
    expected = facts(alone.extract(c) for c in conversations)
    asked_alone, sent[:] = list(sent), []
    streamed = HybridExtractor(Pipeline("t", nlp=rules.nlp), _extractor(handler))
    assert facts(streamed.extract_each(conversations)) == expected
    assert sent == asked_alone == [talks[0][1], talks[1][0]]
