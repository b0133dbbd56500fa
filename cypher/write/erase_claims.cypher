// Erasure: delete claims with their relationships (source links, episode links).
UNWIND $ids AS id
MATCH (c:Claim {tenant: $tenant, claim_id: id})
DETACH DELETE c
RETURN count(*) AS deleted
