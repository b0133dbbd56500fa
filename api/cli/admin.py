"""Running and configuring asof: migrate, serve, keys, info."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from asof.api.cli.common import (
    CliError,
    emit,
    load_settings,
    open_memory,
    parse_time,
    resolve_tenant,
    store_options,
)


@click.command()
@click.option("--store", "store_url", envvar="ASOF_STORE", default=None, help="Store URL.")
def migrate(store_url: str | None) -> None:
    """Apply pending schema migrations (idempotent)."""
    with open_memory(store_url, migrate=False) as mem:
        applied = mem.migrate()
    click.echo("applied: " + ", ".join(applied) if applied else "schema is up to date")


@click.command()
@store_options
def reindex(store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """Embed the messages and facts that have no vector under the configured embedding model
    (stores made before embeddings, or after changing ASOF_EMBEDDER / ASOF_EMBED_MODEL)."""
    import sys
    import time

    with open_memory(store_url) as mem:
        if mem.embedder is None:
            raise CliError("no embedding model: install asof[embed] or set ASOF_EMBEDDER")
        show = not as_json and sys.stderr.isatty()
        started = time.perf_counter()

        def progress(done: int, of: int) -> None:
            if show:
                rate = done / max(time.perf_counter() - started, 1e-9)
                click.echo(f"\r  {done}/{of} rows  {rate:,.0f} rows/s", nl=done == of,
                           err=True)

        count = mem.reindex(tenant=resolve_tenant(tenant), progress=progress)
        model = mem.embedder.model_id
    emit({"embedded": count, "model": model}, as_json,
         lambda: click.echo(f"embedded {count} rows with {model}"))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Run the REST API, and the web UI at /ui (configuration from ASOF_* environment
    variables)."""
    import uvicorn

    load_settings()
    uvicorn.run("asof.api.app:create_app", factory=True, host=host, port=port, workers=workers)


@click.group()
def keys() -> None:
    """API keys for the REST API (stored hashed)."""


@keys.command("new")
@click.option("--tenant", default=None, help="The tenant the key is bound to.")
@click.option("--admin", is_flag=True, help="An admin key (acts on any tenant it names).")
@click.option("--name", default="key", show_default=True,
              help="A unique label; the audit chain records it as the actor of the key's "
                   "writes.")
@click.option("--expires-at", default=None,
              help="When the key stops working (ISO 8601 with an offset).")
def keys_new(tenant: str | None, admin: bool, name: str, expires_at: str | None) -> None:
    """Create a key: prints it once, and the JSON entry to add to ASOF_API_KEYS(_FILE).

    A running server re-reads ASOF_API_KEYS_FILE when it changes: add an entry, or set
    "revoked": true on one, without a restart."""
    from asof.api.keys import hash_key, new_key, parse_keys
    from asof.graph.instants import isoformat

    if admin == (tenant is not None):
        raise CliError("give exactly one of --tenant NAME or --admin")
    key = new_key()
    entry: dict[str, str] = {"name": name, "sha256": hash_key(key)}
    if admin:
        entry["role"] = "admin"
    else:
        assert tenant is not None
        entry["tenant"] = tenant
    expires = parse_time(expires_at, "--expires-at")
    if expires is not None:
        entry["expires_at"] = isoformat(expires) or ""
    parse_keys(json.dumps([entry]), "the new entry")  # the same checks as the server's
    click.echo(f"key (shown once): {key}")
    click.echo("entry for ASOF_API_KEYS / ASOF_API_KEYS_FILE (a JSON list of these):")
    click.echo(json.dumps(entry))


@click.command("info")
@click.option("--store", "store_url", envvar="ASOF_STORE", default=None,
              help="Store URL (env ASOF_STORE; default: an embedded SQLite file in the user "
                   "data directory).")
@click.option("--tenant", envvar="ASOF_TENANT", default=None, help="Tenant (env ASOF_TENANT).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def info(store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """The store in use (and its size on disk), the tenant, and the extraction model, without
    opening a connection."""
    import asof
    from asof.api.settings import default_store_url
    from asof.graph.urls import backend_of, store_files

    settings = load_settings()
    url = store_url or settings.store
    data: dict[str, Any] = {
        "version": asof.__version__, "store": url,
        "store_is_default": url == default_store_url(),
        "backend": backend_of(url),
        "tenant": tenant or settings.tenant,
        "audit_key": "set" if settings.audit_key else "not set"}
    files = store_files(url)  # None for a server, [] for sqlite:///:memory:
    if files is not None:
        data["path"] = str(files[0]) if files else None
        data["size_bytes"] = sum(p.stat().st_size for p in files if p.is_file())
        data["exists"] = bool(files and files[0].is_file())
    # located without importing asof.extraction (which loads spaCy)
    import importlib.util

    spec = importlib.util.find_spec("asof.extraction")
    folders = list(spec.submodule_search_locations or []) if spec else []
    meta_path = Path(folders[0]) / "models" / "object_tagger.json" if folders else Path()
    if folders and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        data["tagger"] = {"conversations": len(meta.get("files", [])),
                          "messages": meta.get("messages"),
                          "data_sha256": meta.get("data_sha256")}
        if meta.get("code"):  # artifacts trained before 7 December 2026 do not record it
            data["tagger"]["code_commit"] = meta["code"]["commit"]

    def human() -> None:
        width = max(len(k) for k in data)
        for key, value in data.items():
            if key == "size_bytes":
                value = f"{value:,} bytes"
            elif isinstance(value, dict):
                value = ", ".join(f"{k} {v}" for k, v in value.items())
            click.echo(f"{key:<{width}}  {value}")

    emit(data, as_json, human)
