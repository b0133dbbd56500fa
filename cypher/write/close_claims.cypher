// Close claims in transaction time (corrections); only claims still open.
UNWIND $ids AS id
MATCH (c:Claim {tenant: $tenant, claim_id: id})
WHERE c.superseded_at = $open
SET c.superseded_at = $at
RETURN count(c) AS closed
