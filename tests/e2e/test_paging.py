"""Every list pages the same way on every surface (Python, CLI, REST): ``limit`` items from
``offset``, and ``next_offset`` where the next page starts, null at the end. Walking the pages
gives exactly the whole list; out-of-range bounds are refused with an error that names them.
On a real SQLite file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from asof.api.app import create_app
from asof.api.cli import cli
from asof.api.keys import hash_key
from asof.api.memory import Memory
from asof.api.settings import Settings
from asof.graph.errors import InvalidInputError

pytestmark = pytest.mark.e2e

TENANT, KEY = "paging", "paging-key"
PRODUCTS = ["Asana", "Basecamp", "Confluence", "Dropbox", "Evernote"]


@pytest.fixture
def store_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'paging.db'}"
    with Memory.open(url) as mem:
        for index, product in enumerate(PRODUCTS):
            mem.assert_facts([{"subject": {"name": "Priya", "type": "person"},
                               "predicate": "uses",
                               "object": {"name": product, "type": "product"},
                               "valid_from": f"2024-0{index + 1}-01T00:00:00Z",
                               "evidence": f"Priya uses {product}"}], tenant=TENANT)
    yield url


def walk(read: Callable[[int], tuple[list[Any], int | None]], limit: int) -> list[Any]:
    """Every item, page by page, checking each page's size and where the next one starts."""
    items: list[Any] = []
    offset: int | None = 0
    while offset is not None:
        page, next_offset = read(offset)
        assert len(page) <= limit
        assert next_offset is None or next_offset == offset + limit == offset + len(page)
        items += page
        offset = next_offset
    return items


def _keyed(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("version_id") or item.get("seq") or item.get("id"))
    return str(getattr(item, "version_id", None) or getattr(item, "seq", None)
               or getattr(item, "id", None) or item.version.version_id)


# ------------------------------------------------------------------ Python

PYTHON_LISTS: dict[str, Callable[..., Any]] = {
    "facts": lambda mem, **w: mem.facts("Priya", tenant=TENANT, **w),
    "current": lambda mem, **w: mem.current("Priya", tenant=TENANT, **w),
    "entity_history": lambda mem, **w: mem.entity_history("Priya", tenant=TENANT, **w),
    "search": lambda mem, **w: mem.search("Priya", tenant=TENANT, **w),
    "entities": lambda mem, **w: mem.entities(tenant=TENANT, **w),
    "audit": lambda mem, **w: mem.audit(tenant=TENANT, **w),
}


@pytest.mark.parametrize("name", sorted(PYTHON_LISTS))
def test_python_lists_page(store_url: str, name: str) -> None:
    read = PYTHON_LISTS[name]
    with Memory.open(store_url) as mem:
        whole = read(mem, limit=100)
        assert len(whole) >= 5 and whole.next_offset is None, name
        pages = walk(lambda offset: (lambda p: (list(p), p.next_offset))(
            read(mem, limit=2, offset=offset)), 2)
        assert [_keyed(i) for i in pages] == [_keyed(i) for i in whole]
        past_the_end = read(mem, limit=2, offset=len(whole))
        assert list(past_the_end) == [] and past_the_end.next_offset is None
        for bad, named in (({"offset": -1}, "offset"), ({"limit": 0}, "limit"),
                           ({"offset": 10**9}, "offset")):
            with pytest.raises(InvalidInputError, match=f"^{named}: must be"):
                read(mem, **bad)


def test_python_timeline_and_history_page(store_url: str) -> None:
    with Memory.open(store_url) as mem:
        whole = mem.timeline("Priya", tenant=TENANT)
        assert len(whole.entries) == 5 and whole.next_offset is None
        first = mem.timeline("Priya", tenant=TENANT, limit=3)
        rest = mem.timeline("Priya", tenant=TENANT, limit=3, offset=first.next_offset or 0)
        assert first.next_offset == 3 and rest.next_offset is None
        assert first.entries + rest.entries == whole.entries
        key = whole.entries[0].view.version.fact_key
        assert mem.history(key, tenant=TENANT, limit=1).next_offset is None


# ------------------------------------------------------------------ CLI

