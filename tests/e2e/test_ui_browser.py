"""The web UI in a real browser: Debian's headless chromium, driven by Playwright, against a
real server (uvicorn on a loopback port) holding the demo conversation in a real SQLite file
and in the test Neo4j.

Without chromium these tests fail (``make browser`` installs it); they never skip. With
``ASOF_UI_SCREENSHOTS=DIR`` the SQLite run saves a screenshot of each page there (docs/img
holds the ones docs/ui.md shows: ``ASOF_UI_SCREENSHOTS=docs/img pytest
tests/e2e/test_ui_browser.py -m "not neo4j"``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from asof.api.app import create_app
from asof.api.demo import load_demo
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings
from asof.graph.clock import FakeClock

pytestmark = pytest.mark.e2e

KEY_AUDITOR, KEY_OTHER = "ui-key-for-the-demo-tenant", "ui-key-for-another-tenant"
#: The flags this machine's chromium needs (it refuses network attempts otherwise).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str:
    found = os.environ.get("ASOF_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("no chromium: the browser tests need Debian's chromium package "
                    "(`make browser` installs it); they are never skipped")
    return found


@dataclass(frozen=True)
class Served:
    base: str
    tenant: str
    other: str
    shots: Path | None  #: where to save screenshots, or None


@pytest.fixture(scope="module", params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def served(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The demo conversation in tenant A (and one erased person in tenant B), served over
    HTTP by the real app until the module ends."""
    suffix = uuid.uuid4().hex[:10]
    if request.param == "sqlite":
        tenant, other = "demo", "other"
        mem = Memory.open(f"sqlite:///{tmp_path_factory.mktemp('ui') / 'ui.db'}",
                          clock=FakeClock(datetime(2024, 1, 1, tzinfo=UTC)))
    else:
        request.getfixturevalue("neo4j_driver")
        tenant, other = f"ui-{suffix}", f"ui-{suffix}-b"
        mem = Memory.open(os.environ["ASOF_NEO4J_URI"],
                          clock=FakeClock(datetime(2024, 1, 1, tzinfo=UTC)),
                          neo4j_user=os.environ.get("ASOF_NEO4J_USER", "neo4j"),
                          neo4j_password=os.environ.get("ASOF_NEO4J_PASSWORD", ""))
    load_demo(mem, tenant)
    mem.ingest([{"speaker": "Ann Lee", "at": "2024-11-05T10:00:00Z",
                 "text": "I work at Quillon Labs and I live in Bristol."}], tenant=other)
    mem.forget("Ann Lee", tenant=other, actor="privacy-officer")
    keys = json.dumps([{"name": "auditor", "sha256": hash_key(KEY_AUDITOR), "tenant": tenant},
                       {"name": "other", "sha256": hash_key(KEY_OTHER), "tenant": other}])
    app = create_app(Settings(store="sqlite:///:memory:", api_keys=keys, api_keys_file=None),
                     memory=mem)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the UI server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    shots = os.environ.get("ASOF_UI_SCREENSHOTS")
    try:
        yield Served(f"http://127.0.0.1:{port}", tenant, other,
                     Path(shots) if shots and request.param == "sqlite" else None)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        mem.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    """A fresh browser context per test (its own cookies), at 1280×800."""
    context = browser.new_context(base_url=served.base, viewport={"width": 1280, "height": 800},
                                  accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def shoot(page: Any, served: Served, name: str) -> None:
    if served.shots is not None:
        served.shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(served.shots / f"ui-{name}.png"), full_page=True)


def log_in(page: Any, key: str) -> None:
    page.goto("/ui/entities")
    assert "/ui/login" in page.url  # no session yet: the login page
    page.fill("#key", key)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/ui/entities"))


def test_a_wrong_key_gets_a_login_error_and_no_session(page: Any, served: Served) -> None:
    page.goto("/ui/entities")
    page.fill("#key", "not-a-key")
    page.click("button[type=submit]")
    assert page.locator("#login-error").inner_text() == "unknown API key"
    shoot(page, served, "login-error")
    assert not page.context.cookies()
    page.goto("/ui/audit")
    assert "/ui/login" in page.url


def test_log_in_find_maya_and_read_her_facts_as_of_a_past_day(page: Any,
                                                               served: Served) -> None:
    log_in(page, KEY_AUDITOR)
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "asof_ui_key"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/ui"
    assert page.evaluate("document.cookie") == ""  # scripts cannot read the key
    page.fill("#q", "okafor")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=okafor"))
    shoot(page, served, "entities")
    page.click("text=Maya Okafor")
    page.wait_for_selector("h1:has-text('Maya Okafor')")
    facts = page.locator("table.list").first.inner_text()
    assert "Brightline Health" in facts and "Northbeam Analytics" not in facts
    shoot(page, served, "entity")
    page.fill("#valid_at", "2024-03-01T00:00:00Z")
    page.fill("#known_at", "2024-08-01T00:00:00Z")
    page.click("form.pickers button")
    page.wait_for_url(re.compile(r"valid_at=2024-03-01"))
    facts = page.locator("table.list").first.inner_text()
    assert "Northbeam Analytics" in facts and "Brightline Health" not in facts
    page.fill("#valid_at", "2024-03-01T00:00:00")  # naive: refused, with how to fix it
    page.click("form.pickers button")
    assert "has no timezone offset" in page.locator("p.error").inner_text()


