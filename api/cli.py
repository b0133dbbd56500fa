"""The ``asof`` command line: a thin layer over :class:`asof.api.memory.Memory`.

Every command takes ``--store`` (or ``ASOF_STORE``) and ``--tenant`` (or ``ASOF_TENANT``),
prints human-readable tables by default and JSON with ``--json``. Errors are one clear line
and a non-zero exit; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from asof.graph.errors import AsofError, InvalidInputError
from asof.graph.instants import isoformat

if TYPE_CHECKING:
    # The heavy modules (pydantic settings, the store drivers, spaCy through the extractor) load
    # inside the commands that need them, so `asof --help` and `asof --version` start instantly.
    from asof.api.memory import IngestReport, Memory
    from asof.api.settings import Settings
    from asof.query.views import FactView

F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A one-line error for the user."""

    def format_message(self) -> str:
        return self.message


class AsofGroup(click.Group):
    """Turns library errors into one-line messages (tracebacks only with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise  # the reader went away (`asof facts | head`): click exits 1, quietly
        except (AsofError, OSError) as exc:
            self._fail(ctx, exc)
        except Exception as exc:
            from pydantic import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            self._fail(ctx, exc)

    @staticmethod
    def _fail(ctx: click.Context, exc: Exception) -> None:
        if ctx.obj and ctx.obj.get("debug"):
            raise exc
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CliError(message) from exc


def _settings() -> Settings:
    from pydantic import ValidationError

    from asof.api.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CliError(
            f"ASOF_{'_'.join(map(str, first['loc'])).upper()}: {first['msg']}") from None


def store_options(func: F) -> F:
    """--store, --tenant, --json: shared by every command that touches a store."""
    func = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)
    func = click.option("--tenant", envvar="ASOF_TENANT", default=None,
                        help="Tenant to read and write (env ASOF_TENANT; default 'default').")(
        func)
    func = click.option("--store", "store_url", envvar="ASOF_STORE", default=None,
                        help="Store URL: sqlite:///path.db, neo4j://host:7687 or bolt://… "
                             "(env ASOF_STORE; default: an embedded SQLite file in the "
                             "user data directory).")(func)
    return func


@contextmanager
def open_memory(store_url: str | None, **kwargs: Any) -> Iterator[Memory]:
    from asof.api.memory import Memory

    settings = _settings()
    url = store_url or settings.store
    mem = Memory.open(url, audit_key=settings.audit_key_bytes(),
                      neo4j_user=settings.neo4j_user,
                      neo4j_password=settings.neo4j_password_text(),
                      neo4j_database=settings.neo4j_database, **kwargs)
    try:
        yield mem
    finally:
        mem.close()


def _tenant(tenant: str | None) -> str:
    return tenant or _settings().tenant


def _zone(name: str | None) -> tzinfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(f"--assume-tz {name!r} is not a known time zone (e.g. UTC, "
                       "Europe/Berlin)") from None


def parse_time(value: str | None, option: str, assume_tz: str | None = None) -> datetime | None:
    """ISO 8601 with an offset; a naive value needs --assume-tz (never assumed UTC)."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CliError(f"{option}: {value!r} is not an ISO 8601 date/time "
                       "(e.g. 2024-03-01T09:00:00+01:00)") from None
    if parsed.tzinfo is None:
        zone = _zone(assume_tz)
        if zone is None:
            stem = value.strip() if "T" in value else f"{value.strip()}T00:00:00"
            raise CliError(f"{option} {value!r} has no timezone offset, and asof never "
                           f"assumes UTC: give one, e.g. {stem}Z or {stem}+01:00")
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def emit(data: Any, as_json: bool, human: Callable[[], None]) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        human()


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if not cells:
        click.echo("(nothing)")


def _date(value: datetime | None, open_text: str) -> str:
    return isoformat(value)[:10] if value else open_text  # type: ignore[index]


def fact_rows(views: Sequence[FactView]) -> list[list[Any]]:
    return [[v.subject, v.version.predicate, v.object, _date(v.version.valid_from, "…"),
             _date(v.version.valid_to, "now"), v.version.fact_key] for v in views]


FACT_HEADERS = ["subject", "predicate", "object", "from", "to", "fact key"]

# ------------------------------------------------------------------ the group


@click.group(cls=AsofGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


@cli.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "jsonl", "openai", "transcript", "gold", "locomo"]),
              help="Input format (auto-detected by default).")
