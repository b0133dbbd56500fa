"""``asof mcp``: the Model Context Protocol server (see :mod:`asof.api.mcp_server`).

Kept apart from the other commands so that ``asof --help`` never imports the MCP SDK: it loads
when the command runs.
"""

from __future__ import annotations

import click


@click.command("mcp")
@click.option("--tenant", envvar="ASOF_TENANT", default=None,
              help="The one tenant this server reads and writes (env ASOF_TENANT; default "
                   "'default'). Tools cannot choose another.")
@click.option("--store", "store_url", envvar="ASOF_STORE", default=None,
              help="Store URL: sqlite:///path.db, neo4j://host:7687 or bolt://… (env "
                   "ASOF_STORE; default: an embedded SQLite file in the user data directory).")
@click.option("--http", "http", is_flag=True,
              help="Serve streamable HTTP on 127.0.0.1 (path /mcp) instead of stdio.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535),
              help="The loopback port for --http.")
@click.option("--actor", default="mcp", show_default=True,
              help="The name the audit log records this server's writes under.")
def mcp_command(tenant: str | None, store_url: str | None, http: bool, port: int,
                actor: str) -> None:
    """Serve asof's memory tools over the Model Context Protocol, for one tenant.

    Tools: remember, ask, facts, timeline, history, search, context, forget, audit_verify.
    By default speaks MCP on stdin/stdout (an MCP client starts this command); logs go to
    stderr. The REST API's limits apply (ASOF_MAX_BATCH messages per call,
    ASOF_MAX_MESSAGE_CHARS characters per message).
    """
    from asof.api.cli.common import load_settings, open_memory, resolve_tenant
    from asof.api.mcp_server import serve

    settings = load_settings()  # the REST API's limits apply here too
    with open_memory(store_url) as memory:
        serve(memory, tenant=resolve_tenant(tenant), actor=actor,
              http_port=port if http else None,
              max_messages=settings.max_batch, max_message_chars=settings.max_message_chars)