CLI_LISTS: dict[str, list[str]] = {
    "facts": ["facts", "Priya"],
    "history": ["history", "Priya"],
    "search": ["search", "Priya"],
    "entities": ["entities"],
    "audit": ["audit", "show"],
}


def _cli(args: list[str], store_url: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--store", store_url, "--tenant", TENANT])
    return result


@pytest.mark.parametrize("name", sorted(CLI_LISTS))
def test_cli_lists_page(store_url: str, name: str) -> None:
    command = CLI_LISTS[name]
    whole = json.loads(_cli([*command, "--json", "--limit", "100"], store_url).output)
    assert whole["next_offset"] is None and len(whole["items"]) >= 5

    def read(offset: int) -> tuple[list[Any], int | None]:
        result = _cli([*command, "--json", "--limit", "2", "--offset", str(offset)], store_url)
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert (data["limit"], data["offset"]) == (2, offset)
        return data["items"], data["next_offset"]

    assert [_keyed(i) for i in walk(read, 2)] == [_keyed(i) for i in whole["items"]]
    human = _cli([*command, "--limit", "2"], store_url)
    assert "(more: --offset 2)" in human.stderr
    for bad in (["--offset", "-1"], ["--limit", "0"]):
        refused = _cli([*command, *bad], store_url)
        assert refused.exit_code == 2 and bad[0] in refused.output


def test_cli_timeline_pages(store_url: str) -> None:
    first = json.loads(_cli(["timeline", "Priya", "--json", "--limit", "3"], store_url).output)
    rest = json.loads(_cli(["timeline", "Priya", "--json", "--limit", "3", "--offset", "3"],
                           store_url).output)
    assert (first["next_offset"], rest["next_offset"]) == (3, None)
    objects = [f["object"] for page in (first, rest) for f in page["predicates"]["uses"]]
    assert objects == PRODUCTS


# ------------------------------------------------------------------ REST

REST_LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "facts": ("/v1/facts", {"subject": "Priya"}),
    "search": ("/v1/search", {"q": "Priya"}),
    "entities": ("/v1/entities", {}),
    "audit": ("/v1/audit", {}),
}


@pytest.fixture
def client(store_url: str) -> Iterator[TestClient]:
    keys = json.dumps([{"name": "p", "sha256": hash_key(KEY), "tenant": TENANT}])
    with TestClient(create_app(Settings(store=store_url, api_keys=keys))) as test_client:
        test_client.headers["Authorization"] = f"Bearer {KEY}"
        yield test_client


def _rest_lists(client: TestClient) -> dict[str, tuple[str, dict[str, str]]]:
    key = client.get("/v1/facts", params={"subject": "Priya"}).json()["items"][0]["fact_key"]
    return {**REST_LISTS, "history": (f"/v1/facts/{key}/history", {})}


@pytest.mark.parametrize("name", [*sorted(REST_LISTS), "history"])
def test_rest_lists_page(client: TestClient, name: str) -> None:
    path, params = _rest_lists(client)[name]
    whole = client.get(path, params={**params, "limit": 100}).json()
    assert whole["next_offset"] is None and whole["items"]

    def read(offset: int) -> tuple[list[Any], int | None]:
        data = client.get(path, params={**params, "limit": 2, "offset": offset}).json()
        assert (data["limit"], data["offset"]) == (2, offset)
        return data["items"], data["next_offset"]

    assert [_keyed(i) for i in walk(read, 2)] == [_keyed(i) for i in whole["items"]]
    for bad in ({"offset": -1}, {"limit": 0}, {"offset": 10**7}):
        refused = client.get(path, params={**params, **bad})
        assert refused.status_code == 422 and next(iter(bad)) in refused.json()["detail"]


def test_rest_timeline_pages(client: TestClient) -> None:
    first = client.get("/v1/entities/Priya/timeline", params={"limit": 3}).json()
    rest = client.get("/v1/entities/Priya/timeline", params={"limit": 3, "offset": 3}).json()
    assert (first["next_offset"], rest["next_offset"]) == (3, None)
    objects = [f["object"] for page in (first, rest) for f in page["predicates"]["uses"]]
    assert objects == PRODUCTS
