"""Predicates defined by the user (ASOF_PREDICATES, a TOML file): the example registry for
support agents loads, its changes are versioned in the audit chain, the rules extractor
leaves the predicates it has no patterns for alone, and `ask` answers about any of them, on
both backends."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from asof.api.cli import cli
from asof.api.memory import Memory
from asof.graph.errors import InvalidInputError
from asof.graph.models import AuditAction
from asof.graph.predicates import default_registry, load_registry

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "support-predicates.toml"
TZ = timezone(timedelta(hours=-5))
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=TZ)


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'support.db'}"
    request.getfixturevalue("neo4j_driver")
    return os.environ["ASOF_NEO4J_URI"]


def _open(url: str, registry_path: Path | None) -> Memory:
    return Memory.open(url, registry=load_registry(registry_path) if registry_path else None,
                       neo4j_user=os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                       neo4j_password=os.environ.get("ASOF_NEO4J_PASSWORD"))


@pytest.fixture
def support(url: str) -> Iterator[Memory]:
    with _open(url, EXAMPLE) as mem:
        yield mem


def _fact(predicate: str, value: str, at: datetime, kind: str = "assert") -> dict[str, object]:
    return {"subject": {"name": "Globex", "type": "organization"}, "predicate": predicate,
            "value": value, "valid_from": at.isoformat(), "kind": kind}


def test_the_example_registry_adds_the_support_predicates() -> None:
    registry = load_registry(EXAMPLE)
    for name in ("customer_tier", "open_ticket", "has_product", "contract_renewal"):
        assert name in registry
    assert set(default_registry().names()) < set(registry.names())
    tier = registry.get("customer_tier")
    assert tier.cardinality.value == "one" and tier.literal_object
    assert tier.subject_types == ("organization",) and "tier" in tier.question_words
    assert registry.get("contract_renewal").event


@pytest.mark.parametrize(("text", "problem"), [
    ("[predicates.tier]\ncardinality = 'some'\n", "cardinality must be 'one' or 'many'"),
    ("[predicates.tier]\ncolour = 'red'\n", "unknown keys ['colour']"),
    ("[predicates.tier]\nkind = 'sometimes'\n", "kind must be 'state' or 'event'"),
    ("[predicates.tier]\nquestion_words = 'tier'\n", "question_words must be a list"),
    ("[predicates.tier]\nobject = []\n", "object must be a type name"),
    ("[predicates.tier]\nttl_days = -1\n", "ttl_days must be a positive number"),
    ("[predicates.'bad name']\n", "letters, digits and underscores"),
    ("[tier]\ncardinality = 'one'\n", "expected only [predicates.<name>] tables"),
    ("[predicates.tier\n", "not valid TOML"),
])
def test_a_bad_registry_file_is_a_clear_error(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text)
    with pytest.raises(InvalidInputError, match=rf"^{path}: .*{re.escape(problem)}"):
        load_registry(path)


def test_registry_versions_are_recorded_in_the_audit_chain(url: str, tmp_path: Path,
                                                           fresh_tenant: str) -> None:
    facts = [_fact("customer_tier", "Silver", T0)]
    with _open(url, None) as plain:  # the defaults alone are never recorded
        plain.assert_facts([{**facts[0], "predicate": "job_title",
                             "subject": {"name": "Ana", "type": "person"}}],
                           tenant=fresh_tenant)
        assert AuditAction.REGISTRY_CHANGED not in {e.action for e in
                                                    plain.audit(tenant=fresh_tenant)}
    with _open(url, EXAMPLE) as mem:
        mem.assert_facts(facts, tenant=fresh_tenant, actor="ops")
        mem.assert_facts([_fact("customer_tier", "Gold", T0 + timedelta(days=30))],
                         tenant=fresh_tenant)
    with _open(url, EXAMPLE) as again:  # the same registry: no new version
        again.assert_facts([_fact("open_ticket", "T-1042", T0)], tenant=fresh_tenant)
    changed = tmp_path / "more.toml"
    changed.write_text(EXAMPLE.read_text() + "\n[predicates.churn_risk]\ncardinality = 'one'\n"
                       "subject = 'organization'\nobject = 'literal'\n")
    with _open(url, changed) as later:
        later.assert_facts([_fact("churn_risk", "high", T0)], tenant=fresh_tenant)
        events = later.audit(tenant=fresh_tenant)
        versions = [e for e in events if e.action is AuditAction.REGISTRY_CHANGED]
        # the first write under each new registry, and only then
        assert versions[0].seq == 3 and versions[1].seq == len(events) - 2
        assert versions[0].actor == "ops" and versions[0].targets == ()
        assert versions[0].reason is not None and versions[1].reason is not None
        assert load_registry(EXAMPLE).fingerprint() in versions[0].reason
        assert "customer_tier" in versions[0].reason and "churn_risk" in versions[1].reason
        assert load_registry(changed).fingerprint() in versions[1].reason
        assert later.verify(tenant=fresh_tenant).ok


def test_ask_and_queries_work_for_registered_predicates(support: Memory,
                                                        fresh_tenant: str) -> None:
    support.assert_facts([_fact("customer_tier", "Silver", T0),
                          _fact("customer_tier", "Gold", T0 + timedelta(days=60)),
                          _fact("open_ticket", "T-1042", T0 + timedelta(days=3)),
                          _fact("contract_renewal", "annual contract",
                                T0 + timedelta(days=90))],
                         tenant=fresh_tenant)
    tier = support.ask("What tier is Globex on?", tenant=fresh_tenant)
    assert tier.status == "answered" and tier.answers == ["Gold"], tier.message
    before = support.ask("What tier was Globex on in February 2025?", tenant=fresh_tenant)
    assert before.answers == ["Silver"], before.message
    tickets = support.ask("Which tickets does Globex have open?", tenant=fresh_tenant)
    assert tickets.answers == ["T-1042"], tickets.message
    renewal = support.ask("When does Globex renew its contract?", tenant=fresh_tenant)
    assert renewal.status == "answered" and renewal.date == "2025-04-06", renewal.message
    current = support.current("Globex", tenant=fresh_tenant)
    assert {(f.version.predicate, f.object) for f in current} >= {("customer_tier", "Gold"),
                                                          ("open_ticket", "T-1042")}


def test_the_rules_extractor_ignores_predicates_it_has_no_patterns_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chat = tmp_path / "chat.jsonl"
    chat.write_text(json.dumps({"speaker": "Dana", "at": T0.isoformat(),
                                "text": "I work at Globex. We're on the Gold tier and our "
                                        "contract renews in March."}) + "\n")
    monkeypatch.setenv("ASOF_PREDICATES", str(EXAMPLE))
    store = f"sqlite:///{tmp_path / 'r.db'}"
    result = CliRunner().invoke(cli, ["ingest", str(chat), "--store", store, "--json"])
    assert result.exit_code == 0, result.output
    facts = CliRunner().invoke(cli, ["facts", "--store", store, "--json"])
    assert facts.exit_code == 0, facts.output
    predicates = {f["predicate"] for f in json.loads(facts.output)["items"]}
    assert "works_at" in predicates
    assert not predicates & {"customer_tier", "open_ticket", "has_product", "contract_renewal"}
    audit = CliRunner().invoke(cli, ["audit", "show", "--store", store, "--json"])
    assert "registry_changed" in audit.output


def test_a_missing_or_broken_predicate_file_stops_the_cli(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("ASOF_PREDICATES", str(tmp_path / "absent.toml"))
    result = CliRunner().invoke(cli, ["facts", "--store", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
    assert "absent.toml: cannot read the predicate file" in result.output
