// Provenance: (:Fact)-[:SOURCE {claim_id, episode_id, recorded_at}]->(:Claim). The episode id
// rides on the relationship so reads get a version's episode_ids without visiting the claims;
// claims without an episode (expiry) still link, with a null episode_id.
UNWIND $rows AS row
MATCH (f:Fact {tenant: $tenant, version_id: row.version_id})
MATCH (c:Claim {tenant: $tenant, claim_id: row.claim_id})
MERGE (f)-[s:SOURCE {tenant: $tenant, claim_id: row.claim_id}]->(c)
ON CREATE SET s.episode_id = row.episode_id, s.recorded_at = row.recorded_at
RETURN count(s) AS linked
