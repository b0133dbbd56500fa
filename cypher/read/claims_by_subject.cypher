// Every claim (current and superseded) of a subject, optionally of one predicate; seek on
// (tenant, subject_id, predicate, superseded_at).
MATCH (c:Claim {tenant: $tenant, subject_id: $subject_id})
USING INDEX c:Claim(tenant, subject_id, predicate, superseded_at)
WHERE c.predicate IS NOT NULL AND c.superseded_at IS NOT NULL
  AND ($predicate IS NULL OR c.predicate = $predicate)
RETURN c {.*} AS claim
ORDER BY c.recorded_at, c.claim_id
