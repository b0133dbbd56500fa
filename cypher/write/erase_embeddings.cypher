// Erasure: the vectors of redacted episodes and erased fact versions, under every model (an
// embedding can leak what its text said).
UNWIND $rows AS row
MATCH (m:Embedding {tenant: $tenant, kind: row.kind, id: row.id})
WHERE m.model IS NOT NULL
DETACH DELETE m
RETURN count(*) AS deleted
