"""Schemathesis fuzzes every route from the OpenAPI document: no 500s, every response matches
its declared schema and status codes, and schema-violating requests are rejected. Bounded
examples per operation so it stays fast in `make test`.

Not checked: that every schema-valid request is *accepted*. Some rules cannot live in a JSON
schema (the predicate must be in the registry, a fact needs an object or a value, an entity id
must exist in the tenant); those requests get a 4xx problem, which the REST tests cover. Nor
that a request made invalid in its headers is rejected: the test replaces the generated
Authorization header with a valid one, and schemathesis would report the valid request that
results as accepted invalid data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from asof.api.app import create_app
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings
from asof.graph.models import EntityRef, FactAssertion

pytestmark = pytest.mark.e2e

KEY = "fuzz-key"
_DIR = Path(__file__).parent


def _app() -> object:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="asof-fuzz-"))
    memory = Memory.open(f"sqlite:///{folder / 'fuzz.db'}")
    memory.store("fuzz").assert_facts([FactAssertion(
        subject=EntityRef(name="Priya", type="person"), predicate="works_at",
        object=EntityRef(name="Acme", type="organization"))], source_id="seed")
    keys = json.dumps([{"name": "fuzz", "sha256": hash_key(KEY), "tenant": "fuzz"}])
    return create_app(Settings(store="sqlite:///unused.db", api_keys=keys), memory=memory)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large])
def test_api_never_fails_and_matches_its_schema(case: schemathesis.Case) -> None:
    excluded = [schemathesis.checks.positive_data_acceptance]
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        # the test sends its own valid Authorization header over the generated one, so a
        # case made invalid by its headers reaches the API valid: a 200 there is right
        excluded.append(schemathesis.checks.negative_data_rejection)
    case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"},
                           excluded_checks=excluded)