def brightline_bars(page: Any) -> list[tuple[str, str]]:
    """(state, valid-from day) of each Brightline Health bar the timeline shows."""
    row = page.locator("g.row[data-predicate=works_at][data-object='Brightline Health']")
    shown = []
    for bar in row.locator("a.bar").all():
        state = (bar.get_attribute("class") or "").split()[1]
        if state != "unknown":
            found = re.search(r"valid from (\S+)", bar.locator("title").text_content() or "")
            assert found, "a bar without its text alternative"
            shown.append((state, found.group(1)))
    return shown


def test_the_known_at_slider_replays_the_correction(page: Any, served: Served) -> None:
    log_in(page, KEY_AUDITOR)
    page.goto("/ui/entities/Maya Okafor/timeline")
    labels = page.locator("#steps li").all_text_contents()
    correction = next(i for i, label in enumerate(labels) if "after message m8" in label)
    slider = page.locator("#known-slider")
    assert brightline_bars(page) == [("superseded", "2024-05-06"), ("believed", "2024-05-13")]

    slider.focus()
    page.keyboard.press("Home")  # -1: before anything was recorded
    for _ in range(correction):  # to the step before the correction message
        page.keyboard.press("ArrowRight")
    assert "after message m8" not in page.locator("#known-label").inner_text()
    assert brightline_bars(page) == [("believed", "2024-05-06")]
    assert "known_at=2024-06-20" in page.url  # the view is a link
    shoot(page, served, "timeline-before-correction")

    page.keyboard.press("ArrowRight")  # the correction message
    assert "after message m8" in page.locator("#known-label").inner_text()
    assert brightline_bars(page) == [("superseded", "2024-05-06"), ("believed", "2024-05-13")]
    shoot(page, served, "timeline")

    page.reload()  # the server draws the same state from the URL
    assert slider.input_value() == str(correction)
    assert brightline_bars(page) == [("superseded", "2024-05-06"), ("believed", "2024-05-13")]


def test_the_timeline_is_keyboard_navigable_with_text_for_every_bar(page: Any) -> None:
    log_in(page, KEY_AUDITOR)
    page.goto("/ui/entities/Maya Okafor/timeline")
    titles = page.locator("a.bar > title").all_text_contents()
    assert len(titles) == page.locator("a.bar").count() > 10
    assert all(re.match(r"\w+ .+: valid from .+; recorded .+", t) for t in titles), titles
    # the title is each bar's accessible name, as a screen reader gets it
    corrected = page.get_by_role("link", name=re.compile(
        r"^works_at Brightline Health: valid from 2024-05-13 until further notice"))
    assert corrected.count() == 1

    assert page.locator("a.bar[tabindex='0']").count() == 1  # one tab stop, arrows inside
    page.locator("#known-form button").focus()
    page.keyboard.press("Tab")
    focused = "document.activeElement.querySelector('title').textContent"
    first = page.evaluate(focused)
    assert first.startswith("has_pet Pixel")
    page.keyboard.press("ArrowDown")
    below = page.evaluate(focused)
    assert below.startswith("job_title data analyst")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(focused) != below
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ui/facts/"))


def test_a_bar_opens_its_version_with_the_source_quote_in_context(page: Any,
                                                                  served: Served) -> None:
    log_in(page, KEY_AUDITOR)
    page.goto("/ui/entities/Maya Okafor/timeline")
    page.click("g.row[data-object='Brightline Health'] a.bar.believed")
    page.wait_for_url(re.compile(r"/ui/facts/.+#v-"))
    version = page.locator("section.version:target")
    assert "2024-05-13" in version.locator("p").first.inner_text()
    quotes = version.locator("mark.quote").all_inner_texts()
    assert "Actually, I joined Brightline Health" in quotes
    message = version.locator("blockquote", has_text="Actually").inner_text()
    assert message == "Actually, I joined Brightline Health on 13 May, not 6 May."
    events = page.locator("table.events").inner_text()
    assert "corrected" in events
    assert re.search(r"\b[0-9a-f]{64}\b", events)  # each event's full hash
    shoot(page, served, "history")


