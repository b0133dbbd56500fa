// Claims from these episodes, and the versions they are source links of (current and
// superseded).
UNWIND $episode_ids AS episode_id
MATCH (c:Claim {tenant: $tenant, episode_id: episode_id})
OPTIONAL MATCH (f:Fact)-[:SOURCE]->(c)
WHERE f.tenant = $tenant
RETURN collect(DISTINCT c.claim_id) AS claim_ids, collect(DISTINCT f.version_id) AS version_ids
