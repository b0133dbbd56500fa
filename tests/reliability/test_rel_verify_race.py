"""``verify`` while another writer is active must not report tampering.

Found by the REST load test (``test_rel_load.py``): ``GraphStore.verify`` reads the audit
events, then (in separate reads) every fact version; a write that commits in between leaves
a version "in the store but no audit event wrote it", and verify answers TAMPERED for an
untouched store. verify now retries a reading the chain grew under, then reads with writers
held off. Reproduction: one thread writes facts, another verifies, on one SQLite file (two
connections).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from reliability.rel_support import SOAK, open_for

from asof.graph.models import EntityRef, FactAssertion

pytestmark = pytest.mark.e2e


def _fact(i: int) -> FactAssertion:
    return FactAssertion(subject=EntityRef(name="Noor Haddad", type="person"),
                         predicate="works_at",
                         object=EntityRef(name=f"Org {i % 5}", type="organization"),
                         valid_from=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=i))


def test_verify_during_concurrent_writes_reports_no_tampering(tmp_path: Path,
                                                              fresh_tenant: str) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    writer, reader = open_for(url, fresh_tenant), open_for(url, fresh_tenant)
    stop = threading.Event()

    def write() -> None:
        i = 0
        while not stop.is_set():
            writer.assert_facts([_fact(i)], source_id=f"race-{i}")
            i += 1

    thread = threading.Thread(target=write)
    thread.start()
    alarms = []
    try:
        deadline = time.monotonic() + (60 if SOAK else 6)
        while time.monotonic() < deadline and not alarms:
            report = reader.verify()
            if not report.ok:
                alarms.append(f"seq {report.first_bad_seq}: {report.reason}")
    finally:
        stop.set()
        thread.join()
    assert reader.verify().ok, "at rest the chain verifies"
    writer.close()
    reader.close()
    assert alarms == []
