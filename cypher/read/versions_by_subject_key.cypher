// Fact versions matching a VersionQuery. Open ends are the MIN_US/MAX_US sentinels, so the
// temporal bounds are plain integer ranges: valid_at t -> $valid_hi = $valid_lo = t (any valid
// time: MAX_US / MIN_US), known_at likewise with $known_hi / $known_lo, live_at -> $live_at
// (none: MIN_US). Filters given as null match everything. The index is named (USING INDEX):
// the plan must not depend on statistics, and a lost index is an error, not a slow scan.
// Path: a subject by name, any predicate: the entities with this normalised name or alias
// (seeks on (tenant, norm_name) and (tenant, norm_alias)), then for each an index seek on
// (tenant, subject_id), as read/versions_by_subject.
CALL {
  MATCH (e:Entity {tenant: $tenant, norm_name: $subject_key})
  RETURN e.id AS subject_id
  UNION
  MATCH (a:Alias {tenant: $tenant, norm_alias: $subject_key})
  RETURN a.entity_id AS subject_id
}
MATCH (f:Fact {tenant: $tenant, subject_id: subject_id})
USING INDEX f:Fact(tenant, subject_id, predicate, valid_from)
WHERE f.predicate IS NOT NULL AND f.valid_from IS NOT NULL
  AND f.valid_from <= $valid_hi AND f.valid_to > $valid_lo
  AND f.recorded_at <= $known_hi AND f.superseded_at > $known_lo
  AND f.expires_at > $live_at
  AND ($subject_id IS NULL OR f.subject_id = $subject_id)
  AND ($predicate IS NULL OR f.predicate = $predicate)
  AND ($object_id IS NULL OR f.object_id = $object_id)
  AND ($object_value IS NULL OR f.object_value = $object_value)
  AND ($fact_key IS NULL OR f.fact_key = $fact_key)
  AND ($entity_id IS NULL OR f.subject_id = $entity_id OR f.object_id = $entity_id)
WITH f
ORDER BY f.subject_id, f.predicate, f.valid_from, f.recorded_at, f.version_id
LIMIT $limit
// With $with_provenance, each version's provenance links too, with their claims' quotes and
// their episodes (seek on (tenant, id)): the public read by name is then one round trip.
CALL {
  WITH f
  MATCH (f)-[s:SOURCE]->(c:Claim)
  WHERE $with_provenance
  OPTIONAL MATCH (e:Episode {tenant: $tenant, id: s.episode_id})
  WITH s, c, e
  ORDER BY s.recorded_at, c.claim_id
  RETURN collect({episode_id: s.episode_id, quote: c.evidence, retraction: c.retraction,
                  episode: e {.*}}) AS links
}
RETURN f {.*} AS version, [(f)-[s:SOURCE]->() | s.episode_id] AS episode_ids, links
ORDER BY f.subject_id, f.predicate, f.valid_from, f.recorded_at, f.version_id
