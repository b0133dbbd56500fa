// Claims, MERGEd on their id, each linked to its source episode (when it has one).
UNWIND $rows AS row
MERGE (c:Claim {tenant: $tenant, claim_id: row.claim_id})
ON CREATE SET c += row.props
WITH c, row
CALL {
  WITH c, row
  MATCH (e:Episode {tenant: $tenant, id: row.episode_id})
  MERGE (c)-[:FROM {tenant: $tenant}]->(e)
}
RETURN count(c) AS written
