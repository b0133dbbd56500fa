// The ids among $ids of episodes already stored (duplicate detection for a whole batch).
UNWIND $ids AS id
MATCH (e:Episode {tenant: $tenant, id: id})
RETURN e.id AS id