@click.option("--assume-tz", default=None,
              help="Zone for naive timestamps in the input (never assumed otherwise).")
@click.option("--replay", is_flag=True,
              help="Backfill as if live: transaction time follows the message times.")
@store_options
def ingest(files: tuple[Path, ...], fmt: str, assume_tz: str | None, replay: bool,
           store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """Extract facts from conversation FILES and store them.

    Every file is validated before anything from it is stored; re-ingesting the same
    messages changes nothing.
    """
    from asof.extraction.readers import read_conversations
    from asof.graph.clock import FakeClock

    tz_name = assume_tz or _settings().assume_tz
    _zone(tz_name)
    conversations = [c for f in files for c in read_conversations(f, format=fmt,
                                                                   assume_tz=tz_name)]
    total = sum(len(c.messages) for c in conversations)
    extra: dict[str, Any] = {}
    if replay:
        first = min((m.at for c in conversations for m in c.messages), default=None)
        if first is not None:
            extra["clock"] = FakeClock(first)
    with open_memory(store_url, **extra) as mem:
        show = total >= 20 and not as_json and sys.stderr.isatty()
        started = time.perf_counter()

        def progress(done: int, of: int) -> None:
            if show and (done == of or done % 10 == 0):
                rate = done / max(time.perf_counter() - started, 1e-9)
                click.echo(f"\r  {done}/{of} messages  {rate:,.0f} msg/s", nl=done == of,
                           err=True)

        report = mem.ingest_conversations(conversations, tenant=_tenant(tenant),
                                          progress=progress, replay=replay)
    emit(report.as_dict(), as_json, lambda: _print_ingest(report))


def _print_ingest(report: IngestReport) -> None:
    click.echo(f"ingested {report.messages} messages from {report.conversations} "
               f"conversation(s) in {report.seconds:.2f} s "
               f"({report.messages_per_second:,.0f} msg/s): {report.assertions} assertions, "
               f"{report.versions_written} versions written, {report.versions_closed} closed, "
               f"{report.confirmations} confirmations, {report.duplicates} already stored"
               + (f", {report.rejected} refused by the write rules" if report.rejected else ""))


@cli.command()
@click.argument("question")
@click.option("--now", "now_text", default=None,
              help="Reference time for 'now' and relative dates (ISO 8601 with offset).")
@click.option("--known-at", default=None, help="Answer as believed at this time.")
@click.option("--as", "asker", default=None, help="Who is asking ('I'/'my' in the question).")
@store_options
def ask(question: str, now_text: str | None, known_at: str | None, asker: str | None,
        store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """Answer a QUESTION in English, with the evidence it relied on.

    Example: asof ask "Where did Priya work in March 2024?"
    """
    with open_memory(store_url) as mem:
        answer = mem.ask(question, tenant=_tenant(tenant),
                         now=parse_time(now_text, "--now"),
                         known_at=parse_time(known_at, "--known-at"), asker=asker)

    def human() -> None:
        click.echo(answer.message)
        for fact in answer.facts:
            v = fact.version
            click.echo(f"  relied on: {fact.subject} {v.predicate} {fact.object} "
                       f"[{_date(v.valid_from, '…')} → {_date(v.valid_to, 'now')}]")
            for p in fact.provenance:
                click.echo(f"    source {p.episode_id} ({p.speaker}, {_date(p.occurred_at, '?')})"
                           f": {p.evidence or ''}")
        for fact in answer.closest:
            click.echo(f"  closest: {fact.subject} {fact.version.predicate} {fact.object} "
                       f"[{_date(fact.version.valid_from, '…')} → "
                       f"{_date(fact.version.valid_to, 'now')}]")

    emit(answer.as_dict(), as_json, human)
    if answer.status == "unparseable":
        sys.exit(2)


@cli.command()
@click.argument("entity", required=False)
@click.option("--predicate", default=None, help="Only this predicate (e.g. works_at).")
@click.option("--object", "obj", default=None, help="Only this object (name or value).")
@click.option("--valid-at", default=None, help="True at this time (default: now).")
@click.option("--known-at", default=None, help="As believed at this time (default: now).")
@click.option("--limit", default=None, type=click.IntRange(1, 100_000),
              help="At most this many facts.")
@store_options
def facts(entity: str | None, predicate: str | None, obj: str | None, valid_at: str | None,
          known_at: str | None, limit: int | None, store_url: str | None, tenant: str | None,
          as_json: bool) -> None:
    """Facts about ENTITY (or all) true at --valid-at as known at --known-at."""
    with open_memory(store_url) as mem:
        views = mem.facts(entity, predicate, obj, tenant=_tenant(tenant),
                          valid_at=parse_time(valid_at, "--valid-at"),
                          known_at=parse_time(known_at, "--known-at"), limit=limit)
    emit([v.as_dict() for v in views], as_json, lambda: table(fact_rows(views), FACT_HEADERS))


@cli.command()
@click.argument("target")
@click.argument("predicate", required=False)
@store_options
def history(target: str, predicate: str | None, store_url: str | None, tenant: str | None,
            as_json: bool) -> None:
    """Every version on both time axes, with audit events and sources: of one fact (TARGET a
    fact key, fk_…), or of every fact about an entity (TARGET a name), optionally of one
    PREDICATE. Exits 1 when there is no such fact or entity."""
    with open_memory(store_url) as mem:
        if target.startswith("fk_") and predicate is None:
            views = mem.history(target, tenant=_tenant(tenant))
            if not views:
                raise CliError(f"no fact with key {target!r} in tenant {_tenant(tenant)!r}")
        else:
            views = mem.entity_history(target, predicate, tenant=_tenant(tenant))
    rows = [[v.version.predicate, v.object, _date(v.version.valid_from, "…"),
             _date(v.version.valid_to, "now"),
             isoformat(v.version.recorded_at), isoformat(v.version.superseded_at) or "",
             ",".join(e.action.value for e in v.events)] for v in views]
    emit([v.as_dict() for v in views], as_json, lambda: table(
        rows, ["predicate", "object", "from", "to", "recorded", "superseded", "events"]))


@cli.command()
@click.argument("entity")
@click.option("--known-at", default=None, help="As believed at this time (default: now).")
@store_options
def timeline(entity: str, known_at: str | None, store_url: str | None, tenant: str | None,
             as_json: bool) -> None:
    """ENTITY's facts as valid-time intervals, per predicate."""
    with open_memory(store_url) as mem:
        result = mem.timeline(entity, tenant=_tenant(tenant),
                              known_at=parse_time(known_at, "--known-at"))
    data = {"entity": result.name, "entity_id": result.entity_id,
            "known_at": isoformat(result.known_at),
            "predicates": {p: [e.view.as_dict() for e in entries]
                           for p, entries in result.by_predicate().items()}}

    def human() -> None:
        known = f"at {isoformat(result.known_at)}" if result.known_at else "now"
        click.echo(f"{result.name} (as known {known})")
        for predicate, entries in result.by_predicate().items():
            click.echo(f"  {predicate}")
            for e in entries:
                click.echo(f"    {_date(e.valid_from, '…'):>10} → {_date(e.valid_to, 'now'):<10}"
                           f"  {e.object}")

    emit(data, as_json, human)


@cli.command()
@click.argument("t1")
@click.argument("t2")
@click.option("--axis", type=click.Choice(["valid", "transaction"]), default="valid",
              show_default=True, help="Compare two valid times or two transaction times.")
@click.option("--subject", default=None, help="Only facts about this entity.")
@store_options
def diff(t1: str, t2: str, axis: str, subject: str | None, store_url: str | None,
         tenant: str | None, as_json: bool) -> None:
    """What started, ended or changed between T1 and T2."""
    with open_memory(store_url) as mem:
        result = mem.diff(parse_time(t1, "T1"), parse_time(t2, "T2"),  # type: ignore[arg-type]
                          tenant=_tenant(tenant), axis=axis,  # type: ignore[arg-type]
                          subject=subject)
    data = {"axis": axis, "t1": isoformat(result.t1), "t2": isoformat(result.t2),
            "started": [v.as_dict() for v in result.started],
            "ended": [v.as_dict() for v in result.ended],
            "changed": [{"before": a.as_dict(), "after": b.as_dict()}
                        for a, b in result.changed]}

    def human() -> None:
        rows = ([["started", v.subject, v.version.predicate, "", v.object]
                 for v in result.started]
                + [["ended", v.subject, v.version.predicate, v.object, ""]
                   for v in result.ended]
                + [["changed", a.subject, a.version.predicate, a.object, b.object]
                   for a, b in result.changed])
        table(rows, ["change", "subject", "predicate", "before", "after"])

    emit(data, as_json, human)


@cli.command()
@click.option("--valid-at", default=None, help="True at this time (default: now).")
@click.option("--known-at", default=None, help="As believed at this time (default: now).")
@click.option("--format", "fmt", type=click.Choice(["json", "graphml"]), default="json",
              show_default=True, help="Node-link JSON or GraphML.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--store", "store_url", envvar="ASOF_STORE", default=None, help="Store URL.")
@click.option("--tenant", envvar="ASOF_TENANT", default=None, help="Tenant.")
def snapshot(valid_at: str | None, known_at: str | None, fmt: str, output: Path | None,
             store_url: str | None, tenant: str | None) -> None:
    """The graph of one (valid time, known time) view, as JSON or GraphML."""
    from asof.query.views import snapshot_graphml, snapshot_json

    with open_memory(store_url) as mem:
        graph = mem.snapshot(tenant=_tenant(tenant), valid_at=parse_time(valid_at, "--valid-at"),
                             known_at=parse_time(known_at, "--known-at"))
    text = (json.dumps(snapshot_json(graph), indent=2, ensure_ascii=False) if fmt == "json"
            else snapshot_graphml(graph))
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges "
                   f"to {output}")
    else:
        click.echo(text)


@cli.command()
@click.argument("text")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000),
              help="At most this many hits.")
