// Erasure: surviving versions that quoted a redacted episode lose the quote (and its full-text
// entry).
UNWIND $ids AS id
MATCH (f:Fact {tenant: $tenant, version_id: id})
WHERE f.evidence IS NOT NULL
REMOVE f.evidence
RETURN count(f) AS redacted
