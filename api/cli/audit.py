"""`asof audit`: show, verify and checkpoint the tamper-evident chain."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from asof.api.cli.common import (
    CliError,
    ExitCode,
    actor_option,
    emit,
    emit_page,
    load_settings,
    open_memory,
    open_reader,
    page_options,
    parse_time,
    resolve_actor,
    resolve_tenant,
    store_options,
    table,
    write_or_print,
)
from asof.graph.instants import isoformat


@click.group()
def audit() -> None:
    """The tamper-evident audit chain: show, verify, take a signed checkpoint, export the
    head, rotate the signing key."""


@audit.command("show")
@click.option("--from", "start", default=1, show_default=True, type=click.IntRange(1),
              help="First seq to show.")
@click.option("--to", "end", default=None, type=click.IntRange(1), help="Last seq to show.")
@click.option("--entity", default=None,
              help="Only events about this entity (name, alias or id): its rows, claims, "
                   "versions and facts.")
@click.option("--actor", default=None, help="Only events by this actor (a key name, a user).")
@click.option("--action", default=None,
              help="Only events of this action (e.g. erased; an unknown one lists them all).")
@click.option("--since", default=None, help="Only events recorded at or after this time.")
@click.option("--until", default=None, help="Only events recorded before this time.")
@page_options(what="events")
@store_options
def audit_show(start: int, end: int | None, entity: str | None, actor: str | None,
               action: str | None, since: str | None, until: str | None, limit: int | None,
               offset: int, store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """List audit events (ids and hashes only, never raw text), optionally filtered."""
    with open_reader(store_url, "audit show", tenant, entity) as mem:
        events = mem.audit(tenant=resolve_tenant(tenant), start_seq=start, end_seq=end,
                           entity=entity, actor=actor, action=action,
                           since=parse_time(since, "--since"),
                           until=parse_time(until, "--until"), limit=limit, offset=offset)
    emit_page(events, [e.model_dump(mode="json") for e in events], as_json, lambda: table(
        [[e.seq, isoformat(e.at), e.action.value, e.actor, len(e.targets), e.hash[:16]]
         for e in events], ["seq", "at", "action", "actor", "rows", "hash"]))


@audit.command("verify")
@click.option("--checkpoint", "checkpoint_file", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A checkpoint taken earlier (detects truncation and rollback; a signed "
                   "one is checked with the audit key).")
@store_options
def audit_verify(checkpoint_file: Path | None, store_url: str | None, tenant: str | None,
                 as_json: bool) -> None:
    """Recompute the chain; exit 1 and report the first bad seq if it was tampered with."""
    checkpoint = None
    if checkpoint_file:
        from pydantic import ValidationError

        from asof.api.files import check_input_file
        from asof.graph.audit import Checkpoint

        try:
            check_input_file(checkpoint_file, what="--checkpoint", max_bytes=100_000,
                             setting="100 kB")
            checkpoint = Checkpoint.model_validate_json(checkpoint_file.read_text())
        except ValidationError as exc:
            raise CliError(f"{checkpoint_file}: not a checkpoint file "
                           f"({exc.errors()[0]['msg']})") from None
    with open_memory(store_url) as mem:
        report = mem.verify(tenant=resolve_tenant(tenant), checkpoint=checkpoint)

    def human() -> None:
        if report.ok and report.unchecked_signatures:
            click.echo(f"hashes intact, signatures NOT checked: {report.events_checked} events, "
                       f"head seq {report.head_seq} ({report.head_hash[:16]}…); the chain is "
                       f"signed from seq {report.signed_from} and no audit key was given "
                       "(set ASOF_AUDIT_KEY)")
        elif report.ok:
            click.echo(f"ok: {report.events_checked} events verified, head seq "
                       f"{report.head_seq} ({report.head_hash[:16]}…)")
        else:
            click.echo(f"TAMPERED at seq {report.first_bad_seq}: {report.reason}")

    emit(report.as_dict(), as_json, human)
    if not report.ok:
        sys.exit(ExitCode.NOT_FOUND)  # a failed check


@audit.command("export-checkpoint")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--store", "store_url", envvar="ASOF_STORE", default=None, help="Store URL.")
@click.option("--tenant", envvar="ASOF_TENANT", default=None, help="Tenant.")
def audit_export(output: Path | None, store_url: str | None, tenant: str | None) -> None:
    """Print (or write) the chain's head; keep it to detect truncation later."""
    with open_memory(store_url) as mem:
        checkpoint = mem.checkpoint(tenant=resolve_tenant(tenant))
    text = checkpoint.model_dump_json(indent=2)
    write_or_print(text, output, f"wrote checkpoint seq {checkpoint.seq}")


