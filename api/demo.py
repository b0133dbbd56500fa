"""`asof demo`: the main job end to end on a bundled sample conversation.

Five sessions over ten months (a job change announced ahead of time, a move, a retraction, a
correction, a new pet, a trip) are ingested into an embedded store *as if live* — the
transaction clock follows the messages — so that both "what was true then" and "what did we
believe then" have answers. Then it asks questions, shows a timeline, an audit excerpt and the
chain's verification. ``asof demo --serve`` then serves that store's web UI (docs/ui.md).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

from asof.api.memory import IngestReport, Memory
from asof.extraction.readers import read_conversations
from asof.graph.clock import FakeClock
from asof.graph.ids import message_id_of
from asof.graph.instants import isoformat
from asof.query.ask import Answer

TENANT = "demo"
SUBJECT = "Maya Okafor"


def _questions(now: datetime) -> list[tuple[str, datetime | None]]:
    """(question, known_at override) pairs."""
    return [
        ("Where does Maya Okafor work now?", None),
        ("Where did Maya Okafor work in March 2024?", None),
        ("Where did Maya Okafor live in April 2024?", None),
        ("When did Maya Okafor start at Brightline Health?", None),
        ("According to what we knew on 1 August 2024, when did Maya Okafor start at "
         "Brightline Health?", None),
        ("What does Maya Okafor use?", None),
        ("Who is Maya Okafor's manager?", None),
        ("What pets does Maya Okafor have?", None),
    ]


def _answer_line(answer: Answer) -> str:
    if answer.status != "answered":
        return f"{answer.status.replace('_', ' ')}: {answer.message}"
    line = ", ".join(answer.answers)
    sources = sorted({message_id_of(p.episode_id) for p in answer.evidence})
    return f"{line}   (from messages {', '.join(sources)})" if sources else line


def load_demo(mem: Memory, tenant: str = TENANT) -> tuple[IngestReport, datetime, datetime]:
    """Ingest the bundled conversation into ``tenant`` as if live: the store's clock (a
    :class:`FakeClock`, which ``mem`` must have been opened with) follows the messages, then
    stops a day after the last one. Returns the report and the first and last message times."""
    clock = mem.store(tenant).clock
    if not isinstance(clock, FakeClock):
        raise TypeError("the demo replays its messages on a FakeClock")
    data = resources.files("asof.api").joinpath("data/demo.jsonl")
    with resources.as_file(data) as path:
        conversations = read_conversations(path, format="jsonl")
    first = min(m.at for c in conversations for m in c.messages)
    last = max(m.at for c in conversations for m in c.messages)
    clock.set(first)
    report = mem.ingest_conversations(conversations, tenant=tenant, replay=True)
    clock.set(last + timedelta(days=1))
    return report, first, last


def serve_demo(store_url: str, *, host: str, port: int,
               echo: Callable[[str], None] = print) -> None:
    """Serve the demo store's web UI (and REST API) until interrupted, with a fresh key for
    the demo tenant, printed once."""
    import uvicorn

    from asof.api.app import create_app
    from asof.api.keys import hash_key, new_key
    from asof.api.settings import Settings

    key = new_key()
    entry = {"name": "demo-auditor", "sha256": hash_key(key), "tenant": TENANT}
    app = create_app(Settings(store=store_url, api_keys=json.dumps([entry]),
                              api_keys_file=None))
    echo(f"\nThe web UI: http://{host}:{port}/ui/entities?q=Maya\n"
         f"Log in with the key {key} (tenant {TENANT!r}); Ctrl-C stops the server.")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def run_demo(store_url: str | None = None, *, echo: Callable[[str], None] = print,
             then: Callable[[str], None] | None = None) -> None:
    """Run the demo on ``store_url`` (default: a temporary SQLite file); ``then`` gets the
    store's URL after the demo, while a temporary store still exists (``asof demo
    --serve``)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = store_url or f"sqlite:///{Path(tmp) / 'demo.db'}"
        started = time.perf_counter()
        with Memory.open(url, clock=FakeClock(datetime.now(UTC))) as mem:
            echo(f"asof demo — store: {url}")
            report, first, last = load_demo(mem)
            now = last + timedelta(days=1)
            echo(f"\n1. Ingest {report.messages} messages in {report.conversations} sessions "
                 f"({first.date()} … {last.date()}), transaction time following the messages")
            echo(f"   {report.assertions} assertions → {report.versions_written} fact versions "
                 f"written, {report.versions_closed} closed, {report.confirmations} "
                 f"confirmations ({report.seconds:.2f} s)")

            echo(f"\n2. Questions (asked on {now.date()})")
            for question, known_at in _questions(now):
                answer = mem.ask(question, tenant=TENANT, now=now, known_at=known_at)
                echo(f"   Q: {question}")
                echo(f"   A: {_answer_line(answer)}")

            echo(f"\n3. Timeline of {SUBJECT} (valid time, as known now)")
            timeline = mem.timeline(SUBJECT, tenant=TENANT)
            for predicate, entries in timeline.by_predicate().items():
                for e in entries:
                    start = e.valid_from.date().isoformat() if e.valid_from else "…"
                    end = e.valid_to.date().isoformat() if e.valid_to else "now"
                    echo(f"   {predicate:<11} {start:>10} → {end:<10} {e.object}")

            echo("\n4. Audit excerpt (ids and hashes only; the last 8 events)")
            events = mem.audit(tenant=TENANT)
            for event in events[-8:]:
                echo(f"   #{event.seq:<3} {isoformat(event.at)}  {event.action.value:<9} "
                     f"{len(event.targets)} row(s)  {event.hash[:16]}…")

            report_v = mem.verify(tenant=TENANT)
            echo("\n5. Verify the audit chain")
            if report_v.ok:
                echo(f"   ok: {report_v.events_checked} events, head {report_v.head_hash[:16]}…")
            else:
                echo(f"   TAMPERED at seq {report_v.first_bad_seq}: {report_v.reason}")
        echo(f"\nDone in {time.perf_counter() - started:.1f} s.")
        if then is not None:
            then(url)
