// Every episode and claim id of a tenant, by kind: what verify holds against the chain.
CALL { MATCH (e:Episode {tenant: $tenant}) RETURN collect(e.id) AS episodes }
CALL { MATCH (c:Claim {tenant: $tenant}) RETURN collect(c.claim_id) AS claims }
RETURN episodes, claims
