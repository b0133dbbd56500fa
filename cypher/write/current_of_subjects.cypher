// Every claim and version (any predicate) of these subjects not superseded in transaction time:
// prefetched once per write so the planner's per-group reads need no round trip.
UNWIND $subject_ids AS subject_id
CALL {
  WITH subject_id
  MATCH (c:Claim {tenant: $tenant, subject_id: subject_id})
  USING INDEX c:Claim(tenant, subject_id, predicate, superseded_at)
  WHERE c.predicate IS NOT NULL AND c.superseded_at = $open
  RETURN collect(c {.*}) AS claims
}
CALL {
  WITH subject_id
  MATCH (f:Fact {tenant: $tenant, subject_id: subject_id})
  USING INDEX f:Fact(tenant, subject_id, predicate, valid_from)
  WHERE f.predicate IS NOT NULL AND f.valid_from IS NOT NULL AND f.superseded_at = $open
  RETURN collect(f {.*}) AS versions
}
RETURN subject_id, claims, versions
