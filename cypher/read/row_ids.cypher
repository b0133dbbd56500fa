// Every episode, claim and entity id of a tenant, by kind: what verify holds against the chain.
CALL { MATCH (e:Episode {tenant: $tenant}) RETURN collect(e.id) AS episodes }
CALL { MATCH (c:Claim {tenant: $tenant}) RETURN collect(c.claim_id) AS claims }
CALL { MATCH (n:Entity {tenant: $tenant}) RETURN collect(n.id) AS entities }
RETURN episodes, claims, entities
