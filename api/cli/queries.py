"""Commands that read: ask, facts, history, timeline, diff, snapshot, search, context."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from asof.api.cli.common import (
    FACT_HEADERS,
    CliNotFound,
    ExitCode,
    emit,
    emit_page,
    fact_rows,
    more_hint,
    open_reader,
    page_options,
    parse_time,
    resolve_tenant,
    short_date,
    store_options,
    table,
    write_or_print,
)
from asof.graph.instants import isoformat


@click.command()
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
    with open_reader(store_url, "ask", tenant) as mem:
        answer = mem.ask(question, tenant=resolve_tenant(tenant),
                         now=parse_time(now_text, "--now"),
                         known_at=parse_time(known_at, "--known-at"), asker=asker)

    def human() -> None:
        click.echo(answer.message)
        for fact in answer.facts:
            v = fact.version
            click.echo(f"  relied on: {fact.subject} {v.predicate} {fact.object} "
                       f"[{short_date(v.valid_from, '…')} → {short_date(v.valid_to, 'now')}]")
            for p in fact.provenance:
                said = short_date(p.occurred_at, "?")
                click.echo(f"    source {p.episode_id} ({p.speaker}, {said}): "
                           f"{p.evidence or ''}")
        for fact in answer.closest:
            click.echo(f"  closest: {fact.subject} {fact.version.predicate} {fact.object} "
                       f"[{short_date(fact.version.valid_from, '…')} → "
                       f"{short_date(fact.version.valid_to, 'now')}]")
        for hit in answer.passages:
            assert hit.episode is not None
            click.echo(f"  related message {hit.id} ({hit.episode.speaker}, "
                       f"{short_date(hit.episode.occurred_at, '?')}): {hit.text}")

    emit(answer.as_dict(), as_json, human)
    if answer.status == "unparseable":
        sys.exit(ExitCode.USAGE)


@click.command()
@click.argument("entity", required=False)
@click.option("--predicate", default=None, help="Only this predicate (e.g. works_at).")
@click.option("--object", "obj", default=None, help="Only this object (name or value).")
@click.option("--valid-at", default=None, help="True at this time (default: now).")
@click.option("--known-at", default=None, help="As believed at this time (default: now).")
@page_options(what="facts")
@store_options
def facts(entity: str | None, predicate: str | None, obj: str | None, valid_at: str | None,
          known_at: str | None, limit: int | None, offset: int, store_url: str | None,
          tenant: str | None, as_json: bool) -> None:
    """Facts about ENTITY (or all) true at --valid-at as known at --known-at."""
    with open_reader(store_url, "facts", tenant, entity) as mem:
        views = mem.facts(entity, predicate, obj, tenant=resolve_tenant(tenant),
                          valid_at=parse_time(valid_at, "--valid-at"),
                          known_at=parse_time(known_at, "--known-at"), limit=limit,
                          offset=offset)
    emit_page(views, [v.as_dict() for v in views], as_json,
              lambda: table(fact_rows(views), FACT_HEADERS))


@click.command()
@click.argument("target")
@click.argument("predicate", required=False)
@page_options(what="versions")
@store_options
def history(target: str, predicate: str | None, limit: int | None, offset: int,
            store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """Every version on both time axes, with audit events and sources: of one fact (TARGET a
    fact key, fk_…), or of every fact about an entity (TARGET a name), optionally of one
    PREDICATE. Exits 1 when there is no such fact or entity."""
    with open_reader(store_url, "history", tenant, target) as mem:
        if target.startswith("fk_") and predicate is None:
            views = mem.history(target, tenant=resolve_tenant(tenant), limit=limit,
                                offset=offset)
            if not views and (offset == 0 or not mem.history(
                    target, tenant=resolve_tenant(tenant), limit=1)):
                raise CliNotFound(f"no fact with key {target!r} in tenant "
                                  f"{resolve_tenant(tenant)!r}")
        else:
            views = mem.entity_history(target, predicate, tenant=resolve_tenant(tenant),
                                       limit=limit, offset=offset)
    rows = [[v.version.predicate, v.object, short_date(v.version.valid_from, "…"),
             short_date(v.version.valid_to, "now"),
             isoformat(v.version.recorded_at), isoformat(v.version.superseded_at) or "",
             ",".join(e.action.value for e in v.events)] for v in views]
    def human() -> None:
        table(rows, ["predicate", "object", "from", "to", "recorded", "superseded", "events"])
        sources = [(v, p) for v in views for p in v.provenance]
        if sources:
            click.echo("\nsources (each with its own words):")
        for v, p in sources:
            where = (f" [{p.evidence_start}:{p.evidence_end}]"
                     if p.evidence_start is not None else "")
            click.echo(f"  {v.version.predicate} {v.object}: {p.episode_id} ({p.speaker}, "
                       f"{short_date(p.occurred_at, '?')}){where}: {p.evidence or '(no quote)'}")

    emit_page(views, [v.as_dict() for v in views], as_json, human)


@click.command()
@click.argument("entity")
@click.option("--known-at", default=None, help="As believed at this time (default: now).")
@page_options(what="intervals")
@store_options
def timeline(entity: str, known_at: str | None, limit: int | None, offset: int,
             store_url: str | None, tenant: str | None, as_json: bool) -> None:
    """ENTITY's facts as valid-time intervals, per predicate."""
    with open_reader(store_url, "timeline", tenant, entity) as mem:
        result = mem.timeline(entity, tenant=resolve_tenant(tenant),
                              known_at=parse_time(known_at, "--known-at"), limit=limit,
                              offset=offset)
    data = {"entity": result.name, "entity_id": result.entity_id,
            "known_at": isoformat(result.known_at),
            "predicates": {p: [e.view.as_dict() for e in entries]
                           for p, entries in result.by_predicate().items()},
            "limit": limit, "offset": offset, "next_offset": result.next_offset}
    if not as_json:
        more_hint(result.next_offset)

    def human() -> None:
        known = f"at {isoformat(result.known_at)}" if result.known_at else "now"
        click.echo(f"{result.name} (as known {known})")
        for predicate, entries in result.by_predicate().items():
            click.echo(f"  {predicate}")
            for e in entries:
                start, end = short_date(e.valid_from, "…"), short_date(e.valid_to, "now")
                click.echo(f"    {start:>10} → {end:<10}  {e.object}")

    emit(data, as_json, human)


