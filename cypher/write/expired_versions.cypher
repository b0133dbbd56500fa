// Current versions whose TTL has passed; seek on (tenant, superseded_at = open, expires_at <= now).
MATCH (f:Fact {tenant: $tenant, superseded_at: $open})
USING INDEX f:Fact(tenant, superseded_at, expires_at)
WHERE f.expires_at <= $now
RETURN f {.*} AS version
ORDER BY f.subject_id, f.predicate, f.valid_from, f.recorded_at, f.version_id
