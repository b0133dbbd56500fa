"""The Neo4j adapter: asof's production backend (Neo4j 5.26, Community Edition is enough).

``Neo4jStore(driver, tenant=..., database="neo4j")`` wraps a live ``neo4j.Driver``;
:meth:`Neo4jStore.from_url` opens one. Every statement is a named file in ``cypher/`` loaded
through :func:`cypher.load`; values are always parameters. The schema (uniqueness constraints,
range and full-text indexes) lives in ``cypher/schema/NNNN_*.cypher``, applied in order by
:meth:`Neo4jStore.migrate` and recorded as ``(:SchemaMigration {name})`` nodes.

The graph (every node and relationship carries ``tenant``; ids are generated, never
``elementId``):

- ``(:Fact)``: one node per fact version (reified), with every stored field of
  :class:`~graph.models.FactVersion`; instants are integer microseconds since the epoch and open
  ends the ``MIN_US``/``MAX_US`` sentinels of :mod:`graph.instants`, never NULL, so an as-of read
  is a handful of integer range tests on an index seek (a NULL ``valid_to`` would silently fail
  ``valid_to > $t``). ``(:Fact)-[:SUBJECT]->(:Entity)``, ``-[:OBJECT]->(:Entity)``; the entity
  names are copied onto the version for the full-text index.
- ``(:Claim)``: the claims the valid-time view is derived from;
  ``(:Claim)-[:FROM]->(:Episode)``, and provenance ``(:Fact)-[:SOURCE {claim_id, episode_id,
  recorded_at}]->(:Claim)`` (a claim without an episode, e.g. from expiry, still links).
- ``(:Embedding {kind, id, model, dim, vector})``: the vector of an episode's text or a fact
  version's sentence under one embedding model (derived, outside the audit chain), in the
  native vector index ``asof_embedding_vector``; erased with the text it was computed from.
- ``(:Episode)``, ``(:Entity)`` (aliases as an ordered list property, plus ``(:Alias)`` nodes
  for lookups by normalised alias), ``(:AuditEvent)`` and one ``(:AuditHead {tenant})`` per
  tenant.

Writes: :meth:`Neo4jStore.run_write` runs the base's ``work`` in ``session.execute_write`` (a
managed transaction the driver may retry; ``work`` re-reads everything, and writes MERGE on
generated ids). ``lock_head`` MERGEs the tenant's audit head and sets a property on it, taking
its write lock until commit: writers of one tenant are serialised, writers of different tenants
are not. Each kind of row is written with one ``UNWIND`` statement. Reads run in
``session.execute_read`` (routed to a reader on a cluster, retried by the driver). Every session
shares the driver's bookmark manager: a read sees the writes the same process committed before
it, on a single server or a cluster (docs/scaling.md).

The package, by concern: ``store.py`` (:class:`Neo4jStore`: sessions, migrations, reads,
search), ``tx.py`` (the write transaction), ``rows.py`` (models to parameters and back, the
statement serving a ``find_versions`` query, the Lucene query of a search), ``driver.py``
(running named statements through the :class:`Tracer`, error translation).

Erased episodes keep their node (id, speaker, times) but lose their text and metadata; they are
read back with the text :data:`~graph.adapter_helpers.ERASED_TEXT` and never match a search.
"""

from asof.graph.adapter_helpers import ERASED_TEXT
from asof.graph.neo4j.driver import Tracer, params_shape
from asof.graph.neo4j.rows import lucene_query, plan_operators
from asof.graph.neo4j.store import INDEX_TIMEOUT_S, Neo4jStore

__all__ = ["ERASED_TEXT", "INDEX_TIMEOUT_S", "Neo4jStore", "Tracer", "lucene_query",
           "params_shape", "plan_operators"]