@click.command()
@click.argument("t1")
@click.argument("t2")
@click.option("--axis", type=click.Choice(["valid", "transaction"]), default="valid",
              show_default=True, help="Compare two valid times or two transaction times.")
@click.option("--subject", default=None, help="Only facts about this entity.")
@store_options
def diff(t1: str, t2: str, axis: str, subject: str | None, store_url: str | None,
         tenant: str | None, as_json: bool) -> None:
    """What started, ended or changed between T1 and T2."""
    with open_reader(store_url, "diff", tenant, subject) as mem:
        result = mem.diff(parse_time(t1, "T1"), parse_time(t2, "T2"),  # type: ignore[arg-type]
                          tenant=resolve_tenant(tenant), axis=axis,  # type: ignore[arg-type]
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


@click.command()
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

    with open_reader(store_url, "snapshot", tenant) as mem:
        graph = mem.snapshot(tenant=resolve_tenant(tenant),
                             valid_at=parse_time(valid_at, "--valid-at"),
                             known_at=parse_time(known_at, "--known-at"))
    text = (json.dumps(snapshot_json(graph), indent=2, ensure_ascii=False) if fmt == "json"
            else snapshot_graphml(graph))
    write_or_print(text, output, f"wrote {graph.number_of_nodes()} nodes and "
                                 f"{graph.number_of_edges()} edges")


@click.command()
@click.argument("text")
@click.option("--valid-at", default=None, help="Only facts true at this time.")
@click.option("--known-at", default=None, help="Only what was known at this time.")
@click.option("--mode", type=click.Choice(["lexical", "vector", "hybrid"]), default=None,
              help="Full text, embeddings, or both ranked together with the exchanges around "
                   "their messages (default: hybrid when the store keeps vectors and an "
                   "embedding model is configured, else lexical).")
@page_options(default_limit=10, max_limit=1000, what="hits")
@store_options
def search(text: str, limit: int, offset: int, valid_at: str | None, known_at: str | None,
           mode: str | None, store_url: str | None, tenant: str | None,
           as_json: bool) -> None:
    """Search messages and facts by words and meaning, best first (temporal filters before
    the limit). Scores: bm25 (lexical), cosine (vector), the ranking's weighted sum (hybrid;
    docs/retrieval.md)."""
    with open_reader(store_url, "search", tenant) as mem:
        hits = mem.search(text, tenant=resolve_tenant(tenant), limit=limit, offset=offset,
                          valid_at=parse_time(valid_at, "--valid-at"),
                          known_at=parse_time(known_at, "--known-at"), mode=mode)
    data = [{"kind": h.kind, "id": h.id, "score": h.score, "text": h.text} for h in hits]
    emit_page(hits, data, as_json, lambda: table(
        [[h.kind, f"{h.score:.2f}", h.id, h.text[:70]] for h in hits],
        ["kind", "score", "id", "text"]))


@click.command()
@page_options(default_limit=100, what="entities")
@store_options
def entities(limit: int, offset: int, store_url: str | None, tenant: str | None,
             as_json: bool) -> None:
    """The tenant's entities, by name, with their ids and aliases."""
    with open_reader(store_url, "entities", tenant) as mem:
        page = mem.entities(tenant=resolve_tenant(tenant), limit=limit, offset=offset)
    data = [{"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases)}
            for e in page]
    emit_page(page, data, as_json, lambda: table(
        [[e.name, e.type, e.id, ", ".join(e.aliases)] for e in page],
        ["name", "type", "id", "aliases"]))


@click.command()
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
    with open_reader(store_url, "context", tenant, entity) as mem:
        block = mem.context(entity, tenant=resolve_tenant(tenant), query=query,
                            budget_tokens=budget, now=parse_time(now_text, "--now"))
    emit(block.as_dict(), as_json, lambda: click.echo(block.text))


@click.command("export-subject")
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
    with open_reader(store_url, "export-subject", tenant, entity) as mem:
        export = mem.export_subject(entity, tenant=resolve_tenant(tenant))
    text = json.dumps(export, indent=2, ensure_ascii=False)
    write_or_print(text, output, f"wrote {len(export['versions'])} fact versions, "
                                 f"{len(export['episodes'])} messages and "
                                 f"{len(export['events'])} audit events about {entity!r}")
