// The claims and versions of one (subject, predicate) not superseded in transaction time
// ($open = MAX_US): one round trip for the planner's current_claims + current_versions.
CALL {
  MATCH (c:Claim {tenant: $tenant, subject_id: $subject_id, predicate: $predicate,
                  superseded_at: $open})
  RETURN collect(c {.*}) AS claims
}
CALL {
  MATCH (f:Fact {tenant: $tenant, subject_id: $subject_id, predicate: $predicate})
  USING INDEX f:Fact(tenant, subject_id, predicate, valid_from)
  WHERE f.valid_from IS NOT NULL AND f.superseded_at = $open
  RETURN collect(f {.*}) AS versions
}
RETURN claims, versions
