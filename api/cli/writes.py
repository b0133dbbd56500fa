"""Commands that write: ingest conversations, forget an entity, expire old beliefs."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from asof.api.memory import IngestReport

from asof.api.cli.common import (
    CliError,
    actor_option,
    emit,
    extractor_option,
    load_settings,
    open_memory,
    parse_zone,
    resolve_actor,
    resolve_tenant,
    store_options,
)


@click.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "jsonl", "openai", "transcript", "gold", "locomo"]),
              help="Input format (auto-detected by default).")
@click.option("--assume-tz", default=None,
              help="Zone for naive timestamps in the input (never assumed otherwise).")
@click.option("--replay", is_flag=True,
              help="Backfill as if live: each message is recorded at its own time, in the "
                   "order sent; refused (nothing stored) if a new message is older than what "
                   "the tenant already recorded.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Parse in this many worker processes while this one extracts and "
                   "stores: faster for large files on a machine with spare cores; the "
                   "facts are the same.")
@extractor_option
@actor_option
@store_options
def ingest(files: tuple[Path, ...], fmt: str, assume_tz: str | None, replay: bool,
           workers: int, extractor: str | None, actor: str | None, store_url: str | None,
           tenant: str | None, as_json: bool) -> None:
    """Extract facts from conversation FILES and store them.

    Every file is validated before anything from it is stored; re-ingesting the same
    messages changes nothing. With --extractor llm or hybrid, every claim the model proposes
    must quote the message; asof resolves its times and applies the write rules, and the
    model's answers are cached (ASOF_LLM_CACHE_DIR).
    """
    from asof.api.files import check_input_file
    from asof.extraction.readers import read_conversations

    who = resolve_actor(actor)
    settings = load_settings()
    for path in files:  # before anything is read: a FIFO or /dev/zero would never end
        check_input_file(path, max_bytes=settings.max_file_bytes)
    tz_name = assume_tz or settings.assume_tz
    parse_zone(tz_name)
    conversations = [c for f in files for c in read_conversations(f, format=fmt,
                                                                   assume_tz=tz_name)]
    total = sum(len(c.messages) for c in conversations)
    with open_memory(store_url) as mem:
        show = total >= 20 and not as_json and sys.stderr.isatty()
        started = time.perf_counter()

        def progress(done: int, of: int) -> None:
            if show and (done == of or done % 10 == 0):
                rate = done / max(time.perf_counter() - started, 1e-9)
                click.echo(f"\r  {done}/{of} messages  {rate:,.0f} msg/s", nl=done == of,
                           err=True)

        report = mem.ingest_conversations(conversations, tenant=resolve_tenant(tenant),
                                          progress=progress, replay=replay, actor=who,
                                          extractor=extractor, workers=workers)
    emit(report.as_dict(), as_json, lambda: _print_ingest(report))


def _print_ingest(report: IngestReport) -> None:
    click.echo(f"ingested {report.messages} messages from {report.conversations} "
               f"conversation(s) in {report.seconds:.2f} s "
               f"({report.messages_per_second:,.0f} msg/s): {report.assertions} assertions, "
               f"{report.versions_written} versions written, {report.versions_closed} closed, "
               f"{report.confirmations} confirmations, {report.duplicates} already stored"
               + (f", {report.rejected} refused by the write rules" if report.rejected else ""))
    if report.llm is not None:
        stats = report.llm
        click.echo(f"llm: {stats['calls']} calls, {stats['cache_hits']} cache hits, "
                   f"{stats['calls_saved']} saved by the rules, "
                   f"{stats['prompt_tokens'] + stats['completion_tokens']} tokens, "
                   f"{stats['seconds_per_call']:.2f} s/call; {stats['claims_kept']} of "
                   f"{stats['claims_proposed']} claims grounded (drop rate "
                   f"{stats['grounding_drop_rate']:.2f}), "
                   f"{sum(stats['answers_rejected'].values())} answers rejected")


@click.command()
@click.argument("entity")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--requester", default=None,
              help="Who requested the erasure (a role or a staff member; 'the data subject', "
                   "never their name), recorded in the erasure event.")
@click.option("--ticket", default=None,
              help="The reference of the erasure request (e.g. DSR-2024-017), recorded in the "
                   "erasure event.")
@actor_option
@store_options
def forget(entity: str, yes: bool, requester: str | None, ticket: str | None,
           actor: str | None, store_url: str | None, tenant: str | None,
           as_json: bool) -> None:
    """Erase ENTITY everywhere (right to be forgotten); the audit keeps a PII-free tombstone
    with the requester and ticket. ENTITY may also be a speaker of whom no fact was stored:
    the messages they spoke or that name them are erased."""
    who = resolve_actor(actor)
    if not yes and not click.confirm(
            f"Erase {entity!r} and every message that mentions it or that it spoke?"):
        raise CliError("aborted; nothing was erased")
    with open_memory(store_url) as mem:
        result = mem.forget(entity, tenant=resolve_tenant(tenant), actor=who,
                            requester=requester, ticket=ticket)
    data = {"entity_id": result.entity_id, "versions": result.versions,
            "claims": result.claims, "episodes": result.episodes, "audit_seq": result.event.seq}
    erased = result.entity_id or "a speaker who is no entity"
    emit(data, as_json, lambda: click.echo(
        f"erased {erased}: {result.versions} fact versions, {result.claims} claims, "
        f"{result.episodes} messages redacted (audit seq {result.event.seq})"))


@click.command()
@actor_option
@store_options
def expire(actor: str | None, store_url: str | None, tenant: str | None,
           as_json: bool) -> None:
    """End beliefs whose time-to-live has passed (audit 'expired')."""
    who = resolve_actor(actor)
    with open_memory(store_url) as mem:
        result = mem.expire(tenant=resolve_tenant(tenant), actor=who)
    emit({"expired": len(result.closed)}, as_json,
         lambda: click.echo(f"expired {len(result.closed)} fact versions"))