@click.option("--valid-at", default=None, help="Only facts true at this time.")
@click.option("--known-at", default=None, help="Only what was known at this time.")
@store_options
def search(text: str, limit: int, valid_at: str | None, known_at: str | None,
           store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """Full-text search over messages and facts (temporal filters before the limit)."""
    with open_memory(store_url) as mem:
        hits = mem.search(text, tenant=_tenant(tenant), limit=limit,
                          valid_at=parse_time(valid_at, "--valid-at"),
                          known_at=parse_time(known_at, "--known-at"))
    data = [{"kind": h.kind, "id": h.id, "score": h.score, "text": h.text} for h in hits]
    emit(data, as_json, lambda: table([[h.kind, f"{h.score:.2f}", h.id, h.text[:70]]
                                       for h in hits], ["kind", "score", "id", "text"]))


@cli.command()
@click.argument("entity")
@click.option("--query", default=None, help="What the agent is about to do or answer.")
@click.option("--budget", default=300, show_default=True, type=click.IntRange(16, 100_000),
              help="Token budget (approximation: 4 characters per token).")
@click.option("--now", "now_text", default=None,
              help="Reference time (ISO 8601 with offset; default: now).")
@store_options
def context(entity: str, query: str | None, budget: int, now_text: str | None,
            store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """A compact memory block about ENTITY for an agent's prompt."""
    with open_memory(store_url) as mem:
        block = mem.context(entity, tenant=_tenant(tenant), query=query, budget_tokens=budget,
                            now=parse_time(now_text, "--now"))
    emit(block.as_dict(), as_json, lambda: click.echo(block.text))


@cli.group()
def audit() -> None:
    """The tamper-evident audit chain: show, verify, take a signed checkpoint, export the
    head."""


@audit.command("show")
@click.option("--from", "start", default=1, show_default=True, type=click.IntRange(1),
              help="First seq to show.")
@click.option("--to", "end", default=None, type=click.IntRange(1), help="Last seq to show.")
@store_options
def audit_show(start: int, end: int | None, store_url: str | None, tenant: str | None,
               as_json: bool) -> None:
    """List audit events (ids and hashes only, never raw text)."""
    with open_memory(store_url) as mem:
        events = mem.audit(tenant=_tenant(tenant), start_seq=start, end_seq=end)
    emit([e.model_dump(mode="json") for e in events], as_json, lambda: table(
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

        from asof.graph.audit import Checkpoint

        try:
            checkpoint = Checkpoint.model_validate_json(checkpoint_file.read_text())
        except ValidationError as exc:
            raise CliError(f"{checkpoint_file}: not a checkpoint file "
                           f"({exc.errors()[0]['msg']})") from None
    with open_memory(store_url) as mem:
        report = mem.verify(tenant=_tenant(tenant), checkpoint=checkpoint)

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
        sys.exit(1)


@audit.command("export-checkpoint")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--store", "store_url", envvar="ASOF_STORE", default=None, help="Store URL.")
@click.option("--tenant", envvar="ASOF_TENANT", default=None, help="Tenant.")
def audit_export(output: Path | None, store_url: str | None, tenant: str | None) -> None:
    """Print (or write) the chain's head; keep it to detect truncation later."""
    with open_memory(store_url) as mem:
        checkpoint = mem.checkpoint(tenant=_tenant(tenant))
    text = checkpoint.model_dump_json(indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote checkpoint seq {checkpoint.seq} to {output}")
    else:
        click.echo(text)


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
        checkpoint = mem.record_checkpoint(tenant=_tenant(tenant))
    text = checkpoint.model_dump_json(indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote signed checkpoint seq {checkpoint.seq} (key id {checkpoint.key_id}) "
                   f"to {output}")
    else:
        click.echo(text)


@cli.command("export-subject")
@click.argument("entity")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--store", "store_url", envvar="ASOF_STORE", default=None, help="Store URL.")
@click.option("--tenant", envvar="ASOF_TENANT", default=None, help="Tenant.")
def export_subject(entity: str, output: Path | None, store_url: str | None,
                   tenant: str | None) -> None:
    """Print (or write) as JSON everything stored about ENTITY (a subject-access request):
    every fact version on both time axes, the claims and messages behind them, the messages
    that name it or that it spoke, and the audit events about them. Exits 1 if no entity has
    that name."""
    with open_memory(store_url) as mem:
        export = mem.export_subject(entity, tenant=_tenant(tenant))
    text = json.dumps(export, indent=2, ensure_ascii=False)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {len(export['versions'])} fact versions, {len(export['episodes'])} "
                   f"messages and {len(export['events'])} audit events about {entity!r} to "
                   f"{output}")
    else:
        click.echo(text)


@cli.command()
@click.argument("entity")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@store_options
def forget(entity: str, yes: bool, store_url: str | None, tenant: str | None,
           as_json: bool) -> None:
    """Erase ENTITY everywhere (right to be forgotten); the audit keeps a PII-free tombstone."""
    if not yes and not click.confirm(
            f"Erase {entity!r} and every message that mentions it or that it spoke?"):
        raise CliError("aborted; nothing was erased")
    with open_memory(store_url) as mem:
        result = mem.forget(entity, tenant=_tenant(tenant))
    data = {"entity_id": result.entity_id, "versions": result.versions,
            "claims": result.claims, "episodes": result.episodes, "audit_seq": result.event.seq}
    emit(data, as_json, lambda: click.echo(
        f"erased {result.entity_id}: {result.versions} fact versions, {result.claims} claims, "
        f"{result.episodes} messages redacted (audit seq {result.event.seq})"))


@cli.command()
@store_options
def expire(store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """End beliefs whose time-to-live has passed (audit 'expired')."""
    with open_memory(store_url) as mem:
        result = mem.expire(tenant=_tenant(tenant))
    emit({"expired": len(result.closed)}, as_json,
         lambda: click.echo(f"expired {len(result.closed)} fact versions"))


@cli.command()
@click.option("--store", "store_url", envvar="ASOF_STORE", default=None, help="Store URL.")
def migrate(store_url: str | None) -> None:
    """Apply pending schema migrations (idempotent)."""
    with open_memory(store_url, migrate=False) as mem:
        applied = mem.migrate()
    click.echo("applied: " + ", ".join(applied) if applied else "schema is up to date")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Run the REST API (configuration from ASOF_* environment variables)."""
    import uvicorn

    _settings()
    uvicorn.run("asof.api.app:create_app", factory=True, host=host, port=port, workers=workers)


@cli.group()
def keys() -> None:
    """API keys for the REST API (stored hashed)."""


@keys.command("new")
@click.option("--tenant", default=None, help="The tenant the key is bound to.")
@click.option("--admin", is_flag=True, help="An admin key (acts on any tenant it names).")
@click.option("--name", default="key", show_default=True, help="A label for the key.")
def keys_new(tenant: str | None, admin: bool, name: str) -> None:
    """Create a key: prints it once, and the JSON entry to add to ASOF_API_KEYS(_FILE)."""
    from asof.api.keys import hash_key, new_key
    from asof.graph.ids import validate_tenant

    if admin == (tenant is not None):
        raise CliError("give exactly one of --tenant NAME or --admin")
    key = new_key()
    entry: dict[str, str] = {"name": name, "sha256": hash_key(key)}
    if admin:
        entry["role"] = "admin"
    else:
        assert tenant is not None
        entry["tenant"] = validate_tenant(tenant)
    click.echo(f"key (shown once): {key}")
    click.echo("entry for ASOF_API_KEYS / ASOF_API_KEYS_FILE (a JSON list of these):")
    click.echo(json.dumps(entry))


@cli.command("info")
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

    settings = _settings()
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

    def human() -> None:
        width = max(len(k) for k in data)
        for key, value in data.items():
            if key == "size_bytes":
                value = f"{value:,} bytes"
            elif isinstance(value, dict):
                value = ", ".join(f"{k} {v}" for k, v in value.items())
            click.echo(f"{key:<{width}}  {value}")

    emit(data, as_json, human)


@cli.command("train")
@click.option("--data", "folders", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of annotated conversations (eval/FORMAT.md); repeat for several. "
                   "Default: the checkout's corpus/ and ../shared/eval/{train,dev}.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the artifact (default: the package's own, which the "
                   "pipeline loads).")
def train_command(folders: tuple[Path, ...], out: Path | None) -> None:
    """Train the object tagger, the learned part of extraction, from annotated conversations.

    Deterministic: the same files give the same model. Writes object_tagger.crfsuite and
    object_tagger.json (with the SHA-256 of the data it was trained on)."""
    from asof.extraction.tagger.model import default_dir
    from asof.extraction.tagger.train import default_folders, train

    chosen = list(folders) or default_folders()
    if not chosen:
        raise CliError("no training data: pass --data DIR (annotated conversations)")
    started = time.perf_counter()
    meta = train(chosen, out or default_dir(),
                 progress=lambda message: click.echo(message, err=True))
    click.echo(f"trained on {meta['messages']} messages of {len(meta['files'])} conversations "
               f"in {time.perf_counter() - started:.0f} s; data sha256 "
               f"{meta['data_sha256'][:16]}…")


def _evals_on_path() -> None:
    """The evaluations live in the checkout's bench/ (not installed): find it beside the
    package's source folders, as in an editable install, or say how to get one."""
    import importlib.util

    if importlib.util.find_spec("bench") is not None:
        return
    import asof.api

    root = Path(asof.api.__file__).resolve().parents[1]
    if not (root / "bench" / "evals" / "__init__.py").is_file():
        raise CliError("`asof eval` runs from a source checkout (bench/ is not installed "
                       "with the package): clone the repository and `pip install -e .` there")
    sys.path.insert(0, str(root))


@cli.group("eval")
def evaluate() -> None:
    """Quality evaluations on gold data."""


@evaluate.command("gold")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--show-errors", is_flag=True, help="List misses and false positives.")
@click.option("--without-learned", is_flag=True,
              help="Rules only: leave the trained tagger out (an ablation).")
@click.option("--tagger-model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="A folder with another trained tagger (from `asof train`).")
def eval_gold(directory: Path, as_json: bool, show_errors: bool, without_learned: bool,
              tagger_model: Path | None) -> None:
    """Fact precision/recall/F1, interval and question accuracy on a gold DIRECTORY."""
    _evals_on_path()
    from asof.extraction.pipeline import build_nlp
    from bench.evals.gold import evaluate_dir, render

    nlp = build_nlp(learned=not without_learned,
                    tagger_model=str(tagger_model) if tagger_model else None)
    report = evaluate_dir(directory, nlp=nlp)
    if as_json:
        if not show_errors:
            for f in report["files"]:
                for key in ("misses", "false_positives", "interval_errors", "question_errors"):
                    f.pop(key)
        click.echo(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render(report, show_errors=show_errors))


@evaluate.command("locomo")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Evidence recall at this many retrieved items.")
@click.option("--assume-tz", default="UTC", show_default=True,
              help="Zone for LoCoMo's naive session times.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def eval_locomo(file: Path, k: int, assume_tz: str, as_json: bool) -> None:
    """Temporal questions of a LoCoMo FILE: evidence recall@k vs BM25, date accuracy."""
    _evals_on_path()
    from bench.evals.locomo import evaluate_locomo, render_locomo

    report = evaluate_locomo(file, k=k, assume_tz=assume_tz)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(render_locomo(report))


@cli.command()
@click.option("--store", "store_url", default=None,
              help="Store URL (default: a fresh embedded SQLite file in a temp directory).")
def demo(store_url: str | None) -> None:
    """The main job end to end on a bundled sample conversation."""
    from asof.api.demo import run_demo

    run_demo(store_url, echo=click.echo)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="asof",
                 standalone_mode=True)
    except InvalidInputError as exc:  # pragma: no cover - the group handles these
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)



# Defined in their own modules (they import their SDKs only when run).
from asof.api.cli_mcp import mcp_command  # noqa: E402

cli.add_command(mcp_command)
