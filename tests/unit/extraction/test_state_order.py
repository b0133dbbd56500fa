"""Extraction gives the same facts in every process: nothing it decides may depend on the order
of a set of strings, which Python's hash randomisation changes from run to run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit

_PROBE = """
from asof.extraction.assembly.state import ConversationState
from asof.graph.predicates import default_registry
orgs = {"Ana": "Acme", "Bo": "Globex", "Cy": "Initech", "Di": "Umbrella", "Ed": "Hooli"}
class Known(ConversationState):
    def org_of(self, person):
        return orgs.get(person)
state = Known("t", default_registry())
state.user_speakers = set(orgs) | {"Fay"}
state.recent = ["Bo", "Ana", "Di", "Ed", "Cy", "Fay"]
print(state.conversation_org("Fay"))
"""


def test_the_organisation_of_we_is_the_same_under_every_hash_seed() -> None:
    answers = set()
    for seed in range(8):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        run = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                             env=env, check=True)
        answers.add(run.stdout.strip())
    # the most recently named other speaker's organisation
    assert answers == {"Initech"}
