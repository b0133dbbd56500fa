"""``asof import``: bring another memory store's history in (``asof import graphiti``)."""

from __future__ import annotations

import click

from asof.api.cli.common import (
    actor_option,
    emit,
    open_memory,
    resolve_actor,
    resolve_tenant,
    store_options,
)


@click.group("import")
def import_group() -> None:
    """Import another memory store's facts, with their provenance."""


@import_group.command("graphiti")
@click.option("--url", required=True,
              help="The Graphiti graph's Neo4j: bolt://host:7687 or neo4j://host:7687.")
@click.option("--user", default="neo4j", show_default=True, envvar="ASOF_GRAPHITI_USER",
              help="Neo4j user of the Graphiti graph (env ASOF_GRAPHITI_USER).")
@click.option("--password", envvar="ASOF_GRAPHITI_PASSWORD", required=True,
              help="Its password (env ASOF_GRAPHITI_PASSWORD keeps it out of the shell "
                   "history).")
@click.option("--database", default="neo4j", show_default=True,
              help="The Neo4j database Graphiti writes to.")
@click.option("--group-id", "group_ids", multiple=True, required=True,
              help="A Graphiti group id to import (repeat for several); all go into --tenant.")
@actor_option
@store_options
def graphiti(url: str, user: str, password: str, database: str, group_ids: tuple[str, ...],
             actor: str | None, store_url: str | None, tenant: str | None,
             as_json: bool) -> None:
    """Import a Graphiti graph's entity edges as claims, with their episodes as sources.

    Each edge becomes one claim over [valid_at, invalid_at), recorded at its created_at
    (replay), sourced from its first episode's content. Edges Graphiti changed in place after
    writing them (expired_at later than created_at) are imported as they are now and counted
    as overwritten: their earlier values cannot be recovered. Edges expired without an end
    (withdrawn) are counted and not imported. Everything is checked before anything is
    written: naive timestamps, edge names that are not predicates (add them with
    ASOF_PREDICATES), an empty group. Running it again changes nothing.
    """
    from asof.api.graphiti_import import import_edges, plan_import, read_graphiti

    who = resolve_actor(actor)
    name = resolve_tenant(tenant)
    edges, episodes = read_graphiti(url, user=user, password=password, group_ids=group_ids,
                                    database=database)
    with open_memory(store_url) as mem:
        items, report = plan_import(edges, episodes, tenant=name,
                                    registry=mem.store(name).registry)
        import_edges(mem, items, report, tenant=name, actor=who)
    data = report.as_dict()
    emit(data, as_json, lambda: click.echo(
        f"read {report.edges_read} Graphiti edges: {report.imported} imported "
        f"({report.versions_written} versions written, {report.episodes_written} episodes, "
        f"{report.episodes_already_stored} already stored), {report.overwritten} with history "
        f"overwritten in place (imported as they are now), {report.withdrawn} withdrawn "
        f"(expired without an end, not imported), {report.without_episode} without an "
        "episode"))