def test_the_audit_log_filters_pages_and_verifies(page: Any, served: Served) -> None:
    log_in(page, KEY_AUDITOR)
    page.goto("/ui/audit")
    page.select_option("select[name=action]", "corrected")
    page.click("form.filters button")
    actions = page.locator("table.events tbody td:nth-child(3)").all_inner_texts()
    assert actions and set(actions) == {"corrected"}
    page.goto("/ui/audit?limit=10")
    assert page.locator("table.events tbody tr").count() == 10
    page.click("nav.pager >> text=Next")
    seqs = page.locator("table.events tbody tr td:first-child").all_inner_texts()
    assert seqs == [str(seq) for seq in range(11, 21)]
    page.click("nav.pager >> text=Previous")
    assert page.locator("table.events tbody tr td:first-child").first.inner_text() == "1"
    page.goto("/ui/audit")
    shoot(page, served, "audit")
    page.click("#verify-now")
    result = page.locator("#verify-result").inner_text()
    assert result.startswith("Intact:") and "events checked" in result
    assert page.locator("#checkpoint-status").inner_text() == "none given"
    shoot(page, served, "verify")


def test_a_checkpoint_that_the_chain_does_not_hold_fails_verification(
        page: Any, served: Served) -> None:
    log_in(page, KEY_AUDITOR)
    page.goto("/ui/audit")
    page.fill("input[name=checkpoint_seq]", "1")
    page.fill("input[name=checkpoint_hash]", "0" * 64)
    page.click("#verify-now")
    assert page.locator("#verify-result").inner_text().startswith("Tampered at seq")


def test_the_diff_page_shows_what_changed_on_either_axis(page: Any, served: Served) -> None:
    log_in(page, KEY_AUDITOR)
    page.goto("/ui/diff")
    page.fill("#t1", "2024-03-01T00:00:00Z")
    page.fill("#t2", "2024-10-01T00:00:00Z")
    page.click("main form button")
    changed = page.locator("table:has(caption:text('Changed'))").inner_text()
    assert "Northbeam Analytics" in changed and "Brightline Health" in changed
    shoot(page, served, "diff")
    page.select_option("#axis", "transaction")
    page.fill("#t1", "2024-08-01T00:00:00Z")
    page.click("main form button")
    learned = page.locator("table:has(caption:text('Learned'))").inner_text()
    assert "Brightline Health" in learned and "Pixel" in learned


def test_downloads_history_as_json_and_csv_and_a_graphml_snapshot(page: Any,
                                                                   served: Served) -> None:
    log_in(page, KEY_AUDITOR)
    page.goto("/ui/entities/Maya Okafor")
    with page.expect_download() as json_download:
        page.click("text=History (JSON)")
    body = json.loads(Path(json_download.value.path()).read_text())
    corrected = [v for v in body["versions"] if v["object"] == "Brightline Health"]
    assert {v["valid_from"][:10] for v in corrected} == {"2024-05-06", "2024-05-13"}
    with page.expect_download() as csv_download:
        page.click("text=History (CSV)")
    rows = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text())))
    assert len(rows) == len(body["versions"]) and rows[0]["recorded_at"]
    with page.expect_download() as graphml_download:
        page.click("text=Snapshot (GraphML)")
    assert "<graphml" in Path(graphml_download.value.path()).read_text()


def test_another_tenants_key_cannot_see_the_first_tenants_entity(page: Any,
                                                                 served: Served) -> None:
    log_in(page, KEY_AUDITOR)
    page.goto("/ui/entities/Maya Okafor")
    maya_url = page.url.replace("%20", " ")
    entity_id = page.locator("h1 + p.mono").inner_text().split()[0]
    page.context.clear_cookies()

    log_in(page, KEY_OTHER)
    page.fill("#q", "Maya")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=Maya"))
    assert "No entity's name or alias contains" in page.locator("p.empty").inner_text()
    for url in (maya_url, f"/ui/entities/{entity_id}", f"/ui/entities/{entity_id}/timeline",
                f"/ui/entities/{entity_id}/history.json"):
        response = page.goto(url)
        assert response.status == 404, url
        assert "Not found" in page.locator("h1").inner_text()


def test_an_erasure_shows_as_a_tombstone_without_the_erased_content(page: Any,
                                                                    served: Served) -> None:
    log_in(page, KEY_OTHER)
    page.goto("/ui/audit?action=erased")
    tombstone = page.locator("tr.tombstone")
    assert tombstone.count() == 1
    assert "privacy-officer" in tombstone.inner_text()
    page.goto("/ui/audit")
    shown = page.locator("main").inner_text()
    assert "Tombstone" in shown
    assert not any(word in shown for word in ("Ann Lee", "Quillon", "Bristol"))
    page.click("#verify-now")
    assert page.locator("#verify-result").inner_text().startswith("Intact:")


def test_logging_out_ends_the_session(page: Any) -> None:
    log_in(page, KEY_AUDITOR)
    page.click("form.logout button")
    page.wait_for_url(re.compile(r"/ui/login"))
    page.goto("/ui/entities")
    assert "/ui/login" in page.url
