// Versions (current and superseded) whose subject or object is $entity_id, with the episodes
// of their source links.
CALL {
  MATCH (f:Fact {tenant: $tenant, subject_id: $entity_id})
  USING INDEX f:Fact(tenant, subject_id, predicate, valid_from)
  WHERE f.predicate IS NOT NULL AND f.valid_from IS NOT NULL
  RETURN f
  UNION
  MATCH (f:Fact {tenant: $tenant, object_id: $entity_id})
  USING INDEX f:Fact(tenant, object_id)
  RETURN f
}
RETURN f.version_id AS id, [(f)-[s:SOURCE]->() | s.episode_id] AS episode_ids
