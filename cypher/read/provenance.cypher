// The provenance links of fact versions, each with its claim's quote, and the episode it names
// (optional: a link whose episode is missing still shows). Seeks the (tenant, version_id)
// uniqueness index, then the episode's (tenant, id).
UNWIND $ids AS id
MATCH (f:Fact {tenant: $tenant, version_id: id})-[s:SOURCE]->(c:Claim)
OPTIONAL MATCH (e:Episode {tenant: $tenant, id: s.episode_id})
RETURN f.version_id AS version_id, s.episode_id AS episode_id, c.evidence AS quote,
       c.retraction AS retraction, e {.*} AS episode
ORDER BY version_id, s.recorded_at, c.claim_id
