"""The ``asof`` command line: a thin layer over :class:`asof.api.memory.Memory`.

Every command takes ``--store`` (or ``ASOF_STORE``) and ``--tenant`` (or ``ASOF_TENANT``),
prints human-readable tables by default and JSON with ``--json``. Errors are one clear line
and a non-zero exit; ``--debug`` shows the traceback.

The commands live by what they do: ``writes`` (ingest, forget, expire), ``imports`` (import
graphiti), ``queries`` (ask, facts, history, timeline, diff, snapshot, search, context,
entities), ``audit``, ``admin`` (migrate, reindex, serve, keys, info), ``evals`` (train, eval,
demo) and ``mcp``; ``common`` holds what they share.
Each command imports its heavy modules (spaCy, FastAPI, the drivers, the MCP SDK) inside itself, so
``asof --help`` starts instantly.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import click

from asof.api.cli import admin, audit, evals, imports, mcp, queries, writes
from asof.api.cli.common import EXIT_CODES_HELP, AsofGroup


@click.group(cls=AsofGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXIT_CODES_HELP)
@click.option("--debug", is_flag=True,
              help="Show tracebacks on errors and the database driver's retry notices.")
@click.version_option(package_name="asof")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """asof: a temporal knowledge-graph memory for AI agents.

    Turns conversations into facts with validity intervals, answers "what was true at T" and
    "what did we believe at T'", and keeps a tamper-evident audit history.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    if not debug:
        # The Neo4j driver logs each retry it makes ("Transaction failed and will be retried
        # in 1.7s ...") as a multi-line warning; a failure ends in one "Error:" line anyway.
        logging.getLogger("neo4j").setLevel(logging.ERROR)


for command in (writes.ingest, writes.forget, writes.expire,
                queries.ask, queries.facts, queries.history, queries.timeline, queries.diff,
                queries.snapshot, queries.search, queries.context, queries.entities,
                queries.export_subject, audit.audit, admin.migrate, admin.reindex, admin.serve,
                admin.keys, admin.info, evals.train_command, evals.evaluate, evals.demo,
                mcp.mcp_command, imports.import_group):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="asof")

