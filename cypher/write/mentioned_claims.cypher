// Claims (current and superseded) whose subject or object is $entity_id, with their episode and
// the episodes of the source links that point at them.
CALL {
  MATCH (c:Claim {tenant: $tenant, subject_id: $entity_id})
  USING INDEX c:Claim(tenant, subject_id, predicate, superseded_at)
  WHERE c.predicate IS NOT NULL AND c.superseded_at IS NOT NULL
  RETURN c
  UNION
  MATCH (c:Claim {tenant: $tenant, object_id: $entity_id})
  USING INDEX c:Claim(tenant, object_id)
  RETURN c
}
RETURN c.claim_id AS id, c.episode_id AS episode_id,
       [()-[s:SOURCE]->(c) | s.episode_id] AS episode_ids
