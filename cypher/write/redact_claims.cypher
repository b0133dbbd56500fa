// Erasure: surviving claims that quoted a redacted episode lose the quote.
UNWIND $ids AS id
MATCH (c:Claim {tenant: $tenant, claim_id: id})
WHERE c.evidence IS NOT NULL
REMOVE c.evidence
RETURN count(c) AS redacted
