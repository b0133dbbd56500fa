// Nearest neighbours by an exact scan of the tenant's vectors of $model (through the
// constraint index of :Embedding), filtered as read/vector_search filters. Used when the
// vector index's nearest candidates, of every tenant, hold too few of this tenant's.
MATCH (m:Embedding {tenant: $tenant})
WHERE m.kind IS NOT NULL AND m.id IS NOT NULL AND m.model = $model AND m.dim = size($vector)
OPTIONAL MATCH (e:Episode {tenant: $tenant, id: m.id})
  WHERE m.kind = 'episode' AND NOT e.redacted AND e.ingested_at <= $ingested_by
OPTIONAL MATCH (f:Fact {tenant: $tenant, version_id: m.id})
  WHERE m.kind = 'fact'
    AND f.valid_from <= $valid_hi AND f.valid_to > $valid_lo
    AND f.recorded_at <= $known_hi AND f.superseded_at > $known_lo
WITH m, e, f
WHERE e IS NOT NULL OR f IS NOT NULL
WITH m, e, f, 2 * vector.similarity.cosine(m.vector, $vector) - 1 AS score
ORDER BY score DESC, m.kind, m.id
LIMIT $limit
RETURN collect({kind: m.kind, score: score, episode: e {.*}, version: f {.*},
                episode_ids: CASE WHEN f IS NULL THEN []
                                  ELSE [(f)-[s:SOURCE]->() | s.episode_id] END}) AS rows
