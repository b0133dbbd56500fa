// Close claims in transaction time (corrections); only claims still open, each at its row's
// instant.
UNWIND $rows AS row
MATCH (c:Claim {tenant: $tenant, claim_id: row.id})
WHERE c.superseded_at = $open
SET c.superseded_at = row.at
RETURN count(c) AS closed