@audit.command("checkpoint")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--store", "store_url", envvar="ASOF_STORE", default=None, help="Store URL.")
@click.option("--tenant", envvar="ASOF_TENANT", default=None, help="Tenant.")
def audit_checkpoint(output: Path | None, store_url: str | None, tenant: str | None) -> None:
    """Sign the chain's head with the audit key (ASOF_AUDIT_KEY), record it as a
    'checkpointed' event, and print (or write) the signed checkpoint. Keep it away from the
    store: 'audit verify --checkpoint' then detects truncation and rollback, and an edited
    checkpoint fails its signature."""
    with open_memory(store_url) as mem:
        checkpoint = mem.record_checkpoint(tenant=resolve_tenant(tenant))
    text = checkpoint.model_dump_json(indent=2)
    write_or_print(text, output,
                   f"wrote signed checkpoint seq {checkpoint.seq} (key id {checkpoint.key_id})")


@audit.command("rotate-key")
@actor_option
@store_options
def audit_rotate_key(actor: str | None, store_url: str | None, tenant: str | None,
                     as_json: bool) -> None:
    """Replace the audit key: ASOF_AUDIT_KEY (the current key) endorses ASOF_AUDIT_NEW_KEY in
    a recorded 'key_rotated' event. Afterwards set ASOF_AUDIT_KEY to the new key and add the
    old one to ASOF_AUDIT_KEYS (comma-separated): writes need the new key, and verifying the
    events signed before needs the old."""
    new_key = load_settings().audit_new_key
    if new_key is None or not new_key.get_secret_value():
        raise CliError("set ASOF_AUDIT_NEW_KEY to the new audit key (never on the command "
                       "line, where other users see it)")
    with open_memory(store_url) as mem:
        event = mem.rotate_key(new_key.get_secret_value().encode(),
                               tenant=resolve_tenant(tenant), actor=resolve_actor(actor))
    emit({"seq": event.seq, "key_id": event.key_id, "reason": event.reason}, as_json,
         lambda: click.echo(f"rotated at seq {event.seq}: {event.reason}"))


@audit.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", default="jsonl", show_default=True,
              type=click.Choice(["csv", "jsonl"]), help="File format of the tables.")
@store_options
def audit_export_history(directory: Path, fmt: str, store_url: str | None, tenant: str | None,
                         as_json: bool) -> None:
    """Write the tenant's full history for an auditor into DIRECTORY: events, fact versions on
    both time axes, and their sources, as CSV or JSONL, with manifest.json holding each file's
    SHA-256 and, with ASOF_AUDIT_KEY, an HMAC signature and key id. Check it with
    'asof audit verify-export'."""
    from asof.api.audit_export import export_history

    with open_memory(store_url) as mem:
        manifest = export_history(mem.store(resolve_tenant(tenant)), directory,
                                  "csv" if fmt == "csv" else "jsonl")
    written = ", ".join(f"{name} ({entry['rows']} rows)"
                        for name, entry in manifest["files"].items())
    emit(manifest, as_json, lambda: click.echo(
        f"wrote {written} and {directory / 'manifest.json'}"
        + (f", signed with key id {manifest['key_id']}" if manifest["signature"]
           else ", NOT signed (no ASOF_AUDIT_KEY)")))


@audit.command("verify-export")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def audit_verify_export(directory: Path, as_json: bool) -> None:
    """Check an 'asof audit export' folder: each file against the manifest's SHA-256, and the
    manifest's signature with ASOF_AUDIT_KEY / ASOF_AUDIT_KEYS. Exit 1 if anything fails."""
    from asof.api.audit_export import verify_export

    settings = load_settings()
    keys = [k for k in (settings.audit_key_bytes(), *settings.old_audit_keys_bytes()) if k]
    check = verify_export(directory, keys)

    def human() -> None:
        if not check.ok:
            click.echo(f"FAILED: {check.problem}")
        elif check.problem:
            click.echo(f"files intact, manifest signature NOT checked: {check.problem}")
        else:
            click.echo("ok: every file matches the manifest"
                       + (", and its signature holds" if check.signed else ""))

    emit(check.as_dict(), as_json, human)
    if not check.ok:
        sys.exit(ExitCode.NOT_FOUND)  # a failed check


@audit.command("verify-reads")
@click.argument("log_file", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def audit_verify_reads(log_file: Path | None, as_json: bool) -> None:
    """Recompute the read-access log's chain (LOG_FILE, default ASOF_READ_LOG); exit 1 and
    report the first bad seq if it was tampered with."""
    from asof.api.read_log import verify_read_log

    path = log_file or load_settings().read_log
    if path is None:
        raise CliError("no read log: give LOG_FILE or set ASOF_READ_LOG")
    from asof.api.files import check_input_file

    # a regular file (never a FIFO); no size cap: the log grows with every read
    report = verify_read_log(check_input_file(path, what="read log", max_bytes=None))

    def human() -> None:
        click.echo(f"ok: {report.records} reads verified" if report.ok
                   else f"TAMPERED at seq {report.first_bad_seq}: {report.reason}")

    emit(report.as_dict(), as_json, human)
    if not report.ok:
        sys.exit(ExitCode.NOT_FOUND)  # a failed check
