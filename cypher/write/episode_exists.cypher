MATCH (e:Episode {tenant: $tenant, id: $id})
RETURN count(e) > 0 AS found
