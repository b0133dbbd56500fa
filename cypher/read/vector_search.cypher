// Nearest neighbours through the vector index (HNSW, approximate). The index knows no tenant
// (5.26 has no filtered vector search), so it returns $candidates nearest vectors of any tenant
// and model, and they are filtered here on the tenant, the model, redaction and the temporal
// bounds (those of search_facts / search_episodes) *before* the limit. `seen` (how many
// candidates the index gave) tells the caller whether asking for more could find more. The
// score is the exact cosine in [-1, 1] (Neo4j's similarity is (1 + cosine) / 2).
CALL db.index.vector.queryNodes('asof_embedding_vector', $candidates, $vector)
YIELD node
WITH collect(node) AS hits
CALL {
  WITH hits
  UNWIND hits AS m
  WITH m
  WHERE m.tenant = $tenant AND m.model = $model
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
}
RETURN size(hits) AS seen, rows
