"""How fast the web UI's timeline of one entity with many versions renders in a real browser.

    python -m bench.ui_timeline [--versions 5000] [--runs 7] [--json]

Builds an embedded SQLite store deterministically: one person who moves between 40 cities
(each move closes the previous ``lives_in`` in valid time, so it writes a new version of the
old fact and supersedes the old version: two versions per move) until the person has at least
``--versions`` fact versions. Serves the real app on a loopback port, logs in with Debian's
headless chromium (driven by Playwright; no browser download), then loads the timeline page
``--runs`` times and reports medians, measured by the browser from the start of navigation:

- ``first_byte_ms``: the server's answer starts (the query, the layout and the HTML);
- ``last_byte_ms``, ``parsed_ms``: the page has arrived, and is parsed;
- ``ready_ms``: the timeline's script has set every bar's state;
- ``painted_ms``: the frame after that is painted (what a person sees);
- ``replay_ms``: one move of the known-at slider (every bar's state recomputed, repainted),
  the median over ``--moves`` moves.

Not a timed test: the figure is reported (docs/ui.md, docs/benchmarks.md), with the commit it
measured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn

from asof.api.app import create_app
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings
from asof.graph.contract import VersionQuery
from asof.graph.models import EntityRef, Episode, FactAssertion, Role
from asof.graph.store import GraphStore

TENANT, KEY, PERSON = "bench", "bench-ui-key", "Robin Vale"
CITIES = [f"City {n:02d}" for n in range(40)]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def build(store: GraphStore, versions: int) -> int:
    """Moves until the person has at least ``versions`` versions; returns how many."""
    start = datetime(2000, 1, 1, tzinfo=UTC)
    person = EntityRef(name=PERSON, type="person")
    moves = versions // 2 + 1
    items = []
    for move in range(moves):
        city = CITIES[move % len(CITIES)]
        at = start + timedelta(days=3 * move)
        episode = Episode.create(tenant=TENANT, speaker=PERSON, role=Role.USER, occurred_at=at,
                                 text=f"I moved to {city}.", conversation_id="moves")
        items.append((episode, [FactAssertion(subject=person, predicate="lives_in",
                                              object=EntityRef(name=city, type="location"),
                                              valid_from=at, evidence=f"I moved to {city}")]))
    for offset in range(0, len(items), 200):
        store.apply_many(items[offset:offset + 200])
    return count(store)


def count(store: GraphStore) -> int:
    return len(store.find_versions(VersionQuery(subject_id=store.resolve(PERSON).id)))


_MEASURE_LOAD = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const nav = performance.getEntriesByType("navigation")[0];
  return {first_byte_ms: nav.responseStart, last_byte_ms: nav.responseEnd,
          parsed_ms: nav.domInteractive, ready_ms: window.asofTimelineReady,
          painted_ms: performance.now(), bars: document.querySelectorAll("a.bar").length};
}"""

_MEASURE_MOVE = """async (index) => {
  const slider = document.getElementById("known-slider");
  const began = performance.now();
  slider.value = String(index);
  slider.dispatchEvent(new Event("input"));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return performance.now() - began;
}"""


def measure(base: str, chromium: str, runs: int, moves: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    loads: list[dict[str, float]] = []
    replays: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto("/ui/login")
        page.fill("#key", KEY)
        page.click("button[type=submit]")
        page.wait_for_url("**/ui/entities")
        url = f"/ui/entities/{PERSON}/timeline"
        page.goto(url)  # warm-up
        for _ in range(runs):
            page.goto(url)
            loads.append(page.evaluate(_MEASURE_LOAD))
        steps = int(page.locator("#known-slider").get_attribute("max") or 0)
        for move in range(moves):
            replays.append(page.evaluate(_MEASURE_MOVE, (move * 7919) % (steps + 1)))
        browser.close()
    return {key: round(statistics.median(run[key] for run in loads), 1)
            for key in ("first_byte_ms", "last_byte_ms", "parsed_ms", "ready_ms", "painted_ms")
            } | {
        "bars": int(loads[0]["bars"]), "replay_ms": round(statistics.median(replays), 1),
        "runs": runs, "moves": moves}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ui_timeline", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--moves", type=int, default=25)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--db", type=Path, default=None,
                        help="Keep the store in this SQLite file, and reuse it when it exists "
                             "(building it writes thousands of versions one move at a time).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp(prefix="asof-ui-bench-")) / "ui.db"
    reuse = path.exists()
    mem = Memory.open(f"sqlite:///{path}")
    versions = count(mem.store(TENANT)) if reuse else build(mem.store(TENANT), args.versions)
    keys = json.dumps([{"name": "bench", "sha256": hash_key(KEY), "tenant": TENANT}])
    app = create_app(Settings(store=f"sqlite:///{path}", api_keys=keys, api_keys_file=None),
                     memory=mem)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise SystemExit("the server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        result = {"versions": versions, "load_average_1m": round(os.getloadavg()[0], 2),
                  **measure(f"http://127.0.0.1:{port}", args.chromium, args.runs, args.moves)}
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        mem.close()
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
