// Fact versions by id (unknown ids yield nothing); seek on the (tenant, version_id) uniqueness
// index.
UNWIND $ids AS id
MATCH (f:Fact {tenant: $tenant, version_id: id})
RETURN f {.*} AS version, [(f)-[s:SOURCE]->() | s.episode_id] AS episode_ids
