"""Provenance per claim (issue item 5): every source of a version shows its own message id,
speaker, exact quote and the quote's offsets in that message. Before, every source showed the
version's single quote, so a message that said "Freshdesk was switched off last Friday" was
shown as saying "Today we're on Freshdesk". On a real SQLite file, through Python, the CLI and
REST."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from asof.api.app import create_app
from asof.api.cli import cli
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings
from asof.graph.models import EntityRef, Episode, FactAssertion, Role

pytestmark = pytest.mark.e2e

TENANT = "prov"
FIRST = "Hi! Today we're on Freshdesk for every ticket."
SECOND = "Quick note from Sam: Freshdesk is what support uses, still."


def _seed(url: str) -> None:
    uses = {"subject": EntityRef(name="Acme Support", type="organization"),
            "predicate": "uses", "object": EntityRef(name="Freshdesk", type="product")}
    with Memory.open(url) as mem:
        store = mem.store(TENANT)
        for index, (speaker, text, quote) in enumerate([
                ("Dana", FIRST, "Today we're on Freshdesk"),
                ("Sam", SECOND, "Freshdesk is what support uses")]):
            episode = Episode.create(tenant=TENANT, speaker=speaker, role=Role.USER,
                                     occurred_at=datetime(2024, 5, 1 + index, tzinfo=UTC),
                                     text=text, conversation_id="c", id=f"c:m{index}")
            start = text.index(quote)
            store.apply(episode, [FactAssertion(**uses, evidence=quote,
                                                evidence_start=start,
                                                evidence_end=start + len(quote))])


EXPECTED = [
    {"episode_id": "c:m0", "speaker": "Dana", "evidence": "Today we're on Freshdesk",
     "evidence_start": 4, "evidence_end": 28},
    {"episode_id": "c:m1", "speaker": "Sam", "evidence": "Freshdesk is what support uses",
     "evidence_start": 21, "evidence_end": 51},
]


def _sources(provenance: list[dict[str, object]]) -> list[dict[str, object]]:
    keys = ("episode_id", "speaker", "evidence", "evidence_start", "evidence_end")
    return [{k: p[k] for k in keys} for p in provenance]


def test_each_source_shows_its_own_quote_and_offsets(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    _seed(url)
    assert FIRST[4:28] == EXPECTED[0]["evidence"] and SECOND[21:51] == EXPECTED[1]["evidence"]
    with Memory.open(url) as mem:
        (fact,) = mem.facts("Acme Support", tenant=TENANT)
        assert _sources([p.as_dict() for p in fact.provenance]) == EXPECTED
        history = mem.entity_history("Acme Support", tenant=TENANT)
        assert _sources([p.as_dict() for p in history[-1].provenance]) == EXPECTED
        entries = mem.timeline("Acme Support", tenant=TENANT).entries
        assert _sources([p.as_dict() for p in entries[0].view.provenance]) == EXPECTED

    shown = CliRunner().invoke(cli, ["history", "Acme Support", "--store", url, "--tenant",
                                     TENANT])
    assert shown.exit_code == 0, shown.output
    assert "c:m1 (Sam, 2024-05-02) [21:51]: Freshdesk is what support uses" in shown.output

    keys = json.dumps([{"name": "k", "sha256": hash_key("k"), "tenant": TENANT}])
    with TestClient(create_app(Settings(store=url, api_keys=keys))) as client:
        client.headers["X-API-Key"] = "k"
        timeline = client.get("/v1/entities/Acme Support/timeline").json()
        assert _sources(timeline["predicates"]["uses"][0]["provenance"]) == EXPECTED
        key = timeline["predicates"]["uses"][0]["fact_key"]
        versions = client.get(f"/v1/facts/{key}/history").json()["items"]
        assert _sources(versions[-1]["provenance"]) == EXPECTED
