// Episodes (not redacted) and fact versions that have no vector under $model: what
// `asof reindex` embeds.
CALL {
  MATCH (e:Episode {tenant: $tenant})
  WHERE e.id IS NOT NULL AND NOT e.redacted
    AND NOT EXISTS { MATCH (:Embedding {tenant: $tenant, kind: 'episode', id: e.id, model: $model}) }
  RETURN 'episode' AS kind, e.id AS id
  UNION ALL
  MATCH (f:Fact {tenant: $tenant})
  WHERE f.version_id IS NOT NULL
    AND NOT EXISTS { MATCH (:Embedding {tenant: $tenant, kind: 'fact', id: f.version_id, model: $model}) }
  RETURN 'fact' AS kind, f.version_id AS id
}
RETURN kind, id
ORDER BY kind, id
