// Episodes by id (unknown ids yield nothing); seek on the (tenant, id) uniqueness index.
UNWIND $ids AS id
MATCH (e:Episode {tenant: $tenant, id: id})
RETURN e {.*} AS episode
